/**
 * The test-only seam of `npm run test:aws` (test/aws/seam.ts): it exists in the throwaway stack, and the
 * synth refuses it in any other. Its function's composition of a message (test/aws/seam-handler.ts).
 */
import { readFileSync } from 'node:fs';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from '@jest/globals';
import { toEnvironment } from '../../lambdas/shared/config';
import { settingsFromContext } from '../../lambdas/shared/settings';
import { create as createCustomMessage } from '../../lambdas/triggers/custom-message/handler';
import { PasswordBffStack } from '../../lib/password-bff-stack';
import { type CustomEmailSenderEvent, composeMessage, messageItem } from './seam-handler';
import { TEST_ORIGIN, TEST_STACK_PREFIX, TestSeam, addTestStack, markTestStack } from './seam';

/** Bundling is skipped in unit tests, as in test/lib. */
const noBundling = { 'aws:cdk:bundling-stacks': [] };
const context = (JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as { context: object })
  .context as Record<string, unknown>;
const settings = settingsFromContext(context);

describe('the test stack', () => {
  it('mails through the seam, copies the audit bus, and deletes everything it made', () => {
    const app = new App({ context: { ...context, ...noBundling } });
    const { stack } = addTestStack(app, { stackName: `${TEST_STACK_PREFIX}unit` });
    // cdk-nag runs on it as on the product: an unacknowledged finding would throw here.
    expect(() => app.synth()).not.toThrow();
    const template = Template.fromStack(stack);
    const [seamFunction] = Object.keys(
      template.findResources('AWS::Lambda::Function', {
        Properties: { Description: Match.stringLikeRegexp('^TEST STACK ONLY') },
      }),
    );
    expect(seamFunction).toBeDefined();
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      LambdaConfig: {
        CustomEmailSender: { LambdaArn: { 'Fn::GetAtt': [seamFunction, 'Arn'] }, LambdaVersion: 'V1_0' },
        KMSKeyID: Match.anyValue(),
      },
    });
    template.hasResourceProperties('AWS::Events::Rule', {
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [seamFunction, 'Arn'] } })],
    });
    template.hasOutput('TestSeamTableName', Match.anyValue());
    template.hasOutput('ApiUrl', Match.anyValue());
    // Throwaway: nothing outlives `cdk destroy`.
    const kept = Object.entries(template.toJSON().Resources as Record<string, { DeletionPolicy?: string }>)
      .filter(([, resource]) => resource.DeletionPolicy === 'Retain')
      .map(([id]) => id);
    expect(kept).toEqual([]);
    template.hasResourceProperties('AWS::Cognito::UserPool', { DeletionProtection: 'INACTIVE' });
    // One more allowed origin for the suite's CORS test; the deployed URL is known only after deploy.
    const origins = Object.values(template.findResources('AWS::Lambda::Function'))
      .map((fn) => fn.Properties?.Environment?.Variables?.ALLOWED_ORIGINS)
      .filter(Boolean);
    expect(origins.length).toBeGreaterThan(0);
    for (const list of origins) expect(JSON.parse(list)).toContain(TEST_ORIGIN);
  });

  it("refuses the seam in the product's stack and in any stack not marked as the test stack", () => {
    const app = new App({ context: noBundling });
    const product = new PasswordBffStack(app, 'PasswordBff', { settings: { ...settings, removalPolicy: 'destroy' } });
    expect(() => new TestSeam(product, 'TestSeam', { settings })).toThrow(
      /the test seam exists only in the throwaway stack of npm run test:aws; "PasswordBff": it is not marked/,
    );
    // A test-like name is not enough: only a marked stack takes the seam.
    const named = new PasswordBffStack(app, `${TEST_STACK_PREFIX}unmarked`, {
      settings: { ...settings, removalPolicy: 'destroy' },
    });
    expect(() => new TestSeam(named, 'TestSeam', { settings })).toThrow(/it is not marked as the test stack/);
    // The product's app has no seam: its pool mails through Cognito, with the CustomMessage trigger.
    const template = Template.fromStack(product);
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      LambdaConfig: Match.objectLike({ CustomEmailSender: Match.absent(), KMSKeyID: Match.absent() }),
    });
  });

  it('marks only a stack named as a test stack and built to be deleted', () => {
    const app = new App({ context: noBundling });
    const destroy = { ...settings, removalPolicy: 'destroy' as const };
    const product = new PasswordBffStack(app, 'PasswordBff', { settings: destroy });
    expect(() => markTestStack(product, destroy)).toThrow(/a test stack's name starts with PasswordBffTest-/);
    const kept = new PasswordBffStack(app, `${TEST_STACK_PREFIX}kept`, { settings });
    expect(() => markTestStack(kept, settings)).toThrow(/must be deletable: bff:removalPolicy destroy/);
  });

  it('refuses at synth a marked stack that was given termination protection afterwards', () => {
    const app = new App({ context: { ...context, ...noBundling } });
    const { stack } = addTestStack(app, { stackName: `${TEST_STACK_PREFIX}protected` });
    stack.terminationProtection = true;
    expect(() => app.synth()).toThrow(/it has termination protection/);
  });
});

describe("the seam's message", () => {
  const customMessage = createCustomMessage(toEnvironment('customMessage', settings, { eventBusName: 'bus' }));
  const event = (triggerSource: string, clientMetadata: Record<string, string> = {}): CustomEmailSenderEvent => ({
    version: '1',
    triggerSource,
    region: 'eu-west-1',
    userPoolId: 'eu-west-1_abc',
    userName: '6f1c2c2e-sub',
    callerContext: { clientId: 'client' },
    request: {
      type: 'customEmailSenderRequestV1',
      code: 'encrypted',
      userAttributes: { email: 'Jane@Example.com', email_verified: 'true', name: 'Jane' },
      clientMetadata,
    },
  });

  it("is the product's CustomMessage text with Cognito's placeholders filled, named like the local outbox", async () => {
    const redirectUri = settings.redirectAllowlist[0] as string;
    const message = await composeMessage(
      event('CustomEmailSender_ForgotPassword', { redirectUri }),
      '123456',
      customMessage,
    );
    expect(message).toMatchObject({ to: 'Jane@Example.com', triggerSource: 'CustomMessage_ForgotPassword' });
    expect(message.code).toBe('123456');
    expect(message.body).toContain(`${redirectUri}#flow=reset&amp;code=123456&amp;username=`);
    expect(message.body).not.toContain('{####}');
    expect(message.subject.length).toBeGreaterThan(0);

    const invite = await composeMessage(event('CustomEmailSender_AdminCreateUser'), 'Temp-Pass-1!', customMessage);
    expect(invite.triggerSource).toBe('CustomMessage_AdminCreateUser');
    expect(invite.body).toContain('Temp-Pass-1!');
    expect(invite.body).toContain('6f1c2c2e-sub');
    expect(invite.body).not.toContain('{username}');
  });

  it("falls back to Cognito's default text when the trigger leaves the message unset", async () => {
    const message = await composeMessage(event('CustomEmailSender_SignUp'), '654321', async (e) => e);
    expect(message).toEqual({
      to: 'Jane@Example.com',
      triggerSource: 'CustomMessage_SignUp',
      subject: 'Your verification code',
      body: 'Your verification code is 654321.',
      code: '654321',
    });
    await expect(composeMessage(event('PostConfirmation_ConfirmSignUp'), '1', async (e) => e)).rejects.toThrow(
      /not a sender event/,
    );
  });

  it('is filed under the lower-cased address, in arrival order, for a day', () => {
    const now = Date.parse('2026-01-02T03:04:05.000Z');
    const item = messageItem(
      { to: 'Jane@Example.com', triggerSource: 't', subject: 's', body: 'b', code: 'c' },
      now,
      'x',
    );
    expect(item.pk).toEqual({ S: 'mail#jane@example.com' });
    expect(item.sk).toEqual({ S: '2026-01-02T03:04:05.000Z#x' });
    expect(item.expires).toEqual({ N: String(now / 1000 + 86_400) });
  });
});
