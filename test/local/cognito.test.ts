/**
 * Conformance of the local Cognito, driven through the real AWS SDK v3 client over HTTP, against
 * Cognito's documented behaviour.
 */
import { createHmac, createPublicKey, verify } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as sdk from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { awsJsonListener } from '../../local/aws-json';
import { LocalCognito } from '../../local/cognito';
import { CorruptStateError } from '../../local/store';
import { expectWith } from '../support/expect';

const PASSWORD = 'Corr3ct-Horse-Battery!';
const NEW_PASSWORD = 'N3w-Staple-Battery-Horse!';
const ARN = {
  message: 'arn:aws:lambda:us-east-1:000000000000:function:custom-message',
  confirm: 'arn:aws:lambda:us-east-1:000000000000:function:post-confirmation',
};

let clock = Date.now();
let triggerBehaviour: 'default' | 'throw' | 'hang' | 'no-code' = 'default';
const triggerEvents: any[] = [];

const triggers = {
  [ARN.message]: async (event: any) => {
    triggerEvents.push(structuredClone(event));
    if (triggerBehaviour === 'throw') throw new Error('template broke');
    if (triggerBehaviour === 'hang') await new Promise((resolve) => setTimeout(resolve, 2000));
    event.response.emailSubject = 'Your code';
    const username = event.request.usernameParameter ? ` for ${event.request.usernameParameter}` : '';
    event.response.emailMessage =
      triggerBehaviour === 'no-code' ? 'no code here' : `Code: ${event.request.codeParameter}${username}`;
    return event;
  },
  [ARN.confirm]: async (event: any) => {
    triggerEvents.push(structuredClone(event));
    return event;
  },
};

interface Env {
  local: LocalCognito;
  server: Server;
  client: sdk.CognitoIdentityProviderClient;
  poolId: string;
  clientId: string;
  secret: string;
  legacyClientId: string;
}

async function startCognito(dataDir?: string): Promise<Omit<Env, 'poolId' | 'clientId' | 'secret' | 'legacyClientId'>> {
  const local = new LocalCognito({
    ...(dataDir ? { dataDir } : {}),
    now: () => clock,
    triggers,
    triggerTimeoutMs: 300,
  });
  const server = createServer(awsJsonListener([local.service], (path) => local.jwks(path)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  local.engine.issuerBase = endpoint;
  const client = new sdk.CognitoIdentityProviderClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  return { local, server, client };
}

const stopServer = (server: Server) =>
  new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });

let env: Env;

beforeAll(async () => {
  const base = await startCognito();
  const pool = await base.client.send(
    new sdk.CreateUserPoolCommand({
      PoolName: 'conformance',
      UsernameAttributes: ['email'],
      AutoVerifiedAttributes: ['email'],
      UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ['email'] },
      Policies: {
        PasswordPolicy: {
          MinimumLength: 12,
          RequireLowercase: true,
          RequireUppercase: true,
          RequireNumbers: true,
          RequireSymbols: true,
        },
      },
      LambdaConfig: { CustomMessage: ARN.message, PostConfirmation: ARN.confirm },
    }),
  );
  const poolId = pool.UserPool?.Id ?? '';
  const flows = ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] as sdk.ExplicitAuthFlowsType[];
  const secretClient = await base.client.send(
    new sdk.CreateUserPoolClientCommand({
      UserPoolId: poolId,
      ClientName: 'secret',
      GenerateSecret: true,
      ExplicitAuthFlows: flows,
      PreventUserExistenceErrors: 'ENABLED',
      AccessTokenValidity: 60,
      IdTokenValidity: 60,
      RefreshTokenValidity: 30,
      TokenValidityUnits: { AccessToken: 'minutes', IdToken: 'minutes', RefreshToken: 'days' },
    }),
  );
  const legacy = await base.client.send(
    new sdk.CreateUserPoolClientCommand({
      UserPoolId: poolId,
      ClientName: 'legacy',
      ExplicitAuthFlows: flows,
      PreventUserExistenceErrors: 'LEGACY',
    }),
  );
  await base.client.send(new sdk.CreateGroupCommand({ UserPoolId: poolId, GroupName: 'admins' }));
  env = {
    ...base,
    poolId,
    clientId: secretClient.UserPoolClient?.ClientId ?? '',
    secret: secretClient.UserPoolClient?.ClientSecret ?? '',
    legacyClientId: legacy.UserPoolClient?.ClientId ?? '',
  };
});

afterAll(async () => {
  await stopServer(env.server);
});

beforeEach(() => {
  clock = Date.now();
  triggerBehaviour = 'default';
});

let n = 0;
const email = (label: string) => `${label}.${n++}@example.com`;
const hash = (username: string) =>
  createHmac('sha256', env.secret)
    .update(username + env.clientId)
    .digest('base64');
const send = <T>(command: T) => env.client.send(command as never) as Promise<any>;
const lastCode = (to: string) => env.local.outbox.filter((m) => m.to === to).at(-1)?.code ?? '';
const errorOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'no error',
    (error: Error) => error.name,
  );

async function signUp(username: string, password = PASSWORD) {
  return send(
    new sdk.SignUpCommand({
      ClientId: env.clientId,
      SecretHash: hash(username),
      Username: username,
      Password: password,
    }),
  );
}
async function confirmed(username: string) {
  await signUp(username);
  await send(
    new sdk.ConfirmSignUpCommand({
      ClientId: env.clientId,
      SecretHash: hash(username),
      Username: username,
      ConfirmationCode: lastCode(username),
    }),
  );
}
async function signIn(username: string, password = PASSWORD) {
  const answer = await send(
    new sdk.InitiateAuthCommand({
      ClientId: env.clientId,
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: username, PASSWORD: password, SECRET_HASH: hash(username) },
    }),
  );
  return answer.AuthenticationResult as sdk.AuthenticationResultType;
}

describe('password policy', () => {
  it('is enforced on SignUp, ConfirmForgotPassword, ChangePassword and AdminSetUserPassword', async () => {
    const user = email('policy');
    for (const weak of ['Short1!a', 'alllowercase-123!', 'ALLUPPERCASE-123!', 'NoDigitsHere-!!', 'NoSymbols12345a']) {
      expectWith(await errorOf(signUp(user, weak)), weak).toBe('InvalidPasswordException');
    }
    await confirmed(user);
    await send(new sdk.ForgotPasswordCommand({ ClientId: env.clientId, SecretHash: hash(user), Username: user }));
    const code = lastCode(user);
    expect(
      await errorOf(
        send(
          new sdk.ConfirmForgotPasswordCommand({
            ClientId: env.clientId,
            SecretHash: hash(user),
            Username: user,
            ConfirmationCode: code,
            Password: 'weak',
          }),
        ),
      ),
    ).toBe('InvalidPasswordException');
    const tokens = await signIn(user);
    expect(
      await errorOf(
        send(
          new sdk.ChangePasswordCommand({
            AccessToken: tokens.AccessToken,
            PreviousPassword: PASSWORD,
            ProposedPassword: 'weakweakweak',
          }),
        ),
      ),
    ).toBe('InvalidPasswordException');
    expect(
      await errorOf(
        send(
          new sdk.AdminSetUserPasswordCommand({
            UserPoolId: env.poolId,
            Username: user,
            Password: 'weak',
            Permanent: true,
          }),
        ),
      ),
    ).toBe('InvalidPasswordException');
  });

  it('is enforced on RespondToAuthChallenge NEW_PASSWORD_REQUIRED', async () => {
    const user = email('invited');
    await send(
      new sdk.AdminCreateUserCommand({
        UserPoolId: env.poolId,
        Username: user,
        TemporaryPassword: 'Temp-Passw0rd!!',
        MessageAction: 'SUPPRESS',
      }),
    );
    const challenge = await send(
      new sdk.InitiateAuthCommand({
        ClientId: env.clientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: user, PASSWORD: 'Temp-Passw0rd!!', SECRET_HASH: hash(user) },
      }),
    );
    expect(challenge.ChallengeName).toBe('NEW_PASSWORD_REQUIRED');
    const respond = (password: string) =>
      send(
        new sdk.RespondToAuthChallengeCommand({
          ClientId: env.clientId,
          ChallengeName: 'NEW_PASSWORD_REQUIRED',
          Session: challenge.Session,
          ChallengeResponses: {
            USERNAME: challenge.ChallengeParameters.USER_ID_FOR_SRP,
            NEW_PASSWORD: password,
            SECRET_HASH: hash(challenge.ChallengeParameters.USER_ID_FOR_SRP),
          },
        }),
      );
    expect(await errorOf(respond('weak'))).toBe('InvalidPasswordException');
    expect((await respond(NEW_PASSWORD)).AuthenticationResult.AccessToken).toEqual(expect.any(String));
  });
});

describe('SecretHash', () => {
  it('is required and verified for a client with a secret', async () => {
    const user = email('secret');
    const base = { ClientId: env.clientId, Username: user, Password: PASSWORD };
    expect(await errorOf(send(new sdk.SignUpCommand(base)))).toBe('NotAuthorizedException');
    expect(await errorOf(send(new sdk.SignUpCommand({ ...base, SecretHash: hash('someone-else') })))).toBe(
      'NotAuthorizedException',
    );
    expect(
      await errorOf(
        send(new sdk.ForgotPasswordCommand({ ClientId: env.clientId, Username: user, SecretHash: 'bm9wZQ==' })),
      ),
    ).toBe('NotAuthorizedException');
    expect((await send(new sdk.SignUpCommand({ ...base, SecretHash: hash(user) }))).UserSub).toEqual(
      expect.any(String),
    );
  });
});

describe('tokens', () => {
  it('are RS256 JWTs verifiable with the pool JWKS, with the issuer and groups', async () => {
    const user = email('jwt');
    await confirmed(user);
    await send(new sdk.AdminAddUserToGroupCommand({ UserPoolId: env.poolId, Username: user, GroupName: 'admins' }));
    const tokens = await signIn(user);
    const [head, body, signature] = (tokens.AccessToken ?? '').split('.') as [string, string, string];
    const header = JSON.parse(Buffer.from(head, 'base64url').toString());
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString());
    const jwks = env.local.jwks(`/${env.poolId}/.well-known/jwks.json`) as { keys: any[] };
    const key = jwks.keys.find((k) => k.kid === header.kid);
    expect(header.alg).toBe('RS256');
    expect(
      verify(
        'RSA-SHA256',
        Buffer.from(`${head}.${body}`),
        createPublicKey({ key, format: 'jwk' }),
        Buffer.from(signature, 'base64url'),
      ),
    ).toBe(true);
    expect(claims).toMatchObject({
      token_use: 'access',
      client_id: env.clientId,
      scope: 'aws.cognito.signin.user.admin',
      'cognito:groups': ['admins'],
    });
    expect(claims.iss).toBe(`${env.local.engine.issuerBase}/${env.poolId}`);
    const id = JSON.parse(Buffer.from((tokens.IdToken ?? '').split('.')[1] ?? '', 'base64url').toString());
    expect(id).toMatchObject({ token_use: 'id', aud: env.clientId, email: user, email_verified: true });
  });

  it('refuses a forged, an id, an expired and a revoked token', async () => {
    const user = email('forged');
    await confirmed(user);
    const tokens = await signIn(user);
    const [head, body, signature] = (tokens.AccessToken ?? '').split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString());
    const tampered = Buffer.from(JSON.stringify({ ...claims, username: 'someone' })).toString('base64url');
    const forged = `${head}.${tampered}.${signature}`;
    const getUser = (token: string | undefined) => errorOf(send(new sdk.GetUserCommand({ AccessToken: token })));
    expect(await getUser(forged)).toBe('NotAuthorizedException');
    expect(await getUser(`${head}.${body}.${Buffer.from('x'.repeat(256)).toString('base64url')}`)).toBe(
      'NotAuthorizedException',
    );
    expect(await getUser(tokens.IdToken)).toBe('NotAuthorizedException');
    expect(await getUser('not-a-jwt')).toBe('NotAuthorizedException');
    expect(await getUser(tokens.AccessToken)).toBe('no error');
    clock += 61 * 60_000;
    expect(await getUser(tokens.AccessToken)).toBe('NotAuthorizedException');
    clock = Date.now();
    await send(new sdk.GlobalSignOutCommand({ AccessToken: tokens.AccessToken }));
    expect(await getUser(tokens.AccessToken)).toBe('NotAuthorizedException');
  });

  it('refreshes until the user is signed out by an administrator', async () => {
    const user = email('refresh');
    await confirmed(user);
    const tokens = await signIn(user);
    const username = (await send(new sdk.GetUserCommand({ AccessToken: tokens.AccessToken }))).Username;
    const refresh = (secretFor: string) =>
      send(
        new sdk.InitiateAuthCommand({
          ClientId: env.clientId,
          AuthFlow: 'REFRESH_TOKEN_AUTH',
          AuthParameters: { REFRESH_TOKEN: tokens.RefreshToken ?? '', SECRET_HASH: hash(secretFor) },
        }),
      );
    expect((await refresh(username)).AuthenticationResult.AccessToken).toEqual(expect.any(String));
    expect(await errorOf(refresh('someone-else'))).toBe('NotAuthorizedException');
    await send(new sdk.AdminUserGlobalSignOutCommand({ UserPoolId: env.poolId, Username: user }));
    expect(await errorOf(refresh(username))).toBe('NotAuthorizedException');
  });

  it('revokes one refresh token with RevokeToken', async () => {
    const user = email('revoke');
    await confirmed(user);
    const tokens = await signIn(user);
    expect(
      await errorOf(
        send(
          new sdk.RevokeTokenCommand({
            ClientId: env.clientId,
            ClientSecret: 'wrongSecret'.repeat(4),
            Token: tokens.RefreshToken,
          }),
        ),
      ),
    ).toBe('UnauthorizedException');
    await send(
      new sdk.RevokeTokenCommand({ ClientId: env.clientId, ClientSecret: env.secret, Token: tokens.RefreshToken }),
    );
    expect(await errorOf(send(new sdk.GetUserCommand({ AccessToken: tokens.AccessToken })))).toBe(
      'NotAuthorizedException',
    );
  });
});

describe('group membership', () => {
  // https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ListUsersInGroup.html
  // https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminRemoveUserFromGroup.html
  it("lists a group page by page with its members' attributes, and removes members", async () => {
    await send(new sdk.CreateGroupCommand({ UserPoolId: env.poolId, GroupName: 'staff' }));
    const members = [email('staff'), email('staff'), email('staff')];
    for (const user of [...members, email('outsider')]) await confirmed(user);
    for (const user of members) {
      await send(new sdk.AdminAddUserToGroupCommand({ UserPoolId: env.poolId, Username: user, GroupName: 'staff' }));
    }
    const list = (NextToken?: string) =>
      send(new sdk.ListUsersInGroupCommand({ UserPoolId: env.poolId, GroupName: 'staff', Limit: 2, NextToken }));
    const first = await list();
    expect(first.Users).toHaveLength(2);
    expect(first.NextToken).toEqual(expect.any(String));
    const second = await list(first.NextToken);
    expect(second.NextToken).toBeUndefined();
    const emailOf = (user: sdk.UserType) => user.Attributes?.find((a) => a.Name === 'email')?.Value;
    expect([...first.Users, ...second.Users].map(emailOf)).toEqual(members);
    expect(first.Users[0]).toMatchObject({ UserStatus: 'CONFIRMED', Enabled: true, Username: expect.any(String) });

    const remove = (Username: string, GroupName = 'staff') =>
      send(new sdk.AdminRemoveUserFromGroupCommand({ UserPoolId: env.poolId, Username, GroupName }));
    await remove(members[0] ?? '');
    await remove(members[0] ?? '');
    const after = await send(new sdk.ListUsersInGroupCommand({ UserPoolId: env.poolId, GroupName: 'staff' }));
    expect(after.Users.map(emailOf)).toEqual(members.slice(1));
    expect(await errorOf(remove(email('nobody')))).toBe('UserNotFoundException');
    expect(await errorOf(remove(members[1] ?? '', 'no-such-group'))).toBe('ResourceNotFoundException');
    expect(await errorOf(list('not-a-token'))).toBe('InvalidParameterException');
  });
});

describe('sign-in states', () => {
  it('answers wrong password, unconfirmed and reset-required users as Cognito does', async () => {
    const user = email('states');
    await signUp(user);
    expect(await errorOf(signIn(user))).toBe('UserNotConfirmedException');
    expect(await errorOf(signIn(user, 'Wr0ng-Password!!'))).toBe('NotAuthorizedException');
    await send(
      new sdk.ConfirmSignUpCommand({
        ClientId: env.clientId,
        SecretHash: hash(user),
        Username: user,
        ConfirmationCode: lastCode(user),
      }),
    );
    expect(await errorOf(signIn(user, 'Wr0ng-Password!!'))).toBe('NotAuthorizedException');
    await send(new sdk.AdminResetUserPasswordCommand({ UserPoolId: env.poolId, Username: user }));
    expect((await send(new sdk.AdminGetUserCommand({ UserPoolId: env.poolId, Username: user }))).UserStatus).toBe(
      'RESET_REQUIRED',
    );
    expect(await errorOf(signIn(user))).toBe('PasswordResetRequiredException');
  });

  it('locks sign-in after repeated wrong passwords', async () => {
    const user = email('lockout');
    await confirmed(user);
    for (let i = 0; i < 5; i++) await errorOf(signIn(user, 'Wr0ng-Password!!'));
    const locked = await signIn(user).catch((error: Error) => error);
    expect((locked as Error).name).toBe('NotAuthorizedException');
    expect((locked as Error).message).toBe('Password attempts exceeded');
  });
});

describe('codes', () => {
  it('are single use', async () => {
    const user = email('single');
    await confirmed(user);
    await send(new sdk.ForgotPasswordCommand({ ClientId: env.clientId, SecretHash: hash(user), Username: user }));
    const code = lastCode(user);
    const confirm = (password: string) =>
      send(
        new sdk.ConfirmForgotPasswordCommand({
          ClientId: env.clientId,
          SecretHash: hash(user),
          Username: user,
          ConfirmationCode: code,
          Password: password,
        }),
      );
    await confirm(NEW_PASSWORD);
    expect(await errorOf(confirm(PASSWORD))).toBe('ExpiredCodeException');
  });

  it('expire after 1 hour for a reset and 24 hours for a sign-up', async () => {
    const user = email('expiry');
    await signUp(user);
    clock += 24 * 3600_000 + 1000;
    expect(
      await errorOf(
        send(
          new sdk.ConfirmSignUpCommand({
            ClientId: env.clientId,
            SecretHash: hash(user),
            Username: user,
            ConfirmationCode: lastCode(user),
          }),
        ),
      ),
    ).toBe('ExpiredCodeException');
    clock = Date.now();
    const other = email('expiry-reset');
    await confirmed(other);
    await send(new sdk.ForgotPasswordCommand({ ClientId: env.clientId, SecretHash: hash(other), Username: other }));
    clock += 3600_000 + 1000;
    expect(
      await errorOf(
        send(
          new sdk.ConfirmForgotPasswordCommand({
            ClientId: env.clientId,
            SecretHash: hash(other),
            Username: other,
            ConfirmationCode: lastCode(other),
            Password: NEW_PASSWORD,
          }),
        ),
      ),
    ).toBe('ExpiredCodeException');
  });

  it('allow a bounded number of attempts', async () => {
    const user = email('attempts');
    await confirmed(user);
    await send(new sdk.ForgotPasswordCommand({ ClientId: env.clientId, SecretHash: hash(user), Username: user }));
    const right = lastCode(user);
    const wrong = right === '000000' ? '111111' : '000000';
    const attempt = (code: string) =>
      errorOf(
        send(
          new sdk.ConfirmForgotPasswordCommand({
            ClientId: env.clientId,
            SecretHash: hash(user),
            Username: user,
            ConfirmationCode: code,
            Password: NEW_PASSWORD,
          }),
        ),
      );
    for (let i = 0; i < 5; i++) expect(await attempt(wrong)).toBe('CodeMismatchException');
    expect(await attempt(right)).toBe('LimitExceededException');
  });

  it('limits how many codes a user can ask for', async () => {
    const user = email('requests');
    await confirmed(user);
    const ask = () =>
      errorOf(send(new sdk.ForgotPasswordCommand({ ClientId: env.clientId, SecretHash: hash(user), Username: user })));
    for (let i = 0; i < 10; i++) expect(await ask()).toBe('no error');
    expect(await ask()).toBe('LimitExceededException');
  });

  it('differ from one request to the next', async () => {
    const user = email('random');
    await confirmed(user);
    const codes = new Set<string>();
    for (let i = 0; i < 5; i++) {
      await send(new sdk.ForgotPasswordCommand({ ClientId: env.clientId, SecretHash: hash(user), Username: user }));
      codes.add(lastCode(user));
    }
    expect(codes.size).toBeGreaterThan(1);
  });
});

describe('PreventUserExistenceErrors', () => {
  it('hides unknown users on an ENABLED client', async () => {
    const user = email('ghost');
    const forgot = await send(
      new sdk.ForgotPasswordCommand({ ClientId: env.clientId, SecretHash: hash(user), Username: user }),
    );
    expect(forgot.CodeDeliveryDetails).toEqual({
      Destination: 'g***@e***',
      DeliveryMedium: 'EMAIL',
      AttributeName: 'email',
    });
    expect(
      await errorOf(
        send(
          new sdk.ConfirmForgotPasswordCommand({
            ClientId: env.clientId,
            SecretHash: hash(user),
            Username: user,
            ConfirmationCode: '123456',
            Password: NEW_PASSWORD,
          }),
        ),
      ),
    ).toBe('CodeMismatchException');
    expect(await errorOf(signIn(user))).toBe('NotAuthorizedException');
    expect(env.local.outbox.some((m) => m.to === user)).toBe(false);
  });

  it('reveals them on a LEGACY client, as Cognito does', async () => {
    expect(
      await errorOf(send(new sdk.ForgotPasswordCommand({ ClientId: env.legacyClientId, Username: email('ghost') }))),
    ).toBe('UserNotFoundException');
  });
});

describe('attributes', () => {
  it('ConfirmSignUp verifies the email; an email change stays pending until verified', async () => {
    const user = email('attrs');
    await confirmed(user);
    const tokens = await signIn(user);
    const attrs = async () =>
      Object.fromEntries(
        ((await send(new sdk.GetUserCommand({ AccessToken: tokens.AccessToken }))).UserAttributes as any[]).map((a) => [
          a.Name,
          a.Value,
        ]),
      );
    expect(await attrs()).toMatchObject({ email: user, email_verified: 'true' });
    const next = email('attrs-new');
    const update = await send(
      new sdk.UpdateUserAttributesCommand({
        AccessToken: tokens.AccessToken,
        UserAttributes: [{ Name: 'email', Value: next }],
      }),
    );
    expect(update.CodeDeliveryDetailsList).toHaveLength(1);
    expect(await attrs()).toMatchObject({ email: user, email_verified: 'true' });
    await send(
      new sdk.VerifyUserAttributeCommand({
        AccessToken: tokens.AccessToken,
        AttributeName: 'email',
        Code: lastCode(next),
      }),
    );
    expect(await attrs()).toMatchObject({ email: next, email_verified: 'true' });
  });
});

describe('triggers', () => {
  it('receive the documented event shapes with the caller ClientMetadata', async () => {
    triggerEvents.length = 0;
    const user = email('events');
    await send(
      new sdk.SignUpCommand({
        ClientId: env.clientId,
        SecretHash: hash(user),
        Username: user,
        Password: PASSWORD,
        ClientMetadata: { locale: 'fr' },
      }),
    );
    await send(
      new sdk.ConfirmSignUpCommand({
        ClientId: env.clientId,
        SecretHash: hash(user),
        Username: user,
        ConfirmationCode: lastCode(user),
        ClientMetadata: { app: 'x' },
      }),
    );
    const [message, confirmation] = triggerEvents;
    expect(message).toMatchObject({
      version: '1',
      region: 'us-east-1',
      userPoolId: env.poolId,
      userName: expect.any(String),
      callerContext: { awsSdkVersion: expect.any(String), clientId: env.clientId },
      triggerSource: 'CustomMessage_SignUp',
      request: {
        userAttributes: { email: user, 'cognito:user_status': 'UNCONFIRMED', sub: expect.any(String) },
        codeParameter: '{####}',
        linkParameter: '{##Click Here##}',
        usernameParameter: null,
        clientMetadata: { locale: 'fr' },
      },
      response: { smsMessage: null, emailMessage: null, emailSubject: null },
    });
    expect(confirmation).toMatchObject({
      triggerSource: 'PostConfirmation_ConfirmSignUp',
      request: { userAttributes: { 'cognito:user_status': 'CONFIRMED' }, clientMetadata: { app: 'x' } },
    });
    const delivered = env.local.outbox.filter((m) => m.to === user).at(-1);
    expect(delivered?.body).toBe(`Code: ${delivered?.code}`);
  });

  it('surface failures as Cognito reports them', async () => {
    const ask = (user: string) => errorOf(signUp(user));
    triggerBehaviour = 'throw';
    expect(await ask(email('throw'))).toBe('UserLambdaValidationException');
    triggerBehaviour = 'hang';
    expect(await ask(email('hang'))).toBe('UnexpectedLambdaException');
    triggerBehaviour = 'no-code';
    expect(await ask(email('nocode'))).toBe('InvalidLambdaResponseException');
  });

  it('pass usernameParameter only for AdminCreateUser', async () => {
    triggerEvents.length = 0;
    const user = email('admin-created');
    await send(
      new sdk.AdminCreateUserCommand({
        UserPoolId: env.poolId,
        Username: user,
        UserAttributes: [{ Name: 'email_verified', Value: 'true' }],
      }),
    );
    expect(triggerEvents[0]).toMatchObject({
      triggerSource: 'CustomMessage_AdminCreateUser',
      request: { usernameParameter: '{username}' },
    });
  });
});

describe('prototype keys', () => {
  it('treats "constructor", "__proto__" and "toString" as unknown users, never as internals', async () => {
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      expectWith(await errorOf(signIn(name)), name).toBe('NotAuthorizedException');
      const forgot = await send(
        new sdk.ForgotPasswordCommand({ ClientId: env.clientId, SecretHash: hash(name), Username: name }),
      );
      expectWith(forgot.CodeDeliveryDetails.DeliveryMedium, name).toBe('EMAIL');
      expectWith(
        await errorOf(
          send(
            new sdk.ConfirmForgotPasswordCommand({
              ClientId: env.clientId,
              SecretHash: hash(name),
              Username: name,
              ConfirmationCode: '1',
              Password: NEW_PASSWORD,
            }),
          ),
        ),
        name,
      ).toBe('CodeMismatchException');
      expectWith(
        await errorOf(send(new sdk.AdminGetUserCommand({ UserPoolId: env.poolId, Username: name }))),
        name,
      ).toBe('UserNotFoundException');
    }
    expect(
      await errorOf(send(new sdk.DescribeUserPoolClientCommand({ UserPoolId: env.poolId, ClientId: 'constructor' }))),
    ).toBe('ResourceNotFoundException');
  });

  it('stores a group named "__proto__" as a plain entry', async () => {
    await send(new sdk.CreateGroupCommand({ UserPoolId: env.poolId, GroupName: '__proto__' }));
    expect(
      (await send(new sdk.GetGroupCommand({ UserPoolId: env.poolId, GroupName: '__proto__' }))).Group.GroupName,
    ).toBe('__proto__');
    expect(await errorOf(send(new sdk.GetGroupCommand({ UserPoolId: env.poolId, GroupName: 'constructor' })))).toBe(
      'ResourceNotFoundException',
    );
  });
});

describe('protocol', () => {
  it('answers an unsupported operation with a clear error', async () => {
    expect(await errorOf(send(new sdk.ListUserImportJobsCommand({ UserPoolId: env.poolId, MaxResults: 1 })))).toBe(
      'UnsupportedOperationException',
    );
  });

  it('answers missing parameters with InvalidParameterException', async () => {
    expect(await errorOf(send(new sdk.SignUpCommand({ ClientId: env.clientId } as never)))).toBe(
      'InvalidParameterException',
    );
  });

  // ReadAttributes: "Amazon Cognito only populates ReadAttributes in the API response if you have
  // specified your own custom set of read attributes." (API_CreateUserPoolClient)
  it('manages clients: describe, update (unset settings go back to defaults), delete', async () => {
    const created = await send(
      new sdk.CreateUserPoolClientCommand({
        UserPoolId: env.poolId,
        ClientName: 'temp',
        GenerateSecret: true,
        ReadAttributes: ['email'],
      }),
    );
    const clientId = created.UserPoolClient.ClientId;
    await send(
      new sdk.UpdateUserPoolClientCommand({
        UserPoolId: env.poolId,
        ClientId: clientId,
        ClientName: 'renamed',
        RefreshTokenValidity: 7,
      }),
    );
    const described = await send(new sdk.DescribeUserPoolClientCommand({ UserPoolId: env.poolId, ClientId: clientId }));
    expect(described.UserPoolClient).toMatchObject({
      ClientName: 'renamed',
      RefreshTokenValidity: 7,
      ClientSecret: created.UserPoolClient.ClientSecret,
    });
    expect(described.UserPoolClient.ReadAttributes).toBeUndefined();
    await send(new sdk.DeleteUserPoolClientCommand({ UserPoolId: env.poolId, ClientId: clientId }));
    expect(
      await errorOf(send(new sdk.DescribeUserPoolClientCommand({ UserPoolId: env.poolId, ClientId: clientId }))),
    ).toBe('ResourceNotFoundException');
  });
});

describe('persistence', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cognito-state-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps every concurrent write across a restart, with passwords hashed', async () => {
    const first = await startCognito(dir);
    const pool = await first.client.send(
      new sdk.CreateUserPoolCommand({ PoolName: 'p', UsernameAttributes: ['email'] }),
    );
    const poolId = pool.UserPool?.Id ?? '';
    const users = Array.from({ length: 20 }, (_, i) => `user${i}@example.com`);
    await Promise.all(
      users.map((Username) =>
        first.client.send(
          new sdk.AdminCreateUserCommand({
            UserPoolId: poolId,
            Username,
            TemporaryPassword: PASSWORD,
            MessageAction: 'SUPPRESS',
          }),
        ),
      ),
    );
    await stopServer(first.server);
    const second = await startCognito(dir);
    for (const Username of users) {
      expect((await second.client.send(new sdk.AdminGetUserCommand({ UserPoolId: poolId, Username }))).UserStatus).toBe(
        'FORCE_CHANGE_PASSWORD',
      );
    }
    const raw = JSON.stringify(second.local.engine.store.data);
    expect(raw).not.toContain(PASSWORD);
    expect(raw).toContain('scrypt$16384$');
    await stopServer(second.server);
  });

  it('refuses a corrupt state file with a clear message instead of resetting it', () => {
    writeFileSync(join(dir, 'cognito.json'), '{"version":1,"pools":{"x"');
    expect(() => new LocalCognito({ dataDir: dir })).toThrow(CorruptStateError);
    expect(() => new LocalCognito({ dataDir: dir })).toThrow(/cognito\.json is corrupt or half-written.*--reset/);
  });
});
