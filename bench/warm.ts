/**
 * Warm overhead of one route's full chain (parse, validate, map, log) with the SDK stubbed at its
 * transport, against the same SDK call alone, made with a client configured as the function's.
 * Paired samples: every iteration times the SDK call alone and the full chain back to back (which
 * one goes first alternates), and the overhead sample is their difference; p50/p99 are percentiles
 * of those differences, never the difference of two percentiles. Every iteration also times the SDK
 * call twice more, back to back (an A/A pair), to show the noise floor of the same statistics on
 * this machine. A last phase pairs the SDK call with the SDK call plus one write of a request's log
 * line, to show what that write (a system call) costs here. Sends the figures and the overhead and
 * A/A samples to the parent (bench/run.ts) over IPC, which runs this file several times and takes
 * the median of the runs.
 */
import { ForgotPasswordCommand } from '@aws-sdk/client-cognito-identity-provider';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { PerformanceObserver } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { median, percentile, percentileInterval } from './stats';

const answer = JSON.stringify({
  CodeDeliveryDetails: { Destination: 'j***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' },
});
/** The client secret as Secrets Manager answers it (read once, by fetch: lambdas/shared/secret-reader.ts). */
const secretValue = JSON.stringify({ SecretString: JSON.stringify({ clientSecret: 'bench-secret' }) });

/** An HTTP handler that answers like Cognito without a network. */
const transport = {
  handle: async () => {
    const body = answer;
    return {
      response: {
        statusCode: 200,
        reason: 'OK',
        headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': 'bench' },
        body: Readable.from([Buffer.from(body)]),
      },
    };
  },
  updateHttpClientConfig: () => {},
  httpHandlerConfigs: () => ({}),
};

// ---- handler wiring (begin): how the handler gets its Cognito client and configuration. ----
// Every SDK client of this process (the function's and the bare one) answers through the stub.
(NodeHttpHandler.prototype as unknown as { handle: unknown }).handle = transport.handle;
globalThis.fetch = (async () => new Response(secretValue)) as typeof fetch;
const { create } = await import('../lambdas/password/forgot');
const handler = create(process.env) as unknown as (
  event: APIGatewayProxyEvent,
  context: Context,
) => Promise<{ statusCode: number }>;
/**
 * The bare call's client is built as the function builds its own (lambdas/shared/aws.ts: timeouts, retry strategy,
 * middleware cache), so that the pair differs by the chain alone and not by two client configurations; a Lambda
 * instance holds only the one.
 */
const { cognitoClient } = await import('../lambdas/shared/aws');
const { BFF_TIMEOUTS } = await import('../lambdas/shared/cognito');
const cognito = cognitoClient(BFF_TIMEOUTS, undefined);
// ---- handler wiring (end) ----

const ITERATIONS = 20_000;
const WARM_UP = 2_000;
/** Iterations per block; gc() (node --expose-gc) runs before each, so no block inherits a full heap. */
const BLOCK = 1_000;

const body = JSON.stringify({ username: 'jane@example.com', clientMetadata: { locale: 'fr' } });
const event = () =>
  ({
    httpMethod: 'POST',
    path: '/password/forgot',
    resource: '/password/forgot',
    headers: { 'Content-Type': 'application/json', Origin: 'http://localhost:3000' },
    body,
    isBase64Encoded: false,
    pathParameters: null,
    requestContext: { identity: { sourceIp: '203.0.113.7' }, requestId: 'r' },
  }) as unknown as APIGatewayProxyEvent;
const context = {
  functionName: 'bench',
  awsRequestId: 'r',
  getRemainingTimeInMillis: () => 10_000,
} as unknown as Context;

const sdkAlone = () =>
  cognito.send(
    new ForgotPasswordCommand({
      ClientId: 'benchclient',
      SecretHash: 'x',
      Username: 'jane@example.com',
      ClientMetadata: { locale: 'fr' },
      UserContextData: { IpAddress: '203.0.113.7' },
    }),
  );
const chain = async () => {
  const result = await handler(event(), context);
  if (result.statusCode !== 202) throw new Error(`unexpected ${result.statusCode}`);
};

const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
const time = async (call: () => Promise<unknown>) => {
  const t0 = performance.now();
  await call();
  return performance.now() - t0;
};

for (let i = 0; i < WARM_UP; i++) {
  await sdkAlone();
  await chain();
}
/**
 * Garbage collections during the measured loop (their pauses land in whichever call ran). Node reports them from a
 * task of its event loop, which the loop below never yields to (the stub answers at once): they are read after it.
 */
const gcEntries: { startTime: number; duration: number }[] = [];
const gcObserver = new PerformanceObserver((list) => gcEntries.push(...list.getEntries()));
gcObserver.observe({ entryTypes: ['gc'] });
/**
 * The samples go into arrays made before the loop: the harness's own bookkeeping must not grow the heap (and make
 * the collector fetch fresh pages) inside the calls it times.
 */
const spanStart = new Float64Array(ITERATIONS);
const spanEnd = new Float64Array(ITERATIONS);
const sdkSamples = new Float64Array(ITERATIONS);
const fullSamples = new Float64Array(ITERATIONS);
/** A/A pairs: the same SDK call twice, back to back. Their differences are the noise floor. */
const noiseSamples = new Float64Array(ITERATIONS);
/** When each A/A pair ended (it starts where its iteration's measured pair ends). */
const noiseEnd = new Float64Array(ITERATIONS);
for (let done = 0; done < ITERATIONS; done += BLOCK) {
  gc();
  for (let i = done; i < done + BLOCK; i++) {
    // Back to back, alternating which goes first, so that neither always follows the other.
    spanStart[i] = performance.now();
    if (i % 2 === 0) {
      sdkSamples[i] = await time(sdkAlone);
      fullSamples[i] = await time(chain);
    } else {
      fullSamples[i] = await time(chain);
      sdkSamples[i] = await time(sdkAlone);
    }
    spanEnd[i] = performance.now();
    const a = await time(sdkAlone);
    const b = await time(sdkAlone);
    noiseSamples[i] = i % 2 === 0 ? b - a : a - b;
    noiseEnd[i] = performance.now();
  }
}
const sdk = Array.from(sdkSamples);
const full = Array.from(fullSamples);
const overhead = full.map((f, i) => f - (sdk[i] ?? Number.NaN));
const noise = Array.from(noiseSamples);
/**
 * One request's log line, as the chain writes it (its `Requests` metric line: lambdas/shared/route-metrics.ts), is
 * one system call; every pair of this phase times the SDK call alone and the SDK call followed by a write of a
 * line as long, on the same standard output. Their difference is what that write costs on this machine: the chain
 * pays it, the bare SDK call (whose transport is stubbed) makes no system call at all. Not judged.
 */
let lineLength = 0;
const stdoutWrite = process.stdout.write.bind(process.stdout);
process.stdout.write = ((chunk: string) => {
  lineLength = chunk.length;
  return stdoutWrite(chunk);
}) as typeof process.stdout.write;
await chain();
process.stdout.write = stdoutWrite;
const line = `${'x'.repeat(Math.max(0, lineLength - 1))}\n`;
const sdkAndWrite = async () => {
  await sdkAlone();
  process.stdout.write(line);
};
const WRITE_PAIRS = 5_000;
const writeSamples = new Float64Array(WRITE_PAIRS);
for (let i = 0; i < WRITE_PAIRS; i++) {
  if (i % BLOCK === 0) gc();
  if (i % 2 === 0) {
    const s = await time(sdkAlone);
    writeSamples[i] = (await time(sdkAndWrite)) - s;
  } else {
    const w = await time(sdkAndWrite);
    writeSamples[i] = w - (await time(sdkAlone));
  }
}
const write = Array.from(writeSamples);
// Node hands a collection to JavaScript through two turns of its event loop (a native, then a JavaScript,
// setImmediate): let both run before the entries are read.
for (let turn = 0; turn < 3; turn++) await new Promise((resolve) => setImmediate(resolve));
await new Promise((resolve) => setTimeout(resolve, 20));
gcObserver.disconnect();
const overlaps = (e: { startTime: number; duration: number }, start: number, end: number) =>
  e.startTime < end && e.startTime + e.duration > start;
const during = (e: { startTime: number; duration: number }, i: number) =>
  overlaps(e, spanStart[i] ?? 0, spanEnd[i] ?? 0);
const paused = overhead.map((_, i) => gcEntries.some((e) => during(e, i)));
const noisePaused = noise.map((_, i) => gcEntries.some((e) => overlaps(e, spanEnd[i] ?? 0, noiseEnd[i] ?? 0)));
const pairGcPauses = gcEntries.filter((e) => overhead.some((_, i) => during(e, i))).map((e) => e.duration);
const round = (n: number) => Math.round(n * 1000) / 1000;
const p99 = percentileInterval(overhead, 99);
/**
 * A collection that falls in the chain's half of a pair makes that pair's difference about as long as the pause, far
 * above the p99; in the SDK call's half, far below. When the first kind are near 1% of the pairs, the p99 is set by
 * the pairs that no collection paused, at a depth past their own p99: the rank below is that depth, and the A/A pairs
 * that no collection paused show what this machine's jitter alone gives there.
 */
const unpaused = overhead.filter((_, i) => !paused[i]);
const p99Value = percentile(overhead, 99);
const unpausedRank = (100 * unpaused.filter((d) => d <= p99Value).length) / Math.max(1, unpaused.length);
const quietNoise = noise.filter((_, i) => !noisePaused[i]);
process.send?.({
  overheadSamples: overhead,
  noiseSamples: noise,
  iterations: ITERATIONS,
  p50Ms: round(percentile(overhead, 50)),
  p99Ms: round(percentile(overhead, 99)),
  p99IntervalMs: [round(p99.low), round(p99.high)],
  overheadRatio: round(median(full.map((f, i) => f / (sdk[i] ?? Number.NaN)))),
  sdkMs: { p50: round(percentile(sdk, 50)), p99: round(percentile(sdk, 99)) },
  chainMs: { p50: round(percentile(full, 50)), p99: round(percentile(full, 99)) },
  // Not judged: what the same statistics give for two identical calls. A p99 overhead close to
  // this floor is the machine's jitter (scheduling, GC), not the chain's cost.
  noiseFloorMs: { p50: round(percentile(noise, 50)), p99: round(percentile(noise, 99)) },
  logWriteMs: { bytes: lineLength, p50: round(percentile(write, 50)), p99: round(percentile(write, 99)) },
  gcPauses: {
    count: pairGcPauses.length,
    p50Ms: round(percentile(pairGcPauses, 50)),
    maxMs: round(Math.max(0, ...pairGcPauses)),
    pausedPairs: paused.filter(Boolean).length,
    /** Paused pairs whose chain took the longer: the collection fell in the chain's half. */
    pausedChainLonger: overhead.filter((d, i) => paused[i] && d > 0).length,
    /** Where the p99 falls among the pairs no collection paused (a percentile rank), ... */
    unpausedRank: Math.round(unpausedRank * 100) / 100,
    /** ... and what the A/A pairs no collection paused give at that rank. */
    noiseAtUnpausedRankMs: round(percentile(quietNoise, unpausedRank)),
    // Not judged: the same p99 over the pairs that no collection paused, to show how much of it is GC.
    p99WithoutPausedMs: round(
      percentile(
        overhead.filter((_, i) => !paused[i]),
        99,
      ),
    ),
  },
  gc: typeof (globalThis as { gc?: unknown }).gc === 'function',
});
