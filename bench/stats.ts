/** Order statistics for the benchmark and the reliability figures. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? Number.NaN;
}

export const median = (values: readonly number[]) => percentile(values, 50);

/** P(B <= k) for B ~ Binomial(n, q), in log space so that n in the tens of thousands is fine. */
function binomialCdf(n: number, q: number): number[] {
  const cdf: number[] = [];
  const step = Math.log(q) - Math.log1p(-q);
  let logPmf = n * Math.log1p(-q);
  let sum = 0;
  for (let k = 0; k <= n; k++) {
    sum += Math.exp(logPmf);
    cdf.push(Math.min(1, sum));
    logPmf += Math.log(n - k) - Math.log(k + 1) + step;
  }
  return cdf;
}

export interface Interval {
  low: number;
  high: number;
  /** The interval's exact coverage (at least the level asked for when the sample is big enough). */
  coverage: number;
}

/**
 * Distribution-free confidence interval for the p-th percentile of the population a sample comes
 * from: the order statistics X(l) and X(u) whose ranks come from Binomial(n, p/100) (the count of
 * samples below the true percentile). No assumption about the shape of the distribution; the
 * samples must be independent. With too few samples for the level, the missing bound is
 * -Infinity or Infinity and `coverage` says what was reached.
 */
export function percentileInterval(values: readonly number[], p: number, level = 0.95): Interval {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  if (n === 0) return { low: Number.NaN, high: Number.NaN, coverage: 0 };
  const q = Math.min(Math.max(p / 100, 1e-12), 1 - 1e-12);
  const cdf = binomialCdf(n, q);
  const tail = (1 - level) / 2;
  // 1-based ranks: largest l with P(B <= l - 1) <= tail, smallest u with P(B <= u - 1) >= 1 - tail.
  let l = 0;
  while (l < n && (cdf[l] ?? 1) <= tail) l++;
  let u = 1;
  while (u <= n && (cdf[u - 1] ?? 1) < 1 - tail) u++;
  const below = l >= 1 ? (cdf[l - 1] ?? 0) : 0;
  const upTo = u <= n ? (cdf[u - 1] ?? 1) : 1;
  return {
    low: l >= 1 ? (sorted[l - 1] ?? Number.NaN) : Number.NEGATIVE_INFINITY,
    high: u <= n ? (sorted[u - 1] ?? Number.NaN) : Number.POSITIVE_INFINITY,
    coverage: upTo - below,
  };
}

/** Same-seed, same-sequence PRNG (mulberry32), for shuffles that a rerun repeats. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fisher-Yates with the given random source; returns a new array. */
export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}
