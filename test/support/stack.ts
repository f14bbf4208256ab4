/** Starts the real local stack (`local/start.ts`, as `npm start` does) on free ports, for tests. */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RunningStack {
  readonly url: string;
  readonly dataDir: string;
  readonly child: ChildProcess;
  /** Everything the process printed (stdout and stderr), for leak checks. */
  readonly output: () => string;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** Every stack a test started and has not stopped: test/support/cleanup.ts stops them after each file. */
const running = new Set<RunningStack>();

/** Stops what a failed test left running: a live child process would keep Jest from ever exiting. */
export async function stopAllStacks(): Promise<void> {
  await Promise.all([...running].map((stack) => stack.stop('SIGKILL')));
}

export async function startStack(
  options: { dataDir?: string; env?: Record<string, string>; args?: readonly string[] } = {},
): Promise<RunningStack> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'bff-stack-'));
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'local/start.ts', '--port', '0', '--data-dir', dataDir, ...(options.args ?? [])],
    {
      env: { ...process.env, LOG_LEVEL: 'INFO', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`stack did not start:\n${output}`)), 30_000);
    const check = () => {
      const match = /BFF listening on (http:\/\/[\d.:]+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`stack exited with ${code}:\n${output}`));
    });
  });
  child.removeAllListeners('exit');
  const stack: RunningStack = {
    url,
    dataDir,
    child,
    output: () => output,
    stop: (signal = 'SIGTERM') =>
      new Promise<void>((resolve) => {
        running.delete(stack);
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill(signal);
      }),
  };
  running.add(stack);
  child.once('exit', () => running.delete(stack));
  return stack;
}

export const removeDir = (dir: string) => rmSync(dir, { recursive: true, force: true });

export interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: any;
  readonly text: string;
}

/** A frontend's view of the BFF. */
export function client(base: string) {
  const call = async (
    method: string,
    path: string,
    body?: unknown,
    options: { token?: string; headers?: Record<string, string>; raw?: string } = {},
  ): Promise<Answer> => {
    const headers: Record<string, string> = { ...options.headers };
    if (body !== undefined || options.raw !== undefined) headers['content-type'] ??= 'application/json';
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    const response = await fetch(base + path, {
      method,
      headers,
      ...(options.raw !== undefined ? { body: options.raw } : body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    return { status: response.status, headers: response.headers, body: parsed, text };
  };
  const outbox = async (to: string) => (await call('GET', `/_local/outbox?to=${encodeURIComponent(to)}`)).body as any[];
  return {
    call,
    outbox,
    /** The code of the newest message sent to `to`. */
    latestCode: async (to: string) => {
      const messages = await outbox(to);
      const last = messages.at(-1);
      if (!last) throw new Error(`no message for ${to}`);
      return last.code as string;
    },
    events: async () => (await call('GET', '/_local/events')).body as any[],
  };
}

let counter = 0;
export const uniqueEmail = (label: string) => `${label}.${process.pid}.${Date.now()}.${counter++}@example.com`;
export const PASSWORD = 'Corr3ct-Horse-Battery!';
export const NEW_PASSWORD = 'N3w-Staple-Battery-Horse!';
