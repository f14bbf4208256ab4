/**
 * Real SDK clients against endpoints that accept connections and never answer: the trigger
 * must finish (and fail) well inside Cognito's 5 s, as its timeouts promise.
 */
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PostConfirmationTriggerEvent } from 'aws-lambda';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { toEnvironment } from '../../../lambdas/shared/config';
import { defaultSettings } from '../../../lambdas/shared/settings';

let server: Server;
let env: Record<string, string>;

beforeAll(async () => {
  server = createServer(() => {
    /* never answers */
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  env = toEnvironment('postConfirmation', defaultSettings, {
    eventBusName: 'audit-bus',
    cognitoEndpoint: endpoint,
    eventBridgeEndpoint: endpoint,
  });
  Object.assign(process.env, {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    POWERTOOLS_DEV: 'true',
    POWERTOOLS_LOG_LEVEL: 'CRITICAL',
  });
});

afterAll(() => {
  server.closeAllConnections();
  server.close();
});

it('fails within 4 s when Cognito and EventBridge hang', async () => {
  const handler = (await import('../../../lambdas/triggers/post-confirmation/handler')).create(env);
  const event = {
    version: '1',
    region: 'us-east-1',
    userPoolId: 'us-east-1_Pool',
    userName: 'u',
    callerContext: { awsSdkVersion: 'x', clientId: 'c' },
    triggerSource: 'PostConfirmation_ConfirmForgotPassword',
    request: { userAttributes: { sub: 'u' } },
    response: {},
  } as PostConfirmationTriggerEvent;
  const started = performance.now();
  await expect((handler as unknown as (e: PostConfirmationTriggerEvent) => Promise<unknown>)(event)).rejects.toThrow(
    /post-confirmation/,
  );
  expect(performance.now() - started).toBeLessThan(4000);
}, 10_000);
