/**
 * The invocation running now, for code that reports without being handed it: the metrics emitter it counts with
 * (metrics.ts) and the ids a log line carries (logger.ts). One AsyncLocalStorage scope per invocation, opened by
 * the HTTP chain (http.ts) and the triggers.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Context } from 'aws-lambda';
import type { MetricsEmitter } from './metrics';

export interface Invocation {
  readonly metrics?: MetricsEmitter;
  /** Lambda's context of the invocation (absent in unit tests that call a function without one). */
  readonly context?: Context;
  /** API Gateway's request id: ties a line to the access log. */
  readonly correlationId?: string;
  /** True on the first invocation of the function instance. */
  readonly coldStart?: boolean;
}

const scope = new AsyncLocalStorage<Invocation>();

/** Runs `run` as the invocation `invocation`. */
export const withInvocation = <T>(invocation: Invocation, run: () => T): T => scope.run(invocation, run);

/** The invocation running now; undefined outside of one. */
export const currentInvocation = (): Invocation | undefined => scope.getStore();

const unfinished = new Set<Promise<unknown>>();

/** Work that must be done before the invocation answers (a log line being written: logger.ts). */
export function finishBeforeAnswer(work: Promise<unknown>): void {
  unfinished.add(work);
  const done = () => unfinished.delete(work);
  work.then(done, done);
}

/** Resolves once the work handed to {@link finishBeforeAnswer} so far is done (never rejects). */
export const finished = async (): Promise<void> => {
  if (unfinished.size > 0) await Promise.allSettled([...unfinished]);
};

/**
 * A function instance's handler, each invocation run in its own scope: the instance's metrics emitter, Lambda's
 * context, the request id `correlationId` finds in the event, and whether it is the instance's first invocation.
 * It answers once its log lines are written: Lambda may freeze the process as soon as it has the answer.
 */
export function scoped<E, R>(
  metrics: MetricsEmitter,
  handler: (event: E, context?: Context) => Promise<R>,
  correlationId?: (event: E) => string | undefined,
): (event: E, context?: Context) => Promise<R> {
  let invocations = 0;
  return (event, context) =>
    withInvocation(
      {
        metrics,
        ...(context ? { context } : {}),
        ...(correlationId ? { correlationId: correlationId(event) } : {}),
        coldStart: invocations++ === 0,
      },
      async () => {
        try {
          return await handler(event, context);
        } finally {
          await finished();
        }
      },
    );
}
