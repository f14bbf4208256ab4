/** IAM-authorized operations on a pool's users: the Admin* calls, and listing users. */
import { checkAttributes, isVerified } from './attributes';
import { sendCode } from './codes';
import { checkPasswordPolicy } from './credentials';
import { hashPassword, randomToken } from './crypto';
import type { Engine } from './engine';
import { checkPasswordHistory, setPassword } from './history';
import { type Input, attributeList, optStr, record, str } from './input';
import { clearLockout } from './lockouts';
import { deliverCode } from './messages';
import { CognitoError, type StoredPool, type StoredUser, err, put } from './model';
import { page } from './paging';
import { describeGroup, requireGroup } from './pool-operations';
import { endAllSessions } from './tokens';
import { postConfirmation } from './triggers';
import { updateAttributes } from './updates';
import type { Operation } from './user-operations';
import { findUser, newUser, publicAttributes, requireUser, withUsernameEmail } from './users';

const seconds = (ms: number) => ms / 1000;
const NO_CLIENT = 'CLIENT_ID_NOT_APPLICABLE';

function describeUser(user: StoredUser, attributes = publicAttributes(user)) {
  return {
    Username: user.username,
    UserCreateDate: seconds(user.createdAt),
    UserLastModifiedDate: seconds(user.updatedAt),
    Enabled: user.enabled,
    UserStatus: user.status,
    Attributes: attributes,
  };
}

const target = (engine: Engine, input: Input) => {
  const pool = engine.pool(input.UserPoolId);
  return { pool, user: requireUser(pool, str(input, 'Username', 128)) };
};

const AdminGetUser: Operation = async (engine, input) => {
  const { user } = target(engine, input);
  const { Attributes, ...rest } = describeUser(user);
  return { ...rest, UserAttributes: Attributes };
};

const temporaryPassword = (pool: StoredPool, input: Input) => {
  const given = optStr(input, 'TemporaryPassword', 256);
  const password = given ?? `Tmp-${randomToken(9)}1a!`;
  checkPasswordPolicy(pool, password);
  return password;
};

/**
 * The invitation with the temporary password, by email: DesiredDeliveryMediums "The default value
 * is SMS", and Cognito falls back to email for a user without a phone number (this emulator sends
 * no SMS).
 */
function invitationAddress(user: StoredUser, input: Input): string | undefined {
  const mediums = (input.DesiredDeliveryMediums as string[] | undefined) ?? ['SMS'];
  const byEmail = mediums.includes('EMAIL') || !user.attributes.phone_number;
  return byEmail ? user.attributes.email : undefined;
}

const invite = (engine: Engine, pool: StoredPool, user: StoredUser, to: string, code: string, input: Input) =>
  deliverCode(engine, {
    pool,
    clientId: NO_CLIENT,
    user,
    triggerSource: 'CustomMessage_AdminCreateUser',
    code,
    to,
    clientMetadata: record(input, 'ClientMetadata'),
  });

/**
 * MessageAction RESEND: "resend the invitation message to a user that already exists, and ... reset
 * the temporary-password duration with a new temporary password". Only a user who never signed in
 * (FORCE_CHANGE_PASSWORD) has an invitation to resend; an unknown user is UserNotFoundException and
 * any other state UnsupportedUserStateException, the two errors the operation documents for it.
 * https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminCreateUser.html
 */
async function resendInvitation(engine: Engine, pool: StoredPool, username: string, input: Input) {
  const user = requireUser(pool, username);
  if (user.status !== 'FORCE_CHANGE_PASSWORD') {
    throw new CognitoError(
      'UnsupportedUserStateException',
      `Resend not possible. ${user.username} status is not FORCE_CHANGE_PASSWORD`,
    );
  }
  const temporary = temporaryPassword(pool, input);
  const passwordHash = await hashPassword(temporary);
  const to = invitationAddress(user, input);
  if (to) await invite(engine, pool, user, to, temporary, input);
  if (user.status !== 'FORCE_CHANGE_PASSWORD') throw err.notAuthorized('User state changed during the request.');
  const now = engine.now();
  user.passwordHash = passwordHash;
  user.tempPasswordExpiresAt = now + pool.policy.temporaryPasswordValidityDays * 86400_000;
  user.updatedAt = now;
  await engine.store.commit();
  return { User: describeUser(user) };
}

const AdminCreateUser: Operation = async (engine, input) => {
  const pool = engine.pool(input.UserPoolId);
  const username = str(input, 'Username', 128);
  if (input.MessageAction === 'RESEND') return resendInvitation(engine, pool, username, input);
  const given = checkAttributes(pool, attributeList(input, 'UserAttributes'), { mode: 'create' });
  const attributes = withUsernameEmail(pool, username, given);
  if (findUser(pool, username)) throw err.usernameExists();
  const temporary = temporaryPassword(pool, input);
  const now = engine.now();
  const user = newUser(pool, username, {
    attributes,
    status: 'FORCE_CHANGE_PASSWORD',
    passwordHash: await hashPassword(temporary),
    now,
    tempPasswordExpiresAt: now + pool.policy.temporaryPasswordValidityDays * 86400_000,
  });
  const to = input.MessageAction === 'SUPPRESS' ? undefined : invitationAddress(user, input);
  if (to) await invite(engine, pool, user, to, temporary, input);
  // Checked again after the awaits: a concurrent request may have taken the name meanwhile.
  if (findUser(pool, username)) throw err.usernameExists();
  put(pool.users, user.username, user);
  await engine.store.commit();
  return { User: describeUser(user) };
};

const AdminUpdateUserAttributes: Operation = async (engine, input) => {
  const { pool, user } = target(engine, input);
  await updateAttributes(engine, pool, user, attributeList(input, 'UserAttributes'), {
    clientId: NO_CLIENT,
    clientMetadata: record(input, 'ClientMetadata'),
  });
  await engine.store.commit();
  return {};
};

/**
 * Confirms a user without a code (the way to confirm users of a pool that sends none).
 * https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminConfirmSignUp.html
 */
const AdminConfirmSignUp: Operation = async (engine, input) => {
  const { pool, user } = target(engine, input);
  if (user.status !== 'UNCONFIRMED') {
    throw err.notAuthorized(`User cannot be confirmed. Current status is ${user.status}`);
  }
  user.status = 'CONFIRMED';
  user.updatedAt = engine.now();
  await engine.store.commit();
  await postConfirmation(engine, pool, NO_CLIENT, user, 'ConfirmSignUp', record(input, 'ClientMetadata'));
  return {};
};

/**
 * Checks the policy and the password history (history.ts), for a temporary password too.
 * https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminSetUserPassword.html
 */
const AdminSetUserPassword: Operation = async (engine, input) => {
  const { pool, user } = target(engine, input);
  const password = str(input, 'Password', 256);
  checkPasswordPolicy(pool, password);
  await checkPasswordHistory(pool, user, password);
  const passwordHash = await hashPassword(password);
  setPassword(user, passwordHash);
  if (input.Permanent === true) {
    user.status = 'CONFIRMED';
    delete user.tempPasswordExpiresAt;
  } else {
    user.status = 'FORCE_CHANGE_PASSWORD';
    user.tempPasswordExpiresAt = engine.now() + pool.policy.temporaryPasswordValidityDays * 86400_000;
  }
  clearLockout(user);
  user.updatedAt = engine.now();
  await engine.store.commit();
  return {};
};

/**
 * Only a user who has a password of their own can be sent to reset it: not one who never signed in
 * (FORCE_CHANGE_PASSWORD) nor one who never confirmed (UNCONFIRMED).
 * https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminResetUserPassword.html
 */
const AdminResetUserPassword: Operation = async (engine, input) => {
  const { pool, user } = target(engine, input);
  if (user.status === 'UNCONFIRMED' || user.status === 'FORCE_CHANGE_PASSWORD') {
    throw err.notAuthorized('User password cannot be reset in the current state.');
  }
  const to = isVerified(user.attributes, 'email') ? user.attributes.email : undefined;
  if (to) {
    await sendCode(engine, 'forgotPassword', {
      pool,
      clientId: NO_CLIENT,
      user,
      triggerSource: 'CustomMessage_ForgotPassword',
      to,
      clientMetadata: record(input, 'ClientMetadata'),
    });
  }
  user.status = 'RESET_REQUIRED';
  user.updatedAt = engine.now();
  await engine.store.commit();
  return {};
};

/**
 * "Deactivates a user and revokes all access tokens for the user. A deactivated user can't sign
 * in" (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminDisableUser.html).
 * The emulator ends the user's sessions, so their refresh tokens stop too; whether Cognito lets
 * an old refresh token work again after AdminEnableUser is not documented, and signing in again
 * is what works in both.
 */
const AdminDisableUser: Operation = async (engine, input) => {
  const { user } = target(engine, input);
  user.enabled = false;
  endAllSessions(user);
  user.updatedAt = engine.now();
  await engine.store.commit();
  return {};
};

/** https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminEnableUser.html */
const AdminEnableUser: Operation = async (engine, input) => {
  const { user } = target(engine, input);
  user.enabled = true;
  user.updatedAt = engine.now();
  await engine.store.commit();
  return {};
};

const AdminUserGlobalSignOut: Operation = async (engine, input) => {
  endAllSessions(target(engine, input).user);
  await engine.store.commit();
  return {};
};

const AdminAddUserToGroup: Operation = async (engine, input) => {
  const { pool, user } = target(engine, input);
  const group = requireGroup(pool, str(input, 'GroupName', 128));
  if (!user.groups.includes(group.groupName)) user.groups.push(group.groupName);
  await engine.store.commit();
  return {};
};

const AdminRemoveUserFromGroup: Operation = async (engine, input) => {
  const { pool, user } = target(engine, input);
  const group = requireGroup(pool, str(input, 'GroupName', 128));
  user.groups = user.groups.filter((name) => name !== group.groupName);
  await engine.store.commit();
  return {};
};

/** https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminListGroupsForUser.html */
const AdminListGroupsForUser: Operation = async (engine, input) => {
  const { pool, user } = target(engine, input);
  const groups = user.groups.map((name) => requireGroup(pool, name));
  const list = `groups-of:${pool.id}:${user.username}`;
  const { items, next } = page(list, groups, (g) => g.groupName, input.Limit as number, optStr(input, 'NextToken'));
  return { Groups: items.map((g) => describeGroup(pool, g)), ...(next ? { NextToken: next } : {}) };
};

const AdminDeleteUser: Operation = async (engine, input) => {
  const { pool, user } = target(engine, input);
  delete pool.users[user.username];
  await engine.store.commit();
  return {};
};

/** https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ListUsersInGroup.html */
const ListUsersInGroup: Operation = async (engine, input) => {
  const pool = engine.pool(input.UserPoolId);
  const group = requireGroup(pool, str(input, 'GroupName', 128));
  const members = Object.values(pool.users).filter((u) => u.groups.includes(group.groupName));
  const list = `members:${pool.id}:${group.groupName}`;
  const { items, next } = page(list, members, (u) => u.username, input.Limit as number, optStr(input, 'NextToken'));
  return { Users: items.map((u) => describeUser(u)), ...(next ? { NextToken: next } : {}) };
};

/** The attributes ListUsers can filter on ("Custom attributes aren't searchable"). */
const FILTERABLE = new Set([
  'username',
  'email',
  'phone_number',
  'name',
  'given_name',
  'family_name',
  'preferred_username',
  'cognito:user_status',
  'status',
  'sub',
]);

/**
 * ListUsers' Filter: `AttributeName = "value"` (exact) or `AttributeName ^= "value"` (prefix), one
 * attribute, quotes inside the value escaped with a backslash; empty means every user.
 * https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ListUsers.html
 */
function userFilter(filter: string | undefined): (user: StoredUser) => boolean {
  if (filter === undefined || filter.trim() === '') return () => true;
  const match = /^\s*([\w:]+)\s*(\^?=)\s*"((?:[^"\\]|\\.)*)"\s*$/.exec(filter);
  const [, name = '', op = '', quoted = ''] = match ?? [];
  if (!match || !FILTERABLE.has(name)) throw err.invalidParameter('Invalid search filter.');
  const value = quoted.replace(/\\(.)/g, '$1');
  const read = (user: StoredUser): string | undefined => {
    if (name === 'username') return user.username;
    if (name === 'cognito:user_status') return user.status;
    if (name === 'status') return user.enabled ? 'Enabled' : 'Disabled';
    return user.attributes[name];
  };
  // "cognito:user_status ... (case-insensitive)"; the others compare as given.
  const fold = (s: string) => (name === 'cognito:user_status' ? s.toLowerCase() : s);
  return (user) => {
    const actual = read(user);
    if (actual === undefined) return false;
    return op === '=' ? fold(actual) === fold(value) : fold(actual).startsWith(fold(value));
  };
}

const ListUsers: Operation = async (engine, input) => {
  const pool = engine.pool(input.UserPoolId);
  const matches = userFilter(optStr(input, 'Filter', 256));
  const wanted = input.AttributesToGet as string[] | undefined;
  const users = Object.values(pool.users).filter(matches);
  const token = optStr(input, 'PaginationToken');
  const { items, next } = page(`users:${pool.id}`, users, (u) => u.username, input.Limit as number, token);
  return {
    Users: items.map((u) =>
      describeUser(u, wanted ? publicAttributes(u).filter((a) => wanted.includes(a.Name)) : publicAttributes(u)),
    ),
    ...(next ? { PaginationToken: next } : {}),
  };
};

export const adminOperations: Record<string, Operation> = {
  AdminGetUser,
  AdminCreateUser,
  AdminUpdateUserAttributes,
  AdminConfirmSignUp,
  AdminSetUserPassword,
  AdminResetUserPassword,
  AdminDisableUser,
  AdminEnableUser,
  AdminUserGlobalSignOut,
  AdminAddUserToGroup,
  AdminRemoveUserFromGroup,
  AdminListGroupsForUser,
  AdminDeleteUser,
  ListUsers,
  ListUsersInGroup,
};
