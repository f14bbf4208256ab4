/**
 * Faults between the BFF and Cognito: the real handlers and the real SDK transport, pointed at a
 * server that misbehaves on demand (or passes through to the local Cognito, whose triggers can
 * throw or hang). Each ends in the status and code of the error map, inside the function timeout.
 */
import { createHmac } from 'node:crypto';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as sdk from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type AwsOperation, awsJsonListener } from '../../local/aws-json';
import { LocalCognito } from '../../local/cognito';
import { apiEvent, invoke } from '../support/events';
import { toEnvironment } from '../../lambdas/shared/config';
import { defaultSettings } from '../../lambdas/shared/settings';
import { record } from './summary';

const FUNCTION_TIMEOUT_MS = 15_000;
type Mode = 'pass' | 'TooManyRequests' | 'LimitExceeded' | 'InternalError' | 'http503' | 'malformed' | 'hang';
let mode: Mode = 'pass';
let trigger: 'ok' | 'throw' | 'hang' = 'ok';

/** What Cognito received: the SignUp inputs, and the users its CustomMessage trigger ran for. */
const signUps: Record<string, unknown>[] = [];
const triggeredFor: string[] = [];

const local = new LocalCognito({
  triggers: {
    'arn:aws:lambda:us-east-1:000000000000:function:fault-custom-message': async (event: any) => {
      triggeredFor.push(event.request.userAttributes.email);
      if (trigger === 'throw') throw new Error('template exploded');
      if (trigger === 'hang') await new Promise((resolve) => setTimeout(resolve, 8000));
      return event;
    },
  },
});
const passThrough = awsJsonListener([
  {
    ...local.service,
    operations: {
      ...local.service.operations,
      SignUp: (input) => {
        signUps.push(input);
        return (local.service.operations.SignUp as AwsOperation)(input);
      },
    },
  },
]);
let server: Server;
let poolId = '';
let clientId = '';
let secret = '';
let handlers: Record<string, unknown> = {};

beforeAll(async () => {
  server = createServer((req, res) => {
    const target = String(req.headers['x-amz-target'] ?? '');
    // The client secret, as Secrets Manager holds it (lambdas/shared/secret-reader.ts reads it on first use).
    if (target === 'secretsmanager.GetSecretValue') {
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
      return res.end(JSON.stringify({ SecretString: JSON.stringify({ clientSecret: secret }) }));
    }
    if (mode === 'pass') return passThrough(req, res);
    const send = (status: number, body: string, type = 'application/x-amz-json-1.1') => {
      res.writeHead(status, { 'content-type': type });
      res.end(body);
    };
    if (mode === 'TooManyRequests')
      return send(400, JSON.stringify({ __type: 'TooManyRequestsException', message: 'Rate exceeded' }));
    if (mode === 'LimitExceeded')
      return send(400, JSON.stringify({ __type: 'LimitExceededException', message: 'Attempt limit exceeded' }));
    if (mode === 'InternalError')
      return send(500, JSON.stringify({ __type: 'InternalErrorException', message: 'boom' }));
    if (mode === 'http503') return send(503, '<html>Service Unavailable</html>', 'text/html');
    if (mode === 'malformed') return send(200, '{"CodeDeliveryDetails": {not json');
    // hang: never answer
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const admin = new sdk.CognitoIdentityProviderClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
  });
  const pool = await admin.send(
    new sdk.CreateUserPoolCommand({
      PoolName: 'faults',
      UsernameAttributes: ['email'],
      // As the product's pool: SignUp sends a code (and runs CustomMessage) only where email is auto-verified.
      AutoVerifiedAttributes: ['email'],
      LambdaConfig: { CustomMessage: 'arn:aws:lambda:us-east-1:000000000000:function:fault-custom-message' },
    }),
  );
  poolId = pool.UserPool?.Id ?? '';
  const created = await admin.send(
    new sdk.CreateUserPoolClientCommand({
      UserPoolId: poolId,
      ClientName: 'c',
      GenerateSecret: true,
      ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    }),
  );
  clientId = created.UserPoolClient?.ClientId ?? '';
  secret = created.UserPoolClient?.ClientSecret ?? '';
  Object.assign(process.env, {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'x',
    AWS_SECRET_ACCESS_KEY: 'x',
    POWERTOOLS_LOG_LEVEL: 'CRITICAL',
  });
  // The session kind: sign-in handles cookie sessions (its key is never read by these token-mode requests).
  const env = toEnvironment('session', defaultSettings, {
    userPoolId: poolId,
    clientId,
    cognitoEndpoint: endpoint,
    secretsManagerEndpoint: endpoint,
    sessionKeySecretId: 'session-key',
    clientSecretId: 'client-secret',
  });
  handlers = {
    forgot: (await import('../../lambdas/password/forgot')).create(env),
    signUp: (await import('../../lambdas/auth/sign-up')).create(env),
    signIn: (await import('../../lambdas/auth/sign-in')).create(env),
  };
});

afterAll(() => {
  server.closeAllConnections();
  server.close();
});

const signInEvent = () =>
  apiEvent({
    method: 'POST',
    path: '/auth/sign-in',
    body: { username: 'jane@example.com', password: 'Corr3ct-Horse-Battery!' },
  });

describe('Cognito faults', () => {
  const cases: [Mode, number, string][] = [
    ['TooManyRequests', 429, 'TooManyRequests'],
    ['LimitExceeded', 429, 'LimitExceeded'],
    ['InternalError', 502, 'Upstream'],
    ['http503', 502, 'Upstream'],
    ['malformed', 502, 'Upstream'],
    ['hang', 503, 'UpstreamUnavailable'],
  ];
  it.each(cases)('%s -> %i %s', async (fault, status, code) => {
    mode = fault;
    const started = performance.now();
    const answer = await invoke(handlers.signIn, signInEvent());
    const ms = Math.round(performance.now() - started);
    mode = 'pass';
    expect(answer.statusCode).toBe(status);
    expect(answer.json.code).toBe(code);
    expect(answer.headers['content-type']).toBe('application/problem+json');
    if (status === 429 || status === 503) expect(Number(answer.headers['retry-after'])).toBeGreaterThan(0);
    expect(ms).toBeLessThan(FUNCTION_TIMEOUT_MS);
    record('faults', `Cognito ${fault}`, `${answer.statusCode} ${answer.json.code} in ${ms} ms`);
  });
});

describe('trigger faults', () => {
  const hash = (u: string) =>
    createHmac('sha256', secret)
      .update(u + clientId)
      .digest('base64');
  it.each([
    ['throw', 502, 'TriggerFailed'],
    ['hang', 502, 'TriggerFailed'],
  ] as const)('a trigger that %ss -> %i %s', async (behaviour, status, code) => {
    trigger = behaviour;
    const username = `${behaviour}.${Date.now()}@example.com`;
    const started = performance.now();
    const answer = await invoke(
      handlers.signUp,
      apiEvent({ method: 'POST', path: '/auth/sign-up', body: { username, password: 'Corr3ct-Horse-Battery!' } }),
    );
    const ms = Math.round(performance.now() - started);
    trigger = 'ok';
    // The request reached Cognito with the right SecretHash, and the trigger is what failed.
    expect(signUps.filter((input) => input.Username === username).map((input) => input.SecretHash)).toEqual([
      hash(username),
    ]);
    expect(triggeredFor).toContain(username);
    expect(answer.statusCode).toBe(status);
    expect(answer.json.code).toBe(code);
    expect(ms).toBeLessThan(FUNCTION_TIMEOUT_MS);
    record('faults', `trigger ${behaviour}`, `${answer.statusCode} ${answer.json.code} in ${ms} ms`);
  });
});
