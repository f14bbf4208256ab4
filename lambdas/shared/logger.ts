/**
 * The functions' logger: Powertools Logger, loaded on its first line and never on the hot path.
 *
 * A request's record is its `Requests` metric line (route-metrics.ts), so a function that answers well writes no
 * logger line at all. The logger is for what an operator acts on: failures, a misconfiguration, a notice not sent.
 * Its module is therefore imported on the first line, not at cold start (the bundles keep it, unevaluated), and a
 * line carries the invocation's Lambda context and API Gateway's request id, taken from the invocation scope
 * (invocation.ts) when it is written, instead of being set on every request by a middleware. The invocation
 * answers only once its lines are out (invocation.ts `scoped`).
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { type Invocation, currentInvocation, finishBeforeAnswer } from './invocation';

/** Values only of this shape: names, codes, ids, counts. Never a body, a header, a password, a code or a token. */
export type LogAttributes = Readonly<Record<string, string | number | boolean | undefined>>;

/**
 * A Powertools logger that never logs the invocation event. An event holds passwords, codes,
 * tokens and the attributes a user typed, so neither `POWERTOOLS_LOGGER_LOG_EVENT=true` nor a
 * `logEvent: true` option (injectLambdaContext) may print it.
 */
const eventFree = (Base: typeof Logger) =>
  class EventFreeLogger extends Base {
    /** The cold start of the invocation whose line is being written, not whether it is the logger's first line. */
    public lineColdStart = false;

    public override logEventIfEnabled(): void {
      // Deliberately nothing: see the comment above.
    }

    public override getLogEvent(): boolean {
      return false;
    }

    public override getColdStart(): boolean {
      return this.lineColdStart;
    }
  };

type EventFreeLogger = InstanceType<ReturnType<typeof eventFree>>;

let made: Promise<EventFreeLogger> | undefined;

const eventFreeLogger = (): Promise<EventFreeLogger> =>
  (made ??= import('@aws-lambda-powertools/logger').then(
    ({ Logger }) => new (eventFree(Logger))({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'password-bff' }),
  ));

/** The Powertools logger itself, loaded and made on first use. */
export const powertoolsLogger = (): Promise<Logger> => eventFreeLogger();

type Level = 'debug' | 'info' | 'warn' | 'error';

function emit(
  log: EventFreeLogger,
  invocation: Invocation | undefined,
  level: Level,
  message: string,
  attributes: LogAttributes,
) {
  if (invocation?.context) {
    log.lineColdStart = invocation.coldStart ?? false;
    log.addContext(invocation.context);
  }
  const correlation = invocation?.correlationId ? { correlation_id: invocation.correlationId } : {};
  log[level](message, { ...attributes, ...correlation });
}

function write(level: Level, message: string, attributes: LogAttributes = {}): void {
  const invocation = currentInvocation();
  finishBeforeAnswer(eventFreeLogger().then((log) => emit(log, invocation, level, message, attributes)));
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
