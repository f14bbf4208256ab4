import { type CognitoState, type StoredClient, type StoredPool, err, own } from './model';
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
  /** Time every trigger invocation takes before its handler runs (triggers.ts). @default 0 */
  readonly triggerLatencyMs?: number;
}

/**
 * The local Cognito's state and settings (store, clock, region, triggers, issuer) and the lookup of
 * pools and clients in it. What the operations do with it lives beside it: users.ts, credentials.ts,
 * lockouts.ts, codes.ts, messages.ts, triggers.ts, tokens.ts.
 */
export class Engine {
  readonly store: JsonStore<CognitoState>;
  readonly region: string;
  readonly now: () => number;
  readonly triggers: Record<string, TriggerHandler>;
  readonly triggerTimeoutMs: number;
  readonly triggerLatencyMs: number;
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
    this.triggerLatencyMs = options.triggerLatencyMs ?? 0;
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
}
