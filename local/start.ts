/**
 * `npm start`: the whole product offline. Flags: --reset (wipe .local/ first), --port N,
 * --manual-clock (time moves only through `POST /_local/clock {"advanceMs": n}`; for tests),
 * -c bff:key=value (a setting over cdk.json's, read as `cdk -c` reads it; repeatable),
 * --trigger-latency-ms N (each Cognito trigger invocation takes N ms first, as a Lambda invocation does).
 * Env: PORT (default 3000), LOCAL_ADMIN_PASSWORD, LOG_LEVEL (DEBUG, INFO, WARN, ERROR), DATA_DIR,
 * LOCAL_TRIGGER_LATENCY_MS.
 */
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { CorruptStateError } from './store';
import { ManualClock } from './clock';
import { DEFAULT_ADMIN_PASSWORD, startLocalStack } from './stack';

const { values } = parseArgs({
  options: {
    reset: { type: 'boolean', default: false },
    port: { type: 'string' },
    'data-dir': { type: 'string' },
    'manual-clock': { type: 'boolean', default: false },
    context: { type: 'string', short: 'c', multiple: true, default: [] },
    'trigger-latency-ms': { type: 'string' },
  },
});

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

const dataDir = resolve(values['data-dir'] ?? process.env.DATA_DIR ?? '.local');
const port = Number(values.port ?? process.env.PORT ?? 3000);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`PORT must be a port number, got "${values.port ?? process.env.PORT}"`);
  process.exit(1);
}
if (values.reset) rmSync(dataDir, { recursive: true, force: true });

const started = performance.now();
try {
  const stack = await startLocalStack({
    port,
    dataDir,
    adminPassword: process.env.LOCAL_ADMIN_PASSWORD || DEFAULT_ADMIN_PASSWORD,
    ...(values['manual-clock'] ? { clock: new ManualClock() } : {}),
    context,
    triggerLatencyMs,
  });
  const fromEnv = Boolean(process.env.LOCAL_ADMIN_PASSWORD);
  console.log(
    [
      '',
      `  Password BFF running locally (started in ${Math.round(performance.now() - started)} ms)`,
      '',
      `  BFF listening on ${stack.url}`,
      `  Try it:          ${stack.url}/        contract: ${stack.url}/openapi.json`,
      `  Admin login:     ${stack.adminUsername} / ${fromEnv ? '(LOCAL_ADMIN_PASSWORD)' : stack.adminPassword}`,
      `  Messages:        ${stack.url}/_local/outbox   (emails are not sent; they land here)`,
      `  Audit events:    ${stack.url}/_local/events`,
      `  Local Cognito:   ${stack.cognitoEndpoint}  (pool ${stack.userPoolId}; ${stack.url}/_local/config)`,
      `  State:           ${dataDir}  (wipe with: npm start -- --reset)`,
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
