/**
 * The product's own CloudWatch metrics: one table ({@link METRICS}) that the functions emit from and the
 * operations construct (lib/constructs/operations.ts) builds its dashboard and alarms from, so that a name the
 * dashboard reads is a name a function writes.
 *
 * Emitted with Powertools Metrics as embedded metric format (EMF) lines on standard output: CloudWatch Logs turns
 * them into metrics, with no API call and no extra latency. Dimensions carry no personal data and stay few: a
 * route, an outcome code, a trigger source, an action; never a user, an address or an IP.
 *
 * Every data point is written with two dimension sets: its own (`service` and the table's dimensions), for the
 * dashboard's breakdowns, and `service` alone, the series the alarms read (an alarm cannot add up a search).
 */
import { MetricUnit, Metrics } from '@aws-lambda-powertools/metrics';
import type { Environment } from './function';
import { currentInvocation } from './invocation';

/** The CloudWatch namespace of every product metric (`POWERTOOLS_METRICS_NAMESPACE` overrides it). */
export const METRICS_NAMESPACE = 'PasswordBff';
/** The `service` dimension: Powertools' service name, the same for every function of the product. */
export const METRICS_SERVICE = 'password-bff';

/** A metric of the product: its dimensions (besides `service`) and what one count means. */
export interface MetricSpec {
  readonly dimensions: readonly string[];
  readonly description: string;
}

export const METRICS = {
  Requests: {
    dimensions: ['route', 'outcome'],
    description: 'a route answered: outcome `ok`, or the problem `code` it answered with',
  },
  CognitoThrottles: {
    dimensions: ['route'],
    description: 'Cognito refused a call of the route with TooManyRequestsException (its request-rate quota)',
  },
  CognitoErrors: {
    dimensions: ['route'],
    description: 'a call of the route to Cognito failed on Cognito\u2019s side or did not answer (5xx, timeout)',
  },
  SecretHashFailures: {
    dimensions: ['route'],
    description: 'Cognito refused the app client secret or a SecretHash: the deployment is misconfigured',
  },
  EmailLimitReached: {
    dimensions: ['route'],
    description: 'Cognito refused to send mail: the daily limit of its built-in email was reached',
  },
  MessagesSent: {
    dimensions: ['triggerSource'],
    description: 'the CustomMessage trigger wrote a message, by Cognito trigger source',
  },
  MessageFallbacks: {
    dimensions: ['triggerSource'],
    description: 'a template failed or broke a Cognito rule, and the default message was sent instead',
  },
  TriggerFailures: {
    dimensions: ['trigger'],
    description: 'a trigger failed its invocation (Cognito then fails or retries the user\u2019s request)',
  },
  PostConfirmationActions: {
    dimensions: ['action', 'outcome'],
    description:
      'a PostConfirmation step ran: action `addToGroup`, `signOut` or `auditEvent`; outcome `ok` or `failed`',
  },
  NoticeFailures: {
    dimensions: ['notice'],
    description: 'a notice the BFF mails itself through SES failed: `emailChange` or `duplicateSignUp`',
  },
} as const satisfies Readonly<Record<string, MetricSpec>>;

export type MetricName = keyof typeof METRICS;
export type DimensionsOf<N extends MetricName> = Readonly<Record<(typeof METRICS)[N]['dimensions'][number], string>>;

/** Where a function's EMF lines go: standard output in Lambda, a capture in the local stack. */
export type MetricsSink = (line: string) => void;

/** The environment variable that names a local sink; absent in AWS. */
export const METRICS_SINK_ENV = 'BFF_LOCAL_METRICS_SINK';
const sinks = new Map<string, MetricsSink>();

/**
 * Local stack only: sends the EMF lines of every function created with `BFF_LOCAL_METRICS_SINK=<id>` to `sink`,
 * so that a flow's metrics can be read back (`/_local/metrics`). Returns the way to stop.
 */
export function registerMetricsSink(id: string, sink: MetricsSink): () => void {
  sinks.set(id, sink);
  return () => sinks.delete(id);
}

/**
 * Writes the line as Powertools does in Lambda: on the process's standard output itself, not through the
 * runtime's console (which would wrap it in a log record that CloudWatch does not read as EMF).
 */
const stdout: MetricsSink = (line) => {
  process.stdout.write(`${line}\n`);
};

/**
 * Members of a metric's line that are not metrics: log properties, searchable in Logs Insights, never dimensions.
 * The EMF specification lets the root hold any other member ("The root node MAY contain any other members not
 * included in the requirements above":
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html),
 * so one line can be a request's log record and its metric at once (http.ts).
 */
export type LogFields = Readonly<Record<string, string | number | boolean | undefined>>;

export interface MetricsEmitter {
  /**
   * Counts one (or `value`) of a metric of the table, with its dimensions, written at once; `fields` ride on the
   * same line as log properties.
   */
  count<N extends MetricName>(name: N, dimensions: DimensionsOf<N>, value?: number, fields?: LogFields): void;
}

/**
 * A function instance's emitter, created once with the instance. Powertools is set up on the first count, not at
 * cold start (lazy: a function that counts nothing pays nothing).
 */
export function metricsEmitter(env: Environment): MetricsEmitter {
  const sinkId = env[METRICS_SINK_ENV];
  let metrics: Metrics | undefined;
  const instance = () =>
    (metrics ??= new Metrics({
      namespace: env.POWERTOOLS_METRICS_NAMESPACE || METRICS_NAMESPACE,
      serviceName: METRICS_SERVICE,
    }));
  /**
   * Powertools' document for each metric and set of dimension values, made once and kept as JSON text: a later
   * count of the same pair differs only in its timestamp, its value and its log fields, which are all that a count
   * serialises. The pairs are few (a route's outcomes are the problem codes, a trigger's sources are Cognito's),
   * and the cache stops growing at {@link TEMPLATE_LIMIT} all the same.
   */
  const templates = new Map<string, LineTemplate>();
  const template = (name: MetricName, dimensions: Readonly<Record<string, string>>): LineTemplate => {
    const key = `${name}\u0000${Object.values(dimensions).join('\u0000')}`;
    const known = templates.get(key);
    if (known) return known;
    const m = instance();
    m.addDimensions(dimensions);
    m.addDimensions({});
    m.addMetric(name, MetricUnit.Count, 1);
    try {
      const made = lineTemplate(name, m.serializeMetrics() as unknown as EmfDocument);
      if (templates.size < TEMPLATE_LIMIT) templates.set(key, made);
      return made;
    } finally {
      m.clearMetrics();
      m.clearDimensions();
    }
  };
  return {
    count(name, dimensions, value = 1, fields) {
      const t = template(name, dimensions as Readonly<Record<string, string>>);
      const sink = sinkId === undefined ? stdout : (sinks.get(sinkId) ?? stdout);
      sink(
        `{"_aws":{"Timestamp":${Date.now()}${t.rest}${JSON.stringify(value)}${fields ? logMembers(fields, t.taken) : ''}}`,
      );
    },
  };
}

/** A metric's line as text, but for its timestamp, value and log fields. */
interface LineTemplate {
  /** From the end of the timestamp to the metric's value: the directive, the dimension members, the name. */
  readonly rest: string;
  /** Members the line already has: a log field of the same name is left out (the metric's own win). */
  readonly taken: ReadonlySet<string>;
}

function lineTemplate(name: string, document: EmfDocument): LineTemplate {
  const { _aws, [name]: _value, ...members } = document;
  const dimensions = JSON.stringify(members).slice(1, -1);
  return {
    rest: `,"CloudWatchMetrics":${JSON.stringify(_aws.CloudWatchMetrics)}}${dimensions ? `,${dimensions}` : ''},${JSON.stringify(name)}:`,
    taken: new Set(['_aws', name, ...Object.keys(members)]),
  };
}

/** The log fields as members to append to a line (`,"a":1,"b":"x"`), or nothing. */
function logMembers(fields: LogFields, taken: ReadonlySet<string>): string {
  const own: Record<string, string | number | boolean> = {};
  let any = false;
  for (const key in fields) {
    const value = fields[key];
    if (value === undefined || taken.has(key)) continue;
    own[key] = value;
    any = true;
  }
  return any ? `,${JSON.stringify(own).slice(1, -1)}` : '';
}

/** An EMF document as Powertools serialises it: the `_aws` directive, then the dimension values and metric values. */
interface EmfDocument {
  readonly _aws: { readonly Timestamp: number; readonly CloudWatchMetrics: unknown };
  readonly [member: string]: unknown;
}
const TEMPLATE_LIMIT = 256;

/** The emitter of the invocation running now (invocation.ts); undefined outside of one. */
export const currentMetrics = (): MetricsEmitter | undefined => currentInvocation()?.metrics;
