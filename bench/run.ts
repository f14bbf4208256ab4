/**
 * `npm run bench`: bundle sizes, cold start, warm overhead, a full reset flow and start time,
 * each measured side by side with a baseline in the same run (the machine is noisy).
 * Writes bench/results.json and bench/RESULTS.md. A benchmark, not a test: it reports budgets
 * and exits non-zero when one is missed.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import {
  DEFAULT_MEMORY_MB,
  LAZY_MODULES,
  PROJECT_ROOT,
  esbuildOptions,
  lazyModulesCommand,
} from '../lib/constructs/bff-function';
import { type FunctionKind, toEnvironment } from '../lambdas/shared/config';
import { defaultSettings } from '../lambdas/shared/settings';
import { routeList } from '../lambdas/routes';
import { median, percentile, percentileInterval, seededRandom, shuffled } from './stats';

const OUT = join(PROJECT_ROOT, 'bench', 'out');
const RUNS = Number(process.env.BENCH_RUNS ?? 15);
/**
 * Cold-start rounds. Each round loads every function once and the baseline 19 times (37 fresh
 * `node` processes); 51 rounds give each function's median ratio a distribution-free 95%
 * interval between its 19th and 33rd ordered ratio, in about 9 minutes here. The judged figure is
 * the largest of 19 medians, which leans high by the noise of each: more rounds make each median
 * tighter and that lean smaller (it was 31 rounds until round two's last session).
 */
const COLD_ROUNDS = Number(process.env.BENCH_COLD_ROUNDS ?? 51);
/** Seed of the per-round shuffle of the functions, so that a rerun repeats the same order. */
const COLD_SEED = Number(process.env.BENCH_SEED ?? 20_260_101);
/** Where results.json, RESULTS.md and chart.svg go (the committed figures by default). */
const RESULTS_DIR = process.env.BENCH_RESULTS_DIR ?? join(PROJECT_ROOT, 'bench');
/** Free text recorded with the figures, e.g. "beside npx vitest run". */
const LABEL = process.env.BENCH_LABEL ?? '';
const BUDGET = {
  bundleBytes: 600 * 1024,
  coldStartRatio: 1.1,
  warmP99Ms: 0.3,
  flowMedianMs: 120,
  startMs: 10_000,
  /**
   * Cognito waits 5 s for a trigger, then retries it up to three times in all.
   * @see https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-working-with-lambda-triggers.html
   */
  triggerMs: 5_000,
};
/** Fresh processes per trigger event for the trigger measurement. */
const TRIGGER_RUNS = Number(process.env.BENCH_TRIGGER_RUNS ?? 15);

const FUNCTIONS = [
  ...routeList.map((r) => ({ name: r.name, entry: r.entry })),
  { name: 'customMessage', entry: 'lambdas/triggers/custom-message/handler.ts' },
  { name: 'postConfirmation', entry: 'lambdas/triggers/post-confirmation/handler.ts' },
];

const BASELINE_SOURCE = `
import { CognitoIdentityProviderClient, GetUserCommand } from '@aws-sdk/client-cognito-identity-provider';
const client = new CognitoIdentityProviderClient({});
export const command = new GetUserCommand({ AccessToken: 'x' });
export const handler = async () => client;
`;

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;
const interval = ([low, high]: readonly [number, number]) => `[${low}, ${high}]`;

/** Bundled exactly as the CDK app bundles (same esbuild settings from lib/). */
async function bundle(name: string, entry: { path: string } | { source: string }) {
  const outfile = join(OUT, name, 'index.mjs');
  await build({
    ...('path' in entry
      ? { entryPoints: [join(PROJECT_ROOT, entry.path)] }
      : { stdin: { contents: entry.source, resolveDir: PROJECT_ROOT, loader: 'ts' } }),
    outfile,
    ...esbuildOptions(),
  });
  const code = await import('node:fs').then((fs) => fs.readFileSync(outfile));
  // The packages the function loads on first need, beside it as in its asset (not loaded by a cold start).
  const lazy = spawnSync('bash', ['-c', lazyModulesCommand(PROJECT_ROOT.replace(/\/$/, ''), join(OUT, name))]);
  if (lazy.status !== 0) throw new Error(`lazy modules: ${lazy.stderr}`);
  const lazyBytes = LAZY_MODULES.reduce(
    (sum, module) => sum + statSync(join(OUT, name, 'node_modules', module, 'index.mjs')).size,
    0,
  );
  return { name, file: outfile, bytes: code.length, gzipBytes: gzipSync(code).length, lazyBytes };
}

const BENCH_RESOURCES = {
  userPoolId: 'us-east-1_Bench',
  clientId: 'benchclient',
  eventBusName: 'bench-audit',
  sessionKeySecretId: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:bench-session-key',
  clientSecretId: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:bench-client-secret',
};

/** Every function kind's environment, written by the configuration contract as CDK writes it. */
const LAMBDA_ENV = {
  ...process.env,
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  ...Object.assign(
    {},
    ...(['api', 'session', 'customMessage', 'postConfirmation'] satisfies FunctionKind[]).map((kind) =>
      toEnvironment(kind, defaultSettings, BENCH_RESOURCES),
    ),
  ),
};

/**
 * The `node` options Lambda's Node.js runtime starts a function's process with, for the function's memory: it gives
 * V8 a tenth of the memory as young generation (two semi-spaces) and the rest as old space, and exposes gc(). Every
 * process here that stands for a function starts with them, so that its heap is sized as in Lambda, not from this
 * machine's 24 GB: with V8's defaults here, a warm loop's young generation was about 60 MB instead of 25 MB, and its
 * garbage collections touched about seven times as many fresh pages.
 * @see the runtime's bootstrap (`/var/runtime/bootstrap` in AWS's `public.ecr.aws/lambda/nodejs` images):
 *   `new_space = MEMORY / 10; semi_space = new_space / 2; old_space = MEMORY - new_space`, then
 *   `node --expose-gc --max-semi-space-size=$semi_space --max-old-space-size=$old_space`
 */
const lambdaNodeArgs = (memoryMb: number) => {
  const newSpace = Math.floor(memoryMb / 10);
  return [
    '--expose-gc',
    `--max-semi-space-size=${Math.floor(newSpace / 2)}`,
    `--max-old-space-size=${memoryMb - newSpace}`,
  ];
};
const LAMBDA_NODE_ARGS = lambdaNodeArgs(DEFAULT_MEMORY_MB);

/**
 * Time from a fresh `node` process's start to the bundle being loaded, as a Lambda cold start
 * sees it. Read inside the child (performance.now() counts from process start), so the parent's
 * spawn and exit jitter stays out of the figure. The child's CPU time (user + system, all its
 * threads) up to that point comes along as a diagnostic: unlike wall time it does not include
 * waiting for a core.
 */
function loadTime(file: string): { ms: number; cpuMs: number } {
  const result = spawnSync(
    process.execPath,
    [
      ...LAMBDA_NODE_ARGS,
      '--input-type=module',
      '-e',
      // A cold start loads the module and creates the function (configuration and SDK clients).
      [
        `const m = await import(${JSON.stringify(pathToFileURL(file).href)});`,
        'm.create?.(process.env);',
        'const cpu = process.cpuUsage();',
        'console.log(performance.now(), (cpu.user + cpu.system) / 1000);',
      ].join(' '),
    ],
    { env: LAMBDA_ENV, encoding: 'utf8' },
  );
  if (result.status !== 0) throw new Error(`loading ${file} failed`);
  const [ms, cpuMs] = result.stdout.trim().split(' ').map(Number);
  return { ms: ms ?? Number.NaN, cpuMs: cpuMs ?? Number.NaN };
}

/**
 * Cold load of every function against the SDK-only baseline, as paired ratios.
 *
 * Each round shuffles the functions (seeded) and interleaves them with baseline loads,
 * B F B F ... F B, so that every function load sits between two baseline loads. Its ratio for the
 * round is its time over the geometric mean of those two neighbours: a drift of the machine's
 * speed (background load coming and going) that is linear over the three loads cancels, and the
 * geometric mean keeps the ratio symmetric (1/ratio is the ratio the other way round).
 *
 * A function's figure is the median of its per-round ratios, with a distribution-free 95%
 * interval (order statistics; rounds are independent of each other). The budget is judged on the
 * worst function's median ratio; its interval is reported next to it.
 */
async function coldStart(bundles: { name: string; file: string }[], baseline: string) {
  const base: number[] = [];
  const samples = new Map<string, number[]>(bundles.map((b) => [b.name, []]));
  const ratios = new Map<string, number[]>(bundles.map((b) => [b.name, []]));
  const cpuRatios = new Map<string, number[]>(bundles.map((b) => [b.name, []]));
  const random = seededRandom(COLD_SEED);
  // Warm the file cache (and the disk) for every file once, unrecorded.
  loadTime(baseline);
  for (const b of bundles) loadTime(b.file);
  const load = { start: round(loadavg()[0] ?? 0), max: 0 };
  const started = performance.now();
  for (let run = 0; run < COLD_ROUNDS; run++) {
    let before = loadTime(baseline);
    base.push(before.ms);
    for (const b of shuffled(bundles, random)) {
      const fn = loadTime(b.file);
      const after = loadTime(baseline);
      base.push(after.ms);
      samples.get(b.name)?.push(fn.ms);
      ratios.get(b.name)?.push(fn.ms / Math.sqrt(before.ms * after.ms));
      cpuRatios.get(b.name)?.push(fn.cpuMs / Math.sqrt(before.cpuMs * after.cpuMs));
      before = after;
    }
    load.max = Math.max(load.max, round(loadavg()[0] ?? 0));
    if ((run + 1) % 5 === 0 || run + 1 === COLD_ROUNDS)
      console.log(`  round ${run + 1}/${COLD_ROUNDS}, ${Math.round((performance.now() - started) / 1000)} s`);
  }
  const perFunction = bundles.map((b) => {
    const r = ratios.get(b.name) ?? [];
    const ci = percentileInterval(r, 50);
    return {
      name: b.name,
      ms: round(median(samples.get(b.name) ?? [])),
      ratio: round(median(r), 3),
      ratioInterval: [round(ci.low, 3), round(ci.high, 3)] as [number, number],
      cpuRatio: round(median(cpuRatios.get(b.name) ?? []), 3),
      cpuRatioInterval: (({ low, high }) => [round(low, 3), round(high, 3)] as [number, number])(
        percentileInterval(cpuRatios.get(b.name) ?? [], 50),
      ),
    };
  });
  const worst = perFunction.reduce((a, b) => (b.ratio > a.ratio ? b : a));
  const coverage = percentileInterval(ratios.get(worst.name) ?? [], 50).coverage;
  return {
    rounds: COLD_ROUNDS,
    seed: COLD_SEED,
    method:
      'per round: functions shuffled, B F B F ... B; ratio = F / geometric mean of its two neighbouring B; figure = median over rounds, 95% distribution-free interval',
    intervalCoverage: round(coverage, 3),
    seconds: Math.round((performance.now() - started) / 1000),
    loadAverage: { ...load, end: round(loadavg()[0] ?? 0) },
    baselineMs: round(median(base)),
    worstMs: worst.ms,
    ratio: worst.ratio,
    ratioInterval: worst.ratioInterval,
    worstFunction: worst.name,
    cpuRatio: Math.max(...perFunction.map((f) => f.cpuRatio)),
    cpuRatioInterval: perFunction.reduce((a, b) => (b.cpuRatio > a.cpuRatio ? b : a)).cpuRatioInterval,
    perFunction,
  };
}

/** The events each trigger gets from Cognito in the product's flows (documented shapes). */
const TRIGGER_EVENTS = (() => {
  const base = {
    version: '1',
    region: 'us-east-1',
    userPoolId: 'us-east-1_Bench',
    userName: 'a1b2c3d4-bench',
    callerContext: { awsSdkVersion: 'aws-sdk-js-3', clientId: 'benchclient' },
  };
  const attributes = { sub: 'a1b2c3d4-bench', email: 'jane@example.com', 'cognito:user_status': 'CONFIRMED' };
  const metadata = { locale: 'fr', redirectUri: 'http://localhost:3000/reset', app: 'bench' };
  return [
    {
      name: 'customMessage: forgot password',
      function: 'customMessage',
      event: {
        ...base,
        triggerSource: 'CustomMessage_ForgotPassword',
        request: {
          userAttributes: attributes,
          codeParameter: '{####}',
          usernameParameter: null,
          clientMetadata: metadata,
        },
        response: { smsMessage: null, emailMessage: null, emailSubject: null },
      },
    },
    {
      name: 'postConfirmation: sign-up (group add + audit event)',
      function: 'postConfirmation',
      event: {
        ...base,
        triggerSource: 'PostConfirmation_ConfirmSignUp',
        request: { userAttributes: attributes, clientMetadata: metadata },
        response: {},
      },
    },
    {
      name: 'postConfirmation: reset (global sign-out + audit event)',
      function: 'postConfirmation',
      event: {
        ...base,
        triggerSource: 'PostConfirmation_ConfirmForgotPassword',
        request: { userAttributes: attributes, clientMetadata: metadata },
        response: {},
      },
    },
  ];
})();

/**
 * Cognito and EventBridge as the triggers' SDK clients see them, answering at once: the figure is
 * the trigger's own time (cold start, SDK, its work), not AWS's latency, which comes on top.
 */
async function stubAws() {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const target = String(req.headers['x-amz-target'] ?? '');
      const body = target.endsWith('.PutEvents') ? { FailedEntryCount: 0, Entries: [{ EventId: 'bench' }] } : {};
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return { url, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/**
 * Each trigger's cold start plus its work, against the 5 s Cognito waits: a fresh `node` loads the
 * bundle, creates the function from its environment (as deployed) and handles one event. The
 * figure runs from the process's start to the handler's answer; Lambda's own start (the runtime,
 * the code download) is not in it.
 */
async function triggers(bundles: { name: string; file: string }[]) {
  const aws = await stubAws();
  const env = {
    ...LAMBDA_ENV,
    COGNITO_ENDPOINT: aws.url,
    EVENTBRIDGE_ENDPOINT: aws.url,
    POWERTOOLS_LOG_LEVEL: 'ERROR',
  };
  const once = (file: string, event: unknown) =>
    new Promise<{ totalMs: number; handlerMs: number }>((resolve, reject) => {
      const child = spawn(
        process.execPath,
        [
          ...LAMBDA_NODE_ARGS,
          '--input-type=module',
          '-e',
          [
            `const m = await import(${JSON.stringify(pathToFileURL(file).href)});`,
            'const handler = m.create(process.env);',
            'const started = performance.now();',
            `await handler(${JSON.stringify(event)});`,
            'console.log(performance.now(), performance.now() - started);',
          ].join(' '),
        ],
        { env, stdio: ['ignore', 'pipe', 'inherit'] },
      );
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
      child.on('exit', (code) => {
        // The figures are the last line: the function's own output (its metric lines) comes first.
        const [totalMs, handlerMs] = (out.trim().split('\n').at(-1) ?? '').split(/\s+/).map(Number);
        if (code !== 0 || totalMs === undefined || handlerMs === undefined)
          reject(new Error(`trigger run failed: ${code}`));
        else resolve({ totalMs, handlerMs });
      });
    });
  try {
    const results = [];
    for (const t of TRIGGER_EVENTS) {
      const file = bundles.find((b) => b.name === t.function)?.file;
      if (!file) throw new Error(`no bundle for ${t.function}`);
      await once(file, t.event); // warm the file cache, unrecorded
      const runs = [];
      for (let i = 0; i < TRIGGER_RUNS; i++) runs.push(await once(file, t.event));
      const totals = runs.map((r) => r.totalMs);
      results.push({
        name: t.name,
        medianMs: round(median(totals)),
        maxMs: round(Math.max(...totals)),
        handlerMedianMs: round(median(runs.map((r) => r.handlerMs))),
      });
    }
    return { runs: TRIGGER_RUNS, waitMs: BUDGET.triggerMs, perEvent: results };
  } finally {
    await aws.close();
  }
}

/** What one run of bench/warm.ts sends back: percentiles of paired overhead samples (chain - SDK alone). */
interface WarmRun {
  iterations: number;
  p50Ms: number;
  p99Ms: number;
  p99IntervalMs: [number, number];
  overheadRatio: number;
  sdkMs: { p50: number; p99: number };
  chainMs: { p50: number; p99: number };
  noiseFloorMs: { p50: number; p99: number };
  logWriteMs: { bytes: number; p50: number; p99: number };
  gcPauses: {
    count: number;
    p50Ms: number;
    maxMs: number;
    pausedPairs: number;
    pausedChainLonger: number;
    unpausedRank: number;
    noiseAtUnpausedRankMs: number;
    p99WithoutPausedMs: number;
  };
  gc: boolean;
  overheadSamples: number[];
  noiseSamples: number[];
}

/** Independent runs of bench/warm.ts, each a fresh process with its own warm-up, one after the other. */
const WARM_RUNS = Number(process.env.BENCH_WARM_RUNS ?? 5);

/**
 * The warm figures: each statistic is the median over {@link WARM_RUNS} independent runs ("medians of repeated
 * runs; the machine is noisy"), so that a burst of noise from the host during one run does not make the figure.
 * The judged p99 is the median of the runs' p99s; its interval runs from the lowest to the highest run's p99
 * (distribution-free for a median of 5: coverage 1 - 2 / 2^5 = 0.9375). The p99 of all the runs' pairs pooled is
 * reported too, with its own 95% interval, and is not judged.
 */
async function warm() {
  const runs: Omit<WarmRun, 'overheadSamples' | 'noiseSamples'>[] = [];
  const overhead: number[] = [];
  const noise: number[] = [];
  for (let run = 0; run < WARM_RUNS; run++) {
    const { overheadSamples, noiseSamples, ...figures } = await warmRun();
    runs.push(figures);
    overhead.push(...overheadSamples);
    noise.push(...noiseSamples);
    console.log(`  run ${run + 1}/${WARM_RUNS}: overhead p50 ${figures.p50Ms} ms, p99 ${figures.p99Ms} ms`);
  }
  const mid = (pick: (run: (typeof runs)[number]) => number) => median(runs.map(pick));
  const round = (n: number) => Math.round(n * 1000) / 1000;
  const runP99s = runs.map((r) => r.p99Ms);
  const pooled = percentileInterval(overhead, 99);
  const level = 1 - 2 / 2 ** runs.length;
  return {
    runs: runs.length,
    iterations: runs.reduce((n, r) => n + r.iterations, 0),
    p50Ms: mid((r) => r.p50Ms),
    p99Ms: mid((r) => r.p99Ms),
    p99IntervalMs: [Math.min(...runP99s), Math.max(...runP99s)] as [number, number],
    p99IntervalCoverage: round(level),
    runP99sMs: runP99s,
    pooledP99Ms: round(percentile(overhead, 99)),
    pooledP99IntervalMs: [round(pooled.low), round(pooled.high)] as [number, number],
    overheadRatio: mid((r) => r.overheadRatio),
    sdkMs: { p50: mid((r) => r.sdkMs.p50), p99: mid((r) => r.sdkMs.p99) },
    chainMs: { p50: mid((r) => r.chainMs.p50), p99: mid((r) => r.chainMs.p99) },
    noiseFloorMs: { p50: mid((r) => r.noiseFloorMs.p50), p99: mid((r) => r.noiseFloorMs.p99) },
    pooledNoiseFloorP99Ms: round(percentile(noise, 99)),
    logWriteMs: {
      bytes: mid((r) => r.logWriteMs.bytes),
      p50: mid((r) => r.logWriteMs.p50),
      p99: mid((r) => r.logWriteMs.p99),
    },
    gcPauses: {
      count: runs.reduce((n, r) => n + r.gcPauses.count, 0),
      pausedPairs: runs.reduce((n, r) => n + r.gcPauses.pausedPairs, 0),
      pausedChainLonger: runs.reduce((n, r) => n + r.gcPauses.pausedChainLonger, 0),
      unpausedRank: mid((r) => r.gcPauses.unpausedRank),
      noiseAtUnpausedRankMs: mid((r) => r.gcPauses.noiseAtUnpausedRankMs),
      p50Ms: mid((r) => r.gcPauses.p50Ms),
      maxMs: Math.max(...runs.map((r) => r.gcPauses.maxMs)),
      p99WithoutPausedMs: mid((r) => r.gcPauses.p99WithoutPausedMs),
    },
    gc: runs.every((r) => r.gc),
  };
}

/**
 * Runs bench/warm.ts once in its own process (its logs are part of the chain, not of our output), with Lambda's
 * `node` options (gc() among them: it collects between blocks).
 */
function warmRun(): Promise<WarmRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [...LAMBDA_NODE_ARGS, '--import', 'tsx', join(PROJECT_ROOT, 'bench', 'warm.ts')],
      {
        // The forgot route's response floor is a deliberate wait (see flow()): the chain's own work is timed.
        env: {
          ...LAMBDA_ENV,
          ...toEnvironment('api', { ...defaultSettings, responseFloorMs: 0 }, BENCH_RESOURCES),
          POWERTOOLS_LOG_LEVEL: 'INFO',
        },
        stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      },
    );
    child.on('message', (message) => resolve(message as WarmRun));
    child.on('exit', (code) => code !== 0 && reject(new Error(`warm bench exited with ${code}`)));
  });
}

async function flow() {
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-flow-'));
  const { startLocalStack } = await import('../local/stack');
  // The flow times the product's own work: the response floor of forgot, reset and sign-in is a deliberate
  // wait (3 x bff:responseFloorMs), whose parity the reliability suite's timing test measures.
  const stack = await startLocalStack({
    port: 0,
    dataDir,
    logLevel: 'ERROR',
    context: { 'bff:responseFloorMs': 0 },
  });
  const post = async (path: string, body: unknown) => {
    const response = await fetch(stack.url + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    await response.arrayBuffer();
    return response.status;
  };
  const password = 'Corr3ct-Horse-Battery!';
  const newPassword = 'N3w-Staple-Battery-Horse!';
  const times: number[] = [];
  try {
    for (let i = 0; i < Math.max(RUNS, 20); i++) {
      const username = `flow${i}@example.com`;
      await post('/auth/sign-up', { username, password });
      const signUpCode = stack.cognito.outbox.filter((m) => m.to === username).at(-1)?.code;
      await post('/auth/sign-up/confirm', { username, code: signUpCode });
      const started = performance.now();
      const forgot = await post('/password/forgot', { username });
      const code = (await (await fetch(`${stack.url}/_local/outbox?to=${encodeURIComponent(username)}`)).json()).at(
        -1,
      ).code;
      const reset = await post('/password/reset', { username, code, password: newPassword });
      const signIn = await post('/auth/sign-in', { username, password: newPassword });
      times.push(performance.now() - started);
      if (forgot !== 202 || reset !== 204 || signIn !== 200)
        throw new Error(`flow failed: ${forgot} ${reset} ${signIn}`);
    }
  } finally {
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  return { medianMs: round(median(times)), p95Ms: round(percentile(times, 95)) };
}

/** SIGTERM to npm and the stack under it, then wait until every process of the group is gone. */
async function stopGroup(pid: number): Promise<void> {
  process.kill(-pid, 'SIGTERM');
  for (let i = 0; i < 100; i++) {
    try {
      process.kill(-pid, 0);
    } catch {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  process.kill(-pid, 'SIGKILL');
}

/** `npm start` to the first answer, on a fresh data folder. */
async function start() {
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    const dataDir = mkdtempSync(join(tmpdir(), 'bench-start-'));
    const started = performance.now();
    const child = spawn('npm', ['start', '--', '--port', '0', '--data-dir', dataDir], {
      cwd: PROJECT_ROOT,
      stdio: ['ignore', 'pipe', 'ignore'],
      detached: true,
    });
    let output = '';
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const match = /BFF listening on (http:\/\/[\d.:]+)/.exec(output);
        if (match?.[1]) resolve(match[1]);
      });
      child.on('exit', () => reject(new Error('npm start exited')));
    });
    await (await fetch(`${url}/openapi.json`)).arrayBuffer();
    times.push(performance.now() - started);
    await stopGroup(child.pid ?? 0);
    rmSync(dataDir, { recursive: true, force: true });
  }
  return { ms: Math.round(median(times)) };
}

function chart(
  bundles: { name: string; bytes: number }[],
  cold: { name: string; ms: number }[],
  baselineMs: number,
): string {
  const rowH = 18;
  const width = 760;
  const height = (bundles.length + 2) * rowH + 40;
  const maxBytes = Math.max(...bundles.map((b) => b.bytes), BUDGET.bundleBytes);
  const maxMs = Math.max(...cold.map((c) => c.ms), baselineMs * BUDGET.coldStartRatio);
  const rows = bundles
    .map((b, i) => {
      const y = 30 + i * rowH;
      const ms = cold.find((c) => c.name === b.name)?.ms ?? 0;
      return `<text x="150" y="${y + 12}" text-anchor="end">${b.name}</text>
<rect x="160" y="${y + 2}" width="${(b.bytes / maxBytes) * 260}" height="12" fill="#4c78a8"/>
<text x="${165 + (b.bytes / maxBytes) * 260}" y="${y + 12}">${Math.round(b.bytes / 1024)} KB</text>
<rect x="480" y="${y + 2}" width="${(ms / maxMs) * 220}" height="12" fill="#f58518"/>
<text x="${485 + (ms / maxMs) * 220}" y="${y + 12}">${ms} ms</text>`;
    })
    .join('\n');
  const budgetX = 160 + (BUDGET.bundleBytes / maxBytes) * 260;
  const baseX = 480 + (baselineMs / maxMs) * 220;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="11">
<text x="160" y="16" font-weight="bold">bundle size (budget 600 KB)</text><text x="480" y="16" font-weight="bold">cold load (baseline dashed)</text>
${rows}
<line x1="${budgetX}" y1="24" x2="${budgetX}" y2="${height - 10}" stroke="#c00" stroke-dasharray="4"/>
<line x1="${baseX}" y1="24" x2="${baseX}" y2="${height - 10}" stroke="#333" stroke-dasharray="4"/>
</svg>
`;
}

async function main() {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  console.log('bundling...');
  const bundles = await Promise.all(FUNCTIONS.map((f) => bundle(f.name, { path: f.entry })));
  const baseline = await bundle('_baseline', { source: BASELINE_SOURCE });
  console.log(`cold start (${COLD_ROUNDS} rounds)...`);
  const cold = await coldStart(bundles, baseline.file);
  console.log('triggers (cold start + work)...');
  const triggerResult = await triggers(bundles);
  console.log(`warm overhead (${WARM_RUNS} runs)...`);
  const warmResult = await warm();
  console.log('flow...');
  const flowResult = await flow();
  console.log('start...');
  const startResult = await start();

  const results = {
    machine: { node: process.version, cpus: cpus().length, date: new Date().toISOString(), label: LABEL },
    budgets: BUDGET,
    bundles: bundles.map(({ name, bytes, gzipBytes, lazyBytes }) => ({ name, bytes, gzipBytes, lazyBytes })),
    baselineBundle: { bytes: baseline.bytes, gzipBytes: baseline.gzipBytes },
    coldStart: cold,
    triggers: triggerResult,
    warm: warmResult,
    flow: flowResult,
    start: startResult,
  };
  const checks = [
    [
      'every bundle <= 600 KB',
      Math.max(...bundles.map((b) => b.bytes + b.lazyBytes)) <= BUDGET.bundleBytes,
      `${Math.round(Math.max(...bundles.map((b) => b.bytes)) / 1024)} KB max; with the lazy modules beside it, ${Math.round(Math.max(...bundles.map((b) => b.bytes + b.lazyBytes)) / 1024)} KB max`,
    ],
    [
      'cold start ratio <= 1.10 (worst function, median of paired ratios)',
      cold.ratio <= BUDGET.coldStartRatio,
      `${cold.ratio}, 95% CI ${interval(cold.ratioInterval)} (worst: ${cold.worstFunction}, ${cold.worstMs} ms; baseline ${cold.baselineMs} ms)`,
    ],
    [
      `warm overhead p99 < 0.3 ms (p99 of paired differences, median of ${warmResult.runs} runs)`,
      warmResult.p99Ms < BUDGET.warmP99Ms,
      `${warmResult.p99Ms} ms, runs ${interval(warmResult.p99IntervalMs)}; all pairs pooled ${warmResult.pooledP99Ms} ms`,
    ],
    [
      "each trigger's cold start + work < 5 s (Cognito's wait; slowest of its runs)",
      triggerResult.perEvent.every((t) => t.maxMs < BUDGET.triggerMs),
      triggerResult.perEvent.map((t) => `${t.name}: max ${t.maxMs} ms`).join('; '),
    ],
    ['flow median < 120 ms', flowResult.medianMs < BUDGET.flowMedianMs, `${flowResult.medianMs} ms`],
    ['start < 10 s', startResult.ms < BUDGET.startMs, `${startResult.ms} ms`],
  ] as const;
  const md = [
    '# Benchmark results',
    '',
    `Measured ${results.machine.date} on Node ${results.machine.node}, ${results.machine.cpus} cores, by \`npm run bench\`${LABEL ? ` (${LABEL})` : ''}.`,
    `1-minute load average during the cold-start phase: ${cold.loadAverage.start} at its start, ${cold.loadAverage.max} at most, ${cold.loadAverage.end} at its end.`,
    '',
    '| budget | met | measured |',
    '| --- | --- | --- |',
    ...checks.map(([name, ok, value]) => `| ${name} | ${ok ? 'yes' : '**no**'} | ${value} |`),
    '',
    `Every \`node\` process that stands for a function starts with the options Lambda's Node.js runtime gives a ${DEFAULT_MEMORY_MB} MB function (\`${LAMBDA_NODE_ARGS.join(' ')}\`), so that V8 sizes its heap as in Lambda and not from this machine's memory.`,
    '',
    `Cold start: ${cold.rounds} rounds in ${cold.seconds} s. Each round shuffles the functions (seed ${cold.seed}) and interleaves them with baseline loads, B F B F ... F B; a function's ratio for the round is its load time over the geometric mean of its two neighbouring baseline loads. A function's figure is the median of its ${cold.rounds} ratios; the 95% interval is distribution-free (order statistics, exact coverage ${cold.intervalCoverage}). The budget is judged on the worst function's median; being the largest of ${cold.perFunction.length} noisy estimates, it leans high when rounds are noisy, and its interval is that function's own. The CPU-time ratio (user + system time of the loading process, same pairing and statistics) does not count waiting for a core; it is a diagnostic, not judged: worst ${cold.cpuRatio}, 95% CI ${interval(cold.cpuRatioInterval)}.`,
    '',
    `Warm: ${warmResult.runs} independent runs (fresh processes, one after the other) of ${warmResult.iterations / warmResult.runs} paired iterations each; each iteration times the bare SDK call (its client configured as the function's) and the full chain back to back (alternating which goes first), and the overhead sample is their difference. Every figure is the median of the runs' figures. Overhead p50 ${warmResult.p50Ms} ms, p99 ${warmResult.p99Ms} ms (the runs' p99s: ${warmResult.runP99sMs.join(', ')} ms; the interval from the lowest to the highest has coverage ${warmResult.p99IntervalCoverage} for their median); the p99 of all ${warmResult.iterations} pairs pooled is ${warmResult.pooledP99Ms} ms (95% CI ${interval(warmResult.pooledP99IntervalMs)}, not judged: one noisy run weighs on it in full). Chain / bare SDK call (median of paired ratios) ${warmResult.overheadRatio}. Bare SDK call p50 ${warmResult.sdkMs.p50} ms / p99 ${warmResult.sdkMs.p99} ms, full chain p50 ${warmResult.chainMs.p50} ms / p99 ${warmResult.chainMs.p99} ms. Noise floor (not judged): the same statistics over A/A pairs, the SDK call twice back to back in every iteration, give p50 ${warmResult.noiseFloorMs.p50} ms, p99 ${warmResult.noiseFloorMs.p99} ms (pooled ${warmResult.pooledNoiseFloorP99Ms} ms); an overhead p99 near that floor is this machine's jitter, not the chain. One write of a request's log line (${warmResult.logWriteMs.bytes} bytes, one system call; the stubbed SDK call makes none) costs p50 ${warmResult.logWriteMs.p50} ms, p99 ${warmResult.logWriteMs.p99} ms here (SDK call and write against the SDK call alone, paired; not judged): the chain writes one per request. ${warmResult.gcPauses.count} garbage collections paused ${warmResult.gcPauses.pausedPairs} of the ${warmResult.iterations} measured pairs (median ${warmResult.gcPauses.p50Ms} ms, longest ${warmResult.gcPauses.maxMs} ms); without those pairs the overhead p99 is ${warmResult.gcPauses.p99WithoutPausedMs} ms (not judged). In ${warmResult.gcPauses.pausedChainLonger} of the paused pairs (${round((100 * warmResult.gcPauses.pausedChainLonger) / warmResult.iterations)}% of all pairs) the collection fell in the chain's half, which puts the pair far above the p99; the p99 is therefore set by the pairs no collection paused, at their ${warmResult.gcPauses.unpausedRank}th percentile, where A/A pairs that no collection paused give ${warmResult.gcPauses.noiseAtUnpausedRankMs} ms (medians of the runs; not judged). Flow p95 ${flowResult.p95Ms} ms.`,
    '',
    `Triggers: each event handled by a fresh \`node\` ${triggerResult.runs} times (load the bundle, create the function from its deployed environment, handle the event), with Cognito and EventBridge answering at once on a local stub; Cognito waits ${triggerResult.waitMs} ms. The figure runs from the process start to the answer; Lambda's runtime start and AWS's latency come on top.`,
    '',
    '| trigger event | cold start + work, median ms | max ms | handler alone, median ms |',
    '| --- | ---: | ---: | ---: |',
    ...triggerResult.perEvent.map((t) => `| ${t.name} | ${t.medianMs} | ${t.maxMs} | ${t.handlerMedianMs} |`),
    '',
    `Lazy modules (${LAZY_MODULES.join(', ')}): bundled on their own beside each function, as in its asset, and loaded only when first needed (the logger: on a function's first logger line, never by an answer that goes well); not part of a cold start.`,
    '',
    '| function | bytes | gzip | lazy modules, bytes | cold load ms | vs baseline (median) | 95% CI | CPU-time ratio | 95% CI |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    `| _baseline (SDK client + one command) | ${baseline.bytes} | ${baseline.gzipBytes} | | ${cold.baselineMs} | 1 | | 1 | |`,
    ...bundles.map((b) => {
      const f = cold.perFunction.find((x) => x.name === b.name);
      return `| ${b.name} | ${b.bytes} | ${b.gzipBytes} | ${b.lazyBytes} | ${f?.ms} | ${f?.ratio} | ${f ? interval(f.ratioInterval) : ''} | ${f?.cpuRatio} | ${f ? interval(f.cpuRatioInterval) : ''} |`;
    }),
    '',
    '![bundle sizes and cold loads](chart.svg)',
    '',
  ].join('\n');
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(join(RESULTS_DIR, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(join(RESULTS_DIR, 'RESULTS.md'), md);
  writeFileSync(join(RESULTS_DIR, 'chart.svg'), chart(bundles, cold.perFunction, cold.baselineMs));
  console.log(md);
  process.exitCode = checks.every(([, ok]) => ok) ? 0 : 1;
}

await main();
