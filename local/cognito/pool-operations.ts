/** IAM-authorized management of user pools, their app clients and their groups. */
import { describeSchema, schemaFromInput } from './attributes';
import { addSecret, generateClientSecret } from './client-secrets';
import { clientSettings, describeClient } from './clients';
import { newSigningKey, randomToken } from './crypto';
import type { Engine } from './engine';
import { type Input, optStr, str } from './input';
import { CognitoError, type PasswordPolicy, type StoredClient, type StoredPool, err, own, put } from './model';
import { type Tier, checkClientTier, checkPoolTier, tierOf } from './history';
import { page } from './paging';
import type { Operation } from './user-operations';

/** Cognito's password policy when none is given. */
const DEFAULT_POLICY: PasswordPolicy = {
  minimumLength: 8,
  requireUppercase: true,
  requireLowercase: true,
  requireNumbers: true,
  requireSymbols: true,
  temporaryPasswordValidityDays: 7,
};

const seconds = (ms: number) => ms / 1000;
const list = (value: unknown): string[] => (Array.isArray(value) ? (value as string[]) : []);

/** The region a pool lives in is the prefix of its id (`us-east-1_AbC123`). */
export const poolRegion = (pool: StoredPool) => pool.id.slice(0, pool.id.indexOf('_'));
export const poolArn = (pool: StoredPool) => `arn:aws:cognito-idp:${poolRegion(pool)}:000000000000:userpool/${pool.id}`;

/**
 * The settings CreateUserPool and UpdateUserPool take, each one given or its default: "If you don't
 * provide a value for an attribute, Amazon Cognito sets it to its default value"
 * (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_UpdateUserPool.html).
 * Computed whole before anything is changed.
 */
function poolSettings(input: Input) {
  const p = ((input.Policies as Input | undefined)?.PasswordPolicy ?? {}) as Record<string, unknown>;
  const pick = <T>(value: unknown, fallback: T) => (value === undefined || value === null ? fallback : (value as T));
  const update = (input.UserAttributeUpdateSettings ?? {}) as Input;
  return {
    policy: {
      minimumLength: pick(p.MinimumLength, DEFAULT_POLICY.minimumLength),
      requireUppercase: pick(p.RequireUppercase, DEFAULT_POLICY.requireUppercase),
      requireLowercase: pick(p.RequireLowercase, DEFAULT_POLICY.requireLowercase),
      requireNumbers: pick(p.RequireNumbers, DEFAULT_POLICY.requireNumbers),
      requireSymbols: pick(p.RequireSymbols, DEFAULT_POLICY.requireSymbols),
      temporaryPasswordValidityDays: pick(
        p.TemporaryPasswordValidityDays,
        DEFAULT_POLICY.temporaryPasswordValidityDays,
      ),
      passwordHistorySize: pick(p.PasswordHistorySize, 0),
    },
    advancedSecurityMode: pick<'OFF' | 'AUDIT' | 'ENFORCED'>(
      (input.UserPoolAddOns as Input | undefined)?.AdvancedSecurityMode,
      'OFF',
    ),
    autoVerifiedAttributes: list(input.AutoVerifiedAttributes),
    attributesRequireVerificationBeforeUpdate: list(update.AttributesRequireVerificationBeforeUpdate),
    lambdaConfig: Object.fromEntries(
      Object.entries((input.LambdaConfig ?? {}) as Record<string, unknown>).filter(([, v]) => typeof v === 'string'),
    ) as StoredPool['lambdaConfig'],
    deletionProtection: input.DeletionProtection === 'ACTIVE' ? ('ACTIVE' as const) : ('INACTIVE' as const),
  };
}

function describePool(pool: StoredPool) {
  const p = pool.policy;
  return {
    Id: pool.id,
    Name: pool.name,
    Arn: poolArn(pool),
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
        // "isn't displayed in DescribeUserPool responses when you set this value to 0" (API_PasswordPolicyType).
        ...(p.passwordHistorySize ? { PasswordHistorySize: p.passwordHistorySize } : {}),
      },
    },
    UserPoolTier: tierOf(pool),
    UserPoolAddOns: { AdvancedSecurityMode: pool.advancedSecurityMode ?? 'OFF' },
    SchemaAttributes: describeSchema(pool),
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

const CreateUserPool: Operation = async (engine, input) => {
  const name = str(input, 'PoolName', 128);
  const settings = poolSettings(input);
  const tier = (optStr(input, 'UserPoolTier') ?? 'ESSENTIALS') as Tier;
  checkPoolTier(tier, { passwordHistorySize: settings.policy.passwordHistorySize, ...settings });
  const schema = schemaFromInput(input.Schema);
  const id = `${engine.region}_${randomToken(9).replace(/[-_]/g, 'x').slice(0, 9)}`;
  const now = engine.now();
  const pool: StoredPool = {
    id,
    name,
    createdAt: now,
    lastModifiedAt: now,
    ...settings,
    tier,
    usernameAttributes: list(input.UsernameAttributes),
    schema,
    key: newSigningKey(),
    clients: {},
    groups: {},
    users: {},
    challenges: {},
  };
  engine.store.data.pools[id] = pool;
  await engine.store.commit();
  return { UserPool: describePool(pool) };
};

/** A plan not given stays the pool's: changing it is a billing decision, never a side effect of a default. */
const UpdateUserPool: Operation = async (engine, input) => {
  const pool = engine.pool(input.UserPoolId);
  const settings = poolSettings(input);
  const tier = (optStr(input, 'UserPoolTier') as Tier | undefined) ?? tierOf(pool);
  checkPoolTier(tier, { passwordHistorySize: settings.policy.passwordHistorySize, ...settings });
  Object.assign(pool, settings, { tier, lastModifiedAt: engine.now() });
  await engine.store.commit();
  return {};
};

const DescribeUserPool: Operation = async (engine, input) => ({
  UserPool: describePool(engine.pool(input.UserPoolId)),
});

/** https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ListUserPools.html */
const ListUserPools: Operation = async (engine, input) => {
  const pools = Object.values(engine.store.data.pools);
  const { items, next } = page('pools', pools, (p) => p.id, input.MaxResults as number, optStr(input, 'NextToken'));
  return {
    UserPools: items.map((p) => ({
      Id: p.id,
      Name: p.name,
      LambdaConfig: p.lambdaConfig,
      CreationDate: seconds(p.createdAt),
      LastModifiedDate: seconds(p.lastModifiedAt),
    })),
    ...(next ? { NextToken: next } : {}),
  };
};

const CreateUserPoolClient: Operation = async (engine, input) => {
  const pool = engine.pool(input.UserPoolId);
  const settings = clientSettings(pool, input, str(input, 'ClientName', 128));
  checkClientTier(pool, settings.refreshTokenRotation);
  const now = engine.now();
  const clientId = randomToken(20).toLowerCase().replace(/[-_]/g, '0').slice(0, 26);
  const client: StoredClient = {
    clientId,
    ...settings,
    createdAt: now,
    lastModifiedAt: now,
  };
  // "You cannot specify both GenerateSecret as true and provide a ClientSecret value" (API_CreateUserPoolClient).
  const chosen = optStr(input, 'ClientSecret', 64);
  if (chosen !== undefined && input.GenerateSecret === true) {
    throw err.invalidParameter('Cannot specify both GenerateSecret and ClientSecret.');
  }
  if (chosen !== undefined || input.GenerateSecret === true) addSecret(client, chosen ?? generateClientSecret(), now);
  pool.clients[clientId] = client;
  await engine.store.commit();
  return { UserPoolClient: describeClient(pool, client) };
};

/** Every setting not given goes back to its default; the secret stays. */
const UpdateUserPoolClient: Operation = async (engine, input) => {
  const { pool, client } = engine.client(str(input, 'ClientId', 128), input.UserPoolId);
  const settings = clientSettings(pool, input, optStr(input, 'ClientName', 128) ?? client.clientName);
  checkClientTier(pool, settings.refreshTokenRotation);
  Object.assign(client, settings, { lastModifiedAt: engine.now() });
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

/** https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ListUserPoolClients.html */
const ListUserPoolClients: Operation = async (engine, input) => {
  const pool = engine.pool(input.UserPoolId);
  const clients = Object.values(pool.clients);
  const token = optStr(input, 'NextToken');
  const { items, next } = page(`clients:${pool.id}`, clients, (c) => c.clientId, input.MaxResults as number, token);
  return {
    UserPoolClients: items.map((c) => ({ ClientId: c.clientId, ClientName: c.clientName, UserPoolId: pool.id })),
    ...(next ? { NextToken: next } : {}),
  };
};

/** GroupType, every field: https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_GroupType.html */
export function describeGroup(pool: StoredPool, group: StoredPool['groups'][string]) {
  return {
    GroupName: group.groupName,
    UserPoolId: pool.id,
    ...(group.description === undefined ? {} : { Description: group.description }),
    ...(group.roleArn === undefined ? {} : { RoleArn: group.roleArn }),
    ...(group.precedence === undefined ? {} : { Precedence: group.precedence }),
    LastModifiedDate: seconds(group.lastModifiedAt ?? group.createdAt),
    CreationDate: seconds(group.createdAt),
  };
}

export function requireGroup(pool: StoredPool, name: string) {
  const group = own(pool.groups, name);
  if (!group) throw err.resourceNotFound('Group not found.');
  return group;
}

const CreateGroup: Operation = async (engine, input) => {
  const pool = engine.pool(input.UserPoolId);
  const groupName = str(input, 'GroupName', 128);
  if (own(pool.groups, groupName)) {
    throw new CognitoError('GroupExistsException', 'A group with the name already exists.');
  }
  const now = engine.now();
  const group = {
    groupName,
    ...(typeof input.Description === 'string' ? { description: input.Description } : {}),
    ...(typeof input.RoleArn === 'string' ? { roleArn: input.RoleArn } : {}),
    ...(typeof input.Precedence === 'number' ? { precedence: input.Precedence } : {}),
    createdAt: now,
    lastModifiedAt: now,
  };
  put(pool.groups, groupName, group);
  await engine.store.commit();
  return { Group: describeGroup(pool, group) };
};

const GetGroup: Operation = async (engine, input) => {
  const pool = engine.pool(input.UserPoolId);
  return { Group: describeGroup(pool, requireGroup(pool, str(input, 'GroupName', 128))) };
};

const ListGroups: Operation = async (engine, input) => {
  const pool = engine.pool(input.UserPoolId);
  const token = optStr(input, 'NextToken');
  const groups = Object.values(pool.groups);
  const { items, next } = page(`groups:${pool.id}`, groups, (g) => g.groupName, input.Limit as number, token);
  return { Groups: items.map((g) => describeGroup(pool, g)), ...(next ? { NextToken: next } : {}) };
};

export const poolOperations: Record<string, (engine: Engine, input: Input) => Promise<unknown>> = {
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
  ListGroups,
};
