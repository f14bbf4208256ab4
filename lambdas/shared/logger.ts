/**
 * The functions' logger: Powertools Logger, made on its first line and never on the hot path.
 *
 * A request's record is its `Requests` metric line (route-metrics.ts), so a function that answers well writes no
 * logger line at all. The logger is for what an operator acts on: failures, a misconfiguration, a notice not sent.
 * Such a line carries the invocation's Lambda context and API Gateway's request id, taken from the invocation
 * scope (invocation.ts) when the line is written, instead of being set on every request by a middleware.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { currentInvocation } from './invocation';

/** Values only of this shape: names, codes, ids, counts. Never a body, a header, a password, a code or a token. */
export type LogAttributes = Readonly<Record<string, string | number | boolean | undefined>>;

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

  /** The invocation's own cold start, not whether this is the logger's first line. */
  public override getColdStart(): boolean {
    return currentInvocation()?.coldStart ?? false;
  }
}

let instance: EventFreeLogger | undefined;

/** The Powertools logger itself, made on first use. */
export const powertoolsLogger = (): Logger =>
  (instance ??= new EventFreeLogger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'password-bff' }));

type Level = 'debug' | 'info' | 'warn' | 'error';

function write(level: Level, message: string, attributes: LogAttributes = {}): void {
  const log = powertoolsLogger();
  const invocation = currentInvocation();
  if (invocation?.context) log.addContext(invocation.context);
  const correlation = invocation?.correlationId ? { correlation_id: invocation.correlationId } : {};
  log[level](message, { ...attributes, ...correlation });
}

export interface AppLogger {
  readonly debug: (message: string, attributes?: LogAttributes) => void;
  readonly info: (message: string, attributes?: LogAttributes) => void;
  readonly warn: (message: string, attributes?: LogAttributes) => void;
  readonly error: (message: string, attributes?: LogAttributes) => void;
}

/**
 * One structured logger for every function. It never receives a body, a header value, a
 * password, a code or a token: callers log route, status, problem code and error names only.
 */
export const logger: AppLogger = {
  debug: (message, attributes) => write('debug', message, attributes),
  info: (message, attributes) => write('info', message, attributes),
  warn: (message, attributes) => write('warn', message, attributes),
  error: (message, attributes) => write('error', message, attributes),
};
