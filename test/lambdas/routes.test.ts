/**
 * Every BFF route with the Cognito client mocked at the SDK: exact Cognito input, every
 * exception of the operation mapped to a documented status and code, validation, no leaks.
 */
import { createHmac, createSign, generateKeyPairSync } from 'node:crypto';
import * as sdk from '@aws-sdk/client-cognito-identity-provider';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { SOURCE_IP, apiEvent, invoke } from '../support/events';
import { expectWith } from '../support/expect';
import { openApiDocument } from '../../lambdas/openapi';
import { routeList } from '../../lambdas/routes';
import { toEnvironment } from '../../lambdas/shared/config';
import { NO_OPERATION } from '../../lambdas/shared/route';
import { MIN_REFRESH_MS } from '../../lambdas/shared/secret-reader';
import { defaultSettings } from '../../lambdas/shared/settings';

// Set before any handler module loads (they are imported dynamically, by `load` below).
Object.assign(process.env, {
  POWERTOOLS_LOG_LEVEL: 'DEBUG',
  // Powertools then writes through the global console, which the test captures.
  POWERTOOLS_DEV: 'true',
});

const IDS = {
  userPoolId: 'us-east-1_TestPool1',
  clientId: 'testclientid0123456789abcd',
  sessionKeySecretId: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:session-key',
  clientSecretId: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:client-secret',
};
/** Each handler is created from the environment the configuration contract writes, as in AWS. */
const env = toEnvironment(
  'session',
  {
    ...defaultSettings,
    allowedOrigins: ['http://localhost:3000'],
    redirectAllowlist: ['https://app.example.com/reset'],
    // Not the default, so that a 429's Retry-After is seen to come from the setting.
    retryAfterSeconds: 42,
    // The floor has its own tests ('response floor' below), with a handler made with one.
    responseFloorMs: 0,
    apps: { shop: 'Acme Shop' },
  },
  IDS,
);

const SECRET = 'the-client-secret-value-0123456789abcdefghijklmnop';
const PASSWORD = 'Corr3ct-Horse-Battery!';
const NEW_PASSWORD = 'N3w-Staple-Battery-Horse!';
const CODE = '493817';
const USER = 'jane@example.com';
const hash = (username: string) =>
  createHmac('sha256', SECRET)
    .update(username + IDS.clientId)
    .digest('base64');

/** Access tokens as Cognito signs them (RS256, this pool's issuer), with a key whose JWKS `fetch` serves. */
const ISSUER = `https://cognito-idp.us-east-1.amazonaws.com/${IDS.userPoolId}`;
const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const JWKS = { keys: [{ ...keys.publicKey.export({ format: 'jwk' }), kid: 'key-1', alg: 'RS256', use: 'sig' }] };
const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
function accessToken(claims: Record<string, unknown> = {}, key = keys.privateKey) {
  const now = Math.floor(Date.now() / 1000);
  const body = `${base64url({ kid: 'key-1', alg: 'RS256' })}.${base64url({
    sub: 'sub-admin',
    iss: ISSUER,
    client_id: IDS.clientId,
    token_use: 'access',
    scope: 'aws.cognito.signin.user.admin',
    'cognito:groups': ['admins'],
    iat: now,
    exp: now + 3600,
    username: 'sub-admin',
    ...claims,
  })}`;
  return `${body}.${createSign('RSA-SHA256').update(body).sign(key).toString('base64url')}`;
}
const ADMIN_TOKEN = accessToken();
/** A user's access token: every authenticated function verifies it itself (no gateway authorizer). */
const TOKEN = accessToken({ sub: 'sub-1', username: 'sub-1', 'cognito:groups': [] });

const cognito = mockClient(sdk.CognitoIdentityProviderClient);
const logs: string[] = [];
const write = process.stdout.write.bind(process.stdout);

/**
 * Secrets Manager as the functions reach it (a signed GetSecretValue over HTTPS, lambdas/shared/secret-reader.ts):
 * it holds {@link storedSecret}; each read of the client secret is counted.
 */
let storedSecret = '';
/** Values Secrets Manager answers first, one a read, before {@link storedSecret}. */
let answerQueue: string[] = [];
let secretReads = 0;
const secretsManager = (init: RequestInit | undefined) => {
  const headers = init?.headers as Record<string, string>;
  expect(headers['x-amz-target']).toBe('secretsmanager.GetSecretValue');
  expect(headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=/);
  expect(JSON.parse(String(init?.body))).toEqual({ SecretId: IDS.clientSecretId });
  secretReads += 1;
  const clientSecret = answerQueue.shift() ?? storedSecret;
  return new Response(JSON.stringify({ SecretString: JSON.stringify({ clientSecret }) }));
};

beforeAll(() => {
  jest.spyOn(globalThis, 'fetch').mockImplementation(async (uri, init) => {
    if (new URL(String(uri)).hostname.startsWith('secretsmanager.')) return secretsManager(init);
    expect(String(uri)).toBe(`${ISSUER}/.well-known/jwks.json`);
    return new Response(JSON.stringify(JWKS));
  });
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    logs.push(String(chunk));
    return true;
  });
  for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    jest.spyOn(console, level).mockImplementation((...args: unknown[]) => {
      logs.push(args.map(String).join(' '));
    });
  }
});

afterAll(() => {
  jest.restoreAllMocks();
  const all = logs.join('\n');
  expect(all).toContain('request rejected');
  for (const secret of [SECRET, PASSWORD, NEW_PASSWORD, CODE, TOKEN, ADMIN_TOKEN, hash(USER)]) {
    if (all.includes(secret)) write(`LEAK: a secret value reached the logs\n`);
    expect(all).not.toContain(secret);
  }
});

beforeEach(() => {
  cognito.reset();
  storedSecret = SECRET;
  answerQueue = [];
  secretReads = 0;
});

const load = async (entry: string, environment: Record<string, string> = env) => {
  const module = (await import(`../../${entry}`)) as { create: (env: Record<string, string>) => unknown };
  return { handler: module.create(environment) };
};
const delivery = { Destination: 'j***@e***', DeliveryMedium: 'EMAIL' as const, AttributeName: 'email' };
const userClaims = { sub: 'sub-1', username: 'sub-1', token_use: 'access', scope: 'aws.cognito.signin.user.admin' };
const adminClaims = { ...userClaims, 'cognito:groups': 'admins' };

interface Case {
  entry: string;
  method: string;
  path: string;
  resource?: string;
  body?: unknown;
  pathParameters?: Record<string, string>;
  auth?: 'user' | 'admin';
  command: new (input: never) => unknown;
  answer: object;
  status: number;
  expected: object;
  response?: unknown;
  /** Other Cognito answers the route needs on success. */
  setup?: () => void;
}

const cases: Record<string, Case> = {
  signUp: {
    entry: 'lambdas/auth/sign-up.ts',
    method: 'POST',
    path: '/auth/sign-up',
    body: {
      username: USER,
      password: PASSWORD,
      attributes: { name: 'Jane' },
      clientMetadata: { locale: 'fr', app: 'shop' },
    },
    command: sdk.SignUpCommand,
    answer: { UserSub: 'sub-1', UserConfirmed: false, CodeDeliveryDetails: delivery },
    status: 201,
    expected: {
      ClientId: IDS.clientId,
      SecretHash: hash(USER),
      Username: USER,
      Password: PASSWORD,
      UserAttributes: [{ Name: 'name', Value: 'Jane' }],
      ClientMetadata: { locale: 'fr', app: 'shop' },
      UserContextData: { IpAddress: SOURCE_IP },
    },
    response: {
      userSub: 'sub-1',
      userConfirmed: false,
      codeDelivery: { destination: 'j***@e***', medium: 'EMAIL', attribute: 'email' },
    },
  },
  confirmSignUp: {
    entry: 'lambdas/auth/confirm-sign-up.ts',
    method: 'POST',
    path: '/auth/sign-up/confirm',
    body: { username: USER, code: CODE },
    command: sdk.ConfirmSignUpCommand,
    answer: {},
    status: 204,
    expected: {
      SecretHash: hash(USER),
      Username: USER,
      ConfirmationCode: CODE,
      UserContextData: { IpAddress: SOURCE_IP },
    },
  },
  resendSignUpCode: {
    entry: 'lambdas/auth/resend-sign-up-code.ts',
    method: 'POST',
    path: '/auth/sign-up/resend',
    body: { username: USER },
    command: sdk.ResendConfirmationCodeCommand,
    answer: { CodeDeliveryDetails: delivery },
    status: 202,
    expected: { SecretHash: hash(USER), Username: USER, UserContextData: { IpAddress: SOURCE_IP } },
  },
  signIn: {
    entry: 'lambdas/auth/sign-in.ts',
    method: 'POST',
    path: '/auth/sign-in',
    body: { username: USER, password: PASSWORD },
    command: sdk.InitiateAuthCommand,
    answer: {
      AuthenticationResult: {
        AccessToken: TOKEN,
        IdToken: TOKEN,
        RefreshToken: TOKEN,
        ExpiresIn: 3600,
        TokenType: 'Bearer',
      },
    },
    status: 200,
    expected: {
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: USER, PASSWORD, SECRET_HASH: hash(USER) },
      UserContextData: { IpAddress: SOURCE_IP },
    },
    response: { accessToken: TOKEN, idToken: TOKEN, refreshToken: TOKEN, expiresIn: 3600, tokenType: 'Bearer' },
  },
  newPassword: {
    entry: 'lambdas/auth/new-password.ts',
    method: 'POST',
    path: '/auth/new-password',
    // `challenge.username` of the sign-in answer, the real username (the sub here), never the email alias.
    body: { username: 'sub-1', session: 's'.repeat(40), newPassword: NEW_PASSWORD },
    command: sdk.RespondToAuthChallengeCommand,
    answer: { AuthenticationResult: { AccessToken: TOKEN, IdToken: TOKEN, ExpiresIn: 3600, TokenType: 'Bearer' } },
    status: 200,
    expected: {
      ChallengeName: 'NEW_PASSWORD_REQUIRED',
      Session: 's'.repeat(40),
      ChallengeResponses: { USERNAME: 'sub-1', NEW_PASSWORD, SECRET_HASH: hash('sub-1') },
    },
  },
  refresh: {
    entry: 'lambdas/auth/refresh.ts',
    method: 'POST',
    path: '/auth/refresh',
    // `username` was needed by the old contract: still accepted, and ignored.
    body: { refreshToken: TOKEN, username: 'sub-1' },
    command: sdk.GetTokensFromRefreshTokenCommand,
    answer: {
      AuthenticationResult: {
        AccessToken: TOKEN,
        IdToken: TOKEN,
        RefreshToken: 'rotated.refresh.token',
        ExpiresIn: 3600,
        TokenType: 'Bearer',
      },
    },
    status: 200,
    expected: { ClientId: IDS.clientId, ClientSecret: SECRET, RefreshToken: TOKEN },
    response: {
      accessToken: TOKEN,
      idToken: TOKEN,
      refreshToken: 'rotated.refresh.token',
      expiresIn: 3600,
      tokenType: 'Bearer',
    },
  },
  signOut: {
    entry: 'lambdas/auth/sign-out.ts',
    method: 'POST',
    path: '/auth/sign-out',
    auth: 'user',
    command: sdk.GlobalSignOutCommand,
    answer: {},
    status: 204,
    expected: { AccessToken: TOKEN },
  },
  forgotPassword: {
    entry: 'lambdas/password/forgot.ts',
    method: 'POST',
    path: '/password/forgot',
    body: { username: USER, clientMetadata: { locale: 'de', redirectUri: 'https://app.example.com/reset' } },
    command: sdk.ForgotPasswordCommand,
    answer: { CodeDeliveryDetails: delivery },
    status: 202,
    expected: {
      ClientId: IDS.clientId,
      SecretHash: hash(USER),
      Username: USER,
      ClientMetadata: { locale: 'de', redirectUri: 'https://app.example.com/reset' },
      UserContextData: { IpAddress: SOURCE_IP },
    },
  },
  resetPassword: {
    entry: 'lambdas/password/reset.ts',
    method: 'POST',
    path: '/password/reset',
    body: { username: USER, code: CODE, password: NEW_PASSWORD },
    command: sdk.ConfirmForgotPasswordCommand,
    answer: {},
    status: 204,
    expected: {
      SecretHash: hash(USER),
      Username: USER,
      ConfirmationCode: CODE,
      Password: NEW_PASSWORD,
      UserContextData: { IpAddress: SOURCE_IP },
    },
  },
  changePassword: {
    entry: 'lambdas/password/change.ts',
    method: 'POST',
    path: '/password/change',
    auth: 'user',
    body: { previousPassword: PASSWORD, proposedPassword: NEW_PASSWORD },
    command: sdk.ChangePasswordCommand,
    answer: {},
    setup: () => {
      cognito.on(sdk.InitiateAuthCommand).resolves({
        AuthenticationResult: { AccessToken: TOKEN, IdToken: TOKEN, RefreshToken: TOKEN, ExpiresIn: 3600 },
      });
    },
    status: 200,
    expected: { AccessToken: TOKEN, PreviousPassword: PASSWORD, ProposedPassword: NEW_PASSWORD },
    response: { accessToken: TOKEN, idToken: TOKEN, refreshToken: TOKEN, expiresIn: 3600, tokenType: 'Bearer' },
  },
  adminResetPassword: {
    entry: 'lambdas/admin/reset-password.ts',
    method: 'POST',
    path: `/admin/users/${USER}/password-reset`,
    resource: '/admin/users/{username}/password-reset',
    pathParameters: { username: USER },
    auth: 'admin',
    body: { clientMetadata: { locale: 'es' } },
    command: sdk.AdminResetUserPasswordCommand,
    answer: {},
    status: 202,
    response: { action: 'resetRequired' },
    expected: { UserPoolId: IDS.userPoolId, Username: USER, ClientMetadata: { locale: 'es', flow: 'admin-reset' } },
  },
  getMe: {
    entry: 'lambdas/me/get.ts',
    method: 'GET',
    path: '/me',
    auth: 'user',
    command: sdk.GetUserCommand,
    answer: { Username: 'sub-1', UserAttributes: [{ Name: 'email', Value: USER }] },
    status: 200,
    expected: { AccessToken: TOKEN },
    response: { username: 'sub-1', attributes: { email: USER }, groups: [] },
  },
  updateAttributes: {
    entry: 'lambdas/me/update-attributes.ts',
    method: 'PATCH',
    path: '/me/attributes',
    auth: 'user',
    body: { attributes: { name: 'Jane D' } },
    command: sdk.UpdateUserAttributesCommand,
    answer: { CodeDeliveryDetailsList: [] },
    status: 200,
    expected: { AccessToken: TOKEN, UserAttributes: [{ Name: 'name', Value: 'Jane D' }] },
  },
  verifyAttribute: {
    entry: 'lambdas/me/verify-attribute.ts',
    method: 'POST',
    path: '/me/attributes/verify',
    auth: 'user',
    body: { attribute: 'email', code: CODE },
    command: sdk.VerifyUserAttributeCommand,
    answer: {},
    status: 204,
    expected: { AccessToken: TOKEN, AttributeName: 'email', Code: CODE },
  },
  sendVerificationCode: {
    entry: 'lambdas/me/send-verification-code.ts',
    method: 'POST',
    path: '/me/attributes/verification-code',
    auth: 'user',
    body: { attribute: 'email' },
    command: sdk.GetUserAttributeVerificationCodeCommand,
    answer: { CodeDeliveryDetails: delivery },
    status: 202,
    expected: { AccessToken: TOKEN, AttributeName: 'email' },
  },
  deleteMe: {
    entry: 'lambdas/me/delete.ts',
    method: 'DELETE',
    path: '/me',
    auth: 'user',
    command: sdk.DeleteUserCommand,
    answer: {},
    status: 204,
    expected: { AccessToken: TOKEN },
  },
};

const eventFor = (c: Case, patch: Partial<Parameters<typeof apiEvent>[0]> = {}) =>
  apiEvent({
    method: c.method,
    path: c.path,
    ...(c.resource ? { resource: c.resource } : {}),
    ...(c.body !== undefined ? { body: c.body } : {}),
    ...(c.pathParameters ? { pathParameters: c.pathParameters } : {}),
    ...(c.auth
      ? { token: c.auth === 'admin' ? ADMIN_TOKEN : TOKEN, claims: c.auth === 'admin' ? adminClaims : userClaims }
      : {}),
    ...patch,
  });

/** Expected answer for each Cognito exception: [status, code]. */
const ERROR_MAP: Record<string, [number, string]> = {
  InvalidParameterException: [400, 'InvalidParameter'],
  InvalidPasswordException: [400, 'InvalidPassword'],
  PasswordHistoryPolicyViolationException: [400, 'PasswordReused'],
  CodeMismatchException: [400, 'CodeMismatch'],
  ExpiredCodeException: [400, 'ExpiredCode'],
  NotAuthorizedException: [401, 'NotAuthorized'],
  UserNotConfirmedException: [403, 'UserNotConfirmed'],
  PasswordResetRequiredException: [403, 'PasswordResetRequired'],
  ForbiddenException: [403, 'Forbidden'],
  UserNotFoundException: [404, 'UserNotFound'],
  UsernameExistsException: [409, 'UsernameExists'],
  AliasExistsException: [409, 'AliasExists'],
  TooManyRequestsException: [429, 'TooManyRequests'],
  LimitExceededException: [429, 'LimitExceeded'],
  TooManyFailedAttemptsException: [429, 'TooManyFailedAttempts'],
  UserLambdaValidationException: [502, 'TriggerFailed'],
  UnexpectedLambdaException: [502, 'TriggerFailed'],
  InvalidLambdaResponseException: [502, 'TriggerFailed'],
  CodeDeliveryFailureException: [502, 'CodeDeliveryFailure'],
  InternalErrorException: [502, 'Upstream'],
  ResourceNotFoundException: [500, 'Internal'],
  InvalidUserPoolConfigurationException: [500, 'Internal'],
  InvalidEmailRoleAccessPolicyException: [500, 'Internal'],
  InvalidSmsRoleAccessPolicyException: [500, 'Internal'],
  InvalidSmsRoleTrustRelationshipException: [500, 'Internal'],
  OperationNotEnabledException: [500, 'Internal'],
  RefreshTokenReuseException: [401, 'NotAuthorized'],
  UnsupportedUserStateException: [409, 'UnsupportedUserState'],
};

/** Routes that give an exception a meaning of their own. */
const OWN_MAPPING: Record<string, Record<string, [number, string]>> = {
  // The administrator's credentials were verified: Cognito's NotAuthorized is about the target's state.
  adminResetPassword: { NotAuthorizedException: [409, 'TargetStateUnsupported'] },
};

/**
 * The routes that name a user without credentials answer these exceptions exactly like `like` (the success, or
 * one exception): same status, headers and body, so nothing tells whether the user exists, what state it is in,
 * or which limit it reached. A limit on code requests answers 202, with no Retry-After.
 */
const CODE_REQUEST_HIDDEN = [
  'UserNotFoundException',
  'UserNotConfirmedException',
  'InvalidParameterException',
  'NotAuthorizedException',
  'LimitExceededException',
  'UnsupportedUserStateException',
  // Only a real user gets a mail that can fail.
  'CodeDeliveryFailureException',
  'UserLambdaValidationException',
  'UnexpectedLambdaException',
  'InvalidLambdaResponseException',
];
const CODE_HIDDEN = [
  'CodeMismatchException',
  'ExpiredCodeException',
  // Cognito: LimitExceededException after the fifth wrong code on ConfirmForgotPassword (field report #25.3).
  'TooManyFailedAttemptsException',
  'LimitExceededException',
  'UserNotFoundException',
  'UserNotConfirmedException',
  'InvalidParameterException',
  // ConfirmSignUp of a user who is already confirmed.
  'NotAuthorizedException',
];
const HIDDEN: Record<string, { like: 'success' | string; exceptions: string[] }> = {
  forgotPassword: { like: 'success', exceptions: CODE_REQUEST_HIDDEN },
  resendSignUpCode: { like: 'success', exceptions: CODE_REQUEST_HIDDEN },
  resetPassword: { like: 'CodeMismatchException', exceptions: CODE_HIDDEN },
  confirmSignUp: { like: 'CodeMismatchException', exceptions: CODE_HIDDEN },
  // A lockout is NotAuthorized "Password attempts exceeded" in Cognito: the same answer as a wrong password.
  signIn: { like: 'NotAuthorizedException', exceptions: ['NotAuthorizedException', 'UserNotFoundException'] },
};

const exceptionClass = (name: string) =>
  (sdk as unknown as Record<string, new (o: { message: string; $metadata: object }) => Error>)[name] as new (o: {
    message: string;
    $metadata: object;
  }) => Error;

const cognitoRoutes = routeList.filter((r) => r.operation !== NO_OPERATION);

describe('route table', () => {
  it('has one case here for every route that calls Cognito, and no case for a route that does not exist', () => {
    // A route without a Cognito call (the password policy) has its own test: password-policy.test.ts.
    expect(Object.keys(cases).sort()).toEqual(cognitoRoutes.map((r) => r.name).sort());
  });

  it('documents what the routes that name a user promise, and Retry-After as a minimum wait', () => {
    const doc = openApiDocument() as { paths: Record<string, Record<string, any>> };
    for (const route of routeList) {
      const operation = doc.paths[route.path]?.[route.method.toLowerCase()];
      expectWith(operation.responses['429'].headers['Retry-After'].description, route.name).toMatch(/minimum wait/);
      // Other routes may describe a setting-dependent contract (sign-up, attribute update), never this promise.
      if (route.hidesUser) {
        expectWith(operation.description ?? '', route.name).toContain('whether or not the account exists');
      } else {
        expectWith(operation.description ?? '', route.name).not.toContain('whether or not the account exists');
      }
    }
  });

  it('matches each case with its row: entry, method, path and success status', () => {
    for (const route of cognitoRoutes) {
      const c = cases[route.name];
      expect({ entry: c?.entry, method: c?.method, path: c?.resource ?? c?.path, status: c?.status }).toEqual({
        entry: route.entry,
        method: route.method,
        path: route.path,
        status: route.status,
      });
    }
  });
});

describe.each(Object.entries(cases))('%s', (name, c) => {
  it('calls Cognito with the exact input and answers the documented success', async () => {
    const { handler } = await load(c.entry);
    c.setup?.();
    cognito.on(c.command as never).resolves(c.answer as never);
    const answer = await invoke(handler, eventFor(c));
    expect(answer.statusCode).toBe(c.status);
    expect(cognito).toHaveReceivedCommandWith(c.command as never, c.expected as never);
    if (c.response) expect(answer.json).toEqual(c.response);
    expect(answer.headers['access-control-allow-origin']).toBe('http://localhost:3000');
    expect(answer.headers['strict-transport-security']).toBeDefined();
  });

  it('maps every Cognito exception to its status and code, as problem+json without secrets', async () => {
    const { handler } = await load(c.entry);
    const hidden = HIDDEN[name];
    const answerTo = async (exception: string | 'success') => {
      if (exception === 'success') cognito.on(c.command as never).resolves(c.answer as never);
      else
        cognito
          .on(c.command as never)
          .rejects(new (exceptionClass(exception))({ message: `secret ${SECRET} ${PASSWORD}`, $metadata: {} }));
      const { statusCode, headers, body } = await invoke(handler, eventFor(c));
      return { statusCode, headers, body };
    };
    const like = hidden && (await answerTo(hidden.like));
    for (const [exception, mapped] of Object.entries(ERROR_MAP)) {
      const [status, code] = OWN_MAPPING[name]?.[exception] ?? mapped;
      if (hidden?.exceptions.includes(exception)) {
        expectWith(await answerTo(exception), exception).toEqual(like);
        continue;
      }
      cognito
        .on(c.command as never)
        .rejects(new (exceptionClass(exception))({ message: `secret ${SECRET} ${PASSWORD}`, $metadata: {} }));
      const answer = await invoke(handler, eventFor(c));
      expectWith(answer.statusCode, exception).toBe(status);
      expect(answer.headers['content-type']).toBe('application/problem+json');
      expect(answer.json).toMatchObject({ status, code, type: `urn:password-bff:problem:${code}` });
      expect(answer.body).not.toContain(SECRET);
      expect(answer.body).not.toContain(PASSWORD);
      // Every 429 that remains carries the one Retry-After of the settings (bff:retryAfterSeconds).
      expectWith(answer.headers['retry-after'], exception).toBe(status === 429 ? '42' : undefined);
      expect(answer.headers['access-control-allow-origin']).toBe('http://localhost:3000');
    }
  });

  it('answers 503 when Cognito does not answer in time, and 502 for an unknown 5xx', async () => {
    const { handler } = await load(c.entry);
    cognito.on(c.command as never).rejects(Object.assign(new Error('socket hang up'), { name: 'TimeoutError' }));
    const timeout = await invoke(handler, eventFor(c));
    // A timeout is never hidden: a route that answered it as a success would mislead the caller.
    expect(timeout.statusCode).toBe(503);
    expect(timeout.json.code).toBe('UpstreamUnavailable');
    cognito.on(c.command as never).rejects(
      new sdk.CognitoIdentityProviderServiceException({
        name: 'Weird',
        $fault: 'server',
        $metadata: { httpStatusCode: 503 },
      }),
    );
    const weird = await invoke(handler, eventFor(c));
    expect(weird.statusCode).toBe(502);
  });

  if (c.auth) {
    it('answers 401 without a token or claims', async () => {
      const { handler } = await load(c.entry);
      const answer = await invoke(
        handler,
        apiEvent({ method: c.method, path: c.path, ...(c.body !== undefined ? { body: c.body } : {}) }),
      );
      expect(answer.statusCode).toBe(401);
      expect(answer.json.code).toBe('NotAuthorized');
      expect(cognito.commandCalls(c.command as never)).toHaveLength(0);
    });
  }

  if (c.body !== undefined) {
    it('rejects bad bodies with 4xx problems and never calls Cognito', async () => {
      const { handler } = await load(c.entry);
      const bad: [string, Partial<Parameters<typeof apiEvent>[0]>, number][] = [
        ['malformed JSON', { raw: '{"a":' }, 400],
        ['wrong content type', { headers: { 'Content-Type': 'text/plain' } }, 415],
        ['oversized body', { raw: JSON.stringify({ username: 'x'.repeat(20_000) }) }, 413],
        ['unknown field', { body: { ...(c.body as object), isAdmin: true } }, 400],
        ['prototype key', { raw: `{"__proto__":{"polluted":true},${JSON.stringify(c.body).slice(1)}` }, 400],
        ['an array', { raw: '[]' }, 400],
        // Under the size limit, yet deep enough to overflow a recursive walk of the parsed body.
        ['an 8000-deep array', { raw: `${'['.repeat(8000)}${']'.repeat(8000)}` }, 400],
        ['an 8000-deep field', { raw: `{"username":${'['.repeat(7990)}${']'.repeat(7990)}}` }, 400],
      ];
      for (const [label, patch, status] of bad) {
        const answer = await invoke(handler, eventFor(c, patch));
        expectWith(answer.statusCode, label).toBe(status);
        expectWith(answer.headers['content-type'], label).toBe('application/problem+json');
      }
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(cognito.commandCalls(c.command as never)).toHaveLength(0);
    });
  }
});

describe('validation', () => {
  it('lists each field error with its path and never echoes the value', async () => {
    const { handler } = await load('lambdas/password/reset.ts');
    const answer = await invoke(
      handler,
      apiEvent({
        method: 'POST',
        path: '/password/reset',
        body: { username: '', code: 'has space', password: 'x'.repeat(300) },
      }),
    );
    expect(answer.statusCode).toBe(400);
    expect(answer.json.code).toBe('ValidationFailed');
    expect(new Set(answer.json.errors.map((e: { path: string }) => e.path))).toEqual(
      new Set(['code', 'password', 'username']),
    );
    expect(answer.body).not.toContain('has space');
  });

  it('rejects a missing field and a wrong type', async () => {
    const { handler } = await load('lambdas/auth/sign-in.ts');
    const answer = await invoke(handler, apiEvent({ method: 'POST', path: '/auth/sign-in', body: { username: 5 } }));
    expect(answer.statusCode).toBe(400);
    expect(answer.json.errors).toEqual(
      expect.arrayContaining([
        { path: 'username', message: 'expected string' },
        { path: 'password', message: 'expected string' },
      ]),
    );
  });

  it('answers a deeply nested body under the size limit with a 400 that names the limit', async () => {
    const { handler } = await load('lambdas/auth/sign-up.ts');
    const raw = `{"username":"${USER}","attributes":{"name":${'{"a":'.repeat(2600)}1${'}'.repeat(2600)}}}`;
    expect(raw.length).toBeLessThan(16 * 1024);
    const answer = await invoke(handler, apiEvent({ method: 'POST', path: '/auth/sign-up', raw }));
    expect(answer.statusCode).toBe(400);
    expect(answer.json).toMatchObject({
      code: 'ValidationFailed',
      detail: 'The body is nested too deeply.',
      errors: [{ path: '', message: 'nested deeper than 16 levels' }],
    });
    expect(cognito.commandCalls(sdk.SignUpCommand)).toHaveLength(0);
    // Brackets inside strings (escaped quotes included) are text, not nesting.
    cognito.on(sdk.SignUpCommand).resolves({ UserSub: 'sub-1', UserConfirmed: false });
    const password = `\\"${'[{'.repeat(100)}`;
    const brackets = await invoke(
      handler,
      apiEvent({ method: 'POST', path: '/auth/sign-up', body: { username: USER, password } }),
    );
    expect(brackets.statusCode).toBe(201);
    expect(cognito.commandCalls(sdk.SignUpCommand)[0]?.args[0].input.Password).toBe(password);
  });

  it('accepts only known ClientMetadata keys, a BCP 47 locale, an allowlisted redirectUri and a configured app', async () => {
    const { handler } = await load('lambdas/password/forgot.ts');
    const answer = await invoke(
      handler,
      apiEvent({
        method: 'POST',
        path: '/password/forgot',
        body: {
          username: USER,
          clientMetadata: {
            locale: 'not a locale',
            redirectUri: 'javascript:alert(1)',
            tenant: 'x',
            app: 'Shop',
          },
        },
      }),
    );
    expect(answer.statusCode).toBe(400);
    expect(answer.json.errors).toEqual(
      expect.arrayContaining([
        { path: 'clientMetadata.locale', message: 'must be a BCP 47 language tag' },
        { path: 'clientMetadata.redirectUri', message: 'is not on the redirect allowlist' },
        { path: 'clientMetadata.tenant', message: 'unknown key' },
        { path: 'clientMetadata.app', message: 'is not a configured app' },
      ]),
    );
  });

  it('takes a redirectUri only when it matches an allowlist entry exactly, with no query and no encoded separator', async () => {
    const { handler } = await load('lambdas/password/forgot.ts');
    const forgot = (redirectUri: string) =>
      invoke(
        handler,
        apiEvent({
          method: 'POST',
          path: '/password/forgot',
          body: { username: USER, clientMetadata: { redirectUri } },
        }),
      );
    // The allowlist holds the exact entry https://app.example.com/reset.
    for (const redirectUri of [
      'https://app.example.com/resetevil',
      'https://app.example.com/reset/',
      'https://app.example.com/reset%2f..%2fadmin',
      'https://app.example.com/reset%2F..%5Cadmin',
      'https://app.example.com/reset?next=https://evil.example.net',
      'https://app.example.com/reset#x',
    ]) {
      const answer = await forgot(redirectUri);
      expectWith(answer.statusCode, redirectUri).toBe(400);
      expectWith(answer.json.errors, redirectUri).toEqual([
        { path: 'clientMetadata.redirectUri', message: 'is not on the redirect allowlist' },
      ]);
    }
    expect(cognito.commandCalls(sdk.ForgotPasswordCommand)).toHaveLength(0);
    cognito.on(sdk.ForgotPasswordCommand).resolves({ CodeDeliveryDetails: delivery });
    expect((await forgot('https://app.example.com/reset')).statusCode).toBe(202);
  });

  it('takes an app only as an id of bff:apps, never as free text', async () => {
    const { handler } = await load('lambdas/auth/sign-up.ts');
    const signUp = (app: string) =>
      invoke(
        handler,
        apiEvent({
          method: 'POST',
          path: '/auth/sign-up',
          body: { username: USER, password: PASSWORD, clientMetadata: { app } },
        }),
      );
    for (const app of [
      'Acme Shop',
      'SHOP',
      'shop ',
      'Your account is locked, call +1 555 0100',
      'toString',
      '__proto__',
    ]) {
      const answer = await signUp(app);
      expectWith(answer.statusCode, app).toBe(400);
      expectWith(answer.json.errors, app).toEqual([{ path: 'clientMetadata.app', message: 'is not a configured app' }]);
      expect(answer.body).not.toContain('call +1');
    }
    expect(cognito.commandCalls(sdk.SignUpCommand)).toHaveLength(0);
    cognito.on(sdk.SignUpCommand).resolves({ UserSub: 'sub-1', UserConfirmed: false });
    expect((await signUp('shop')).statusCode).toBe(201);
    expect(cognito.commandCalls(sdk.SignUpCommand)[0]?.args[0].input.ClientMetadata).toEqual({ app: 'shop' });
  });

  it('bounds the number of ClientMetadata entries', async () => {
    const { handler } = await load('lambdas/password/forgot.ts');
    const clientMetadata = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`k${i}`, 'v']));
    const answer = await invoke(
      handler,
      apiEvent({ method: 'POST', path: '/password/forgot', body: { username: USER, clientMetadata } }),
    );
    expect(answer.statusCode).toBe(400);
    expect(answer.json.errors).toContainEqual({ path: 'clientMetadata', message: 'must have 0 to 10 entries' });
  });

  it('checks the admin route path username like any username', async () => {
    const { handler } = await load('lambdas/admin/reset-password.ts');
    const answer = await invoke(
      handler,
      apiEvent({
        method: 'POST',
        path: '/admin/users/has%20space/password-reset',
        token: ADMIN_TOKEN,
        claims: adminClaims,
        pathParameters: { username: 'has space' },
      }),
    );
    expect(answer.statusCode).toBe(400);
    expect(answer.json.errors).toEqual([{ path: 'username', message: 'has an invalid format' }]);
  });
});

describe('usernames', () => {
  /** Where each route's Cognito input carries the username. */
  const usernameOf = (input: Record<string, any>) => input.Username ?? input.AuthParameters?.USERNAME;
  const secretHashOf = (input: Record<string, any>) => input.SecretHash ?? input.AuthParameters?.SECRET_HASH;
  const named = ['signUp', 'confirmSignUp', 'resendSignUpCode', 'signIn', 'forgotPassword', 'resetPassword'];

  it.each(named)(
    '%s: trims, puts in NFC and lower-cases an email once, before Cognito and the SecretHash',
    async (n) => {
      const c = cases[n] as Case;
      const { handler } = await load(c.entry);
      const spellings: [string, string][] = [
        ['  Jane@EXAMPLE.com\t', 'jane@example.com'],
        // e + COMBINING ACUTE ACCENT and the precomposed é are one user.
        ['Jose\u0301@Example.com', 'jos\u00e9@example.com'],
      ];
      for (const [typed, normalized] of spellings) {
        cognito.on(c.command as never).resolves(c.answer as never);
        cognito.resetHistory();
        const answer = await invoke(handler, eventFor(c, { body: { ...(c.body as object), username: typed } }));
        expectWith(answer.statusCode, typed).toBe(c.status);
        const input = cognito.commandCalls(c.command as never)[0]?.args[0].input as Record<string, any>;
        expect(usernameOf(input)).toBe(normalized);
        expect(secretHashOf(input)).toBe(hash(normalized));
      }
    },
  );

  it('puts an email attribute in the same form, on sign-up and on an email change, and leaves a name as typed', async () => {
    const typed = { email: ' Jose\u0301@Example.COM ', preferred_username: ' Jose\u0301 ', name: ' Jose\u0301 ' };
    const signUp = await load('lambdas/auth/sign-up.ts');
    cognito.on(sdk.SignUpCommand).resolves({ UserSub: 'sub-1', UserConfirmed: false, CodeDeliveryDetails: delivery });
    const c = cases.signUp as Case;
    await invoke(signUp.handler, eventFor(c, { body: { ...(c.body as object), attributes: typed } }));
    const sent = cognito.commandCalls(sdk.SignUpCommand)[0]?.args[0].input.UserAttributes;
    expect(sent).toEqual(
      expect.arrayContaining([
        { Name: 'email', Value: 'jos\u00e9@example.com' },
        { Name: 'preferred_username', Value: 'Jos\u00e9' },
        { Name: 'name', Value: ' Jose\u0301 ' },
      ]),
    );

    const update = await load('lambdas/me/update-attributes.ts');
    cognito.on(sdk.InitiateAuthCommand).resolves({
      AuthenticationResult: { AccessToken: TOKEN, IdToken: TOKEN, RefreshToken: 'r', ExpiresIn: 3600 },
    });
    cognito.on(sdk.UpdateUserAttributesCommand).resolves({ CodeDeliveryDetailsList: [delivery] });
    const body = { attributes: { email: typed.email }, currentPassword: PASSWORD };
    const answer = await invoke(
      update.handler,
      apiEvent({ method: 'PATCH', path: '/me/attributes', token: TOKEN, claims: userClaims, body }),
    );
    expect(answer.statusCode).toBe(200);
    expect(cognito).toHaveReceivedCommandWith(sdk.UpdateUserAttributesCommand, {
      UserAttributes: [{ Name: 'email', Value: 'jos\u00e9@example.com' }],
    });
  });

  it('keeps the case of a username that is not an email (the challenge username is the sub)', async () => {
    const c = cases.newPassword as Case;
    const { handler } = await load(c.entry);
    cognito.on(sdk.RespondToAuthChallengeCommand).resolves(c.answer as never);
    await invoke(handler, eventFor(c, { body: { ...(c.body as object), username: ' Sub-1 ' } }));
    expect(cognito).toHaveReceivedCommandWith(sdk.RespondToAuthChallengeCommand, {
      ChallengeResponses: expect.objectContaining({ USERNAME: 'Sub-1' }) as never,
    });
  });
});

describe('account takeover', () => {
  const notAuthorized = (message: string) => new sdk.NotAuthorizedException({ message, $metadata: {} });
  const tokens = { AccessToken: TOKEN, IdToken: TOKEN, RefreshToken: 'new.session.refresh', ExpiresIn: 3600 };
  const patch = (body: object) =>
    apiEvent({ method: 'PATCH', path: '/me/attributes', token: TOKEN, claims: userClaims, body });

  it('ends every session on a password change and signs the caller in again with the new password', async () => {
    const { handler } = await load('lambdas/password/change.ts');
    cognito.on(sdk.InitiateAuthCommand).resolves({ AuthenticationResult: tokens });
    const answer = await invoke(handler, eventFor(cases.changePassword as Case));
    expect(answer.statusCode).toBe(200);
    expect(answer.json.refreshToken).toBe('new.session.refresh');
    const calls = cognito.calls().map((call) => call.args[0].constructor.name);
    expect(calls).toEqual(['ChangePasswordCommand', 'GlobalSignOutCommand', 'InitiateAuthCommand']);
    expect(cognito).toHaveReceivedCommandWith(sdk.GlobalSignOutCommand, { AccessToken: TOKEN });
    expect(cognito).toHaveReceivedCommandWith(sdk.InitiateAuthCommand, {
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: 'sub-1', PASSWORD: NEW_PASSWORD, SECRET_HASH: hash('sub-1') },
    });
  });

  it.each([
    ['Incorrect username or password.', 403, 'IncorrectPassword', undefined],
    ['Password attempts exceeded', 429, 'LimitExceeded', '42'],
    ['Access Token has been revoked', 401, 'NotAuthorized', undefined],
  ])(
    'answers a refused password check "%s" with %i %s: never the 401 of a dead token for a wrong password',
    async (message, status, code, retryAfter) => {
      const change = await load('lambdas/password/change.ts');
      cognito.on(sdk.ChangePasswordCommand).rejects(notAuthorized(message));
      const changed = await invoke(change.handler, eventFor(cases.changePassword as Case));
      expect([changed.statusCode, changed.json.code, changed.headers['retry-after']]).toEqual([
        status,
        code,
        retryAfter,
      ]);
      expect(cognito.commandCalls(sdk.GlobalSignOutCommand)).toHaveLength(0);

      const update = await load('lambdas/me/update-attributes.ts');
      cognito.on(sdk.InitiateAuthCommand).rejects(notAuthorized(message));
      const moved = await invoke(
        update.handler,
        patch({ attributes: { email: 'x@example.net' }, currentPassword: 'P-1' }),
      );
      expect([moved.statusCode, moved.json.code, moved.headers['retry-after']]).toEqual([status, code, retryAfter]);
      expect(cognito.commandCalls(sdk.UpdateUserAttributesCommand)).toHaveLength(0);
    },
  );

  it('will not move the email without the current password, and leaves no session behind', async () => {
    const { handler } = await load('lambdas/me/update-attributes.ts');
    const missing = await invoke(handler, patch({ attributes: { email: 'thief@example.net' } }));
    expect(missing.statusCode).toBe(400);
    expect(missing.json.errors).toEqual([{ path: 'currentPassword', message: 'is required to change email' }]);

    cognito.on(sdk.InitiateAuthCommand).rejectsOnce(notAuthorized('Incorrect username or password.'));
    const wrong = await invoke(
      handler,
      patch({ attributes: { email: 'thief@example.net' }, currentPassword: 'Guess-1234!' }),
    );
    expect([wrong.statusCode, wrong.json.code]).toEqual([403, 'IncorrectPassword']);
    expect(cognito.commandCalls(sdk.UpdateUserAttributesCommand)).toHaveLength(0);

    cognito.on(sdk.InitiateAuthCommand).resolves({ AuthenticationResult: tokens });
    cognito.on(sdk.UpdateUserAttributesCommand).resolves({ CodeDeliveryDetailsList: [delivery] });
    const right = await invoke(handler, patch({ attributes: { email: 'new@example.com' }, currentPassword: PASSWORD }));
    expect(right.statusCode).toBe(200);
    expect(cognito).toHaveReceivedCommandWith(sdk.InitiateAuthCommand, {
      AuthParameters: { USERNAME: 'sub-1', PASSWORD, SECRET_HASH: hash('sub-1') },
    });
    expect(cognito).toHaveReceivedCommandWith(sdk.RevokeTokenCommand, {
      ClientId: IDS.clientId,
      ClientSecret: SECRET,
      Token: 'new.session.refresh',
    });
  });

  it('answers 403, not 401, for an attribute the app client may not write', async () => {
    const { handler } = await load('lambdas/me/update-attributes.ts');
    cognito.on(sdk.UpdateUserAttributesCommand).rejects(
      new sdk.NotAuthorizedException({
        message: 'A client attempted to write unauthorized attribute',
        $metadata: {},
      }),
    );
    const answer = await invoke(handler, patch({ attributes: { 'custom:tier': 'gold' } }));
    expect(answer.statusCode).toBe(403);
    expect(answer.json.code).toBe('AttributeNotWritable');
  });
});

describe('challenges', () => {
  // API_RespondToAuthChallenge: USERNAME "must be the user's actual username, not an alias"; Cognito returns it as
  // USER_ID_FOR_SRP. https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_RespondToAuthChallenge.html
  it('gives the frontend the real username to answer with, not the email it signed in with', async () => {
    const { handler } = await load('lambdas/auth/sign-in.ts');
    cognito.on(sdk.InitiateAuthCommand).resolves({
      ChallengeName: 'NEW_PASSWORD_REQUIRED',
      Session: 's'.repeat(40),
      ChallengeParameters: { USER_ID_FOR_SRP: 'sub-1', requiredAttributes: '[]', userAttributes: '{}' },
    });
    const answer = await invoke(
      handler,
      apiEvent({ method: 'POST', path: '/auth/sign-in', body: { username: USER, password: PASSWORD } }),
    );
    expect(answer.statusCode).toBe(200);
    expect(answer.json).toEqual({
      challenge: {
        name: 'NEW_PASSWORD_REQUIRED',
        session: 's'.repeat(40),
        username: 'sub-1',
        parameters: { requiredAttributes: '[]', userAttributes: '{}' },
      },
    });
  });
});

describe('admin route', () => {
  const adminEvent = (
    token: string,
    path = `/admin/users/${USER}/password-reset`,
    pathParameters = { username: USER },
  ) => apiEvent({ method: 'POST', path, token, claims: adminClaims, pathParameters, raw: '' });

  it('verifies the token itself: signature, issuer, expiry, access use and client', async () => {
    const { handler } = await load('lambdas/admin/reset-password.ts');
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const forged: [string, string][] = [
      ['another key', accessToken({}, other)],
      ['another pool', accessToken({ iss: `${ISSUER}x` })],
      ['expired', accessToken({ exp: Math.floor(Date.now() / 1000) - 10 })],
      ['an id token', accessToken({ token_use: 'id' })],
      ['another client', accessToken({ client_id: 'another-client' })],
      ['not a JWT', 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1c2VyIn0.c2lnbmF0dXJlLXZhbHVl'],
      ['without the user scope', accessToken({ scope: 'openid' })],
    ];
    // API Gateway's claims say admin in every case; only the token's own verification can refuse.
    for (const [label, token] of forged) {
      const answer = await invoke(handler, adminEvent(token));
      expectWith(answer.statusCode, label).toBe(401);
      expectWith(answer.json.code, label).toBe('NotAuthorized');
    }
    expect(cognito.commandCalls(sdk.AdminResetUserPasswordCommand)).toHaveLength(0);
  });

  it('matches the admins group exactly in the verified groups array', async () => {
    const { handler } = await load('lambdas/admin/reset-password.ts');
    for (const groups of [
      undefined,
      [],
      ['users'],
      ['administrators'],
      ['evil,admins'],
      ['[users admins]'],
      'admins',
    ]) {
      const answer = await invoke(handler, adminEvent(accessToken({ 'cognito:groups': groups })));
      expectWith(answer.statusCode, JSON.stringify(groups)).toBe(403);
      expect(answer.json.code).toBe('Forbidden');
    }
    expect(cognito.commandCalls(sdk.AdminResetUserPasswordCommand)).toHaveLength(0);
  });

  it('refuses a revoked token (GetUser), then resets and signs the user out everywhere', async () => {
    const { handler } = await load('lambdas/admin/reset-password.ts');
    cognito
      .on(sdk.GetUserCommand)
      .rejectsOnce(new sdk.NotAuthorizedException({ message: 'Access Token has been revoked', $metadata: {} }))
      .resolves({ Username: 'sub-admin', UserAttributes: [] });
    const revoked = await invoke(handler, adminEvent(ADMIN_TOKEN));
    expect(revoked.statusCode).toBe(401);
    expect(cognito.commandCalls(sdk.AdminResetUserPasswordCommand)).toHaveLength(0);

    const answer = await invoke(handler, adminEvent(ADMIN_TOKEN));
    expect(answer.statusCode).toBe(202);
    expect(cognito).toHaveReceivedCommandWith(sdk.GetUserCommand, { AccessToken: ADMIN_TOKEN });
    expect(cognito).toHaveReceivedCommandWith(sdk.AdminUserGlobalSignOutCommand, {
      UserPoolId: IDS.userPoolId,
      Username: USER,
    });
  });

  it('answers by the target state when Cognito refuses the reset: an invitation again, or a 409, never a 401', async () => {
    const { handler } = await load('lambdas/admin/reset-password.ts');
    const refused = new sdk.NotAuthorizedException({
      message: 'User password cannot be reset in the current state.',
      $metadata: {},
    });
    cognito.on(sdk.AdminResetUserPasswordCommand).rejects(refused);
    const states: [sdk.AdminGetUserCommandOutput['UserStatus'], boolean, number, object][] = [
      ['FORCE_CHANGE_PASSWORD', true, 202, { action: 'invitationResent' }],
      ['UNCONFIRMED', true, 409, { code: 'TargetNotConfirmed' }],
      ['CONFIRMED', false, 409, { code: 'TargetDisabled' }],
      ['EXTERNAL_PROVIDER', true, 409, { code: 'TargetStateUnsupported' }],
    ];
    for (const [UserStatus, Enabled, status, body] of states) {
      cognito.on(sdk.AdminGetUserCommand).resolves({ Username: USER, UserStatus, Enabled });
      const answer = await invoke(handler, adminEvent(ADMIN_TOKEN));
      expectWith(answer.statusCode, String(UserStatus)).toBe(status);
      expect(answer.json).toMatchObject(body);
    }
    // Only the invited user got a new invitation, by email, to the address on record.
    expect(cognito.commandCalls(sdk.AdminCreateUserCommand)).toHaveLength(1);
    expect(cognito).toHaveReceivedCommandWith(sdk.AdminCreateUserCommand, {
      UserPoolId: IDS.userPoolId,
      Username: USER,
      MessageAction: 'RESEND',
      DesiredDeliveryMediums: ['EMAIL'],
    });
  });

  it('decodes the {username} segment of the path exactly once, whatever pathParameters holds', async () => {
    const { handler } = await load('lambdas/admin/reset-password.ts');
    const cases: [string, Record<string, string>, string][] = [
      ['jane%40example.com', { username: 'jane%40example.com' }, 'jane@example.com'],
      ['jane%40example.com', { username: 'jane@example.com' }, 'jane@example.com'],
      // A literal % in a username: decoding twice would turn %2540 into @.
      ['a%2540b%40example.com', { username: 'a%40b@example.com' }, 'a%40b@example.com'],
    ];
    for (const [segment, pathParameters, username] of cases) {
      cognito.resetHistory();
      const answer = await invoke(
        handler,
        adminEvent(ADMIN_TOKEN, `/admin/users/${segment}/password-reset`, pathParameters as { username: string }),
      );
      expectWith(answer.statusCode, segment).toBe(202);
      expect(cognito).toHaveReceivedCommandWith(sdk.AdminResetUserPasswordCommand, { Username: username });
    }
    const malformed = await invoke(handler, adminEvent(ADMIN_TOKEN, '/admin/users/%E0%A4%A/password-reset'));
    expect(malformed.statusCode).toBe(400);
  });
});

describe('answers that name no state', () => {
  it('tells a signer-in to check the password or wait, in one answer for a wrong password and a lockout', async () => {
    const { handler } = await load('lambdas/auth/sign-in.ts');
    const answers = [];
    for (const message of ['Incorrect username or password.', 'Password attempts exceeded']) {
      cognito.on(sdk.InitiateAuthCommand).rejects(new sdk.NotAuthorizedException({ message, $metadata: {} }));
      answers.push(await invoke(handler, eventFor(cases.signIn as Case)));
    }
    expect(answers[0]).toEqual(answers[1]);
    expect(answers[0]?.statusCode).toBe(401);
    expect(answers[0]?.headers['retry-after']).toBeUndefined();
    expect(answers[0]?.json.detail).toBe(
      'Incorrect username or password, or wait a few minutes after several failed attempts.',
    );
  });

  it.each(['confirmSignUp', 'resetPassword'])('%s: a wrong code says to request a new one', async (name) => {
    const c = cases[name] as Case;
    const { handler } = await load(c.entry);
    cognito.on(c.command as never).rejects(new sdk.CodeMismatchException({ message: 'x', $metadata: {} }));
    const answer = await invoke(handler, eventFor(c));
    expect(answer.statusCode).toBe(400);
    expect(answer.json).toMatchObject({ code: 'CodeMismatch', detail: expect.stringContaining('request a new code') });
  });

  it.each(['forgotPassword', 'resendSignUpCode'])(
    '%s: masks the destination from the username, never from what Cognito answers',
    async (name) => {
      const c = cases[name] as Case;
      const { handler } = await load(c.entry);
      // Cognito masks the address on record; an unknown user gets a guess from the username as typed.
      cognito.on(c.command as never).resolves({
        CodeDeliveryDetails: { Destination: 'X***@Y***', DeliveryMedium: 'EMAIL', AttributeName: 'email' },
      } as never);
      for (const username of ['Alice@Example.com', 'alice@example.com', 'Ärger@Ödland.example']) {
        const answer = await invoke(handler, eventFor(c, { body: { username } }));
        expectWith(answer.statusCode, username).toBe(202);
        expectWith(answer.json, username).toEqual({
          codeDelivery: {
            destination: username.startsWith('Ä') ? 'ä***@ö***' : 'a***@e***',
            medium: 'EMAIL',
            attribute: 'email',
          },
        });
      }
    },
  );
});

describe('forgot password of an invited user who never signed in', () => {
  // Cognito refuses ForgotPassword for FORCE_CHANGE_PASSWORD (field report #25.5); the route resends the
  // invitation instead: AdminCreateUser, MessageAction RESEND, and nothing else.
  const notResettable = () =>
    new sdk.NotAuthorizedException({ message: 'User password cannot be reset in the current state.', $metadata: {} });
  const forgot = cases.forgotPassword as Case;

  it('resends the invitation with AdminCreateUser RESEND, and answers as for everyone else', async () => {
    const { handler } = await load(forgot.entry);
    cognito.on(sdk.ForgotPasswordCommand).resolves({ CodeDeliveryDetails: delivery });
    const usual = await invoke(handler, eventFor(forgot));
    expect(cognito.commandCalls(sdk.AdminCreateUserCommand)).toHaveLength(0);

    cognito.on(sdk.ForgotPasswordCommand).rejects(notResettable());
    cognito.on(sdk.AdminCreateUserCommand).resolves({ User: { Username: 'sub-1' } });
    const invited = await invoke(handler, eventFor(forgot));
    expect(invited).toEqual(usual);
    const calls = cognito.commandCalls(sdk.AdminCreateUserCommand);
    expect(calls.map((call) => call.args[0].input)).toEqual([
      {
        UserPoolId: IDS.userPoolId,
        Username: USER,
        MessageAction: 'RESEND',
        DesiredDeliveryMediums: ['EMAIL'],
        ClientMetadata: { locale: 'de', redirectUri: 'https://app.example.com/reset' },
      },
    ]);
    // The function makes no other call than these.
    expect(new Set(cognito.calls().map((call) => (call.args[0] as object).constructor.name))).toEqual(
      new Set(['ForgotPasswordCommand', 'AdminCreateUserCommand']),
    );
  });

  it('calls AdminCreateUser for no other answer of ForgotPassword', async () => {
    const { handler } = await load(forgot.entry);
    const others = [
      ...Object.keys(ERROR_MAP).map(
        (name) => new (exceptionClass(name))({ message: 'User is disabled.', $metadata: {} }) as Error,
      ),
      // A SecretHash failure is our misconfiguration, not the invited user's state.
      new sdk.NotAuthorizedException({ message: 'Unable to verify secret hash for client x', $metadata: {} }),
    ];
    for (const error of others) {
      cognito.on(sdk.ForgotPasswordCommand).rejects(error);
      await invoke(handler, eventFor(forgot));
    }
    cognito.on(sdk.ForgotPasswordCommand).resolves({ CodeDeliveryDetails: delivery });
    await invoke(handler, eventFor(forgot));
    expect(cognito.commandCalls(sdk.ForgotPasswordCommand)).toHaveLength(others.length + 1);
    expect(cognito.commandCalls(sdk.AdminCreateUserCommand)).toHaveLength(0);
  });

  it('hides a refused or failed resend like any code request, but not a throttle', async () => {
    const { handler } = await load(forgot.entry);
    cognito.on(sdk.ForgotPasswordCommand).resolves({ CodeDeliveryDetails: delivery });
    const usual = await invoke(handler, eventFor(forgot));
    cognito.on(sdk.ForgotPasswordCommand).rejects(notResettable());
    for (const name of CODE_REQUEST_HIDDEN) {
      cognito.on(sdk.AdminCreateUserCommand).rejects(new (exceptionClass(name))({ message: 'x', $metadata: {} }));
      expectWith(await invoke(handler, eventFor(forgot)), name).toEqual(usual);
    }
    cognito.on(sdk.AdminCreateUserCommand).rejects(new sdk.TooManyRequestsException({ message: 'x', $metadata: {} }));
    const throttled = await invoke(handler, eventFor(forgot));
    expect(throttled.statusCode).toBe(429);
    expect(throttled.headers['retry-after']).toBe('42');
  });
});

describe('response floor', () => {
  const FLOOR_MS = 150;
  const floorEnv = { ...env, RESPONSE_FLOOR_MS: String(FLOOR_MS) };
  const named = routeList.filter((r) => r.auth === 'none' && r.schema && 'username' in (r.schema() as any).def.shape);

  it('is on every route that names a user without credentials, except the documented ones', () => {
    // Sign-up is the one documented oracle (UsernameExists); the others carry a credential (a session, a token).
    const credentialed = ['signUp', 'newPassword', 'refresh'];
    expect(named.filter((r) => !r.hidesUser).map((r) => r.name)).toEqual(credentialed);
    expect(routeList.filter((r) => r.hidesUser).map((r) => r.name)).toEqual([
      'confirmSignUp',
      'resendSignUpCode',
      'signIn',
      'forgotPassword',
      'resetPassword',
    ]);
  });

  it.each(['confirmSignUp', 'resendSignUpCode', 'signIn', 'forgotPassword', 'resetPassword'])(
    '%s answers no sooner than bff:responseFloorMs, success and refusal alike',
    async (name) => {
      const c = cases[name] as Case;
      const { handler } = await load(c.entry, floorEnv);
      await invoke(handler, eventFor(c)); // the secret is fetched once, outside the measured calls
      for (const outcome of ['success', 'refusal']) {
        if (outcome === 'success') cognito.on(c.command as never).resolves(c.answer as never);
        else cognito.on(c.command as never).rejects(new sdk.UserNotFoundException({ message: 'x', $metadata: {} }));
        const started = performance.now();
        await invoke(handler, eventFor(c));
        // A lower bound only: a busy machine makes an answer later, never sooner.
        expectWith(performance.now() - started, outcome).toBeGreaterThanOrEqual(FLOOR_MS);
      }
    },
  );

  it('logs an answer that took longer than the floor', async () => {
    const { handler } = await load('lambdas/password/forgot.ts', floorEnv);
    cognito.on(sdk.ForgotPasswordCommand).callsFake(async () => {
      await new Promise((resolve) => setTimeout(resolve, FLOOR_MS + 50));
      return { CodeDeliveryDetails: delivery };
    });
    const before = logs.length;
    expect((await invoke(handler, eventFor(cases.forgotPassword as Case))).statusCode).toBe(202);
    expect(logs.slice(before).join('\n')).toContain('response floor exceeded');
  });
});

describe('client secret', () => {
  const ROTATED = 'the-rotated-client-secret-value-0123456789abcdefgh';
  const tokens = { AccessToken: TOKEN, IdToken: TOKEN, RefreshToken: TOKEN, ExpiresIn: 3600, TokenType: 'Bearer' };
  const refusal = () =>
    new sdk.NotAuthorizedException({
      message: `Unable to verify secret hash for client ${IDS.clientId}`,
      $metadata: {},
    });
  /** Cognito as it holds the secrets: a SecretHash is accepted only with `live`. */
  const cognitoWith = (live: () => string) =>
    cognito.on(sdk.InitiateAuthCommand).callsFake((input: { AuthParameters: Record<string, string> }) => {
      const expected = createHmac('sha256', live())
        .update((input.AuthParameters.USERNAME ?? '') + IDS.clientId)
        .digest('base64');
      if (input.AuthParameters.SECRET_HASH !== expected) throw refusal();
      return { AuthenticationResult: tokens };
    });

  it('is read from Secrets Manager on first use, once per container within its maximum age, never from Cognito', async () => {
    const { handler } = await load('lambdas/password/forgot.ts');
    // Not at cold start (the first invocation creates the function's instance): a request that needs no secret
    // (refused by validation) reads nothing.
    const invalid = apiEvent({ method: 'POST', path: '/password/forgot', body: { username: 'not an email' } });
    expect((await invoke(handler, invalid)).statusCode).toBe(400);
    await new Promise((resolve) => setImmediate(resolve));
    expect(secretReads).toBe(0);
    cognito.on(sdk.ForgotPasswordCommand).resolves({ CodeDeliveryDetails: delivery });
    await invoke(handler, eventFor(cases.forgotPassword as Case));
    await invoke(handler, eventFor(cases.forgotPassword as Case));
    expect(secretReads).toBe(1);
    expect(cognito.commandCalls(sdk.DescribeUserPoolClientCommand)).toHaveLength(0);
  });

  it('is read again once older than bff:clientSecretMaxAgeSeconds', async () => {
    const { handler } = await load('lambdas/auth/sign-in.ts', { ...env, CLIENT_SECRET_MAX_AGE_SECONDS: '60' });
    let live = SECRET;
    cognitoWith(() => live);
    const clock = jest.spyOn(Date, 'now');
    const start = Date.now();
    clock.mockReturnValue(start);
    expect((await invoke(handler, eventFor(cases.signIn as Case))).statusCode).toBe(200);
    // Stored in Secrets Manager and live in Cognito beside the old one: a cache within its age keeps the old one.
    storedSecret = ROTATED;
    clock.mockReturnValue(start + 59_000);
    expect((await invoke(handler, eventFor(cases.signIn as Case))).statusCode).toBe(200);
    expect(secretReads).toBe(1);
    // Past the maximum age the function reads the new one, and signs with it (the old one was deleted).
    live = ROTATED;
    clock.mockReturnValue(start + 61_000);
    expect((await invoke(handler, eventFor(cases.signIn as Case))).statusCode).toBe(200);
    expect(secretReads).toBe(2);
    expect(cognito.commandCalls(sdk.InitiateAuthCommand)).toHaveLength(3);
    clock.mockRestore();
  });

  /** The clock moved past the shortest interval between two reads of a refused secret (secret-reader.ts). */
  let clock: { mockRestore: () => void } | undefined;
  const pastRefreshInterval = () => {
    const now = Date.now() + MIN_REFRESH_MS;
    clock = jest.spyOn(Date, 'now').mockReturnValue(now);
  };
  afterEach(() => {
    clock?.mockRestore();
    clock = undefined;
  });

  it('is read again, bypassing the cache, when Cognito refuses the SecretHash; the call is sent once more', async () => {
    const { handler } = await load('lambdas/auth/sign-in.ts');
    let live = SECRET;
    cognitoWith(() => live);
    expect((await invoke(handler, eventFor(cases.signIn as Case))).statusCode).toBe(200);
    // A rotation stored a new secret and deleted the old one in Cognito, within this container's cache age.
    live = ROTATED;
    storedSecret = ROTATED;
    pastRefreshInterval();
    const answer = await invoke(handler, eventFor(cases.signIn as Case));
    expect(answer.statusCode).toBe(200);
    expect(cognito.commandCalls(sdk.InitiateAuthCommand)).toHaveLength(3);
    expect(secretReads).toBe(2);
  });

  it('gives the refresh route the fresh ClientSecret after a refusal', async () => {
    const { handler } = await load('lambdas/auth/refresh.ts');
    let live = SECRET;
    cognito.on(sdk.GetTokensFromRefreshTokenCommand).callsFake((input: { ClientSecret: string }) => {
      if (input.ClientSecret !== live) throw refusal();
      return { AuthenticationResult: tokens };
    });
    expect((await invoke(handler, eventFor(cases.refresh as Case))).statusCode).toBe(200);
    live = ROTATED;
    storedSecret = ROTATED;
    pastRefreshInterval();
    expect((await invoke(handler, eventFor(cases.refresh as Case))).statusCode).toBe(200);
    expect(cognito.commandCalls(sdk.GetTokensFromRefreshTokenCommand).map((c) => c.args[0].input.ClientSecret)).toEqual(
      [SECRET, SECRET, ROTATED],
    );
  });

  it('refetches once only: a SecretHash refused with the fresh secret too is 502 ClientSecretRejected', async () => {
    const { handler } = await load('lambdas/auth/sign-in.ts');
    cognito.on(sdk.InitiateAuthCommand).rejects(refusal());
    answerQueue = [SECRET, ROTATED];
    // The secret read for this very call is as fresh as a second read: refused, it is not read again.
    const first = await invoke(handler, eventFor(cases.signIn as Case));
    expect(first.statusCode).toBe(502);
    expect(first.json.code).toBe('ClientSecretRejected');
    expect(cognito.commandCalls(sdk.InitiateAuthCommand)).toHaveLength(1);
    expect(secretReads).toBe(1);
    // Later, one refusal reads it again, and a refusal with the fresh one too is the same 502.
    pastRefreshInterval();
    const answer = await invoke(handler, eventFor(cases.signIn as Case));
    expect(answer.statusCode).toBe(502);
    expect(answer.json.code).toBe('ClientSecretRejected');
    expect(cognito.commandCalls(sdk.InitiateAuthCommand)).toHaveLength(3);
    expect(secretReads).toBe(2);
  });

  it('reads a refused secret again at most once an interval, however many requests it fails', async () => {
    const { handler } = await load('lambdas/auth/sign-in.ts');
    cognito.on(sdk.InitiateAuthCommand).rejects(refusal());
    for (let i = 0; i < 20; i++) expect((await invoke(handler, eventFor(cases.signIn as Case))).statusCode).toBe(502);
    expect(secretReads).toBe(1);
    pastRefreshInterval();
    for (let i = 0; i < 20; i++) expect((await invoke(handler, eventFor(cases.signIn as Case))).statusCode).toBe(502);
    expect(secretReads).toBe(2);
  });

  it('does not send the call again when the fresh secret is the same one', async () => {
    const { handler } = await load('lambdas/auth/sign-in.ts');
    cognito.on(sdk.InitiateAuthCommand).rejects(refusal());
    expect((await invoke(handler, eventFor(cases.signIn as Case))).statusCode).toBe(502);
    pastRefreshInterval();
    const answer = await invoke(handler, eventFor(cases.signIn as Case));
    expect(answer.statusCode).toBe(502);
    expect(cognito.commandCalls(sdk.InitiateAuthCommand)).toHaveLength(2);
    expect(secretReads).toBe(2);
  });

  it('does not read the secret again for other refusals (a wrong password)', async () => {
    const { handler } = await load('lambdas/auth/sign-in.ts');
    cognito
      .on(sdk.InitiateAuthCommand)
      .rejects(new sdk.NotAuthorizedException({ message: 'Incorrect username or password.', $metadata: {} }));
    expect((await invoke(handler, eventFor(cases.signIn as Case))).statusCode).toBe(401);
    expect(cognito.commandCalls(sdk.InitiateAuthCommand)).toHaveLength(1);
    expect(secretReads).toBe(1);
  });
});

describe('CORS', () => {
  it('gives no allow-origin header to an origin that is not allowed, errors included', async () => {
    const { handler } = await load('lambdas/password/forgot.ts');
    const answer = await invoke(
      handler,
      apiEvent({ method: 'POST', path: '/password/forgot', raw: '{', headers: { Origin: 'https://evil.example' } }),
    );
    expect(answer.statusCode).toBe(400);
    expect(answer.headers['access-control-allow-origin']).toBeUndefined();
    expect(answer.headers['x-content-type-options']).toBe('nosniff');
  });
});
