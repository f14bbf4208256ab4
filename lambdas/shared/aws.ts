/**
 * AWS SDK client options. A function builds its clients once, when it is created from its
 * configuration; the endpoints are set only by the local stack (npm start), in AWS the regional
 * endpoints are used. Timeouts keep every call inside the caller's own budget (API Gateway
 * 29 s, Cognito triggers 5 s).
 */
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import type { RetryErrorInfo, RetryStrategyV2, RetryToken } from '@smithy/types';

export interface Timeouts {
  readonly connectionTimeout: number;
  readonly requestTimeout: number;
  /** Attempts in all, retries only of requests the service surely did not process (see below). */
  readonly maxAttempts: number;
}

/**
 * Retries only what the service did not process: throttling (Cognito refuses the request before acting on
 * it) and a connection that was refused. Never a timeout or a 5xx: Cognito may have done the work (a
 * ConfirmForgotPassword that timed out on our side has consumed its code; replaying it answers CodeMismatch,
 * and a replayed SignUp answers UsernameExists), so a blind retry turns a success into a failure.
 */
export function unprocessedOnlyRetry(maxAttempts: number): RetryStrategyV2 {
  const token = (count: number): RetryToken => ({
    getRetryCount: () => count,
    // Full jitter over an exponential base: 50, 100, 200 ms...
    getRetryDelay: () => (count === 0 ? 0 : Math.round(Math.random() * 50 * 2 ** (count - 1))),
  });
  const unprocessed = (info: RetryErrorInfo) =>
    info.errorType === 'THROTTLING' || (info.error as { code?: string }).code === 'ECONNREFUSED';
  return {
    acquireInitialRetryToken: async () => token(0),
    refreshRetryTokenForRetry: async (previous, info) => {
      const next = previous.getRetryCount() + 1;
      // Throwing ends the attempts: the SDK then rejects with the call's own error.
      if (!unprocessed(info) || next >= maxAttempts) throw info.error;
      return token(next);
    },
    recordSuccess: () => undefined,
  };
}

/**
 * Client options with timeouts that really end a call: without `throwOnRequestTimeout`, the
 * SDK's request timeout only logs a warning and the call hangs on.
 *
 * `cacheMiddleware`: the client resolves an operation's middleware stack on its first call and keeps it, instead of
 * cloning and sorting the whole stack on every call ("the additional time saved (0-1ms per request)", the option's
 * own documentation in @smithy/core; released for throughput in https://github.com/aws/aws-sdk-js-v3/issues/6423).
 * Its one condition, that nothing changes the stack after the first call, holds: no code here adds middleware
 * (the secret refetch wraps `send` instead, cognito.ts). It also allocates less per call, so fewer collections fall
 * inside a request (bench/RESULTS.md).
 */
export const clientOptions = (t: Timeouts, endpoint: string | undefined) => ({
  ...(endpoint ? { endpoint } : {}),
  maxAttempts: t.maxAttempts,
  cacheMiddleware: true,
  retryStrategy: unprocessedOnlyRetry(t.maxAttempts),
  requestHandler: {
    connectionTimeout: t.connectionTimeout,
    requestTimeout: t.requestTimeout,
    throwOnRequestTimeout: true,
  },
});

export const cognitoClient = (t: Timeouts, endpoint: string | undefined) =>
  new CognitoIdentityProviderClient(clientOptions(t, endpoint));
