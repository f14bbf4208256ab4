/**
 * What the rest of issue 17 adds to the template, and what synth refuses: the SES notices (bff:notifyEmailChange,
 * bff:hideDuplicateSignUp) need bff:email, and their functions may send through that identity only; the per-user
 * code cap (bff:verificationCodeCap) is one DynamoDB table with TTL that only the two counting functions may
 * update. The pinned logical IDs stay (logical-ids.test.ts), and cdk-nag stays clean with everything on.
 */
import { App, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from '@jest/globals';
import { toEnvironment } from '../../lambdas/shared/config';
import { defaultSettings, settingsFromContext } from '../../lambdas/shared/settings';
import { PasswordBffStack } from '../../lib/password-bff-stack';

const noBundling = { 'aws:cdk:bundling-stacks': [] };
const EMAIL = '{"from":"no-reply@mail.example.com","verifiedDomain":"mail.example.com","configurationSet":"bff"}';

type Statement = { Action: string | string[]; Resource: unknown };
const actions = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);

/** Logical ids of the policies that allow `action`, and the resources they allow it on. */
function holders(template: Template, action: string) {
  const policies = template.findResources('AWS::IAM::Policy');
  return Object.entries(policies).flatMap(([id, p]) =>
    (p.Properties.PolicyDocument.Statement as Statement[])
      .filter((s) => actions(s).includes(action))
      .map((s) => ({ id, resource: s.Resource })),
  );
}

const synth = (context: Record<string, unknown>) => {
  const app = new App({ context: noBundling });
  return Template.fromStack(new PasswordBffStack(app, 'Test', { settings: settingsFromContext(context) }));
};

describe('settings', () => {
  it('refuses a notice without SES, naming the fix', () => {
    expect(() => settingsFromContext({ 'bff:notifyEmailChange': 'true' })).toThrow(
      /notifyEmailChange needs Amazon SES: set bff:email .*or bff:notifyEmailChange to false/,
    );
    expect(() => settingsFromContext({ 'bff:hideDuplicateSignUp': true })).toThrow(
      /hideDuplicateSignUp .*needs Amazon SES: set bff:email .*or bff:hideDuplicateSignUp to false/,
    );
  });

  it('keeps the sign-up oracle by default, and caps code sends by default', () => {
    expect(defaultSettings.hideDuplicateSignUp).toBe(false);
    expect(defaultSettings.verificationCodeCap).toEqual({ max: 5, windowMinutes: 60 });
  });

  it('writes the mail configuration only for the notice whose setting is on', () => {
    const ids = { userPoolId: 'p', clientId: 'c', sessionKeySecretId: 's', codeCapTable: 't' };
    const withEmail = settingsFromContext({ 'bff:email': EMAIL });
    // notifyEmailChange defaults to on with bff:email; hideDuplicateSignUp stays off.
    expect(JSON.parse(toEnvironment('session', withEmail, ids, { notice: 'emailChange' }).MAIL ?? '{}')).toEqual({
      from: 'no-reply@mail.example.com',
      notice: 'emailChange',
      configurationSet: 'bff',
    });
    expect(toEnvironment('api', withEmail, ids, { notice: 'duplicateSignUp' }).MAIL).toBeUndefined();
    expect(toEnvironment('session', defaultSettings, ids, { notice: 'emailChange' }).MAIL).toBeUndefined();
    const off = settingsFromContext({ 'bff:email': EMAIL, 'bff:notifyEmailChange': false });
    expect(toEnvironment('session', off, ids, { notice: 'emailChange' }).MAIL).toBeUndefined();
    expect(JSON.parse(toEnvironment('session', defaultSettings, ids, { codeCap: true }).CODE_CAP ?? '{}')).toEqual({
      table: 't',
      max: 5,
      windowSeconds: 3600,
    });
    expect(toEnvironment('session', defaultSettings, ids).CODE_CAP).toBeUndefined();
  });
});

describe('template', () => {
  const template = synth({ 'bff:email': EMAIL, 'bff:hideDuplicateSignUp': true });

  it('lets only the sign-up and attribute-update functions send mail, through bff:email only', () => {
    const sends = holders(template, 'ses:SendEmail');
    expect(sends.map((h) => h.id).sort()).toEqual([
      expect.stringMatching(/^ApiSignUp/),
      expect.stringMatching(/^ApiUpdateAttributes/),
    ]);
    for (const { resource } of sends) {
      const text = JSON.stringify(resource);
      expect(resource).toHaveLength(2);
      expect(text).toContain(':identity/mail.example.com');
      expect(text).toContain(':configuration-set/bff');
      expect(text).not.toContain('*');
    }
  });

  it('sends no mail and adds no grant without bff:email', () => {
    expect(holders(synth({}), 'ses:SendEmail')).toHaveLength(0);
  });

  it('counts code sends in one table with TTL, updated only by the two functions that send codes', () => {
    template.resourceCountIs('AWS::DynamoDB::GlobalTable', 1);
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      BillingMode: 'PAY_PER_REQUEST',
    });
    const updates = holders(template, 'dynamodb:UpdateItem');
    expect(updates.map((h) => h.id).sort()).toEqual([
      expect.stringMatching(/^ApiSendVerificationCode/),
      expect.stringMatching(/^ApiUpdateAttributes/),
    ]);
    for (const { resource } of updates) {
      expect(resource).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^ApiCodeCap/), 'Arn'] });
    }
    const all = Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
      (p) => p.Properties.PolicyDocument.Statement as Statement[],
    );
    expect(all.flatMap(actions).filter((a) => a.startsWith('dynamodb:'))).toEqual([
      'dynamodb:UpdateItem',
      'dynamodb:UpdateItem',
    ]);
  });

  it('has no table when the cap is off', () => {
    synth({ 'bff:verificationCodeCap': '{"max":0,"windowMinutes":60}' }).resourceCountIs(
      'AWS::DynamoDB::GlobalTable',
      0,
    );
  });

  it('passes cdk-nag with every feature on', () => {
    const app = new App({ context: noBundling });
    const settings = settingsFromContext({ 'bff:email': EMAIL, 'bff:hideDuplicateSignUp': true });
    new PasswordBffStack(app, 'Nag', { settings });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    expect(() => app.synth()).not.toThrow();
  });
});
