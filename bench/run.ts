/**
 * `npm run bench`: bundle sizes, cold start, warm overhead, a full reset flow and start time,
 * each measured side by side with a baseline in the same run (the machine is noisy).
 * Writes bench/results.json and bench/RESULTS.md. A benchmark, not a test: it reports budgets
 * and exits non-zero when one is missed.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { BUNDLING, PROJECT_ROOT } from '../lib/constructs/bff-function';
import { type FunctionKind, toEnvironment } from '../lambdas/shared/config';
import { defaultSettings } from '../lambdas/shared/settings';
import { routeList } from '../lambdas/routes';
import { median, percentile } from './stats';

const OUT = join(PROJECT_ROOT, 'bench', 'out');
const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const BUDGET = { bundleBytes: 600 * 1024, coldStartRatio: 1.1, warmP99Ms: 0.3, flowMedianMs: 120, startMs: 10_000 };

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

/** Bundled exactly as the CDK app bundles (same esbuild settings from lib/). */
async function bundle(name: string, entry: { path: string } | { source: string }) {
  const outfile = join(OUT, name, 'index.mjs');
  await build({
    ...('path' in entry
      ? { entryPoints: [join(PROJECT_ROOT, entry.path)] }
      : { stdin: { contents: entry.source, resolveDir: PROJECT_ROOT, loader: 'ts' } }),
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    minify: BUNDLING.minify,
    sourcemap: BUNDLING.sourceMap,
    sourcesContent: BUNDLING.sourcesContent,
    target: BUNDLING.target,
    mainFields: [...BUNDLING.mainFields],
    banner: { js: BUNDLING.banner },
    external: [...BUNDLING.externalModules],
    logLevel: 'error',
  });
  const code = await import('node:fs').then((fs) => fs.readFileSync(outfile));
  return { name, file: outfile, bytes: code.length, gzipBytes: gzipSync(code).length };
}

/** Every function kind's environment, written by the configuration contract as CDK writes it. */
const LAMBDA_ENV = {
  ...process.env,
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  ...Object.assign(
    {},
    ...(['api', 'customMessage', 'postConfirmation'] satisfies FunctionKind[]).map((kind) =>
      toEnvironment(kind, defaultSettings, {
        userPoolId: 'us-east-1_Bench',
        clientId: 'benchclient',
        eventBusName: 'bench-audit',
      }),
    ),
  ),
};

/**
 * Time from a fresh `node` process's start to the bundle being loaded, as a Lambda cold start
 * sees it. Read inside the child (performance.now() counts from process start), so the parent's
 * spawn and exit jitter stays out of the figure.
 */
function loadTime(file: string): number {
  const result = spawnSync(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      // A cold start loads the module and creates the function (configuration and SDK clients).
      `const m = await import(${JSON.stringify(pathToFileURL(file).href)}); m.create?.(process.env); console.log(performance.now())`,
    ],
    { env: LAMBDA_ENV, encoding: 'utf8' },
  );
  if (result.status !== 0) throw new Error(`loading ${file} failed`);
  return Number(result.stdout.trim());
}

async function coldStart(bundles: { name: string; file: string }[], baseline: string) {
  const base: number[] = [];
  const samples = new Map<string, number[]>(bundles.map((b) => [b.name, []]));
  const ratios = new Map<string, number[]>(bundles.map((b) => [b.name, []]));
  loadTime(baseline); // warm the file cache
  for (let run = 0; run < RUNS; run++) {
    // Interleaved: each round loads the baseline next to every function, and each function is
    // compared with its own round's baseline, so drift on a noisy machine cancels out.
    for (const b of bundles) {
      const reference = loadTime(baseline);
      const ms = loadTime(b.file);
      base.push(reference);
      samples.get(b.name)?.push(ms);
      ratios.get(b.name)?.push(ms / reference);
    }
  }
  const perFunction = bundles.map((b) => ({
    name: b.name,
    ms: round(median(samples.get(b.name) ?? [])),
    ratio: round(median(ratios.get(b.name) ?? []), 3),
  }));
  const worst = perFunction.reduce((a, b) => (b.ratio > a.ratio ? b : a));
  return {
    baselineMs: round(median(base)),
    worstMs: worst.ms,
    ratio: worst.ratio,
    worstFunction: worst.name,
    perFunction,
  };
}

/** Runs bench/warm.ts in its own process (its logs are part of the chain, not of our output). */
function warm(): Promise<{ p50Ms: number; p99Ms: number; overheadRatio: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(PROJECT_ROOT, 'bench', 'warm.ts')], {
      env: { ...LAMBDA_ENV, POWERTOOLS_LOG_LEVEL: 'INFO' },
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    child.on('message', (message) => resolve(message as { p50Ms: number; p99Ms: number; overheadRatio: number }));
    child.on('exit', (code) => code !== 0 && reject(new Error(`warm bench exited with ${code}`)));
  });
}

async function flow() {
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-flow-'));
  const { startLocalStack } = await import('../local/stack');
  const stack = await startLocalStack({ port: 0, dataDir, logLevel: 'ERROR' });
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
  console.log(`cold start (${RUNS} runs each)...`);
  const cold = await coldStart(bundles, baseline.file);
  console.log('warm overhead...');
  const warmResult = await warm();
  console.log('flow...');
  const flowResult = await flow();
  console.log('start...');
  const startResult = await start();

  const results = {
    machine: { node: process.version, cpus: (await import('node:os')).cpus().length, date: new Date().toISOString() },
    budgets: BUDGET,
    bundles: bundles.map(({ name, bytes, gzipBytes }) => ({ name, bytes, gzipBytes })),
    baselineBundle: { bytes: baseline.bytes, gzipBytes: baseline.gzipBytes },
    coldStart: cold,
    warm: warmResult,
    flow: flowResult,
    start: startResult,
  };
  const checks = [
    [
      'every bundle <= 600 KB',
      Math.max(...bundles.map((b) => b.bytes)) <= BUDGET.bundleBytes,
      `${Math.round(Math.max(...bundles.map((b) => b.bytes)) / 1024)} KB max`,
    ],
    [
      'cold start ratio <= 1.10',
      cold.ratio <= BUDGET.coldStartRatio,
      `${cold.ratio} (worst: ${cold.worstFunction}, ${cold.worstMs} ms; baseline ${cold.baselineMs} ms)`,
    ],
    ['warm overhead p99 < 0.3 ms', warmResult.p99Ms < BUDGET.warmP99Ms, `${warmResult.p99Ms} ms`],
    ['flow median < 120 ms', flowResult.medianMs < BUDGET.flowMedianMs, `${flowResult.medianMs} ms`],
    ['start < 10 s', startResult.ms < BUDGET.startMs, `${startResult.ms} ms`],
  ] as const;
  const md = [
    '# Benchmark results',
    '',
    `Measured ${results.machine.date} on Node ${results.machine.node}, ${results.machine.cpus} cores, by \`npm run bench\` (medians, ${RUNS} runs).`,
    '',
    '| budget | met | measured |',
    '| --- | --- | --- |',
    ...checks.map(([name, ok, value]) => `| ${name} | ${ok ? 'yes' : '**no**'} | ${value} |`),
    '',
    `Warm: p50 ${warmResult.p50Ms} ms, p99 ${warmResult.p99Ms} ms of overhead per invocation (chain / bare SDK call = ${warmResult.overheadRatio}). Flow p95 ${flowResult.p95Ms} ms.`,
    '',
    '| function | bytes | gzip | cold load ms | vs baseline |',
    '| --- | ---: | ---: | ---: | ---: |',
    `| _baseline (SDK client + one command) | ${baseline.bytes} | ${baseline.gzipBytes} | ${cold.baselineMs} | 1 |`,
    ...bundles.map((b) => {
      const f = cold.perFunction.find((x) => x.name === b.name);
      return `| ${b.name} | ${b.bytes} | ${b.gzipBytes} | ${f?.ms} | ${f?.ratio} |`;
    }),
    '',
    '![bundle sizes and cold loads](chart.svg)',
    '',
  ].join('\n');
  writeFileSync(join(PROJECT_ROOT, 'bench', 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(join(PROJECT_ROOT, 'bench', 'RESULTS.md'), md);
  writeFileSync(join(PROJECT_ROOT, 'bench', 'chart.svg'), chart(bundles, cold.perFunction, cold.baselineMs));
  console.log(md);
  process.exitCode = checks.every(([, ok]) => ok) ? 0 : 1;
}

await main();
