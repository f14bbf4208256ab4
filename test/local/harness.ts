/**
 * What every conformance file needs: a local Cognito served over HTTP on a free port, the real SDK
 * client pointed at it, a clock the test moves, and small helpers. Each file starts its own.
 */
import { createHmac } from 'node:crypto';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as sdk from '@aws-sdk/client-cognito-identity-provider';
import { awsJsonListener } from '../../local/aws-json';
import { ManualClock } from '../../local/clock';
import { LocalCognito, type LocalCognitoOptions } from '../../local/cognito';

export { sdk };
export const PASSWORD = 'Corr3ct-Horse-Battery!';
export const NEW_PASSWORD = 'N3w-Staple-Battery-Horse!';
export const WRONG_PASSWORD = 'Wr0ng-Password!!';

/** The API reference page of an operation, cited by the tests that model its rules. */
export const apiRef = (operation: string) =>
  `https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_${operation}.html`;

export interface Served {
  readonly local: LocalCognito;
  readonly server: Server;
  readonly endpoint: string;
  readonly client: sdk.CognitoIdentityProviderClient;
  readonly clock: ManualClock;
  /** Sends any command; answers its output untyped, as tests read it. */
  send<T>(command: T): Promise<any>;
  stop(): Promise<void>;
}

export async function serveCognito(options: LocalCognitoOptions = {}): Promise<Served> {
  const clock = new ManualClock();
  const local = new LocalCognito({ now: () => clock.now(), ...options });
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
  return {
    local,
    server,
    endpoint,
    client,
    clock,
    send: (command) => client.send(command as never) as Promise<any>,
    stop: () =>
      new Promise<void>((resolve) => {
        client.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The error's name, or 'no error': `expect(await errorOf(call)).toBe('NotAuthorizedException')`. */
export const errorOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'no error',
    (error: Error) => error.name,
  );

/** The error itself (name and message), or undefined when the call succeeded. */
export const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: Error) => error,
  );

let n = 0;
export const uniqueEmail = (label: string) => `${label}.${process.pid}.${n++}@example.com`;

/** `[{Name, Value}]` as a plain object. */
export const attributesOf = (list: readonly { Name?: string; Value?: string }[] | undefined) =>
  Object.fromEntries((list ?? []).map((a) => [a.Name ?? '', a.Value ?? '']));

/**
 * A pool as the product configures it (sign-in with email, email auto-verified and kept until
 * verified, the password policy) with a public client (no secret) that allows password sign-in,
 * unless `pool`/`client` override parts.
 */
export async function createPool(
  served: Served,
  pool: Partial<sdk.CreateUserPoolCommandInput> = {},
  client: Partial<sdk.CreateUserPoolClientCommandInput> = {},
) {
  const created = await served.send(
    new sdk.CreateUserPoolCommand({
      PoolName: 'conformance',
      UsernameAttributes: ['email'],
      AutoVerifiedAttributes: ['email'],
      UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ['email'] },
      ...pool,
    }),
  );
  const poolId: string = created.UserPool.Id;
  const app = await served.send(
    new sdk.CreateUserPoolClientCommand({
      UserPoolId: poolId,
      ClientName: 'app',
      ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      PreventUserExistenceErrors: 'ENABLED',
      ...client,
    }),
  );
  const clientId: string = app.UserPoolClient.ClientId;
  const clientSecret: string | undefined = app.UserPoolClient.ClientSecret;
  const secretHash = (username: string) =>
    clientSecret
      ? createHmac('sha256', clientSecret)
          .update(username + clientId)
          .digest('base64')
      : undefined;
  return { poolId, clientId, clientSecret, secretHash };
}

export type Pool = Awaited<ReturnType<typeof createPool>>;

/** The user flows of one pool and client, as the BFF drives them. */
export function flows(served: Served, pool: Pool) {
  const { poolId, clientId, secretHash } = pool;
  const lastCode = (to: string) => served.local.outbox.filter((m) => m.to === to).at(-1)?.code ?? '';
  const signUp = (username: string, attributes: Record<string, string> = {}, password = PASSWORD) =>
    served.send(
      new sdk.SignUpCommand({
        ClientId: clientId,
        SecretHash: secretHash(username),
        Username: username,
        Password: password,
        UserAttributes: Object.entries(attributes).map(([Name, Value]) => ({ Name, Value })),
      }),
    );
  const confirmSignUp = (username: string, code = lastCode(username)) =>
    served.send(
      new sdk.ConfirmSignUpCommand({
        ClientId: clientId,
        SecretHash: secretHash(username),
        Username: username,
        ConfirmationCode: code,
      }),
    );
  const signIn = async (username: string, password = PASSWORD) =>
    served.send(
      new sdk.InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: {
          USERNAME: username,
          PASSWORD: password,
          ...(secretHash(username) ? { SECRET_HASH: secretHash(username) as string } : {}),
        },
      }),
    );
  const tokens = async (username: string, password = PASSWORD) =>
    (await signIn(username, password)).AuthenticationResult as sdk.AuthenticationResultType;
  const confirmed = async (username: string, attributes: Record<string, string> = {}) => {
    await signUp(username, attributes);
    await confirmSignUp(username);
    return tokens(username);
  };
  const forgot = (username: string) =>
    served.send(
      new sdk.ForgotPasswordCommand({ ClientId: clientId, SecretHash: secretHash(username), Username: username }),
    );
  const confirmForgot = (username: string, code: string, password = NEW_PASSWORD) =>
    served.send(
      new sdk.ConfirmForgotPasswordCommand({
        ClientId: clientId,
        SecretHash: secretHash(username),
        Username: username,
        ConfirmationCode: code,
        Password: password,
      }),
    );
  const getUser = (accessToken: string | undefined) =>
    served.send(new sdk.GetUserCommand({ AccessToken: accessToken }));
  const attributes = async (accessToken: string | undefined) =>
    attributesOf((await getUser(accessToken)).UserAttributes);
  const adminGet = (username: string) =>
    served.send(new sdk.AdminGetUserCommand({ UserPoolId: poolId, Username: username }));
  const invite = (username: string, extra: Partial<sdk.AdminCreateUserCommandInput> = {}) =>
    served.send(
      new sdk.AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: username,
        TemporaryPassword: PASSWORD,
        MessageAction: 'SUPPRESS',
        UserAttributes: [{ Name: 'email_verified', Value: 'true' }],
        ...extra,
      }),
    );
  return {
    lastCode,
    signUp,
    confirmSignUp,
    signIn,
    tokens,
    confirmed,
    forgot,
    confirmForgot,
    getUser,
    attributes,
    adminGet,
    invite,
  };
}
