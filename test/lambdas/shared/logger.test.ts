/**
 * The Lambda logger never logs the invocation event, whatever POWERTOOLS_LOGGER_LOG_EVENT says:
 * an event holds passwords, codes, tokens and whatever a user typed (issue #17).
 */
import * as sdk from '@aws-sdk/client-cognito-identity-provider';
import type { CustomMessageTriggerEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { apiEvent, invoke, lambdaContext } from '../../support/events';
import { CLIENT_SECRET_ID, serveClientSecret } from '../../support/secrets-manager';
import { toEnvironment } from '../../../lambdas/shared/config';
import { defaultSettings } from '../../../lambdas/shared/settings';

// Read by Powertools when the logger module loads: every import of lambdas/ below is dynamic.
Object.assign(process.env, {
  POWERTOOLS_LOGGER_LOG_EVENT: 'true',
  POWERTOOLS_LOG_LEVEL: 'DEBUG',
  // Powertools then writes through the global console, which the test captures.
  POWERTOOLS_DEV: 'true',
});

const PASSWORD = 'Event-Marker-Passw0rd!';
const MARKER = 'event-marker-9f3c';
const IDS = {
  userPoolId: 'us-east-1_LogPool1',
  clientId: 'logclientid0123456789abcd',
  sessionKeySecretId: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:session-key',
  clientSecretId: CLIENT_SECRET_ID,
};
const cognito = mockClient(sdk.CognitoIdentityProviderClient);
const logs: string[] = [];

beforeAll(() => {
  for (const level of ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const) {
    jest.spyOn(console, level).mockImplementation((...args: unknown[]) => {
      logs.push(args.map(String).join(' '));
    });
  }
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    logs.push(String(chunk));
    return true;
  });
  serveClientSecret(() => 'secret');
});

afterAll(() => {
  jest.restoreAllMocks();
});

beforeEach(() => {
  logs.length = 0;
  cognito.reset();
});

const all = () => logs.join('\n');

describe('with POWERTOOLS_LOGGER_LOG_EVENT=true', () => {
  it('the shared logger refuses to log an event, even when asked to explicitly', async () => {
    const { logger, powertoolsLogger } = await import('../../../lambdas/shared/logger');
    const { finished } = await import('../../../lambdas/shared/invocation');
    const powertools = await powertoolsLogger();
    expect(powertools.getLogEvent()).toBe(false);
    expect(powertools.shouldLogEvent()).toBe(false);
    powertools.logEventIfEnabled({ password: MARKER });
    powertools.logEventIfEnabled({ password: MARKER }, true);
    logger.info('still logging');
    await finished();
    expect(all()).toContain('still logging');
    expect(all()).not.toContain(MARKER);
  });

  it('a BFF route logs its request line, never the event', async () => {
    cognito
      .on(sdk.InitiateAuthCommand)
      .rejects(new sdk.NotAuthorizedException({ message: 'Incorrect username or password.', $metadata: {} }));
    const { create } = await import('../../../lambdas/auth/sign-in');
    const handler = create(toEnvironment('session', defaultSettings, IDS));
    const answer = await invoke(
      handler,
      apiEvent({
        method: 'POST',
        path: '/auth/sign-in',
        body: { username: `${MARKER}@example.com`, password: PASSWORD },
      }),
    );
    expect(answer.statusCode).toBe(401);
    expect(all()).toContain('request rejected');
    expect(all()).not.toContain(PASSWORD);
    expect(all()).not.toContain(MARKER);
  });

  it("a failure's logger line carries its invocation's ids and cold start, set only when the line is written", async () => {
    cognito.on(sdk.InitiateAuthCommand).rejects(new sdk.InternalErrorException({ message: 'down', $metadata: {} }));
    const { create } = await import('../../../lambdas/auth/sign-in');
    const handler = create(toEnvironment('session', defaultSettings, IDS));
    const failed = async (requestId: string) => {
      logs.length = 0;
      const event = apiEvent({
        method: 'POST',
        path: '/auth/sign-in',
        body: { username: 'someone@example.com', password: PASSWORD },
      });
      event.requestContext.requestId = requestId;
      expect((await handler(event, { ...lambdaContext, awsRequestId: `fn-${requestId}` })).statusCode).toBe(502);
      const line = logs
        .map((l) => JSON.parse(l) as Record<string, unknown>)
        .find((l) => l.message === 'request failed' && !('_aws' in l));
      expect(line).toBeDefined();
      return line as Record<string, unknown>;
    };
    const first = await failed('gw-1');
    expect(first).toMatchObject({ correlation_id: 'gw-1', function_request_id: 'fn-gw-1', cold_start: true });
    const second = await failed('gw-2');
    expect(second).toMatchObject({ correlation_id: 'gw-2', function_request_id: 'fn-gw-2', cold_start: false });
  });

  it('the triggers never log their event', async () => {
    const { create } = await import('../../../lambdas/triggers/custom-message/handler');
    const trigger = create(toEnvironment('customMessage', defaultSettings, {})) as unknown as (
      event: CustomMessageTriggerEvent,
      context: unknown,
    ) => Promise<CustomMessageTriggerEvent>;
    const event = {
      version: '1',
      region: 'us-east-1',
      userPoolId: IDS.userPoolId,
      userName: 'sub-1',
      callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: IDS.clientId },
      // An unknown source makes the trigger log nothing else: any line here would be the event.
      triggerSource: 'CustomMessage_Unknown',
      request: {
        userAttributes: { email: `${MARKER}@example.com` },
        codeParameter: '{####}',
        clientMetadata: { locale: MARKER },
      },
      response: { smsMessage: null, emailMessage: null, emailSubject: null },
    } as unknown as CustomMessageTriggerEvent;
    await trigger(event, lambdaContext);
    expect(all()).not.toContain(MARKER);
  });
});
