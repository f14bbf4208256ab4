/**
 * GetTokensFromRefreshToken, with refresh-token rotation as the app client sets it
 * (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_GetTokensFromRefreshToken.html,
 * https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_RefreshTokenRotationType.html).
 */
import { isLiveSecret } from './client-secrets';
import { optStr, str } from './input';
import { err } from './model';
import { issueTokens, verifyToken } from './tokens';
import type { Operation } from './user-operations';

export const rotates = (client: { refreshTokenRotation?: { feature: string } }) =>
  client.refreshTokenRotation?.feature === 'ENABLED';

const GetTokensFromRefreshToken: Operation = async (engine, input) => {
  const { pool, client } = engine.client(str(input, 'ClientId', 128));
  const token = str(input, 'RefreshToken');
  // The operation takes the client secret itself, not a SecretHash.
  if (client.clientSecret && !isLiveSecret(client, optStr(input, 'ClientSecret'))) {
    throw err.notAuthorized(`Unable to verify secret for client ${client.clientId}`);
  }
  const auth = verifyToken(engine, token, 'refresh');
  if (auth.pool.id !== pool.id || auth.claims.client_id !== client.clientId) {
    throw err.notAuthorized('Invalid Refresh Token');
  }
  if (auth.user.status === 'RESET_REQUIRED') throw err.passwordResetRequired();
  const origin = auth.claims.origin_jti as string;
  // With rotation: new ID, access and refresh tokens; the presented one lasts only the grace period.
  const result = issueTokens(engine, pool, client, auth.user, origin, rotates(client));
  if (rotates(client)) await engine.store.commit();
  return { AuthenticationResult: result };
};

export const refreshOperations: Record<string, Operation> = { GetTokensFromRefreshToken };
