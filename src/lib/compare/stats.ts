/**
 * Statistics for comparing responders on the same contexts. Plain TypeScript, no dependencies:
 * each function is a few lines of textbook formula, checked in test/unit/compare/stats.test.ts
 * against published values (Newcombe 1998 for Wilson, R's mcnemar.test / binom.test for McNemar).
 */

/** z for a two-sided 95% interval (qnorm(0.975)). */
export const Z95 = 1.959963984540054;

export interface Interval {
  lo: number;
  hi: number;
}

export interface Proportion extends Interval {
  k: number;
  n: number;
  /** k / n (0 when n = 0). */
  p: number;
}

/**
 * Wilson score interval for k successes in n trials (Newcombe 1998, method 3, without continuity
 * correction). Chosen over the Wald interval because it stays inside [0, 1] and behaves at k = 0 or
 * k = n, which is common here (a responder with no unsafe reply). n = 0 gives the uninformative [0, 1].
 */
export function wilson(k: number, n: number, z = Z95): Proportion {
  if (!Number.isInteger(k) || !Number.isInteger(n) || k < 0 || n < 0 || k > n)
    throw new RangeError(`wilson: need integers 0 ≤ k ≤ n, got ${k}/${n}`);
  if (n === 0) return { k, n, p: 0, lo: 0, hi: 1 };
  const p = k / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z / denom) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  // Clamp the rounding error at the ends (k = 0 gives lo = -1e-17, not 0).
  return { k, n, p, lo: k === 0 ? 0 : Math.max(0, centre - half), hi: k === n ? 1 : Math.min(1, centre + half) };
}

/** Complementary error function, fractional error below 1.2e-7 (Numerical Recipes' erfcc, a Chebyshev fit). */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/** Upper tail P(X ≥ x) of the chi-square distribution with 1 degree of freedom. */
export function chiSquare1Tail(x: number): number {
  return x <= 0 ? 1 : erfc(Math.sqrt(x / 2));
}

export type McNemarMethod = 'exact' | 'chi-square-cc';

export interface McNemar {
  /** Contexts where A is unsafe and B safe. */
  b: number;
  /** Contexts where A is safe and B unsafe. */
  c: number;
  method: McNemarMethod;
  /** The continuity-corrected statistic (chi-square method only). */
  statistic?: number;
  /** Two-sided p-value. */
  p: number;
}

/**
 * Below this many discordant pairs the exact binomial test is used; the chi-square approximation
 * is poor for small b + c (the usual rule of thumb is b + c < 25, e.g. Fagerland et al. 2013).
 */
export const MCNEMAR_EXACT_BELOW = 25;

/**
 * McNemar's test on paired yes/no outcomes, from the discordant counts only.
 * - b + c < 25: exact two-sided binomial test of b ~ Bin(b + c, 1/2), p = min(1, 2·P(X ≤ min(b, c)))
 *   (what R's binom.test gives for p = 0.5);
 * - otherwise: χ² = (|b − c| − 1)² / (b + c) with 1 df (Edwards' continuity correction, R's mcnemar.test default).
 * b + c = 0 (no discordant pair) gives p = 1.
 */
export function mcnemar(b: number, c: number): McNemar {
  if (!Number.isInteger(b) || !Number.isInteger(c) || b < 0 || c < 0) throw new RangeError(`mcnemar: need counts ≥ 0, got ${b}, ${c}`);
  const n = b + c;
  if (n < MCNEMAR_EXACT_BELOW) {
    return { b, c, method: 'exact', p: Math.min(1, 2 * binomialCdfHalf(Math.min(b, c), n)) };
  }
  const statistic = (Math.abs(b - c) - 1) ** 2 / n;
  return { b, c, method: 'chi-square-cc', statistic, p: chiSquare1Tail(statistic) };
}

/** P(X ≤ k) for X ~ Bin(n, 1/2), summed in log space so large n does not overflow. */
function binomialCdfHalf(k: number, n: number): number {
  let logC = 0; // log C(n, 0)
  let sum = 0;
  for (let i = 0; i <= k; i++) {
    if (i > 0) logC += Math.log(n - i + 1) - Math.log(i);
    sum += Math.exp(logC - n * Math.LN2);
  }
  return sum;
}

/** A small seeded PRNG (mulberry32): the same seed gives the same bootstrap interval on every machine. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Linear-interpolated quantile of sorted values (R type 7, numpy's default). */
export function quantileSorted(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

export interface BootstrapOptions {
  /** Resamples (default 2000). */
  resamples?: number;
  seed?: number;
  /** Interval level (default 0.95). */
  level?: number;
}

export interface MeanInterval extends Interval {
  n: number;
  mean: number;
  resamples: number;
  seed: number;
}

export const DEFAULT_SEED = 20231;

/**
 * Percentile bootstrap interval of the mean of `values` (each value one context). For paired
 * differences pass the per-context difference A − B: resampling contexts keeps the pairing, which
 * is what makes this the *paired* bootstrap. Empty input gives NaN bounds.
 */
export function bootstrapMean(values: readonly number[], options: BootstrapOptions = {}): MeanInterval {
  const resamples = options.resamples ?? 2000;
  const seed = options.seed ?? DEFAULT_SEED;
  const level = options.level ?? 0.95;
  const n = values.length;
  const mean = n ? values.reduce((a, b) => a + b, 0) / n : NaN;
  if (n === 0) return { n, mean, lo: NaN, hi: NaN, resamples, seed };
  const rand = mulberry32(seed);
  const means = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += values[Math.floor(rand() * n)];
    means[r] = sum / n;
  }
  means.sort();
  const sorted = Array.from(means);
  const alpha = (1 - level) / 2;
  return { n, mean, lo: quantileSorted(sorted, alpha), hi: quantileSorted(sorted, 1 - alpha), resamples, seed };
}
