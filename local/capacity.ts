/**
 * How much the local stack runs at once. In AWS every invocation has its own execution
 * environment and Cognito is a fleet; locally one process on one machine plays both, so:
 * - every concurrent invocation gets its own function instance (and so its own SDK clients),
 *   as Lambda scales out, but at most `concurrency` run at once; the rest wait at the local
 *   gateway in arrival order, where no SDK timeout runs (see local/bff-server.ts);
 * - libuv's thread pool, where the local Cognito hashes passwords (scrypt) and writes its state,
 *   gets a thread per invocation that may run at once plus libuv's default four, so that state
 *   writes never queue behind a burst of hashing. Node reads UV_THREADPOOL_SIZE once, before the
 *   entry module runs, so local/start.ts re-executes itself with it set (see there).
 * Node built-ins only: local/start.ts reads this before it loads anything else.
 */
import { availableParallelism } from 'node:os';

/** libuv's own default, kept for file and DNS work. */
const LIBUV_DEFAULT_THREADS = 4;

export interface Capacity {
  /** Function invocations that may run at once (LOCAL_CONCURRENCY). */
  readonly concurrency: number;
  /** The UV_THREADPOOL_SIZE the stack wants. */
  readonly threadPoolSize: number;
}

/**
 * Four invocations per core, at least 8 and at most 32: enough to overlap waiting (triggers,
 * files), few enough that a call into the local Cognito is answered well inside the SDK's
 * timeouts when every one of them hashes a password (scrypt costs about 16 MiB and tens of ms).
 */
export const defaultConcurrency = (cores = availableParallelism()) => Math.min(32, Math.max(8, 4 * cores));

/** Reads LOCAL_CONCURRENCY; throws a message that names the variable when it is not a count. */
export function localCapacity(env: Readonly<Record<string, string | undefined>> = process.env): Capacity {
  const raw = env.LOCAL_CONCURRENCY;
  const concurrency = raw === undefined || raw === '' ? defaultConcurrency() : Number(raw);
  if (!Number.isSafeInteger(concurrency) || concurrency < 1 || concurrency > 1000) {
    throw new RangeError(`LOCAL_CONCURRENCY must be a whole number from 1 to 1000, got "${raw}"`);
  }
  return { concurrency, threadPoolSize: Math.min(1024, concurrency + LIBUV_DEFAULT_THREADS) };
}
