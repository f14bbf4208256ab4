/**
 * `npm start`: the whole product offline. Flags: --reset (wipe .local/ first), --port N,
 * --manual-clock (time moves only through `POST /_local/clock {"advanceMs": n}`; for tests).
 * Env: PORT (default 3000), LOCAL_ADMIN_PASSWORD, LOG_LEVEL (DEBUG, INFO, WARN, ERROR), DATA_DIR.
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
  },
});

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
