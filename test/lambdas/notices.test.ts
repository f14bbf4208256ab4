/**
 * The notice functions' calls, with Cognito mocked at the SDK and SES answered by a server of the test: the signed
 * SES v2 SendEmail the function makes (the call it makes in AWS), and that a failed notice never fails the email
 * change (it is logged without any address and counted in NoticeFailures). Also: a write to a non-writable
 * attribute is a 403 on sign-up, as on every route (cognito-errors.ts).
 */
import { createSign, generateKeyPairSync } from 'node:crypto';
import { type IncomingMessage, type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as sdk from '@aws-sdk/client-cognito-identity-provider';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { CLIENT_SECRET_ID } from '../support/secrets-manager';
import { apiEvent, invoke } from '../support/events';
import { toEnvironment } from '../../lambdas/shared/config';
import { METRICS_SINK_ENV, registerMetricsSink } from '../../lambdas/shared/metrics';
import { settingsFromContext } from '../../lambdas/shared/settings';

Object.assign(process.env, { POWERTOOLS_DEV: 'true', AWS_REGION: 'us-east-1' });

const IDS = {
  userPoolId: 'us-east-1_TestPool1',
  clientId: 'testclientid0123456789abcd',
  sessionKeySecretId: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:session-key',
  clientSecretId: CLIENT_SECRET_ID,
};
const PASSWORD = 'Corr3ct-Horse-Battery!';
const OLD = 'owner@example.com';
const NEW = 'thief@attacker.example';
const ISSUER = `https://cognito-idp.us-east-1.amazonaws.com/${IDS.userPoolId}`;
const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const JWKS = { keys: [{ ...keys.publicKey.export({ format: 'jwk' }), kid: 'key-1', alg: 'RS256', use: 'sig' }] };
const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const now = Math.floor(Date.now() / 1000);
const body = `${b64({ kid: 'key-1', alg: 'RS256' })}.${b64({
  sub: 'sub-1',
  username: 'sub-1',
  iss: ISSUER,
  client_id: IDS.clientId,
  token_use: 'access',
  scope: 'aws.cognito.signin.user.admin',
  iat: now,
  exp: now + 3600,
})}`;
const TOKEN = `${body}.${createSign('RSA-SHA256').update(body).sign(keys.privateKey).toString('base64url')}`;

const cognito = mockClient(sdk.CognitoIdentityProviderClient);
const logs: string[] = [];
const metricLines: string[] = [];
let ses: Server;
let sesUrl: string;
let sesStatus = 200;
const sesRequests: { path: string; headers: IncomingMessage['headers']; body: any }[] = [];

beforeAll(async () => {
  const realFetch = globalThis.fetch;
  jest.spyOn(globalThis, 'fetch').mockImplementation(async (uri, init) => {
    if (String(uri) === `${ISSUER}/.well-known/jwks.json`) return new Response(JSON.stringify(JWKS));
    // The app client's secret, as the functions read it from Secrets Manager (secret-reader.ts).
    if (new URL(String(uri)).hostname.startsWith('secretsmanager.')) {
      return new Response(JSON.stringify({ SecretString: JSON.stringify({ clientSecret: 's'.repeat(40) }) }));
    }
    return realFetch(uri, init);
  });
  for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    jest.spyOn(console, level).mockImplementation((...args: unknown[]) => {
      logs.push(args.map(String).join(' '));
    });
  }
  registerMetricsSink('notices-test', (line) => metricLines.push(line));
  ses = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk: Buffer) => (text += chunk.toString()));
    req.on('end', () => {
      sesRequests.push({ path: req.url ?? '', headers: req.headers, body: JSON.parse(text) });
      res.writeHead(sesStatus, {
        'content-type': 'application/json',
        ...(sesStatus >= 400 ? { 'x-amzn-errortype': 'MessageRejected' } : {}),
      });
      res.end(JSON.stringify(sesStatus >= 400 ? { message: 'Email address is not verified.' } : { MessageId: 'm-1' }));
    });
  });
  await new Promise<void>((resolve) => ses.listen(0, '127.0.0.1', resolve));
  sesUrl = `http://127.0.0.1:${(ses.address() as AddressInfo).port}`;
});

afterAll(async () => {
  jest.restoreAllMocks();
  await new Promise((resolve) => ses.close(resolve));
});

beforeEach(() => {
  cognito.reset();
  sesRequests.length = 0;
  metricLines.length = 0;
  logs.length = 0;
  sesStatus = 200;
});

const settings = () =>
  settingsFromContext({
    'bff:email': '{"from":"no-reply@example.com","fromName":"Example Shop","configurationSet":"bff"}',
    'bff:hideDuplicateSignUp': true,
    'bff:verificationCodeCap': '{"max":0,"windowMinutes":60}',
    'bff:responseFloorMs': 0,
  });
const envOf = (kind: 'api' | 'session', notice: 'emailChange' | 'duplicateSignUp') => ({
  ...toEnvironment(kind, settings(), { ...IDS, sesEndpoint: sesUrl }, { notice }),
  [METRICS_SINK_ENV]: 'notices-test',
});
const load = async (entry: string, env: Record<string, string>) =>
  ((await import(`../../${entry}`)) as { create: (env: Record<string, string>) => any }).create(env);

function changeEmail() {
  cognito.on(sdk.InitiateAuthCommand).resolves({
    AuthenticationResult: { AccessToken: 'a', IdToken: 'i', RefreshToken: 'r', ExpiresIn: 3600 },
  });
  cognito.on(sdk.RevokeTokenCommand).resolves({});
  cognito.on(sdk.GetUserCommand).resolves({ Username: 'sub-1', UserAttributes: [{ Name: 'email', Value: OLD }] });
  cognito.on(sdk.UpdateUserAttributesCommand).resolves({ CodeDeliveryDetailsList: [] });
  return apiEvent({
    method: 'PATCH',
    path: '/me/attributes',
    token: TOKEN,
    body: { attributes: { email: NEW }, currentPassword: PASSWORD, clientMetadata: { locale: 'fr' } },
  });
}

describe('the email-change notice', () => {
  it('is one signed SES v2 SendEmail to the old address, from bff:email, with the new address masked', async () => {
    const handler = await load('lambdas/me/update-attributes.ts', envOf('session', 'emailChange'));
    const answer = await invoke(handler, changeEmail());
    expect(answer.statusCode).toBe(200);
    expect(sesRequests).toHaveLength(1);
    const [request] = sesRequests;
    expect(request?.path).toBe('/v2/email/outbound-emails');
    expect(request?.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=[^/]*\/\d{8}\/us-east-1\/ses\//);
    expect(request?.body).toMatchObject({
      FromEmailAddress: '"Example Shop" <no-reply@example.com>',
      Destination: { ToAddresses: [OLD] },
      ConfigurationSetName: 'bff',
      Content: { Simple: { Subject: { Data: 'Votre adresse e-mail est en cours de modification' } } },
    });
    const text = JSON.stringify(request?.body);
    expect(text).toContain('t***@a***');
    expect(text).not.toContain(NEW);
  });

  it('never fails the change: a refused notice is logged without any address and counted', async () => {
    sesStatus = 400;
    const handler = await load('lambdas/me/update-attributes.ts', envOf('session', 'emailChange'));
    const answer = await invoke(handler, changeEmail());
    expect(answer.statusCode).toBe(200);
    expect(sesRequests).toHaveLength(1);
    const warning = logs.find((line) => line.includes('notice not sent'));
    expect(warning).toContain('MessageRejected');
    for (const line of logs) expect(line).not.toMatch(/owner@|thief@/);
    expect(metricLines.some((line) => line.includes('"NoticeFailures":1'))).toBe(true);
  });
});

describe('the duplicate sign-up notice', () => {
  it('mails the owner and answers like a new sign-up, never the 409 UsernameExists', async () => {
    const handler = await load('lambdas/auth/sign-up.ts', envOf('api', 'duplicateSignUp'));
    cognito
      .on(sdk.SignUpCommand)
      .rejects(new sdk.UsernameExistsException({ message: 'User already exists', $metadata: {} }));
    const answer = await invoke(
      handler,
      apiEvent({ method: 'POST', path: '/auth/sign-up', body: { username: OLD, password: PASSWORD } }),
    );
    expect(answer.statusCode).toBe(201);
    expect(answer.json).toEqual({
      userSub: expect.stringMatching(/^[0-9a-f-]{36}$/),
      userConfirmed: false,
      codeDelivery: { destination: 'o***@e***', medium: 'EMAIL', attribute: 'email' },
    });
    expect(sesRequests.map((r) => r.body.Destination.ToAddresses)).toEqual([[OLD]]);
  });
});

describe('a write to a non-writable attribute', () => {
  it('is a 403 AttributeNotWritable on sign-up, not a 401', async () => {
    const handler = await load('lambdas/auth/sign-up.ts', envOf('api', 'emailChange'));
    cognito.on(sdk.SignUpCommand).rejects(
      new sdk.NotAuthorizedException({
        message: 'A client attempted to write unauthorized attribute',
        $metadata: {},
      }),
    );
    const answer = await invoke(
      handler,
      apiEvent({
        method: 'POST',
        path: '/auth/sign-up',
        body: { username: OLD, password: PASSWORD, attributes: { phone_number: '+15555550100' } },
      }),
    );
    expect(answer.statusCode).toBe(403);
    expect(answer.json.code).toBe('AttributeNotWritable');
  });
});

describe('the OpenAPI document', () => {
  it('documents the setting-dependent sign-up contract, the 403 for an attribute and the code cap', async () => {
    const { openApiDocument } = await import('../../lambdas/openapi');
    const doc = openApiDocument() as any;
    const signUp = doc.paths['/auth/sign-up'].post;
    expect(signUp.description).toContain('bff:hideDuplicateSignUp');
    expect(signUp.responses['409'].description).toContain('UsernameExists');
    expect(signUp.responses['403'].description).toContain('AttributeNotWritable');
    for (const [path, method] of [
      ['/me/attributes/verification-code', 'post'],
      ['/me/attributes', 'patch'],
    ] as const) {
      expect(doc.paths[path][method].responses['429'].description).toContain('CodeLimitExceeded');
      expect(doc.paths[path][method].responses['429'].headers['Retry-After']).toBeDefined();
    }
  });
});
