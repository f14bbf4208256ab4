/**
 * What a BFF route counts (the table is lambdas/shared/metrics.ts): every answer by outcome, and the Cognito
 * failures an operator acts on. Used by the HTTP chain (http.ts) and by the code-request routes, whose hidden
 * failures answer 202 and never reach the chain's error handler.
 */
import {
  LimitExceededException,
  NotAuthorizedException,
  TooManyRequestsException,
} from '@aws-sdk/client-cognito-identity-provider';
import { isSecretError } from './cognito-errors';
import { logger } from './logger';
import { type LogFields, type MetricsEmitter, currentMetrics } from './metrics';
import type { HttpError } from './problem';

/**
 * Cognito's built-in email refuses mail past its daily cap with LimitExceededException "Exceeded daily email limit
 * for the operation or the account". Cognito publishes no CloudWatch metric for that cap (the AWS/Cognito metrics
 * are sign-up, sign-in, token refresh and federation successes and throttles, and the AWS/Usage call counts:
 * https://docs.aws.amazon.com/cognito/latest/developerguide/metrics-for-cognito-user-pools.html), so the BFF
 * counts its own (ROUND2). The cap: https://docs.aws.amazon.com/cognito/latest/developerguide/quotas.html
 */
export const isEmailLimit = (error: unknown): boolean =>
  error instanceof LimitExceededException && /email limit/i.test(error.message);

/** The metric of the table a Cognito failure counts in, if any. */
export function cognitoFailureMetric(
  cause: unknown,
  answered?: HttpError,
): 'SecretHashFailures' | 'CognitoThrottles' | 'EmailLimitReached' | 'CognitoErrors' | undefined {
  if (cause instanceof NotAuthorizedException && isSecretError(cause)) return 'SecretHashFailures';
  if (cause instanceof TooManyRequestsException) return 'CognitoThrottles';
  if (isEmailLimit(cause)) return 'EmailLimitReached';
  if (answered && (answered.code === 'Upstream' || answered.code === 'UpstreamUnavailable')) return 'CognitoErrors';
  return undefined;
}

/**
 * A failed code request that the route answers as sent (hidesCodeRequestFailure): counted here, since the chain
 * sees only the 202. Only the email cap is counted: the rest is a user's state, not an operator's concern.
 */
export function countHiddenFailure(error: unknown, route: string): void {
  if (isEmailLimit(error)) currentMetrics()?.count('EmailLimitReached', { route });
}

/**
 * One function instance's counting of its route: what one container has already reported stays reported.
 *
 * The `Requests` line of an answer is also the request's log record (`fields`: message, status, duration, ids;
 * never a value from the request): one line a request instead of a log line and a metric line, which halves the
 * hot path's serialising and writing and the log volume CloudWatch bills.
 */
export function routeMetrics(route: string, metrics: MetricsEmitter) {
  let secretReported = false;
  return {
    answered: (fields: LogFields) => metrics.count('Requests', { route, outcome: 'ok' }, 1, fields),
    /**
     * Counts a failed answer; true when the chain should also log it at error level. A SecretHash failure is a
     * misconfiguration that fails every request alike: it is logged once per container (loudly, without any
     * secret), then counted only, and its alarm (SecretHashFailures) tells the operator.
     */
    failed(error: HttpError, cause: unknown, fields: LogFields): boolean {
      metrics.count('Requests', { route, outcome: error.code }, 1, fields);
      const metric = cognitoFailureMetric(cause, error);
      if (metric) metrics.count(metric, { route });
      if (metric !== 'SecretHashFailures') return error.statusCode >= 500;
      if (secretReported) return false;
      secretReported = true;
      logger.error('Cognito rejected the app client secret: the deployment is misconfigured', {
        route,
        code: error.code,
        errorName: (cause as Error | undefined)?.name,
        fix: 'check that the secret the functions read is the app client secret in Cognito (README, Runbook)',
      });
      return false;
    },
  };
}
