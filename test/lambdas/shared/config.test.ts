/** The configuration contract: one writer (toEnvironment), one reader (loadConfig), per function kind. */
import { describe, expect, it } from '@jest/globals';
import {
  ConfigError,
  FUNCTION_KINDS,
  type FunctionKind,
  loadConfig,
  toEnvironment,
} from '../../../lambdas/shared/config';
import { defaultSettings } from '../../../lambdas/shared/settings';

const IDS = {
  userPoolId: 'us-east-1_Pool1',
  clientId: 'client1',
  eventBusName: 'audit',
  sessionKeySecretId: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:session-key',
};
const settings = {
  ...defaultSettings,
  allowedOrigins: ['https://app.example.com'],
  // A comma inside a value survives: lists travel as JSON.
  redirectAllowlist: ['https://app.example.com/a,b/'],
  clientMetadataKeys: ['tenant'],
  adminGroupName: 'ops, admins',
  signOutOnPasswordReset: false,
  appName: 'Acme',
  apps: { shop: 'Acme Shop', 'forum-2': 'Acme, "Forum"' },
};
const kinds = Object.keys(FUNCTION_KINDS) as FunctionKind[];

describe('toEnvironment and loadConfig', () => {
  it.each(kinds)('reads back exactly what it wrote for a %s function', (kind) => {
    const config = loadConfig(kind, toEnvironment(kind, settings, IDS)) as Record<string, unknown>;
    const source: Record<string, unknown> = {
      ...settings,
      ...IDS,
      refreshTokenDays: settings.client.tokenValidity.refreshTokenDays,
    };
    expect(config).toEqual(Object.fromEntries(FUNCTION_KINDS[kind].map((field) => [field, source[field]])));
  });

  it('gives each kind only the variables it reads', () => {
    expect(Object.keys(toEnvironment('customMessage', settings, IDS)).sort()).toEqual([
      'APPS',
      'APP_NAME',
      'BRAND',
      'DEFAULT_LOCALE',
      'LOCALES',
      'REDIRECT_ALLOWLIST',
    ]);
    expect(toEnvironment('api', settings, IDS)).not.toHaveProperty('EVENT_BUS_NAME');
    // The app map reaches the functions that check (api) and show (customMessage) an app, no other.
    expect(loadConfig('api', toEnvironment('api', settings, IDS)).apps).toEqual(settings.apps);
    expect(toEnvironment('postConfirmation', settings, IDS)).not.toHaveProperty('APPS');
  });

  it('adds the local endpoints only when given', () => {
    expect(toEnvironment('api', settings, IDS)).not.toHaveProperty('COGNITO_ENDPOINT');
    const local = toEnvironment('api', settings, { ...IDS, cognitoEndpoint: 'http://127.0.0.1:9' });
    expect(loadConfig('api', local).cognitoEndpoint).toBe('http://127.0.0.1:9');
  });

  it('refuses to write an environment without an id the kind needs', () => {
    expect(() => toEnvironment('api', settings, { eventBusName: 'audit' })).toThrow(/userPoolId is not given/);
  });

  it('names every missing variable at once, with no silent default', () => {
    const env = toEnvironment('api', settings, IDS);
    const { ADMIN_GROUP: _admin, USER_POOL_ID: _pool, ...rest } = env;
    expect(() => loadConfig('api', rest)).toThrow(ConfigError);
    expect(() => loadConfig('api', rest)).toThrow(/USER_POOL_ID is missing; ADMIN_GROUP is missing/);
  });

  it('names a malformed list or flag', () => {
    const env = toEnvironment('postConfirmation', settings, IDS);
    expect(() => loadConfig('postConfirmation', { ...env, REDIRECT_ALLOWLIST: 'https://a.example.com/' })).toThrow(
      /REDIRECT_ALLOWLIST is malformed: expected a JSON array of strings/,
    );
    expect(() => loadConfig('postConfirmation', { ...env, SIGN_OUT_ON_PASSWORD_RESET: 'yes' })).toThrow(
      /SIGN_OUT_ON_PASSWORD_RESET is malformed: expected true or false/,
    );
    const message = toEnvironment('customMessage', settings, IDS);
    for (const APPS of ['["shop"]', '{"shop":1}', 'shop=Acme', 'null']) {
      expect(() => loadConfig('customMessage', { ...message, APPS })).toThrow(
        /APPS is malformed: expected a JSON object of strings/,
      );
    }
  });
});

describe('functions read their configuration when created, not when imported', () => {
  it('creates a function from the environment it is given and fails on a bad one by name', async () => {
    const { create } = await import('../../../lambdas/auth/sign-in');
    // Sign-in opens a session: its function is of the session kind (route.ts functionKindOf).
    expect(typeof create(toEnvironment('session', settings, IDS))).toBe('function');
    expect(() => create({})).toThrow(/session function configuration: USER_POOL_ID is missing/);
  });
});
