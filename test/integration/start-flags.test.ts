/** `npm start` flags for frontend developers: local-only origins (--origin, BFF_LOCAL_ORIGINS), and a usage line
 * with exit code 2 for a flag or value it does not take. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from '@jest/globals';
import { type RunningStack, client, removeDir, startStack, uniqueEmail } from '../support/stack';

const stacks: RunningStack[] = [];
afterAll(async () => {
  for (const stack of stacks) {
    await stack.stop();
    removeDir(stack.dataDir);
  }
});

it.each([
  ['an unknown flag', ['--no-such-flag'], {}],
  ['--origin without a value', ['--origin'], {}],
  ['an origin with a path', ['--origin', 'http://localhost:5173/app'], {}],
  ['an http origin that is not localhost', [], { BFF_LOCAL_ORIGINS: 'http://dev.example.com:5173' }],
])(
  'answers %s with the usage line and exit code 2, without a stack trace',
  (_, args, env) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'bff-flags-'));
    const run = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'local/start.ts', '--port', '0', '--data-dir', dataDir, ...args],
      {
        encoding: 'utf8',
        env: { ...process.env, UV_THREADPOOL_SIZE: '4', ...env },
        // A start that does not refuse would run until killed.
        timeout: 30_000,
        killSignal: 'SIGKILL',
      },
    );
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('usage: npm start --');
    expect(run.stderr).toContain('--origin');
    expect(run.stderr).not.toMatch(/^\s+at /m);
    removeDir(dataDir);
  },
  60_000,
);

it.each([
  ['--origin', { args: ['--origin', 'http://localhost:5173'] }],
  ['BFF_LOCAL_ORIGINS', { env: { BFF_LOCAL_ORIGINS: 'http://localhost:5173,http://127.0.0.1:8080' } }],
])('adds a local origin to CORS and the redirect allowlist with %s', async (_, options) => {
  const stack = await startStack(options);
  stacks.push(stack);
  const api = client(stack.url);
  const preflight = await fetch(`${stack.url}/auth/sign-in`, {
    method: 'OPTIONS',
    headers: { Origin: 'http://localhost:5173', 'Access-Control-Request-Method': 'POST' },
  });
  expect(preflight.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
  const other = await fetch(`${stack.url}/auth/sign-in`, {
    method: 'OPTIONS',
    headers: { Origin: 'http://localhost:5174', 'Access-Control-Request-Method': 'POST' },
  });
  expect(other.headers.get('access-control-allow-origin')).toBeNull();
  const forgot = await api.call('POST', '/password/forgot', {
    username: uniqueEmail('origin'),
    clientMetadata: { redirectUri: 'http://localhost:5173/' },
  });
  expect(forgot.status).toBe(202);
  const refused = await api.call('POST', '/password/forgot', {
    username: uniqueEmail('origin'),
    clientMetadata: { redirectUri: 'http://localhost:5174/' },
  });
  expect(refused.status).toBe(400);
});
