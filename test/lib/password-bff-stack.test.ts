import { App, Validations } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { BFF_TIMEOUTS } from '../../lambdas/shared/cognito';
import { PasswordBffStack, type PasswordBffStackProps } from '../../lib/password-bff-stack';
import { defaultSettings, settingsFromContext } from '../../lambdas/shared/settings';
import { routeList } from '../../lambdas/routes';
import { MAIL_OPERATIONS } from '../../lib/constructs/rate-limit-waf';
import { BUNDLING } from '../../lib/constructs/bff-function';

/** Bundling is skipped in unit tests; CI runs one real `cdk synth` with bundling. */
const noBundling = { 'aws:cdk:bundling-stacks': [] };

function synth(props: PasswordBffStackProps = {}) {
  const app = new App({ context: noBundling });
  const stack = new PasswordBffStack(app, 'Test', props);
  return { app, stack, template: Template.fromStack(stack) };
}

type Statement = { Action: string | string[]; Resource: unknown; Effect: string };

function statementsOf(template: Template): Statement[] {
  const policies = template.findResources('AWS::IAM::Policy');
  return Object.values(policies).flatMap((p) => (p.Properties.PolicyDocument.Statement as Statement[]) ?? []);
}

const actions = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);

let template: Template;
beforeAll(() => {
  template = synth().template;
});

describe('user pool', () => {
  it('signs in with email, verifies email, keeps the original email until the new one is verified', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      UsernameAttributes: ['email'],
      AutoVerifiedAttributes: ['email'],
      UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ['email'] },
      AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'verified_email', Priority: 1 }] },
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: false },
    });
  });

  it('enforces the password policy of the settings: length 12 and every character class', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      Policies: {
        PasswordPolicy: {
          MinimumLength: 12,
          RequireLowercase: true,
          RequireUppercase: true,
          RequireNumbers: true,
          RequireSymbols: true,
        },
      },
    });
  });

  it('is retained and deletion-protected by default, destroyable when asked', () => {
    template.hasResource('AWS::Cognito::UserPool', {
      DeletionPolicy: 'Retain',
      Properties: { DeletionProtection: 'ACTIVE' },
    });
    synth({ settings: { ...defaultSettings, removalPolicy: 'destroy' } }).template.hasResource(
      'AWS::Cognito::UserPool',
      {
        DeletionPolicy: 'Delete',
        Properties: { DeletionProtection: 'INACTIVE' },
      },
    );
  });

  it('turns on Plus threat protection only when asked', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', { UserPoolTier: 'ESSENTIALS' });
    synth({
      settings: { ...defaultSettings, featurePlan: 'plus', threatProtection: true },
    }).template.hasResourceProperties('AWS::Cognito::UserPool', {
      UserPoolTier: 'PLUS',
      UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
    });
  });

  it('uses the feature plan of the settings, Essentials by default', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', { UserPoolTier: 'ESSENTIALS' });
    synth({ settings: { ...defaultSettings, featurePlan: 'plus' } }).template.hasResourceProperties(
      'AWS::Cognito::UserPool',
      { UserPoolTier: 'PLUS' },
    );
  });

  // Lite includes neither refresh-token rotation (which the client always uses) nor password history:
  // https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-sign-in-feature-plans.html
  it('refuses Lite, naming refresh-token rotation and password history and the fix', () => {
    const lite = { ...defaultSettings, featurePlan: 'lite' as const };
    expect(() => synth({ settings: lite })).toThrow(
      /featurePlan "lite" does not include refresh-token rotation .*bff:featurePlan to "essentials" or "plus"/,
    );
    const history = { ...lite, passwordPolicy: { ...defaultSettings.passwordPolicy, passwordHistorySize: 5 } };
    expect(() => synth({ settings: history })).toThrow(
      /refresh-token rotation .* or password history \(bff:passwordPolicy.passwordHistorySize 5\)/,
    );
    expect(() =>
      settingsFromContext({ 'bff:featurePlan': 'lite', 'bff:passwordPolicy': '{"passwordHistorySize": 5}' }),
    ).toThrow(/password history .*passwordHistorySize to 0/);
  });

  it('sets password history from bff:passwordPolicy.passwordHistorySize (0-24), absent at 0', () => {
    const policy = template.findResources('AWS::Cognito::UserPool');
    const props = Object.values(policy)[0]?.Properties as { Policies: { PasswordPolicy: Record<string, unknown> } };
    expect(props.Policies.PasswordPolicy.PasswordHistorySize).toBeUndefined();
    const settings = settingsFromContext({ 'bff:passwordPolicy': '{"passwordHistorySize": 24}' });
    synth({ settings }).template.hasResourceProperties('AWS::Cognito::UserPool', {
      Policies: { PasswordPolicy: Match.objectLike({ PasswordHistorySize: 24 }) },
    });
    expect(() => settingsFromContext({ 'bff:passwordPolicy': '{"passwordHistorySize": 25}' })).toThrow(
      /bff:passwordPolicy\.passwordHistorySize: got 25, expected at most 24/,
    );
  });

  it('refuses threat protection without the Plus plan, naming both settings and the fix', () => {
    expect(() => synth({ settings: { ...defaultSettings, threatProtection: true } })).toThrow(
      'threatProtection needs the Plus feature plan, but featurePlan is "essentials": ' +
        'set bff:featurePlan to "plus", or bff:threatProtection to false',
    );
    expect(() => settingsFromContext({ 'bff:threatProtection': 'true', 'bff:featurePlan': 'lite' })).toThrow(
      /featurePlan is "lite"/,
    );
  });

  it('sends with SES when bff:email is set', () => {
    const email = { from: 'no-reply@example.com', sesRegion: 'eu-west-1' };
    const t = synth({ settings: { ...defaultSettings, email } }).template;
    t.hasResourceProperties('AWS::Cognito::UserPool', {
      EmailConfiguration: Match.objectLike({ EmailSendingAccount: 'DEVELOPER', From: 'no-reply@example.com' }),
    });
  });

  it("warns at synth that Cognito's built-in email caps the daily mail, and how to use SES; not with SES", () => {
    const { stack } = synth();
    const warning = Match.stringLikeRegexp(
      "Cognito's built-in email, which sends at most 50 messages a day per AWS account.*quotas\\.html.*bff:email",
    );
    Annotations.fromStack(stack).hasWarning('/Test/Identity/UserPool', warning);
    const withSes = synth({ settings: { ...defaultSettings, email: { from: 'no-reply@example.com' } } }).stack;
    expect(Annotations.fromStack(withSes).findWarning('*', warning)).toEqual([]);
  });

  it('sends from a verified domain, a display name, a reply-to and a configuration set when given', () => {
    const email = {
      from: 'no-reply@mail.example.com',
      fromName: 'Example',
      replyTo: 'help@example.com',
      sesRegion: 'eu-west-1',
      configurationSet: 'bff-mail',
      verifiedDomain: 'mail.example.com',
    };
    const t = synth({ settings: { ...defaultSettings, email } }).template;
    t.hasResourceProperties('AWS::Cognito::UserPool', {
      EmailConfiguration: {
        EmailSendingAccount: 'DEVELOPER',
        From: 'Example <no-reply@mail.example.com>',
        ReplyToEmailAddress: 'help@example.com',
        ConfigurationSet: 'bff-mail',
        SourceArn: {
          'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp(':ses:eu-west-1:'), ':identity/mail.example.com'])],
        },
      },
    });
  });

  it('wires both triggers', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      LambdaConfig: { CustomMessage: Match.anyValue(), PostConfirmation: Match.anyValue() },
    });
  });

  it('creates the admins and default groups', () => {
    template.hasResourceProperties('AWS::Cognito::UserPoolGroup', { GroupName: 'admins' });
    template.hasResourceProperties('AWS::Cognito::UserPoolGroup', { GroupName: 'users' });
  });
});

describe('app client', () => {
  it('is confidential, password sign-in with rotated refresh tokens, explicit PreventUserExistenceErrors', () => {
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      GenerateSecret: true,
      // Rotation refreshes through GetTokensFromRefreshToken only: REFRESH_TOKEN_AUTH is left out.
      ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'],
      RefreshTokenRotation: { Feature: 'ENABLED', RetryGracePeriodSeconds: 10 },
      PreventUserExistenceErrors: 'ENABLED',
      EnablePropagateAdditionalUserContextData: true,
      EnableTokenRevocation: true,
      AccessTokenValidity: 60,
      IdTokenValidity: 60,
      RefreshTokenValidity: 43200,
      ReadAttributes: Match.arrayWith(['email', 'name']),
      WriteAttributes: Match.arrayWith(['email', 'name']),
    });
  });

  it('takes UpdateUserPoolClient settings (name, flows, attributes, refresh validity) as typed props', () => {
    const { template: t } = synth({
      settings: {
        ...defaultSettings,
        client: {
          ...defaultSettings.client,
          clientName: 'web',
          readAttributes: ['email'],
          tokenValidity: { ...defaultSettings.client.tokenValidity, refreshTokenDays: 7 },
        },
      },
    });
    t.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      ClientName: 'web',
      ReadAttributes: ['email'],
      RefreshTokenValidity: 10080,
    });
  });
});

describe('BFF API', () => {
  it('has one method per route of the table, plus the OpenAPI document', () => {
    const methods = Object.values(template.findResources('AWS::ApiGateway::Method')).filter(
      (m) => m.Properties.HttpMethod !== 'OPTIONS',
    );
    expect(methods).toHaveLength(routeList.length + 1);
  });

  it('answers gateway 4xx and 5xx as problem+json readable cross-origin, never with credentials', () => {
    for (const type of ['DEFAULT_4XX', 'DEFAULT_5XX', 'UNAUTHORIZED']) {
      template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
        ResponseType: type,
        ResponseParameters: Match.objectLike({
          'gatewayresponse.header.Access-Control-Allow-Origin': "'*'",
          'gatewayresponse.header.Content-Type': "'application/problem+json'",
        }),
        ResponseTemplates: { 'application/json': Match.stringLikeRegexp('"code":') },
      });
    }
    const responses = JSON.stringify(template.findResources('AWS::ApiGateway::GatewayResponse'));
    expect(responses).not.toContain('Access-Control-Allow-Credentials');
    expect(responses).not.toContain('method.request.header.Origin');
  });

  it("gives the gateway's throttle answer the one Retry-After of every 429, from bff:retryAfterSeconds", () => {
    const retryAfter = (t: Template) =>
      Object.values(t.findResources('AWS::ApiGateway::GatewayResponse'))
        .filter((r) => r.Properties.ResponseType === 'THROTTLED')
        .map((r) => r.Properties.ResponseParameters['gatewayresponse.header.Retry-After']);
    expect(retryAfter(template)).toEqual([`'${defaultSettings.retryAfterSeconds}'`]);
    expect(retryAfter(synth({ settings: { ...defaultSettings, retryAfterSeconds: 7 } }).template)).toEqual(["'7'"]);
  });

  it('throttles the stage and every route below its class and its Cognito quota; traces; logs without bodies', () => {
    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      TracingEnabled: true,
      AccessLogSetting: {
        DestinationArn: Match.anyValue(),
        Format: Match.not(Match.stringLikeRegexp('body|querystring|authorization')),
      },
      MethodSettings: Match.arrayWith([
        Match.objectLike({ HttpMethod: '*', ResourcePath: '/*', ThrottlingRateLimit: 100, DataTraceEnabled: false }),
        Match.objectLike({ HttpMethod: 'POST', ResourcePath: '/~1auth~1sign-in', ThrottlingRateLimit: 10 }),
        // UserAccountRecovery: 30 rps, 80% shared by the five routes that spend it.
        Match.objectLike({
          HttpMethod: 'POST',
          ResourcePath: '/~1password~1forgot',
          ThrottlingRateLimit: 4.8,
          ThrottlingBurstLimit: 4,
        }),
      ]),
    });
  });

  it('allows only the configured CORS origins, never *', () => {
    const options = Object.values(template.findResources('AWS::ApiGateway::Method')).filter(
      (m) => m.Properties.HttpMethod === 'OPTIONS',
    );
    expect(options.length).toBeGreaterThan(0);
    expect(JSON.stringify(options)).not.toContain("'*'");
    expect(JSON.stringify(options)).toContain('http://localhost:3000');
  });

  it('has a WAF web ACL by default, with per-IP rate rules; bff:enableWaf false opts out', () => {
    template.resourceCountIs('AWS::WAFv2::WebACL', 1);
    template.resourceCountIs('AWS::WAFv2::WebACLAssociation', 1);
    synth({ settings: { ...defaultSettings, enableWaf: false } }).template.resourceCountIs('AWS::WAFv2::WebACL', 0);
    const t = synth({ settings: { ...defaultSettings, wafLimitPer5Minutes: 300 } }).template;
    t.hasResourceProperties('AWS::WAFv2::WebACL', {
      Scope: 'REGIONAL',
      Rules: Match.arrayWith([
        Match.objectLike({
          Name: 'per-ip-rate-limit',
          Statement: { RateBasedStatement: { Limit: 300, AggregateKeyType: 'IP' } },
        }),
      ]),
    });
  });

  it('limits the mail-sending routes and sign-in per IP more strictly, with paths from the route table', () => {
    const rules = Object.values(template.findResources('AWS::WAFv2::WebACL'))[0]?.Properties.Rules as {
      Name: string;
      Statement: {
        RateBasedStatement: { Limit: number; ScopeDownStatement?: { RegexMatchStatement: { RegexString: string } } };
      };
    }[];
    const byName = Object.fromEntries(rules.map((r) => [r.Name, r.Statement.RateBasedStatement]));
    expect(byName['per-ip-mail-routes']?.Limit).toBe(defaultSettings.wafMailLimitPer5Minutes);
    expect(byName['per-ip-sign-in']?.Limit).toBe(defaultSettings.wafSignInLimitPer5Minutes);
    expect(defaultSettings.wafMailLimitPer5Minutes).toBeLessThan(defaultSettings.wafSignInLimitPer5Minutes);
    expect(defaultSettings.wafSignInLimitPer5Minutes).toBeLessThan(defaultSettings.wafLimitPer5Minutes);
    const matches = (rule: string, path: string) =>
      new RegExp(byName[rule]?.ScopeDownStatement?.RegexMatchStatement.RegexString ?? '^$').test(path);
    const mail = [
      '/auth/sign-up',
      '/auth/sign-up/resend',
      '/password/forgot',
      '/me/attributes',
      '/me/attributes/verification-code',
    ];
    for (const path of mail) {
      expect([
        path,
        matches('per-ip-mail-routes', `/v1${path}`),
        matches('per-ip-mail-routes', `/v1/${path}/`),
      ]).toEqual([path, true, true]);
    }
    for (const path of ['/auth/sign-in', '/auth/sign-up/confirm', '/password/reset', '/me/attributes/verify', '/me']) {
      expect([path, matches('per-ip-mail-routes', `/v1${path}`)]).toEqual([path, false]);
    }
    expect(matches('per-ip-sign-in', '/v1/auth/sign-in')).toBe(true);
    expect(matches('per-ip-sign-in', '/v1/auth/sign-up')).toBe(false);
    // Every route that calls a mail-sending Cognito operation is in the mail rule.
    for (const route of routeList.filter((r) => MAIL_OPERATIONS.has(r.operation))) {
      expect([route.path, matches('per-ip-mail-routes', `/v1${route.path}`)]).toEqual([route.path, true]);
    }
  });
});

describe('functions', () => {
  it('all run nodejs24.x on ARM64 with tracing, a timeout and an explicit log group with retention', () => {
    const functions = Object.values(template.findResources('AWS::Lambda::Function'));
    expect(functions).toHaveLength(routeList.length + 3); // the routes, two triggers, the client secret's installer
    for (const fn of functions) {
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
        LoggingConfig: { LogGroup: expect.anything() },
      });
      // API Gateway gives an integration 29 s.
      expect(fn.Properties.Timeout).toBeLessThan(29);
    }
    // Every route's function outlasts one Cognito call, which may wait out three 5 s trigger attempts.
    const outlasting = functions.filter((fn) => fn.Properties.Timeout * 1000 > BFF_TIMEOUTS.requestTimeout);
    expect(outlasting).toHaveLength(routeList.length);
    const groups = Object.values(template.findResources('AWS::Logs::LogGroup'));
    for (const group of groups) expect(group.Properties.RetentionInDays).toBeGreaterThan(0);
  });

  it('are bundled for the Node that Lambda runs them on, the Node these tests run on', () => {
    const runtimes = new Set(
      Object.values(template.findResources('AWS::Lambda::Function')).map((fn) => String(fn.Properties.Runtime)),
    );
    expect(runtimes.size).toBe(1);
    const major = /^nodejs(\d+)\.x$/.exec([...runtimes][0] ?? '')?.[1];
    expect(BUNDLING.target).toBe(`node${major}`);
    expect(process.versions.node.split('.')[0]).toBe(major);
  });

  it('ship no source maps by default, and turn them on with the maps when asked', () => {
    const env = (t: Template) =>
      Object.values(t.findResources('AWS::Lambda::Function')).map((fn) => fn.Properties.Environment.Variables);
    for (const variables of env(template)) expect(variables.NODE_OPTIONS).toBeUndefined();
    const withMaps = env(synth({ settings: { ...defaultSettings, sourceMaps: true } }).template);
    expect(withMaps).toHaveLength(routeList.length + 3); // the routes, two triggers, the client secret's installer
    for (const variables of withMaps) expect(variables.NODE_OPTIONS).toBe('--enable-source-maps');
  });

  it('never puts the client secret in an environment variable', () => {
    const functions = Object.values(template.findResources('AWS::Lambda::Function'));
    for (const fn of functions) {
      // Only where it is: its Secrets Manager id (a reference) and how long a function keeps it (cognito.ts).
      const { CLIENT_SECRET_ID, CLIENT_SECRET_MAX_AGE_SECONDS, ...others } = fn.Properties.Environment?.Variables ?? {};
      if (CLIENT_SECRET_ID !== undefined) expect(CLIENT_SECRET_ID).toEqual({ Ref: expect.any(String) });
      if (CLIENT_SECRET_MAX_AGE_SECONDS !== undefined) expect(CLIENT_SECRET_MAX_AGE_SECONDS).toMatch(/^\d+$/);
      expect(JSON.stringify(others)).not.toMatch(/ClientSecret|CLIENT_SECRET/);
    }
  });
});

describe('least privilege', () => {
  it('grants no cognito-idp:* and no Cognito action on "*"', () => {
    for (const statement of statementsOf(template)) {
      const cognito = actions(statement).filter((a) => a.startsWith('cognito-idp:'));
      expect(cognito).not.toContain('cognito-idp:*');
      if (cognito.length > 0) expect(JSON.stringify(statement.Resource)).not.toBe('"*"');
      if (cognito.length > 0) expect(JSON.stringify(statement.Resource)).toContain('UserPool');
    }
  });

  it('lets only the admin function call AdminResetUserPassword', () => {
    const policies = template.findResources('AWS::IAM::Policy');
    const holders = Object.entries(policies).filter(([, p]) =>
      (p.Properties.PolicyDocument.Statement as Statement[]).some((s) =>
        actions(s).includes('cognito-idp:AdminResetUserPassword'),
      ),
    );
    expect(holders).toHaveLength(1);
    expect(holders[0]?.[0]).toMatch(/AdminResetPassword/);
  });

  it('lets only the forgot and admin reset functions call AdminCreateUser (to resend an invitation), on this pool', () => {
    const policies = template.findResources('AWS::IAM::Policy');
    const holders = Object.entries(policies).filter(([, p]) =>
      (p.Properties.PolicyDocument.Statement as Statement[]).some((s) =>
        actions(s).includes('cognito-idp:AdminCreateUser'),
      ),
    );
    // Of the routes a caller without credentials reaches, only forgot (#25.5); the admin route resends too (#25.6).
    expect(holders.map(([id]) => id).sort()).toEqual([
      expect.stringMatching(/^ApiAdminResetPassword/),
      expect.stringMatching(/^ApiForgotPassword/),
    ]);
    for (const [, policy] of holders) {
      const statement = (policy.Properties.PolicyDocument.Statement as Statement[]).find((s) =>
        actions(s).includes('cognito-idp:AdminCreateUser'),
      );
      expect(statement?.Resource).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^IdentityUserPool/), 'Arn'] });
    }
    const publicHolders = routeList.filter(
      (r) => r.auth === 'none' && r.actions.includes('cognito-idp:AdminCreateUser'),
    );
    expect(publicHolders.map((r) => r.name)).toEqual(['forgotPassword']);
  });

  it('gives each route exactly the Cognito actions the route table lists', () => {
    const all = statementsOf(template)
      .flatMap(actions)
      .filter((a) => a.startsWith('cognito-idp:'));
    const expected = new Set([
      ...routeList.flatMap((r) => r.actions).filter((a) => a.startsWith('cognito-idp:')),
      'cognito-idp:AdminAddUserToGroup',
      'cognito-idp:AdminUserGlobalSignOut',
      // The client secret's installer (test/lib/client-secret.test.ts).
      'cognito-idp:AddUserPoolClientSecret',
      'cognito-idp:ListUserPoolClientSecrets',
    ]);
    expect(new Set(all)).toEqual(expected);
  });

  it('lets PostConfirmation add to group, sign out and put audit events, on this pool and bus only', () => {
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          Match.objectLike({
            Action: ['cognito-idp:AdminAddUserToGroup', 'cognito-idp:AdminUserGlobalSignOut'],
            Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('IdentityUserPool'), 'Arn'] },
          }),
        ],
      },
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 'events:PutEvents',
            Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('AuditBus'), 'Arn'] },
          }),
        ]),
      },
    });
  });
});

describe('props validation', () => {
  const bad = (patch: Partial<typeof defaultSettings>) => () => synth({ settings: { ...defaultSettings, ...patch } });

  it('rejects a wildcard CORS origin', () => {
    expect(bad({ allowedOrigins: ['*'] })).toThrow(/allowedOrigins must list origins, not "\*"/);
  });

  it('rejects an http redirect that is not localhost', () => {
    expect(bad({ redirectAllowlist: ['http://app.example.com/reset'] })).toThrow(
      /must use https.*"http:\/\/app.example.com\/reset"|"http:\/\/app.example.com\/reset" must use https/,
    );
  });

  it('rejects a default locale outside the locales', () => {
    expect(bad({ defaultLocale: 'it' })).toThrow(/defaultLocale "it" is not one of locales/);
  });

  it('rejects a short minimum password length', () => {
    expect(bad({ passwordPolicy: { ...defaultSettings.passwordPolicy, minLength: 6 } })).toThrow(
      /minLength must be an integer from 8 to 99, got 6/,
    );
  });

  it('reads settings from bff:* context and validates them', () => {
    expect(settingsFromContext({ 'bff:locales': ['fr'], 'bff:defaultLocale': 'fr' }).locales).toEqual(['fr']);
    expect(() => settingsFromContext({ 'bff:allowedOrigins': ['https://app.example.com/'] })).toThrow(/bare origin/);
  });
});

describe('outputs', () => {
  it('gives the API URL, the pool, the client and the region, each described', () => {
    template.hasOutput('ApiUrl', { Description: Match.stringLikeRegexp('baseUrl'), Value: Match.anyValue() });
    template.hasOutput('UserPoolId', { Value: { Ref: Match.stringLikeRegexp('^IdentityUserPool') } });
    template.hasOutput('UserPoolClientId', { Value: { Ref: Match.stringLikeRegexp('^IdentityUserPoolClient') } });
    template.hasOutput('Region', { Value: { Ref: 'AWS::Region' }, Description: Match.anyValue() });
  });
});

describe('settings from -c (strings) and cdk.json (JSON)', () => {
  it('reads each -c string by its setting type: JSON lists, booleans, numbers, text as text', () => {
    const settings = settingsFromContext({
      'bff:allowedOrigins': '["https://app.example.com"]',
      'bff:enableWaf': 'true',
      'bff:wafLimitPer5Minutes': '300',
      'bff:appName': '123',
      'bff:passwordPolicy': '{"minLength": 14}',
    });
    expect(settings.allowedOrigins).toEqual(['https://app.example.com']);
    expect(settings.enableWaf).toBe(true);
    expect(settings.wafLimitPer5Minutes).toBe(300);
    expect(settings.appName).toBe('123');
    expect(settings.passwordPolicy.minLength).toBe(14);
    expect(settings.passwordPolicy.requireSymbols).toBe(true);
  });

  it('reads cdk.json values and -c strings to the same settings', () => {
    expect(
      settingsFromContext({ 'bff:locales': '["fr"]', 'bff:defaultLocale': 'fr', 'bff:enableWaf': 'false' }),
    ).toEqual(settingsFromContext({ 'bff:locales': ['fr'], 'bff:defaultLocale': 'fr', 'bff:enableWaf': false }));
  });

  it('refuses an unknown bff: key, listing the known ones, and ignores other context', () => {
    expect(() => settingsFromContext({ 'bff:enableWAF': true })).toThrow(
      /unknown setting bff:enableWAF: the bff: settings are .*bff:enableWaf/,
    );
    expect(settingsFromContext({ '@aws-cdk/core:checkSecretUsage': true }).enableWaf).toBe(true);
  });

  it('names the key, the value received and what is allowed for a wrong type', () => {
    expect(() => settingsFromContext({ 'bff:threatProtection': 'yes' })).toThrow(
      'bff:threatProtection: got "yes", expected true or false',
    );
    expect(() => settingsFromContext({ 'bff:allowedOrigins': '[https://a.example.com]' })).toThrow(
      'bff:allowedOrigins: got "[https://a.example.com]", expected a JSON array',
    );
    expect(() => settingsFromContext({ 'bff:removalPolicy': 'delete' })).toThrow(
      /bff:removalPolicy: got "delete", .*"retain".*"destroy"/,
    );
    expect(() => settingsFromContext({ 'bff:passwordPolicy': { minLength: 'long' } })).toThrow(
      /bff:passwordPolicy\.minLength: got "long", .*number/,
    );
  });
});

describe('cdk-nag', () => {
  it('passes AwsSolutions checks with every acknowledgement scoped and explained', () => {
    const app = new App({ context: noBundling });
    new PasswordBffStack(app, 'Nag');
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    expect(() => app.synth()).not.toThrow();
  });

  it('fails synth when a finding is not acknowledged', () => {
    const app = new App({ context: noBundling });
    const stack = new PasswordBffStack(app, 'Nag');
    // An unacknowledged finding: an SNS topic without SSL enforcement (AwsSolutions-SNS3).
    new Topic(stack, 'Unacknowledged');
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    // Under a test runner (NODE_ENV=test) the CDK puts the report in the error instead of printing it.
    const report = [
      /ERROR The SNS Topic does not require publishers to use SSL\. \(AwsSolutions\)\s+/,
      /Nag\/Unacknowledged\/Resource aws-cdk-lib\.aws_sns\.CfnTopic\s+/,
      /Acknowledge with 'AwsSolutions::AwsSolutions-SNS3'/,
    ];
    expect(() => app.synth()).toThrow(new RegExp(report.map((part) => part.source).join('')));
  });
});
