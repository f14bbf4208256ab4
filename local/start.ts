/**
 * `npm start`: the whole product offline. Flags: --reset (wipe .local/ first), --port N,
 * --manual-clock (time moves only through `POST /_local/clock {"advanceMs": n}`; for tests),
 * --throttle (emulate API Gateway's stage and per-route throttles; off by default),
 * -c bff:key=value (a setting over cdk.json's, read as `cdk -c` reads it; repeatable),
 * --trigger-latency-ms N (each Cognito trigger invocation takes N ms first, as a Lambda invocation does),
 * --origin URL (repeatable: a local-only origin, e.g. a dev server's http://localhost:5173, added to CORS and to
 * the redirect allowlist of this stack only; cdk.json is not touched). An unknown flag prints the usage, exit 2.
 * Env: BFF_LOCAL_ORIGINS (comma-separated origins, as --origin), PORT (default 3000), LOCAL_ADMIN_PASSWORD,
 * LOG_LEVEL (DEBUG, INFO, WARN, ERROR), DATA_DIR, LOCAL_CONCURRENCY (function invocations at once, see
 * local/capacity.ts), UV_THREADPOOL_SIZE, LOCAL_TRIGGER_LATENCY_MS.
 *
 * Only Node built-ins and local/capacity.ts are imported statically: libuv sizes its thread pool
 * from UV_THREADPOOL_SIZE once, at its first use, and by the time an entry module runs (tsx has
 * loaded it) that has happened. So when the variable is not set, this process replaces itself
 * (execve: same pid, same stdio, same arguments, nothing else carried over) with one that has it,
 * before anything is started. Where execve does not exist (Windows), set it yourself.
 */
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { type Capacity, localCapacity } from './capacity';

const USAGE =
  'usage: npm start -- [--reset] [--port N] [--data-dir DIR] [--manual-clock] [--throttle] ' +
  '[-c bff:key=value]... [--trigger-latency-ms N] [--origin http://localhost:5173]...';

/** A flag it does not know (or a value missing) is a usage line and exit code 2, never a stack trace. */
function parseFlags() {
  try {
    return parseArgs({
      options: {
        reset: { type: 'boolean', default: false },
        port: { type: 'string' },
        'data-dir': { type: 'string' },
        'manual-clock': { type: 'boolean', default: false },
        throttle: { type: 'boolean', default: false },
        context: { type: 'string', short: 'c', multiple: true, default: [] },
        'trigger-latency-ms': { type: 'string' },
        origin: { type: 'string', multiple: true, default: [] },
      },
    });
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    process.exit(2);
  }
}
const { values } = parseFlags();

/**
 * Local-only origins (a frontend's dev server): scheme, host and port, nothing else. http only for localhost and
 * 127.0.0.1, as the redirect allowlist's rule (lambdas/shared/redirect.ts) and the browsers' secure contexts want.
 */
const localOrigins: string[] = [];
for (const text of [...(process.env.BFF_LOCAL_ORIGINS ?? '').split(','), ...values.origin].map((o) => o.trim())) {
  if (!text) continue;
  let origin: string | undefined;
  try {
    const url = new URL(text);
    const local = url.hostname === 'localhost' || url.hostname === '127.0.0.1';
    if ((url.protocol === 'https:' || (url.protocol === 'http:' && local)) && url.origin === text.replace(/\/$/, '')) {
      origin = url.origin;
    }
  } catch {
    // reported below
  }
  if (!origin) {
    console.error(
      `--origin (and BFF_LOCAL_ORIGINS) take origins such as http://localhost:5173 (scheme, host, port; ` +
        `http only for localhost and 127.0.0.1), got "${text}"\n${USAGE}`,
    );
    process.exit(2);
  }
  if (!localOrigins.includes(origin)) localOrigins.push(origin);
}

const context: Record<string, string> = {};
for (const entry of values.context) {
  const at = entry.indexOf('=');
  if (!entry.startsWith('bff:') || at < 0) {
    console.error(`-c takes bff:key=value, got "${entry}"`);
    process.exit(1);
  }
  context[entry.slice(0, at)] = entry.slice(at + 1);
}
const latencyText = values['trigger-latency-ms'] ?? process.env.LOCAL_TRIGGER_LATENCY_MS ?? '0';
const triggerLatencyMs = Number(latencyText);
if (!Number.isInteger(triggerLatencyMs) || triggerLatencyMs < 0 || triggerLatencyMs > 4000) {
  console.error(`the trigger latency must be a whole number of ms from 0 to 4000, got "${latencyText}"`);
  process.exit(1);
}

const port = Number(values.port ?? process.env.PORT ?? 3000);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`PORT must be a port number, got "${values.port ?? process.env.PORT}"`);
  process.exit(1);
}
let capacity: Capacity;
try {
  capacity = localCapacity();
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
if (process.env.UV_THREADPOOL_SIZE === undefined && process.execve) {
  process.execve(process.execPath, [process.execPath, ...process.execArgv, ...process.argv.slice(1)], {
    ...process.env,
    UV_THREADPOOL_SIZE: String(capacity.threadPoolSize),
  });
}

const { CorruptStateError } = await import('./store');
const { ManualClock } = await import('./clock');
const { DEFAULT_ADMIN_PASSWORD, startLocalStack } = await import('./stack');

const dataDir = resolve(values['data-dir'] ?? process.env.DATA_DIR ?? '.local');
if (values.reset) rmSync(dataDir, { recursive: true, force: true });

const started = performance.now();
try {
  const stack = await startLocalStack({
    port,
    dataDir,
    adminPassword: process.env.LOCAL_ADMIN_PASSWORD || DEFAULT_ADMIN_PASSWORD,
    concurrency: capacity.concurrency,
    throttle: values.throttle,
    ...(values['manual-clock'] ? { clock: new ManualClock() } : {}),
    context,
    triggerLatencyMs,
    localOrigins,
  });
  const fromEnv = Boolean(process.env.LOCAL_ADMIN_PASSWORD);
  const threads = process.env.UV_THREADPOOL_SIZE ?? '4 (libuv default)';
  console.log(
    [
      '',
      `  Password BFF running locally (started in ${Math.round(performance.now() - started)} ms)`,
      '',
      `  BFF listening on ${stack.url}`,
      `  Try it:          ${stack.pageUrl}/   (the product page)   contract: ${stack.url}/openapi.json`,
      `  Admin login:     ${stack.adminUsername} / ${fromEnv ? '(LOCAL_ADMIN_PASSWORD)' : stack.adminPassword}`,
      `  Messages:        ${stack.pageUrl}/_local/outbox.html   (emails are not sent; they land here)`,
      `  Message gallery: ${stack.url}/_local/messages (every message x locale, sample data)`,
      `  Audit events:    ${stack.url}/_local/events`,
      `  Local Cognito:   ${stack.cognitoEndpoint}  (pool ${stack.userPoolId}; ${stack.url}/_local/config)`,
      `  State:           ${dataDir}  (wipe with: npm start -- --reset)`,
      `  Capacity:        ${capacity.concurrency} invocations at once (LOCAL_CONCURRENCY), ${threads} libuv threads`,
      ...(localOrigins.length > 0
        ? [`  Local origins:   ${localOrigins.join(', ')}  (CORS and redirects, this stack only)`]
        : []),
      `  Throttles:       ${values.throttle ? "API Gateway's, emulated (--throttle)" : 'off (--throttle emulates them); no WAF locally'}`,
      '',
      '  Ctrl-C to stop.',
      '',
    ].join('\n'),
  );
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n  ${signal}: stopping, saving state...`);
    await stack.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
} catch (error) {
  if (error instanceof CorruptStateError || (error as Error).message?.includes('already in use')) {
    console.error(`\n  Cannot start: ${(error as Error).message}\n`);
  } else {
    console.error('\n  Cannot start:', error);
  }
  process.exit(1);
}
