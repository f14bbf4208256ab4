/**
 * The local stack as a process: restart keeps state, Ctrl-C stops cleanly, a busy port is named,
 * a request during the start is answered, the state is owner-only, the thread pool is sized.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from '@jest/globals';
import { localCapacity } from '../../local/capacity';
import { PASSWORD, client, removeDir, startStack, uniqueEmail } from '../support/stack';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) removeDir(dir);
});

it('keeps users across a restart and stops cleanly on SIGINT', async () => {
  const first = await startStack();
  dirs.push(first.dataDir);
  const api = client(first.url);
  const email = uniqueEmail('restart');
  expect((await api.call('POST', '/auth/sign-up', { username: email, password: PASSWORD })).status).toBe(201);
  expect(
    (await api.call('POST', '/auth/sign-up/confirm', { username: email, code: await api.latestCode(email) })).status,
  ).toBe(204);
  const exited = new Promise<number | null>((resolve) => first.child.once('exit', (code) => resolve(code)));
  first.child.kill('SIGINT');
  expect(await exited).toBe(0);

  const second = await startStack({ dataDir: first.dataDir });
  try {
    const again = client(second.url);
    expect((await again.call('POST', '/auth/sign-in', { username: email, password: PASSWORD })).status).toBe(200);
    expect((await again.outbox(email)).length).toBe(1);
    expect((await again.events()).some((e) => e.detailType === 'UserConfirmed')).toBe(true);
  } finally {
    await second.stop();
  }
});

it('names the port when it is already in use', async () => {
  const running = await startStack();
  dirs.push(running.dataDir);
  try {
    const port = new URL(running.url).port;
    const result = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'local/start.ts', '--port', port, '--data-dir', `${running.dataDir}-2`],
      {
        encoding: 'utf8',
        timeout: 30_000,
      },
    );
    dirs.push(`${running.dataDir}-2`);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`port ${port} on 127.0.0.1 is already in use`);
  } finally {
    await running.stop();
  }
});

/** A port that was free a moment ago: the stack must be told its port before it starts. */
const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });

type Attempt =
  | { readonly kind: 'refused' }
  | { readonly kind: 'answer'; readonly status: number; readonly retryAfter?: string; readonly code?: unknown }
  | { readonly kind: 'no answer' }
  | { readonly kind: 'failed'; readonly error: string };

/** One request; `no answer` when the port took it and said nothing for 20 s (a hang). */
const attempt = (port: number, method: string, path: string): Promise<Attempt> =>
  new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers: { 'content-type': 'application/json' } });
    req.setTimeout(20_000, () => {
      resolve({ kind: 'no answer' });
      req.destroy();
    });
    req.on('error', (error: NodeJS.ErrnoException) =>
      resolve(error.code === 'ECONNREFUSED' ? { kind: 'refused' } : { kind: 'failed', error: String(error.code) }),
    );
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        let code: unknown;
        try {
          code = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { code?: unknown }).code;
        } catch {
          code = undefined;
        }
        const retryAfter = res.headers['retry-after'];
        resolve({ kind: 'answer', status: res.statusCode ?? 0, ...(retryAfter ? { retryAfter } : {}), code });
      });
    });
    req.end(method === 'POST' ? '{}' : undefined);
  });

it('answers every request that reaches the port while it starts: 503 with Retry-After, none hangs', async () => {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'bff-starting-'));
  dirs.push(dataDir);
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'local/start.ts', '--port', String(port), '--data-dir', dataDir],
    {
      env: { ...process.env, LOG_LEVEL: 'WARN' },
      stdio: 'ignore',
    },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    // From the moment the process exists, in a tight loop, until the API answers.
    const requests: [string, string][] = [
      ['POST', '/auth/sign-in'],
      ['GET', '/'],
      ['GET', '/_local/outbox'],
    ];
    const answers: Attempt[] = [];
    for (let i = 0; child.exitCode === null; i++) {
      const [method, path] = requests[i % requests.length] as [string, string];
      const result = await attempt(port, method, path);
      if (result.kind === 'refused') {
        await new Promise((resolve) => setTimeout(resolve, 2));
        continue;
      }
      answers.push(result);
      if (result.kind !== 'answer' || result.status !== 503) break;
    }
    expect(answers.filter((a) => a.kind !== 'answer')).toEqual([]);
    const starting = answers.filter((a) => a.kind === 'answer' && a.status === 503);
    // The window between taking the port and being ready (pool, admin, functions, page) is long.
    expect(starting.length).toBeGreaterThan(0);
    expect(starting).toEqual(starting.map(() => ({ kind: 'answer', status: 503, retryAfter: '1', code: 'Starting' })));
    const last = answers.at(-1);
    expect(last?.kind === 'answer' && last.status !== 503).toBe(true);
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
});

it('keeps its state owner-only: files 0600 in a folder 0700 it creates', async () => {
  const dataDir = join(mkdtempSync(join(tmpdir(), 'bff-modes-')), 'state', 'nested');
  dirs.push(dataDir);
  const stack = await startStack({ dataDir });
  try {
    const api = client(stack.url);
    // A write after the start (the asynchronous commit) keeps the mode.
    expect(
      (await api.call('POST', '/auth/sign-up', { username: uniqueEmail('mode'), password: PASSWORD })).status,
    ).toBe(201);
  } finally {
    await stack.stop();
  }
  const files = readdirSync(dataDir);
  expect(files.sort()).toEqual(['cognito.json', 'dynamodb.json', 'events.json', 'secrets.json']);
  expect(readFileSync(join(dataDir, 'cognito.json'), 'utf8')).toContain('privatePem');
  for (const file of files)
    expect({ file, mode: statSync(join(dataDir, file)).mode & 0o777 }).toEqual({ file, mode: 0o600 });
  expect(statSync(dataDir).mode & 0o777).toBe(0o700);
  expect(statSync(join(dataDir, '..')).mode & 0o777).toBe(0o700);
});

it('runs with a libuv thread pool sized for its concurrency, set before the pool starts', async () => {
  const stack = await startStack({ env: { LOCAL_CONCURRENCY: '6' } });
  dirs.push(stack.dataDir);
  try {
    // Linux names libuv's pool threads; the pool exists once the state has been written.
    const threads = readdirSync(`/proc/${stack.child.pid}/task`).filter(
      (task) => readFileSync(`/proc/${stack.child.pid}/task/${task}/comm`, 'utf8').trim() === 'libuv-worker',
    );
    const expected = Number(process.env.UV_THREADPOOL_SIZE ?? localCapacity({ LOCAL_CONCURRENCY: '6' }).threadPoolSize);
    expect(threads.length).toBe(expected);
    expect(stack.output()).toContain(`6 invocations at once (LOCAL_CONCURRENCY), ${expected} libuv threads`);
  } finally {
    await stack.stop();
  }
});

it('refuses a LOCAL_CONCURRENCY that is not a count, naming it', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'bff-concurrency-'));
  dirs.push(dataDir);
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', 'local/start.ts', '--port', '0', '--data-dir', dataDir],
    {
      encoding: 'utf8',
      timeout: 30_000,
      env: { ...process.env, LOCAL_CONCURRENCY: 'lots' },
    },
  );
  expect(result.status).toBe(1);
  expect(result.stderr).toContain('LOCAL_CONCURRENCY must be a whole number from 1 to 1000, got "lots"');
});
