/**
 * The functions' metrics, locally: the same EMF lines Powertools writes on standard output in Lambda, captured
 * per stack (lambdas/shared/metrics.ts, `registerMetricsSink`) and served at `GET /_local/metrics` (JSON) and
 * `/_local/metrics.html` (a small table), loopback only like every `/_local/` endpoint.
 */
import { randomUUID } from 'node:crypto';
import { METRICS_SINK_ENV, registerMetricsSink } from '../lambdas/shared/metrics';

/** One EMF document, as CloudWatch reads it: `_aws` says which members are metrics and which are dimensions. */
export interface EmfLine {
  readonly _aws: {
    readonly Timestamp: number;
    readonly CloudWatchMetrics: readonly {
      readonly Namespace: string;
      readonly Dimensions: readonly (readonly string[])[];
      readonly Metrics: readonly { readonly Name: string; readonly Unit: string }[];
    }[];
  };
  readonly [member: string]: unknown;
}

/** A metric's running total for one combination of its dimensions' values. */
export interface MetricTotal {
  readonly namespace: string;
  readonly name: string;
  readonly dimensions: Readonly<Record<string, string>>;
  readonly value: number;
}

const LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'CRITICAL', 'SILENT'];
const shown = (level: unknown): boolean =>
  LEVELS.indexOf(String(level)) >= LEVELS.indexOf((process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN').toUpperCase());

/** Lines kept for `/_local/metrics` (the totals count every line). */
const MAX_LINES = 500;

export class LocalMetrics {
  /** The environment variable a function needs to write here rather than to standard output. */
  readonly env: Readonly<Record<string, string>>;
  private readonly lines: EmfLine[] = [];
  private readonly totals = new Map<string, MetricTotal>();
  private readonly unregister: () => void;

  constructor() {
    const id = randomUUID();
    this.env = { [METRICS_SINK_ENV]: id };
    this.unregister = registerMetricsSink(id, (line) => this.add(line));
  }

  private add(text: string): void {
    const line = JSON.parse(text) as EmfLine;
    // A route's request record rides on its Requests line (lambdas/shared/route-metrics.ts). In AWS the line always
    // reaches the log, being the metric; here the console shows it as it shows the functions' logger lines: at or
    // above the log level (LOG_LEVEL, WARN by default).
    if (typeof line.message === 'string' && shown(line.level)) process.stdout.write(`${text}\n`);
    this.lines.push(line);
    if (this.lines.length > MAX_LINES) this.lines.shift();
    for (const directive of line._aws.CloudWatchMetrics) {
      // The most specific dimension set: the one the dashboard's breakdowns read.
      const names = directive.Dimensions.reduce<readonly string[]>((a, b) => (b.length > a.length ? b : a), []);
      const dimensions = Object.fromEntries(names.map((n) => [n, String(line[n])]));
      for (const metric of directive.Metrics) {
        const key = JSON.stringify([directive.Namespace, metric.Name, dimensions]);
        const value = Number(line[metric.Name]);
        const before = this.totals.get(key)?.value ?? 0;
        this.totals.set(key, { namespace: directive.Namespace, name: metric.Name, dimensions, value: before + value });
      }
    }
  }

  /** What `GET /_local/metrics` answers: the totals, then the latest EMF lines as they were written. */
  snapshot() {
    return { totals: [...this.totals.values()], lines: [...this.lines] };
  }

  stop(): void {
    this.unregister();
  }
}

const METRICS_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Local metrics</title>
<style>body{font:14px system-ui,sans-serif;margin:2rem}table{border-collapse:collapse}
td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:left}td.n{text-align:right}</style></head>
<body><h1>Metrics</h1><p>The functions' EMF metrics since the stack started
(<a href="/_local/metrics">JSON</a>). Reload to update.</p>
<table><thead><tr><th>metric</th><th>dimensions</th><th>count</th></tr></thead><tbody id="rows"></tbody></table>
<script src="/_local/metrics.js"></script></body></html>
`;

const METRICS_JS = `fetch('/_local/metrics').then((r) => r.json()).then((data) => {
  const rows = document.getElementById('rows');
  for (const t of data.totals) {
    const tr = document.createElement('tr');
    const dims = Object.entries(t.dimensions).map(([k, v]) => k + '=' + v).join(', ');
    for (const [text, cls] of [[t.name, ''], [dims, ''], [String(t.value), 'n']]) {
      const td = document.createElement('td');
      td.textContent = text;
      if (cls) td.className = cls;
      tr.append(td);
    }
    rows.append(tr);
  }
});
`;

/** The HTML view of `/_local/metrics`, served as static local assets. */
export const METRICS_ASSETS = {
  '/_local/metrics.html': { contentType: 'text/html; charset=utf-8', body: METRICS_HTML },
  '/_local/metrics.js': { contentType: 'text/javascript; charset=utf-8', body: METRICS_JS },
} as const;
