import { Logger } from '@aws-lambda-powertools/logger';

/**
 * A Powertools logger that never logs the invocation event. An event holds passwords, codes,
 * tokens and the attributes a user typed, so neither `POWERTOOLS_LOGGER_LOG_EVENT=true` nor a
 * `logEvent: true` option (injectLambdaContext) may print it.
 */
class EventFreeLogger extends Logger {
  public override logEventIfEnabled(): void {
    // Deliberately nothing: see the class comment.
  }

  public override getLogEvent(): boolean {
    return false;
  }
}

/**
 * One structured logger for every function. It never receives a body, a header value, a
 * password, a code or a token: callers log route, status, problem code and error names only.
 */
export const logger: Logger = new EventFreeLogger({
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'password-bff',
});
