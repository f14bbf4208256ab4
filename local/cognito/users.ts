/** Users in a pool: making one, finding one as Cognito does, and what a user shows of itself. */
import { newId } from './crypto';
import { isEmail } from './input';
import { type StoredClient, type StoredPool, type StoredUser, type UserStatus, err, own } from './model';

/**
 * In a pool that signs in with email, the username must be an email and is the user's email:
 * the attributes with `email` set to it. Other pools take the attributes as given.
 */
export function withUsernameEmail(
  pool: StoredPool,
  username: string,
  attributes: Record<string, string>,
): Record<string, string> {
  if (!pool.usernameAttributes.includes('email')) return attributes;
  if (!isEmail(username)) throw err.invalidParameter('Username should be an email.');
  return { ...attributes, email: username.toLowerCase() };
}

/**
 * A new user as SignUp and AdminCreateUser store it: a fresh `sub` (also the username in a pool
 * that signs in with email, the lower-cased username otherwise), enabled, with no groups,
 * sessions, codes or failures yet.
 */
export function newUser(
  pool: StoredPool,
  username: string,
  init: {
    readonly attributes: Record<string, string>;
    readonly status: UserStatus;
    readonly passwordHash: string;
    readonly now: number;
    readonly tempPasswordExpiresAt?: number;
  },
): StoredUser {
  const sub = newId();
  return {
    username: pool.usernameAttributes.includes('email') ? sub : username.toLowerCase(),
    attributes: { sub, ...init.attributes },
    pendingAttributes: {},
    status: init.status,
    enabled: true,
    passwordHash: init.passwordHash,
    ...(init.tempPasswordExpiresAt === undefined ? {} : { tempPasswordExpiresAt: init.tempPasswordExpiresAt }),
    createdAt: init.now,
    updatedAt: init.now,
    groups: [],
    sessions: {},
    codes: {},
    failedSignIns: 0,
    codeRequests: [],
  };
}

/** By username, or by email for pools that sign in with email. Case-insensitive like Cognito's default. */
export function findUser(pool: StoredPool, name: string): StoredUser | undefined {
  const direct = own(pool.users, name) ?? own(pool.users, name.toLowerCase());
  if (direct) return direct;
  if (!pool.usernameAttributes.includes('email')) return undefined;
  const email = name.toLowerCase();
  return Object.values(pool.users).find((u) => u.attributes.email?.toLowerCase() === email);
}

export function requireUser(pool: StoredPool, name: string): StoredUser {
  const user = findUser(pool, name);
  if (!user) throw err.userNotFound();
  return user;
}

/** Whether the client hides which users exist (answers for an unknown user as for a wrong secret). */
export const preventsExistenceErrors = (client: StoredClient) => client.preventUserExistenceErrors === 'ENABLED';

export function publicAttributes(user: StoredUser): { Name: string; Value: string }[] {
  return Object.entries(user.attributes).map(([Name, Value]) => ({ Name, Value }));
}
