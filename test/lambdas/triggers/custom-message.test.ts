import type { CustomMessageTriggerEvent } from 'aws-lambda';
import { afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { toEnvironment } from '../../../lambdas/shared/config';
import { defaultSettings } from '../../../lambdas/shared/settings';

// Set before the handler module loads: it is imported dynamically, in beforeAll.
Object.assign(process.env, {
  POWERTOOLS_DEV: 'true',
});

type Handler = (event: CustomMessageTriggerEvent) => Promise<CustomMessageTriggerEvent>;
let handler: Handler;

/** The trigger's environment as the configuration contract writes it. */
const env = toEnvironment(
  'customMessage',
  {
    ...defaultSettings,
    redirectAllowlist: ['https://app.example.com/account/', 'https://app.example.com/reset', 'http://localhost:3000/'],
    locales: ['en', 'fr', 'de', 'es'],
    defaultLocale: 'en',
    appName: 'Acme',
    apps: { shop: 'Acme Shop', bits: 'Bits & <Bytes>' },
  },
  {},
);
const load = async () =>
  (await import('../../../lambdas/triggers/custom-message/handler')).create(env) as unknown as Handler;

beforeAll(async () => {
  handler = await load();
});

const SOURCES = [
  'CustomMessage_SignUp',
  'CustomMessage_AdminCreateUser',
  'CustomMessage_ResendCode',
  'CustomMessage_ForgotPassword',
  'CustomMessage_UpdateUserAttribute',
  'CustomMessage_VerifyUserAttribute',
  'CustomMessage_Authentication',
] as const;

/** The event exactly as AWS documents it. */
function event(
  triggerSource: string,
  options: { clientMetadata?: Record<string, string> | null; userAttributes?: Record<string, string> } = {},
): CustomMessageTriggerEvent {
  return {
    version: '1',
    region: 'us-east-1',
    userPoolId: 'us-east-1_Pool',
    userName: 'a1b2c3d4-uuid',
    callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: 'client' },
    triggerSource,
    request: {
      userAttributes: options.userAttributes ?? {
        sub: 'a1b2c3d4-uuid',
        email: 'jane@example.com',
        email_verified: 'true',
        'cognito:user_status': 'CONFIRMED',
        name: 'Jane',
      },
      codeParameter: '{####}',
      linkParameter: '{##Click Here##}',
      usernameParameter: triggerSource === 'CustomMessage_AdminCreateUser' ? '{username}' : null,
      ...(options.clientMetadata === undefined ? {} : { clientMetadata: options.clientMetadata }),
    },
    response: { smsMessage: null, emailMessage: null, emailSubject: null },
  } as unknown as CustomMessageTriggerEvent;
}

const run = async (source: string, options?: Parameters<typeof event>[1]) =>
  (await handler(event(source, options))).response;

describe('every trigger source', () => {
  it.each(SOURCES)('%s keeps Cognito rules: placeholders and lengths', async (source) => {
    const r = await run(source, { clientMetadata: { locale: 'fr' } });
    expect(r.emailMessage).toContain('{####}');
    expect(r.smsMessage).toContain('{####}');
    expect(r.emailSubject?.length).toBeGreaterThanOrEqual(1);
    expect(r.emailSubject?.length).toBeLessThanOrEqual(140);
    expect(r.emailMessage?.length).toBeLessThanOrEqual(20_000);
    expect(r.smsMessage?.length).toBeLessThanOrEqual(140);
    expect(r.emailMessage).toMatch(/^<!doctype html>\s*<html lang="fr">/);
    if (source === 'CustomMessage_AdminCreateUser') {
      expect(r.emailMessage).toContain('{username}');
      expect(r.smsMessage).toContain('{username}');
    }
  });

  it('returns an unknown source untouched', async () => {
    const input = event('CustomMessage_Unknown');
    const output = await handler(input);
    expect(output.response).toEqual({ smsMessage: null, emailMessage: null, emailSubject: null });
  });

  it('words an administrator reset as such when the metadata says so', async () => {
    const user = await run('CustomMessage_ForgotPassword', { clientMetadata: {} });
    const admin = await run('CustomMessage_ForgotPassword', { clientMetadata: { flow: 'admin-reset' } });
    expect(user.emailSubject).toBe('Reset your Acme password');
    expect(admin.emailSubject).toBe('Your Acme password must be reset');
    expect(admin.emailMessage).toContain('An administrator has reset your password');
  });
});

describe('locale', () => {
  it.each([
    ['fr', 'Réinitialisez votre mot de passe Acme'],
    ['de-AT', 'Setzen Sie Ihr Acme-Passwort zurück'],
    ['es-MX', 'Restablece tu contraseña de Acme'],
    ['it', 'Reset your Acme password'],
    ['<script>', 'Reset your Acme password'],
  ])('%s -> %s', async (locale, subject) => {
    expect((await run('CustomMessage_ForgotPassword', { clientMetadata: { locale } })).emailSubject).toBe(subject);
  });

  it("falls back to the user's locale attribute, then the default", async () => {
    const attrs = { email: 'j@example.com', locale: 'de' };
    expect((await run('CustomMessage_SignUp', { userAttributes: attrs })).emailSubject).toContain('Bestätigen');
    expect((await run('CustomMessage_SignUp', { userAttributes: { email: 'j@example.com' } })).emailSubject).toContain(
      'Confirm',
    );
  });
});

describe('links', () => {
  const link = (html: string | null | undefined) => /href="([^"]*)"/.exec(html ?? '')?.[1];

  it('puts an allowlisted redirect with the flow, code and username in the fragment', async () => {
    const r = await run('CustomMessage_ForgotPassword', {
      clientMetadata: { redirectUri: 'https://app.example.com/account/reset' },
    });
    expect(link(r.emailMessage)).toBe(
      'https://app.example.com/account/reset#flow=reset&amp;code={####}&amp;username=jane%40example.com',
    );
  });

  it('allows http only for localhost', async () => {
    const r = await run('CustomMessage_ForgotPassword', {
      clientMetadata: { redirectUri: 'http://localhost:3000/reset' },
    });
    expect(link(r.emailMessage)).toContain('http://localhost:3000/reset#flow=reset&amp;code={####}');
  });

  it.each([
    ['CustomMessage_SignUp', {}, 'confirm'],
    ['CustomMessage_ResendCode', {}, 'confirm'],
    ['CustomMessage_ForgotPassword', {}, 'reset'],
    ['CustomMessage_ForgotPassword', { flow: 'admin-reset' }, 'reset'],
    ['CustomMessage_UpdateUserAttribute', {}, 'verify'],
    ['CustomMessage_VerifyUserAttribute', {}, 'verify'],
    ['CustomMessage_AdminCreateUser', {}, 'invite'],
    ['CustomMessage_Authentication', {}, 'sign-in'],
  ])('%s %j states its purpose first in the fragment: flow=%s', async (source, metadata, flow) => {
    const r = await run(source, { clientMetadata: { ...metadata, redirectUri: 'https://app.example.com/reset' } });
    expect(link(r.emailMessage)).toMatch(
      new RegExp(`^https://app\\.example\\.com/reset#flow=${flow}&amp;code=\\{####\\}&amp;`),
    );
  });

  it.each([
    'https://evil.example.net/account/',
    'https://app.example.com/other/',
    'https://app.example.com/resetevil',
    'https://app.example.com/reset%2f..%2fadmin',
    'https://app.example.com/account/%2F..%5Cadmin',
    'https://app.example.com/reset?next=https://evil.example.net',
    'https://app.example.com/account/reset?x=1',
    'https://app.example.com.evil.net/account/',
    'http://app.example.com/account/',
    'javascript:alert(1)//https://app.example.com/account/',
    'data:text/html,<script>alert(1)</script>',
    'https://user:pass@app.example.com/account/',
    `https://app.example.com/account/${'a'.repeat(2000)}`,
  ])('never links to %s', async (redirectUri) => {
    const r = await run('CustomMessage_ForgotPassword', { clientMetadata: { redirectUri } });
    expect(link(r.emailMessage)).toBeUndefined();
    expect(r.emailMessage).toContain('{####}');
  });
});

describe('app', () => {
  it.each(SOURCES)('%s shows the display name of a configured app id', async (source) => {
    const r = await run(source, { clientMetadata: { app: 'shop' } });
    expect(r.emailSubject).toContain('Acme Shop');
    expect(r.emailMessage).toContain('Sent by Acme Shop.');
  });

  it('shows the display name in the SMS', async () => {
    const r = await run('CustomMessage_ForgotPassword', { clientMetadata: { app: 'shop' } });
    expect(r.smsMessage).toBe('Your Acme Shop password reset code: {####}');
  });

  it.each(['Acme Shop', 'SHOP', 'Your account is locked, call +1 555 0100', 'toString', '__proto__', ''])(
    'falls back to the brand name for the unknown id %j, and never shows it',
    async (app) => {
      const r = await run('CustomMessage_SignUp', { clientMetadata: { app } });
      expect(r.emailSubject).toBe('Confirm your Acme account');
      expect(r.smsMessage).toBe('Your Acme confirmation code: {####}');
      expect(r.emailMessage).toContain('Sent by Acme.');
      if (app) expect(JSON.stringify(r).replaceAll('Acme', '')).not.toContain(app.replaceAll('Acme', ''));
    },
  );

  it('escapes a configured display name in HTML, and keeps it as text in the subject', async () => {
    const r = await run('CustomMessage_ForgotPassword', { clientMetadata: { app: 'bits' } });
    expect(r.emailSubject).toBe('Reset your Bits & <Bytes> password');
    expect(r.emailMessage).toContain('Sent by Bits &amp; &lt;Bytes&gt;.');
    expect(r.emailMessage).not.toContain('<Bytes>');
  });
});

describe('names', () => {
  const name = 'Win a prize at evil.example.net';
  const userAttributes = { email: 'victim@example.com', name };

  it.each([
    'CustomMessage_SignUp',
    'CustomMessage_ResendCode',
    'CustomMessage_UpdateUserAttribute',
    'CustomMessage_VerifyUserAttribute',
  ])('%s goes to an unverified address: it greets neutrally, with no name in it', async (source) => {
    for (const locale of ['en', 'fr', 'de', 'es']) {
      const r = await run(source, { userAttributes, clientMetadata: { locale } });
      expect(JSON.stringify(r)).not.toContain('evil.example.net');
      expect(r.emailMessage).toContain({ en: 'Hello,', fr: 'Bonjour,', de: 'Hallo,', es: 'Hola:' }[locale]);
    }
  });

  it.each(['CustomMessage_ForgotPassword', 'CustomMessage_AdminCreateUser', 'CustomMessage_Authentication'])(
    '%s goes to a verified address (or comes from an administrator): it greets by name',
    async (source) => {
      const r = await run(source, { userAttributes: { email: 'jane@example.com', name: 'Jane' } });
      expect(r.emailMessage).toContain('Hello Jane,');
    },
  );
});

describe('hostile values', () => {
  it('escapes markup from metadata and attributes', async () => {
    const r = await run('CustomMessage_ForgotPassword', {
      clientMetadata: { app: '<img src=x onerror=alert(1)>' },
      userAttributes: { email: 'j@example.com', name: '"><script>alert(1)</script>' },
    });
    expect(r.emailMessage).not.toContain('<script>');
    expect(r.emailMessage).not.toContain('<img');
    expect(r.emailMessage).toContain('&lt;script&gt;');
  });

  it('caps 50,000-character values and stays within limits', async () => {
    const huge = 'x'.repeat(50_000);
    const r = await run('CustomMessage_SignUp', {
      clientMetadata: { app: huge, locale: huge },
      userAttributes: { email: 'j@example.com', name: huge },
    });
    expect(r.emailMessage?.length).toBeLessThanOrEqual(20_000);
    expect(r.emailSubject?.length).toBeLessThanOrEqual(140);
    expect(r.smsMessage?.length).toBeLessThanOrEqual(140);
    expect(r.emailMessage).not.toContain('x'.repeat(65));
  });

  it('handles null metadata and missing attributes', async () => {
    const r = await run('CustomMessage_ResendCode', { clientMetadata: null, userAttributes: {} });
    expect(r.emailMessage).toContain('{####}');
    expect(r.emailMessage).toContain('Hello,');
  });
});

describe('template failure', () => {
  const templates = '../../../lambdas/triggers/custom-message/templates';

  afterEach(() => {
    jest.unstable_unmockModule(templates);
    jest.restoreAllMocks();
  });

  it('falls back to the default message instead of throwing, and logs why', async () => {
    jest.resetModules();
    const original = await import(templates);
    jest.unstable_mockModule(templates, () => ({
      ...original,
      render: () => {
        throw new Error('template exploded');
      },
    }));
    // Powertools (POWERTOOLS_DEV) logs through the global console: captured here, not printed.
    const errors = jest.spyOn(console, 'error').mockImplementation(() => {});
    const fresh = await load();
    const r = (await fresh(event('CustomMessage_AdminCreateUser'))).response;
    expect(r.emailMessage).toBe('Your username is {username} and your temporary password is {####}.');
    expect(r.emailSubject).toBe('Your verification code');
    expect(errors).toHaveBeenCalledTimes(1);
    expect(JSON.parse(String(errors.mock.calls[0]?.[0]))).toMatchObject({
      level: 'ERROR',
      message: 'template failed, sending the default message',
      triggerSource: 'CustomMessage_AdminCreateUser',
      errorName: 'Error',
    });
  });
});
