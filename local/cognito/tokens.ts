/** Tokens and the sessions behind them: issuing, verifying, revoking, and the sign-in challenge session. */
import { readBoolean, readableBy } from './attributes';
import { decodeJwt, newId, signJwt, verifySignature } from './crypto';
import type { Engine } from './engine';
import {
  CognitoError,
  type StoredClient,
  type StoredPool,
  type StoredSession,
  type StoredUser,
  err,
  own,
} from './model';

const SESSION_TTL_MS = 3 * 60_000;

export const issuer = (engine: Engine, pool: StoredPool) => `${engine.issuerBase}/${pool.id}`;

/**
 * Access, id and refresh token for a new session; access and id tokens for an existing one (`originJti`), and a
 * new refresh token too when the client rotates them (`rotate`); the replaced one lasts the grace period.
 */
export function issueTokens(
  engine: Engine,
  pool: StoredPool,
  client: StoredClient,
  user: StoredUser,
  originJti?: string,
  rotate = false,
) {
  const now = Math.floor(engine.now() / 1000);
  const origin = originJti ?? newId();
  const refreshJti = newId();
  if (!originJti) user.sessions[origin] = { clientId: client.clientId, createdAt: engine.now(), refreshJti };
  const session = user.sessions[origin];
  if (originJti && rotate && session) {
    // The token replaced now (and any retry's) keeps working for the grace period: tabs and retries holding it
    // are not signed out.
    const nowMs = engine.now();
    const graceMs = (client.refreshTokenRotation?.retryGracePeriodSeconds ?? 0) * 1000;
    const replaced = (session.replaced ?? []).filter((r) => r.until > nowMs);
    if (session.refreshJti) replaced.push({ jti: session.refreshJti, until: nowMs + graceMs });
    session.replaced = replaced;
    session.refreshJti = refreshJti;
  }
  const groups = user.groups.length > 0 ? { 'cognito:groups': [...user.groups] } : {};
  const common = {
    sub: user.username,
    iss: issuer(engine, pool),
    origin_jti: origin,
    event_id: newId(),
    auth_time: now,
    iat: now,
  };
  const accessExp = now + client.accessTokenValidityMinutes * 60;
  const access = signJwt(
    {
      ...common,
      ...groups,
      client_id: client.clientId,
      token_use: 'access',
      scope: 'aws.cognito.signin.user.admin',
      exp: accessExp,
      jti: newId(),
      username: user.username,
    },
    pool.key,
  );
  // The id token carries what the client may read; the `*_verified` flags as JSON booleans.
  const readable = Object.fromEntries(
    Object.entries(user.attributes)
      .filter(([name]) => readableBy(client, name))
      .map(([name, value]) => [name, name.endsWith('_verified') ? readBoolean(value) : value]),
  );
  const id = signJwt(
    {
      ...readable,
      ...common,
      ...groups,
      'cognito:username': user.username,
      aud: client.clientId,
      token_use: 'id',
      exp: now + client.idTokenValidityMinutes * 60,
      jti: newId(),
    },
    pool.key,
  );
  const refresh =
    originJti && !rotate
      ? undefined
      : signJwt(
          {
            sub: user.username,
            iss: issuer(engine, pool),
            client_id: client.clientId,
            origin_jti: origin,
            token_use: 'refresh',
            iat: now,
            exp: now + client.refreshTokenValidityDays * 86400,
            jti: refreshJti,
          },
          pool.key,
        );
  return {
    AccessToken: access,
    IdToken: id,
    ...(refresh ? { RefreshToken: refresh } : {}),
    ExpiresIn: client.accessTokenValidityMinutes * 60,
    TokenType: 'Bearer',
  };
}

/**
 * Verifies a token Cognito issued: shape, signature, issuer, expiry, use, live session.
 * Anything wrong is NotAuthorizedException, as Cognito answers.
 */
export function verifyToken(
  engine: Engine,
  token: unknown,
  use: 'access' | 'refresh',
): { pool: StoredPool; user: StoredUser; claims: Record<string, unknown> } {
  const invalid = () => err.notAuthorized(use === 'access' ? 'Invalid Access Token' : 'Invalid Refresh Token');
  if (typeof token !== 'string') throw invalid();
  const jwt = decodeJwt(token);
  const iss = jwt?.claims.iss;
  if (!jwt || typeof iss !== 'string' || !iss.startsWith(`${engine.issuerBase}/`)) throw invalid();
  const pool = own(engine.store.data.pools, iss.slice(engine.issuerBase.length + 1));
  if (!pool || !verifySignature(jwt, pool.key.publicJwk)) throw invalid();
  const { claims } = jwt;
  if (claims.token_use !== use) throw invalid();
  if (typeof claims.exp !== 'number' || claims.exp * 1000 <= engine.now()) {
    throw err.notAuthorized(use === 'access' ? 'Access Token has expired' : 'Refresh Token has expired');
  }
  const user = own(pool.users, claims.sub);
  const origin = claims.origin_jti;
  if (!user || !own(user.sessions, origin)) {
    throw err.notAuthorized(use === 'access' ? 'Access Token has been revoked' : 'Refresh Token has been revoked');
  }
  if (use === 'refresh') checkRotation(engine, user.sessions[origin as string], claims.jti);
  if (!user.enabled) throw err.notAuthorized('User is disabled.');
  return { pool, user, claims };
}

/**
 * A session that rotated its refresh token accepts the current one, and the one it replaced until the grace
 * period ends; any older one is refused (API_GetTokensFromRefreshToken, RefreshTokenReuseException: "the refresh
 * token has been invalidated by refresh-token rotation";
 * https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_GetTokensFromRefreshToken.html).
 */
function checkRotation(engine: Engine, session: StoredSession | undefined, jti: unknown): void {
  if (!session?.refreshJti || jti === session.refreshJti) return;
  if (session.replaced?.some((r) => r.jti === jti && engine.now() < r.until)) return;
  throw new CognitoError('RefreshTokenReuseException', 'The refresh token has been invalidated by rotation.');
}

/** For self-service calls: a valid access token of a user in a usable state. */
export function authenticate(engine: Engine, token: unknown) {
  const auth = verifyToken(engine, token, 'access');
  if (auth.user.status === 'RESET_REQUIRED') throw err.passwordResetRequired();
  if (auth.user.status === 'UNCONFIRMED') throw err.userNotConfirmed();
  return auth;
}

/** Ends the session a refresh token belongs to: its tokens stop verifying. */
export function endSession(user: StoredUser, originJti: string): void {
  delete user.sessions[originJti];
}

/** Ends all of a user's sessions (global sign-out). */
export function endAllSessions(user: StoredUser): void {
  user.sessions = {};
}

export function newChallengeSession(engine: Engine, pool: StoredPool, client: StoredClient, user: StoredUser): string {
  const now = engine.now();
  for (const [id, c] of Object.entries(pool.challenges)) if (c.expiresAt <= now) delete pool.challenges[id];
  const session = `${newId()}${newId()}`.replaceAll('-', '');
  pool.challenges[session] = { username: user.username, clientId: client.clientId, expiresAt: now + SESSION_TTL_MS };
  return session;
}
