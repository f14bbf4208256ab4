/** Users in a pool: finding one as Cognito does, and what a user shows of itself. */
import { type StoredClient, type StoredPool, type StoredUser, err, own } from './model';

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
