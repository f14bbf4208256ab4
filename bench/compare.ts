/**
 * `tsx bench/compare.ts a/results.json b/results.json [tolerance]`: do two bench runs (say, one on
 * a quiet machine and one beside `npx vitest run`) agree on the cold-start ratio? Prints the
 * headline (worst function's median ratio) and every function's median ratio side by side, with
 * their 95% intervals, and exits non-zero when the headlines differ by more than the tolerance
 * (0.03 by default). A documented measurement, not a CI gate.
 */
import { readFileSync } from 'node:fs';

interface Cold {
  rounds: number;
  ratio: number;
  ratioInterval: [number, number];
  worstFunction: string;
  cpuRatio: number;
  baselineMs: number;
  loadAverage: { start: number; max: number; end: number };
  perFunction: { name: string; ratio: number; ratioInterval: [number, number]; cpuRatio: number }[];
}
interface Results {
  machine: { date: string; label?: string };
  coldStart: Cold;
  warm: { p50Ms: number; p99Ms: number };
}

const [fileA, fileB, toleranceArg] = process.argv.slice(2);
if (!fileA || !fileB) {
  console.error('usage: tsx bench/compare.ts a/results.json b/results.json [tolerance]');
  process.exit(2);
}
const tolerance = Number(toleranceArg ?? 0.03);
const read = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Results;
const a = read(fileA);
const b = read(fileB);
/** Unbounded interval ends (too few rounds) come back from JSON as null. */
const fmt = (n: number | null) => (n === null ? '-' : n.toFixed(3));
const ci = ([low, high]: [number, number]) => `[${fmt(low)}, ${fmt(high)}]`;
const name = (r: Results, file: string) => `${r.machine.label || file} (${r.machine.date})`;

const lines = [
  `- A: ${name(a, fileA)}: baseline ${a.coldStart.baselineMs} ms, load average ${a.coldStart.loadAverage.start}..${a.coldStart.loadAverage.max}`,
  `- B: ${name(b, fileB)}: baseline ${b.coldStart.baselineMs} ms, load average ${b.coldStart.loadAverage.start}..${b.coldStart.loadAverage.max}`,
  '',
  '| function | A median ratio | A 95% CI | B median ratio | B 95% CI | B - A | A CPU | B CPU |',
  '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...a.coldStart.perFunction.map((fa) => {
    const fb = b.coldStart.perFunction.find((x) => x.name === fa.name);
    if (!fb) return `| ${fa.name} | ${fmt(fa.ratio)} | ${ci(fa.ratioInterval)} | - | - | - | ${fa.cpuRatio} | - |`;
    return `| ${fa.name} | ${fmt(fa.ratio)} | ${ci(fa.ratioInterval)} | ${fmt(fb.ratio)} | ${ci(fb.ratioInterval)} | ${fmt(fb.ratio - fa.ratio)} | ${fmt(fa.cpuRatio)} | ${fmt(fb.cpuRatio)} |`;
  }),
  '',
];
const diff = b.coldStart.ratio - a.coldStart.ratio;
const maxDiff = Math.max(
  ...a.coldStart.perFunction.map((fa) =>
    Math.abs((b.coldStart.perFunction.find((x) => x.name === fa.name)?.ratio ?? Number.NaN) - fa.ratio),
  ),
);
const agree = Math.abs(diff) <= tolerance;
const cpuDiff = b.coldStart.cpuRatio - a.coldStart.cpuRatio;
lines.push(
  `- Headline (worst function's median ratio): A ${fmt(a.coldStart.ratio)} ${ci(a.coldStart.ratioInterval)} (${a.coldStart.worstFunction}), B ${fmt(b.coldStart.ratio)} ${ci(b.coldStart.ratioInterval)} (${b.coldStart.worstFunction}); difference ${fmt(diff)}: ${agree ? 'agree' : 'do NOT agree'} within ${tolerance}.`,
  `- Largest per-function difference: ${fmt(maxDiff)}.`,
  `- CPU-time headline (diagnostic): A ${fmt(a.coldStart.cpuRatio)}, B ${fmt(b.coldStart.cpuRatio)}; difference ${fmt(cpuDiff)}: ${Math.abs(cpuDiff) <= tolerance ? 'agree' : 'do NOT agree'} within ${tolerance}.`,
  `- Warm overhead p50 / p99: A ${a.warm.p50Ms} / ${a.warm.p99Ms} ms, B ${b.warm.p50Ms} / ${b.warm.p99Ms} ms.`,
);
console.log(lines.join('\n'));
process.exitCode = agree ? 0 : 1;
