/** What callers present as proof: a client's SecretHash, a user's password, and the password policy. */
import { liveSecrets } from './client-secrets';
import { DUMMY_HASH, safeEqual, secretHash, verifyPassword } from './crypto';
import { type StoredClient, type StoredPool, type StoredUser, err } from './model';

/** SecretHash = Base64(HMAC-SHA256(secret, username + clientId)), required for secret clients. */
export function checkSecretHash(client: StoredClient, usernames: readonly string[], given: unknown): void {
  const secrets = liveSecrets(client);
  if (secrets.length === 0) return;
  // Either live secret (two during a rotation: client-secrets.ts).
  const ok =
    typeof given === 'string' &&
    secrets.some(({ value }) => usernames.some((name) => safeEqual(secretHash(name, client.clientId, value), given)));
  if (!ok) {
    throw err.notAuthorized(
      given === undefined
        ? `Client ${client.clientId} is configured with secret but SECRET_HASH was not received`
        : `Unable to verify secret hash for client ${client.clientId}`,
    );
  }
}

export function checkPasswordPolicy(pool: StoredPool, password: string): void {
  const p = pool.policy;
  if (password.length < p.minimumLength) throw err.invalidPassword('Password not long enough');
  if (p.requireLowercase && !/[a-z]/.test(password)) {
    throw err.invalidPassword('Password must have lowercase characters');
  }
  if (p.requireUppercase && !/[A-Z]/.test(password)) {
    throw err.invalidPassword('Password must have uppercase characters');
  }
  if (p.requireNumbers && !/[0-9]/.test(password)) throw err.invalidPassword('Password must have numeric characters');
  if (p.requireSymbols && !/[\^$*.[\]{}()?"!@#%&/\\,><':;|_~`=+-]/.test(password)) {
    throw err.invalidPassword('Password must have symbol characters');
  }
}

/** Verifies a password in constant-ish time whether or not the user exists. */
export async function passwordMatches(user: StoredUser | undefined, password: string): Promise<boolean> {
  const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
  return ok && user !== undefined;
}
