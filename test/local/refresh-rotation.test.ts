/**
 * The local Cognito's GetTokensFromRefreshToken and refresh-token rotation, through the real SDK, as documented:
 * https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_GetTokensFromRefreshToken.html
 * https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_RefreshTokenRotationType.html
 * https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-the-refresh-token.html
 */
import { createHmac } from 'node:crypto';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as sdk from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { awsJsonListener } from '../../local/aws-json';
import { LocalCognito } from '../../local/cognito';

const PASSWORD = 'Corr3ct-Horse-Battery!';
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
    new sdk.CreateUserPoolCommand({ PoolName: 'rotation', UsernameAttributes: ['email'] }),
  );
  poolId = pool.UserPool?.Id ?? '';
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

async function clientWith(rotation?: sdk.RefreshTokenRotationType) {
  const created = await cognito.send(
    new sdk.CreateUserPoolClientCommand({
      UserPoolId: poolId,
      ClientName: `client-${Math.random()}`,
      GenerateSecret: true,
      ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      ...(rotation ? { RefreshTokenRotation: rotation } : {}),
    }),
  );
  const { ClientId = '', ClientSecret = '' } = created.UserPoolClient ?? {};
  return { clientId: ClientId, secret: ClientSecret, described: created.UserPoolClient };
}

let users = 0;
async function signedIn(c: { clientId: string; secret: string }) {
  const email = `rotation${users++}@example.com`;
  await cognito.send(
    new sdk.AdminCreateUserCommand({ UserPoolId: poolId, Username: email, MessageAction: 'SUPPRESS' }),
  );
  await cognito.send(
    new sdk.AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: email, Password: PASSWORD, Permanent: true }),
  );
  const hash = createHmac('sha256', c.secret)
    .update(email + c.clientId)
    .digest('base64');
  const answer = await cognito.send(
    new sdk.InitiateAuthCommand({
      ClientId: c.clientId,
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: email, PASSWORD, SECRET_HASH: hash },
    }),
  );
  return { email, refreshToken: answer.AuthenticationResult?.RefreshToken ?? '' };
}

const refresh = (c: { clientId: string; secret: string }, RefreshToken: string, ClientSecret = c.secret) =>
  cognito.send(new sdk.GetTokensFromRefreshTokenCommand({ ClientId: c.clientId, ClientSecret, RefreshToken }));

describe('GetTokensFromRefreshToken', () => {
  it('without rotation issues ID and access tokens only, and the refresh token keeps working', async () => {
    const c = await clientWith();
    expect(c.described?.RefreshTokenRotation).toEqual({ Feature: 'DISABLED', RetryGracePeriodSeconds: 0 });
    const { refreshToken } = await signedIn(c);
    const first = await refresh(c, refreshToken);
    expect(first.AuthenticationResult?.AccessToken).toEqual(expect.any(String));
    expect(first.AuthenticationResult?.RefreshToken).toBeUndefined();
    expect((await refresh(c, refreshToken)).AuthenticationResult?.IdToken).toEqual(expect.any(String));
  });

  it('takes the client secret itself, and refuses a wrong one', async () => {
    const c = await clientWith();
    const { refreshToken } = await signedIn(c);
    // A wrong secret of a valid shape (ClientSecretType: 24-64 word characters).
    await expect(refresh(c, refreshToken, 'wrongSecret'.repeat(4))).rejects.toBeInstanceOf(sdk.NotAuthorizedException);
    await expect(refresh(c, 'not-a-token')).rejects.toBeInstanceOf(sdk.NotAuthorizedException);
  });

  it('with rotation issues a new refresh token; the old one lasts the grace period, then is reuse', async () => {
    const c = await clientWith({ Feature: 'ENABLED', RetryGracePeriodSeconds: 5 });
    const { refreshToken } = await signedIn(c);
    const second = (await refresh(c, refreshToken)).AuthenticationResult?.RefreshToken ?? '';
    expect(second).toEqual(expect.any(String));
    expect(second).not.toBe(refreshToken);
    clock += 4_000;
    // A retry within the grace period: the token it replaces keeps its own grace period too.
    const third = (await refresh(c, refreshToken)).AuthenticationResult?.RefreshToken ?? '';
    expect((await refresh(c, second)).AuthenticationResult?.AccessToken).toEqual(expect.any(String));
    clock += 2_000;
    await expect(refresh(c, refreshToken)).rejects.toBeInstanceOf(sdk.RefreshTokenReuseException);
    clock += 10_000;
    await expect(refresh(c, second)).rejects.toBeInstanceOf(sdk.RefreshTokenReuseException);
    await expect(refresh(c, third)).rejects.toBeInstanceOf(sdk.RefreshTokenReuseException);
  });

  it('with a grace period of 0 refuses the replaced token at once', async () => {
    const c = await clientWith({ Feature: 'ENABLED', RetryGracePeriodSeconds: 0 });
    const { refreshToken } = await signedIn(c);
    const next = (await refresh(c, refreshToken)).AuthenticationResult?.RefreshToken ?? '';
    await expect(refresh(c, refreshToken)).rejects.toBeInstanceOf(sdk.RefreshTokenReuseException);
    expect((await refresh(c, next)).AuthenticationResult?.RefreshToken).toEqual(expect.any(String));
  });

  it('refuses REFRESH_TOKEN_AUTH on a client with rotation enabled', async () => {
    const c = await clientWith({ Feature: 'ENABLED', RetryGracePeriodSeconds: 5 });
    const { email, refreshToken } = await signedIn(c);
    const hash = createHmac('sha256', c.secret)
      .update(email + c.clientId)
      .digest('base64');
    await expect(
      cognito.send(
        new sdk.InitiateAuthCommand({
          ClientId: c.clientId,
          AuthFlow: 'REFRESH_TOKEN_AUTH',
          AuthParameters: { REFRESH_TOKEN: refreshToken, SECRET_HASH: hash },
        }),
      ),
    ).rejects.toBeInstanceOf(sdk.InvalidParameterException);
  });

  it('validates RefreshTokenRotation: Feature ENABLED or DISABLED, grace 0-60 s', async () => {
    for (const rotation of [
      { Feature: 'ON', RetryGracePeriodSeconds: 5 },
      { Feature: 'ENABLED', RetryGracePeriodSeconds: 61 },
    ]) {
      await expect(clientWith(rotation as sdk.RefreshTokenRotationType)).rejects.toBeInstanceOf(
        sdk.InvalidParameterException,
      );
    }
  });
});
