/**
 * The local Cognito's client secret rotation operations, through the real SDK, with the API model's shapes,
 * limits and errors:
 * https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AddUserPoolClientSecret.html
 * https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ListUserPoolClientSecrets.html
 * https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_DeleteUserPoolClientSecret.html
 */
import { createHmac } from 'node:crypto';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as sdk from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { awsJsonListener } from '../../local/aws-json';
import { LocalCognito } from '../../local/cognito';

const PASSWORD = 'Corr3ct-Horse-Battery!';
const CHOSEN = 'Chosen0Secret0Value0With0Words0Only0123';
let clock = Date.now();
let server: Server;
let cognito: sdk.CognitoIdentityProviderClient;
let poolId: string;

beforeAll(async () => {
  const local = new LocalCognito({ now: () => clock });
  server = createServer(awsJsonListener([local.service], (path) => local.jwks(path)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  local.engine.issuerBase = endpoint;
  cognito = new sdk.CognitoIdentityProviderClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  const pool = await cognito.send(
    new sdk.CreateUserPoolCommand({ PoolName: 'secrets', UsernameAttributes: ['email'] }),
  );
  poolId = pool.UserPool?.Id ?? '';
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

async function newClient(secret = true) {
  const created = await cognito.send(
    new sdk.CreateUserPoolClientCommand({
      UserPoolId: poolId,
      ClientName: `client-${Math.random()}`,
      GenerateSecret: secret,
      ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'],
      RefreshTokenRotation: { Feature: 'ENABLED', RetryGracePeriodSeconds: 0 },
    }),
  );
  return { clientId: created.UserPoolClient?.ClientId ?? '', secret: created.UserPoolClient?.ClientSecret ?? '' };
}

const ids = (c: { clientId: string }) => ({ UserPoolId: poolId, ClientId: c.clientId });
const add = (c: { clientId: string }, ClientSecret?: string) =>
  cognito.send(new sdk.AddUserPoolClientSecretCommand({ ...ids(c), ...(ClientSecret ? { ClientSecret } : {}) }));
const list = async (c: { clientId: string }) =>
  (await cognito.send(new sdk.ListUserPoolClientSecretsCommand(ids(c)))).ClientSecrets ?? [];
const remove = (c: { clientId: string }, ClientSecretId: string) =>
  cognito.send(new sdk.DeleteUserPoolClientSecretCommand({ ...ids(c), ClientSecretId }));

let users = 0;
async function user() {
  const email = `secrets${users++}@example.com`;
  await cognito.send(
    new sdk.AdminCreateUserCommand({ UserPoolId: poolId, Username: email, MessageAction: 'SUPPRESS' }),
  );
  await cognito.send(
    new sdk.AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: email, Password: PASSWORD, Permanent: true }),
  );
  return email;
}

const signIn = (c: { clientId: string }, email: string, secret: string) =>
  cognito.send(
    new sdk.InitiateAuthCommand({
      ClientId: c.clientId,
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: {
        USERNAME: email,
        PASSWORD,
        SECRET_HASH: createHmac('sha256', secret)
          .update(email + c.clientId)
          .digest('base64'),
      },
    }),
  );

describe('AddUserPoolClientSecret', () => {
  it('adds a chosen secret without returning its value; a SecretHash with either live secret signs in', async () => {
    const c = await newClient();
    const email = await user();
    const added = await add(c, CHOSEN);
    // "For custom secrets that you provide, the ClientSecretValue is not included in the response."
    expect(added.ClientSecretDescriptor?.ClientSecretValue).toBeUndefined();
    expect(added.ClientSecretDescriptor?.ClientSecretId).toMatch(new RegExp(`^${c.clientId}--\\d+$`));
    expect(added.ClientSecretDescriptor?.ClientSecretCreateDate).toBeInstanceOf(Date);
    expect((await signIn(c, email, c.secret)).AuthenticationResult?.AccessToken).toEqual(expect.any(String));
    expect((await signIn(c, email, CHOSEN)).AuthenticationResult?.AccessToken).toEqual(expect.any(String));
    await expect(signIn(c, email, 'Neither0Of0The0Live0Secrets00')).rejects.toThrow('Unable to verify secret hash');
  });

  it('generates and returns a secret when none is given', async () => {
    const c = await newClient();
    const added = await add(c);
    expect(added.ClientSecretDescriptor?.ClientSecretValue).toMatch(/^[\w+]{24,64}$/);
    const email = await user();
    const secret = added.ClientSecretDescriptor?.ClientSecretValue ?? '';
    expect((await signIn(c, email, secret)).AuthenticationResult?.IdToken).toEqual(expect.any(String));
  });

  it('refuses a third live secret with LimitExceededException', async () => {
    const c = await newClient();
    await add(c, CHOSEN);
    await expect(add(c, `${CHOSEN}X`)).rejects.toBeInstanceOf(sdk.LimitExceededException);
    expect(await list(c)).toHaveLength(2);
  });

  it("checks ClientSecretType's length and pattern, and refuses a public client", async () => {
    const c = await newClient();
    await expect(add(c, 'short')).rejects.toBeInstanceOf(sdk.InvalidParameterException);
    await expect(add(c, 'has-a-dash-which-the-pattern-refuses')).rejects.toBeInstanceOf(sdk.InvalidParameterException);
    const open = await newClient(false);
    await expect(add(open, CHOSEN)).rejects.toBeInstanceOf(sdk.InvalidParameterException);
    await expect(add({ clientId: 'nosuchclient' }, CHOSEN)).rejects.toBeInstanceOf(sdk.ResourceNotFoundException);
  });
});

describe('ListUserPoolClientSecrets', () => {
  it('lists both live secrets, oldest first, never their values', async () => {
    const c = await newClient();
    const before = await list(c);
    expect(before).toHaveLength(1);
    clock += 1000;
    const added = await add(c, CHOSEN);
    const after = await list(c);
    expect(after.map((s) => s.ClientSecretId)).toEqual([
      before[0]?.ClientSecretId,
      added.ClientSecretDescriptor?.ClientSecretId,
    ]);
    for (const s of after) expect(s.ClientSecretValue).toBeUndefined();
    expect(JSON.stringify(after)).not.toContain(CHOSEN);
  });
});

describe('DeleteUserPoolClientSecret', () => {
  it('deletes the old secret: its SecretHash and ClientSecret stop working, the new ones work', async () => {
    const c = await newClient();
    const email = await user();
    const [old] = await list(c);
    await add(c, CHOSEN);
    await remove(c, old?.ClientSecretId ?? '');
    await expect(signIn(c, email, c.secret)).rejects.toThrow('Unable to verify secret hash');
    const signedIn = await signIn(c, email, CHOSEN);
    const refreshToken = signedIn.AuthenticationResult?.RefreshToken ?? '';
    const refresh = (ClientSecret: string) =>
      cognito.send(
        new sdk.GetTokensFromRefreshTokenCommand({ ClientId: c.clientId, ClientSecret, RefreshToken: refreshToken }),
      );
    await expect(refresh(c.secret)).rejects.toBeInstanceOf(sdk.NotAuthorizedException);
    expect((await refresh(CHOSEN)).AuthenticationResult?.AccessToken).toEqual(expect.any(String));
    expect((await list(c)).map((s) => s.ClientSecretId)).not.toContain(old?.ClientSecretId);
  });

  it('refuses to delete the last secret, and an unknown one', async () => {
    const c = await newClient();
    const [only] = await list(c);
    await expect(remove(c, only?.ClientSecretId ?? '')).rejects.toBeInstanceOf(sdk.InvalidParameterException);
    await expect(remove(c, `${c.clientId}--1`)).rejects.toBeInstanceOf(sdk.ResourceNotFoundException);
    await expect(remove(c, '')).rejects.toBeInstanceOf(sdk.InvalidParameterException);
    expect(await list(c)).toHaveLength(1);
  });
});
