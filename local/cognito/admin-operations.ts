/** IAM-authorized operations: pool, client and group management, and the Admin* calls. */
import { sendCode } from './codes';
import { checkPasswordPolicy } from './credentials';
import { hashPassword, newSigningKey, randomToken } from './crypto';
import { type Input, attributeList, optStr, record, str } from './input';
import { clearLockout } from './lockouts';
import { deliverCode } from './messages';
import {
  CognitoError,
  type PasswordPolicy,
  type StoredClient,
  type StoredPool,
  type StoredUser,
  err,
  own,
  put,
} from './model';
import { endAllSessions } from './tokens';
import type { Operation } from './user-operations';
import { findUser, newUser, publicAttributes, requireUser, withUsernameEmail } from './users';

const DEFAULT_POLICY: PasswordPolicy = {
  minimumLength: 8,
  requireUppercase: true,
  requireLowercase: true,
  requireNumbers: true,
  requireSymbols: true,
  temporaryPasswordValidityDays: 7,
};

function policyFrom(input: Input, current: PasswordPolicy): PasswordPolicy {
  const p = ((input.Policies as Input | undefined)?.PasswordPolicy ?? {}) as Record<string, unknown>;
  return {
    minimumLength: typeof p.MinimumLength === 'number' ? p.MinimumLength : current.minimumLength,
    requireUppercase: typeof p.RequireUppercase === 'boolean' ? p.RequireUppercase : current.requireUppercase,
    requireLowercase: typeof p.RequireLowercase === 'boolean' ? p.RequireLowercase : current.requireLowercase,
    requireNumbers: typeof p.RequireNumbers === 'boolean' ? p.RequireNumbers : current.requireNumbers,
    requireSymbols: typeof p.RequireSymbols === 'boolean' ? p.RequireSymbols : current.requireSymbols,
    temporaryPasswordValidityDays:
      typeof p.TemporaryPasswordValidityDays === 'number'
        ? p.TemporaryPasswordValidityDays
        : current.temporaryPasswordValidityDays,
  };
}

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v) => typeof v === 'string') : []);
const seconds = (ms: number) => ms / 1000;

function describePool(pool: StoredPool) {
  const p = pool.policy;
  return {
    Id: pool.id,
    Name: pool.name,
    Arn: `arn:aws:cognito-idp:local:000000000000:userpool/${pool.id}`,
    CreationDate: seconds(pool.createdAt),
    LastModifiedDate: seconds(pool.lastModifiedAt),
    Policies: {
      PasswordPolicy: {
        MinimumLength: p.minimumLength,
        RequireUppercase: p.requireUppercase,
        RequireLowercase: p.requireLowercase,
        RequireNumbers: p.requireNumbers,
        RequireSymbols: p.requireSymbols,
        TemporaryPasswordValidityDays: p.temporaryPasswordValidityDays,
      },
    },
    UsernameAttributes: pool.usernameAttributes,
    AutoVerifiedAttributes: pool.autoVerifiedAttributes,
    UserAttributeUpdateSettings: {
      AttributesRequireVerificationBeforeUpdate: pool.attributesRequireVerificationBeforeUpdate,
    },
    LambdaConfig: pool.lambdaConfig,
    DeletionProtection: pool.deletionProtection,
    EstimatedNumberOfUsers: Object.keys(pool.users).length,
  };
}

function applyPoolSettings(pool: StoredPool, input: Input, now: number): void {
  pool.policy = policyFrom(input, pool.policy);
  if (input.AutoVerifiedAttributes !== undefined) pool.autoVerifiedAttributes = strings(input.AutoVerifiedAttributes);
  const update = input.UserAttributeUpdateSettings as Input | undefined;
  if (update)
    pool.attributesRequireVerificationBeforeUpdate = strings(update.AttributesRequireVerificationBeforeUpdate);
  if (input.LambdaConfig !== undefined)
    pool.lambdaConfig = (record(input, 'LambdaConfig') ?? {}) as StoredPool['lambdaConfig'];
  if (input.DeletionProtection === 'ACTIVE' || input.DeletionProtection === 'INACTIVE') {
    pool.deletionProtection = input.DeletionProtection;
  }
  pool.lastModifiedAt = now;
}

function describeClient(pool: StoredPool, c: StoredClient) {
  return {
    UserPoolId: pool.id,
    ClientId: c.clientId,
    ClientName: c.clientName,
    ...(c.clientSecret ? { ClientSecret: c.clientSecret } : {}),
    ExplicitAuthFlows: c.explicitAuthFlows,
    ReadAttributes: c.readAttributes,
    WriteAttributes: c.writeAttributes,
    PreventUserExistenceErrors: c.preventUserExistenceErrors,
    AccessTokenValidity: c.accessTokenValidityMinutes,
    IdTokenValidity: c.idTokenValidityMinutes,
    RefreshTokenValidity: c.refreshTokenValidityDays,
    TokenValidityUnits: { AccessToken: 'minutes', IdToken: 'minutes', RefreshToken: 'days' },
    EnablePropagateAdditionalUserContextData: c.enablePropagateAdditionalUserContextData,
    EnableTokenRevocation: c.enableTokenRevocation,
    RefreshTokenRotation: {
      Feature: c.refreshTokenRotation?.feature ?? 'DISABLED',
      RetryGracePeriodSeconds: c.refreshTokenRotation?.retryGracePeriodSeconds ?? 0,
    },
    CreationDate: seconds(c.createdAt),
    LastModifiedDate: seconds(c.lastModifiedAt),
  };
}

const UNIT_MINUTES: Record<string, number> = { seconds: 1 / 60, minutes: 1, hours: 60, days: 1440 };

/**
 * Client settings as Create/UpdateUserPoolClient take them. Like Cognito's UpdateUserPoolClient,
 * every setting not given goes back to its default.
 */
function clientSettings(input: Input) {
  const units = (input.TokenValidityUnits ?? {}) as Record<string, string>;
  const minutes = (value: unknown, unit: string | undefined, fallbackUnit: string, fallback: number) =>
    typeof value === 'number' ? value * (UNIT_MINUTES[unit ?? fallbackUnit] ?? 1) : fallback;
  const flows = strings(input.ExplicitAuthFlows);
  return {
    clientName: str(input, 'ClientName', 128),
    explicitAuthFlows:
      flows.length > 0 ? flows : ['ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_CUSTOM_AUTH'],
    readAttributes: strings(input.ReadAttributes),
    writeAttributes: strings(input.WriteAttributes),
    preventUserExistenceErrors:
      input.PreventUserExistenceErrors === 'LEGACY' ? ('LEGACY' as const) : ('ENABLED' as const),
    accessTokenValidityMinutes: minutes(input.AccessTokenValidity, units.AccessToken, 'hours', 60),
    idTokenValidityMinutes: minutes(input.IdTokenValidity, units.IdToken, 'hours', 60),
    refreshTokenValidityDays: minutes(input.RefreshTokenValidity, units.RefreshToken, 'days', 30 * 1440) / 1440,
    enablePropagateAdditionalUserContextData: input.EnablePropagateAdditionalUserContextData === true,
    enableTokenRevocation: input.EnableTokenRevocation !== false,
    refreshTokenRotation: refreshTokenRotation(input.RefreshTokenRotation),
  };
}

/** API_RefreshTokenRotationType: Feature ENABLED | DISABLED, RetryGracePeriodSeconds 0-60. */
function refreshTokenRotation(value: unknown): NonNullable<StoredClient['refreshTokenRotation']> {
  if (value === undefined) return { feature: 'DISABLED' as const, retryGracePeriodSeconds: 0 };
  const { Feature, RetryGracePeriodSeconds = 0 } = (value ?? {}) as Record<string, unknown>;
  if (Feature !== 'ENABLED' && Feature !== 'DISABLED') {
    throw err.invalidParameter('RefreshTokenRotation.Feature must be ENABLED or DISABLED');
  }
  if (typeof RetryGracePeriodSeconds !== 'number' || !(RetryGracePeriodSeconds >= 0 && RetryGracePeriodSeconds <= 60)) {
    throw err.invalidParameter('RefreshTokenRotation.RetryGracePeriodSeconds must be between 0 and 60');
  }
  return { feature: Feature, retryGracePeriodSeconds: RetryGracePeriodSeconds };
}

function describeUser(user: StoredUser) {
  return {
    Username: user.username,
    UserAttributes: publicAttributes(user),
    UserCreateDate: seconds(user.createdAt),
    UserLastModifiedDate: seconds(user.updatedAt),
    Enabled: user.enabled,
    UserStatus: user.status,
  };
}

const CreateUserPool: Operation = async (engine, input) => {
  const name = str(input, 'PoolName', 128);
  const id = `${engine.region}_${randomToken(9).replace(/[-_]/g, 'x').slice(0, 9)}`;
  const now = engine.now();
  const pool: StoredPool = {
    id,
    name,
    createdAt: now,
    lastModifiedAt: now,
    policy: DEFAULT_POLICY,
    usernameAttributes: strings(input.UsernameAttributes),
    autoVerifiedAttributes: [],
    attributesRequireVerificationBeforeUpdate: [],
    lambdaConfig: {},
    deletionProtection: 'INACTIVE',
    key: newSigningKey(),
    clients: {},
    groups: {},
    users: {},
    challenges: {},
  };
  applyPoolSettings(pool, input, now);
  engine.store.data.pools[id] = pool;
  await engine.store.commit();
  return { UserPool: describePool(pool) };
};

const UpdateUserPool: Operation = async (engine, input) => {
  applyPoolSettings(engine.pool(input.UserPoolId), input, engine.now());
  await engine.store.commit();
  return {};
};

const DescribeUserPool: Operation = async (engine, input) => ({
  UserPool: describePool(engine.pool(input.UserPoolId)),
});

const ListUserPools: Operation = async (engine) => ({
  UserPools: Object.values(engine.store.data.pools).map((p) => ({
    Id: p.id,
    Name: p.name,
    LambdaConfig: p.lambdaConfig,
  })),
});

const CreateUserPoolClient: Operation = async (engine, input) => {
  const pool = engine.pool(input.UserPoolId);
  const now = engine.now();
  const clientId = randomToken(20).toLowerCase().replace(/[-_]/g, '0').slice(0, 26);
  const client: StoredClient = {
    clientId,
    ...clientSettings(input),
    ...(input.GenerateSecret === true ? { clientSecret: randomToken(38).replace(/[-_]/g, 'a').slice(0, 51) } : {}),
    createdAt: now,
    lastModifiedAt: now,
  };
  pool.clients[clientId] = client;
  await engine.store.commit();
  return { UserPoolClient: describeClient(pool, client) };
};

const UpdateUserPoolClient: Operation = async (engine, input) => {
  const { pool, client } = engine.client(str(input, 'ClientId', 128), input.UserPoolId);
  const clientName = optStr(input, 'ClientName', 128) ?? client.clientName;
  Object.assign(client, clientSettings({ ...input, ClientName: clientName }), { lastModifiedAt: engine.now() });
  await engine.store.commit();
  return { UserPoolClient: describeClient(pool, client) };
};

const DeleteUserPoolClient: Operation = async (engine, input) => {
  const { pool, client } = engine.client(str(input, 'ClientId', 128), input.UserPoolId);
  delete pool.clients[client.clientId];
  await engine.store.commit();
  return {};
};

const DescribeUserPoolClient: Operation = async (engine, input) => {
  const { pool, client } = engine.client(str(input, 'ClientId', 128), input.UserPoolId);
  return { UserPoolClient: describeClient(pool, client) };
};

const ListUserPoolClients: Operation = async (engine, input) => {
  const pool = engine.pool(input.UserPoolId);
  return {
    UserPoolClients: Object.values(pool.clients).map((c) => ({
      ClientId: c.clientId,
      ClientName: c.clientName,
      UserPoolId: pool.id,
    })),
  };
};

const CreateGroup: Operation = async (engine, input) => {
  const pool = engine.pool(input.UserPoolId);
  const groupName = str(input, 'GroupName', 128);
  if (own(pool.groups, groupName))
    throw new CognitoError('GroupExistsException', 'A group with the name already exists.');
  const group = {
    groupName,
    ...(typeof input.Description === 'string' ? { description: input.Description } : {}),
    ...(typeof input.Precedence === 'number' ? { precedence: input.Precedence } : {}),
    createdAt: engine.now(),
  };
  put(pool.groups, groupName, group);
  await engine.store.commit();
  return {
    Group: { GroupName: groupName, UserPoolId: pool.id, Description: group.description, Precedence: group.precedence },
  };
};

const GetGroup: Operation = async (engine, input) => {
  const pool = engine.pool(input.UserPoolId);
  const group = own(pool.groups, str(input, 'GroupName', 128));
  if (!group) throw err.resourceNotFound('Group not found.');
  return { Group: { GroupName: group.groupName, UserPoolId: pool.id, Description: group.description } };
};

const AdminGetUser: Operation = async (engine, input) => {
  const pool = engine.pool(input.UserPoolId);
  return describeUser(requireUser(pool, str(input, 'Username', 128)));
};

const AdminCreateUser: Operation = async (engine, input) => {
  const pool = engine.pool(input.UserPoolId);
  const username = str(input, 'Username', 128);
  const attributes = withUsernameEmail(pool, username, attributeList(input, 'UserAttributes'));
  if (findUser(pool, username)) throw err.usernameExists();
  const action = optStr(input, 'MessageAction');
  if (action === 'RESEND')
    throw new CognitoError('UnsupportedUserStateException', 'Resend is not supported for a new user.');
  const temporary = optStr(input, 'TemporaryPassword', 256) ?? `Tmp-${randomToken(9)}1a!`;
  checkPasswordPolicy(pool, temporary);
  const now = engine.now();
  const user = newUser(pool, username, {
    attributes,
    status: 'FORCE_CHANGE_PASSWORD',
    passwordHash: await hashPassword(temporary),
    now,
    tempPasswordExpiresAt: now + pool.policy.temporaryPasswordValidityDays * 86400_000,
  });
  if (findUser(pool, username)) throw err.usernameExists();
  const to = user.attributes.email;
  if (action !== 'SUPPRESS' && to) {
    await deliverCode(engine, {
      pool,
      clientId: 'CLIENT_ID_NOT_APPLICABLE',
      user,
      triggerSource: 'CustomMessage_AdminCreateUser',
      code: temporary,
      to,
      clientMetadata: record(input, 'ClientMetadata'),
    });
  }
  put(pool.users, user.username, user);
  await engine.store.commit();
  return { User: { ...describeUser(user), Attributes: describeUser(user).UserAttributes } };
};

const AdminSetUserPassword: Operation = async (engine, input) => {
  const pool = engine.pool(input.UserPoolId);
  const user = requireUser(pool, str(input, 'Username', 128));
  const password = str(input, 'Password', 256);
  checkPasswordPolicy(pool, password);
  user.passwordHash = await hashPassword(password);
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

const AdminResetUserPassword: Operation = async (engine, input) => {
  const pool = engine.pool(input.UserPoolId);
  const user = requireUser(pool, str(input, 'Username', 128));
  if (user.status === 'UNCONFIRMED' || user.status === 'FORCE_CHANGE_PASSWORD') {
    throw err.notAuthorized('User password cannot be reset in the current state.');
  }
  const to = user.attributes.email_verified === 'true' ? user.attributes.email : undefined;
  if (to) {
    await sendCode(engine, 'forgotPassword', {
      pool,
      clientId: 'CLIENT_ID_NOT_APPLICABLE',
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

const AdminUserGlobalSignOut: Operation = async (engine, input) => {
  const pool = engine.pool(input.UserPoolId);
  endAllSessions(requireUser(pool, str(input, 'Username', 128)));
  await engine.store.commit();
  return {};
};

const AdminAddUserToGroup: Operation = async (engine, input) => {
  const pool = engine.pool(input.UserPoolId);
  const user = requireUser(pool, str(input, 'Username', 128));
  const group = str(input, 'GroupName', 128);
  if (!own(pool.groups, group)) throw err.resourceNotFound('Group not found.');
  if (!user.groups.includes(group)) user.groups.push(group);
  await engine.store.commit();
  return {};
};

/**
 * Leaving a group the user is not in is a no-op, as joining one twice is (the API lists no error
 * for either). https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminRemoveUserFromGroup.html
 */
const AdminRemoveUserFromGroup: Operation = async (engine, input) => {
  const pool = engine.pool(input.UserPoolId);
  const user = requireUser(pool, str(input, 'Username', 128));
  const group = str(input, 'GroupName', 128);
  if (!own(pool.groups, group)) throw err.resourceNotFound('Group not found.');
  user.groups = user.groups.filter((name) => name !== group);
  await engine.store.commit();
  return {};
};

/**
 * The group's members, `Limit` (0-60, default 60) at a time with a `NextToken`.
 * https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ListUsersInGroup.html
 */
const ListUsersInGroup: Operation = async (engine, input) => {
  const pool = engine.pool(input.UserPoolId);
  const group = str(input, 'GroupName', 128);
  if (!own(pool.groups, group)) throw err.resourceNotFound('Group not found.');
  const limit = input.Limit ?? 60;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 0 || limit > 60) {
    throw err.invalidParameter("1 validation error detected: Value at 'limit' failed to satisfy constraint: 0 to 60");
  }
  const token = optStr(input, 'NextToken', 131072);
  const start = token === undefined ? 0 : Number(token);
  if (!Number.isSafeInteger(start) || start < 0) throw err.invalidParameter('Invalid pagination token.');
  const members = Object.values(pool.users).filter((user) => user.groups.includes(group));
  const page = members.slice(start, start + limit);
  const next = start + page.length;
  return {
    Users: page.map((user) => {
      const { UserAttributes, ...rest } = describeUser(user);
      return { ...rest, Attributes: UserAttributes };
    }),
    ...(next < members.length && page.length > 0 ? { NextToken: String(next) } : {}),
  };
};

const AdminListGroupsForUser: Operation = async (engine, input) => {
  const pool = engine.pool(input.UserPoolId);
  const user = requireUser(pool, str(input, 'Username', 128));
  return { Groups: user.groups.map((GroupName) => ({ GroupName, UserPoolId: pool.id })) };
};

const AdminDeleteUser: Operation = async (engine, input) => {
  const pool = engine.pool(input.UserPoolId);
  delete pool.users[requireUser(pool, str(input, 'Username', 128)).username];
  await engine.store.commit();
  return {};
};

export const adminOperations: Record<string, Operation> = {
  CreateUserPool,
  UpdateUserPool,
  DescribeUserPool,
  ListUserPools,
  CreateUserPoolClient,
  UpdateUserPoolClient,
  DeleteUserPoolClient,
  DescribeUserPoolClient,
  ListUserPoolClients,
  CreateGroup,
  GetGroup,
  AdminGetUser,
  AdminCreateUser,
  AdminSetUserPassword,
  AdminResetUserPassword,
  AdminUserGlobalSignOut,
  AdminAddUserToGroup,
  AdminListGroupsForUser,
  AdminRemoveUserFromGroup,
  ListUsersInGroup,
  AdminDeleteUser,
};
