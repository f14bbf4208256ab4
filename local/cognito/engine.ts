import { DUMMY_HASH, safeEqual, secretHash, verifyPassword } from './crypto';
import { type CognitoState, type StoredClient, type StoredPool, type StoredUser, err, own } from './model';
import { JsonStore, stateFile } from '../store';

/** A Lambda-style trigger handler registered in process: the same module as in AWS. */
export type TriggerHandler = (event: never, context: never) => Promise<unknown>;

export interface LocalCognitoOptions {
  /** Folder for `cognito.json`; memory-only when absent. */
  readonly dataDir?: string;
  readonly region?: string;
  /** Injectable clock (ms since epoch), so tests can reach expiry. */
  readonly now?: () => number;
  /** Function ARN (as in LambdaConfig) -> handler. */
  readonly triggers?: Record<string, TriggerHandler>;
  /** @default 5000, Cognito's trigger timeout */
  readonly triggerTimeoutMs?: number;
}

export const MAX_SIGN_IN_FAILURES = 5;

/** Shared machinery of the operations: lookups and checks. */
export class Engine {
  readonly store: JsonStore<CognitoState>;
  readonly region: string;
  readonly now: () => number;
  readonly triggers: Record<string, TriggerHandler>;
  readonly triggerTimeoutMs: number;
  /** Set by the server once it listens: tokens' `iss` is `${issuerBase}/${poolId}`. */
  issuerBase = 'http://127.0.0.1';

  constructor(options: LocalCognitoOptions = {}) {
    this.store = new JsonStore<CognitoState>(stateFile(options.dataDir, 'cognito.json'), () => ({
      version: 1,
      pools: {},
      outbox: [],
    }));
    this.region = options.region ?? 'us-east-1';
    this.now = options.now ?? Date.now;
    this.triggers = options.triggers ?? {};
    this.triggerTimeoutMs = options.triggerTimeoutMs ?? 5000;
  }

  pool(id: unknown): StoredPool {
    const pool = own(this.store.data.pools, id);
    if (!pool) throw err.resourceNotFound(`User pool ${String(id)} does not exist.`);
    return pool;
  }

  client(clientId: unknown, poolId?: unknown): { pool: StoredPool; client: StoredClient } {
    const pools = poolId === undefined ? Object.values(this.store.data.pools) : [this.pool(poolId)];
    for (const pool of pools) {
      const client = own(pool.clients, clientId);
      if (client) return { pool, client };
    }
    throw err.resourceNotFound(`User pool client ${String(clientId)} does not exist.`);
  }

  /** By username, or by email for pools that sign in with email. Case-insensitive like Cognito's default. */
  findUser(pool: StoredPool, name: string): StoredUser | undefined {
    const direct = own(pool.users, name) ?? own(pool.users, name.toLowerCase());
    if (direct) return direct;
    if (!pool.usernameAttributes.includes('email')) return undefined;
    const email = name.toLowerCase();
    return Object.values(pool.users).find((u) => u.attributes.email?.toLowerCase() === email);
  }

  requireUser(pool: StoredPool, name: string): StoredUser {
    const user = this.findUser(pool, name);
    if (!user) throw err.userNotFound();
    return user;
  }

  preventsExistenceErrors = (client: StoredClient) => client.preventUserExistenceErrors === 'ENABLED';

  /** SecretHash = Base64(HMAC-SHA256(secret, username + clientId)), required for secret clients. */
  checkSecretHash(client: StoredClient, usernames: readonly string[], given: unknown): void {
    if (!client.clientSecret) return;
    const secret = client.clientSecret;
    const ok =
      typeof given === 'string' &&
      usernames.some((name) => safeEqual(secretHash(name, client.clientId, secret), given));
    if (!ok) {
      throw err.notAuthorized(
        given === undefined
          ? `Client ${client.clientId} is configured with secret but SECRET_HASH was not received`
          : `Unable to verify secret hash for client ${client.clientId}`,
      );
    }
  }

  checkPasswordPolicy(pool: StoredPool, password: string): void {
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
  async passwordMatches(user: StoredUser | undefined, password: string): Promise<boolean> {
    const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
    return ok && user !== undefined;
  }

  publicAttributes(user: StoredUser): { Name: string; Value: string }[] {
    return Object.entries(user.attributes).map(([Name, Value]) => ({ Name, Value }));
  }
}
