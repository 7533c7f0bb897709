import { describe, expect, it } from 'vitest';
import { bootstrapMean, chiSquare1Tail, mcnemar, mulberry32, quantileSorted, wilson } from '../../../src/lib/compare/stats';

describe('wilson', () => {
  // Newcombe (1998), Statistics in Medicine 17:857–872, Table I, method 3 (Wilson score without CC).
  it.each([
    [81, 263, 0.2553, 0.3662],
    [15, 148, 0.0624, 0.1605],
    [0, 20, 0, 0.1611],
    [1, 29, 0.0061, 0.1718],
  ])('%i/%i matches Newcombe 1998', (k, n, lo, hi) => {
    const w = wilson(k, n);
    expect(w.lo).toBeCloseTo(lo, 4);
    expect(w.hi).toBeCloseTo(hi, 4);
    expect(w.p).toBeCloseTo(k / n, 12);
  });

  it('0/10 and 5/10 by hand', () => {
    // 0/10: hi = z²/n / (1 + z²/n) = 0.38415/1.38415
    expect(wilson(0, 10)).toMatchObject({ lo: 0, p: 0 });
    expect(wilson(0, 10).hi).toBeCloseTo(0.384146 / 1.384146, 5);
    // 5/10: 0.5 ± (1.96/1.38415)·sqrt(0.025 + 3.84146/400)
    const w = wilson(5, 10);
    expect(w.lo).toBeCloseTo(0.2366, 4);
    expect(w.hi).toBeCloseTo(0.7634, 4);
    expect(wilson(10, 10).hi).toBe(1);
  });

  it('n = 0 is the uninformative interval; bad counts throw', () => {
    expect(wilson(0, 0)).toEqual({ k: 0, n: 0, p: 0, lo: 0, hi: 1 });
    expect(() => wilson(3, 2)).toThrow(RangeError);
    expect(() => wilson(-1, 2)).toThrow(RangeError);
    expect(() => wilson(0.5, 2)).toThrow(RangeError);
  });
});

describe('mcnemar', () => {
  it('chi-square with continuity correction for 25+ discordant pairs: Agresti (2007) presidential approval table', () => {
    // Agresti, An Introduction to Categorical Data Analysis, Table 8.1: 794, 150 / 86, 570.
    // R: mcnemar.test(matrix(c(794, 86, 150, 570), 2)) → McNemar's chi-squared = 16.818, p-value = 4.115e-05
    const m = mcnemar(150, 86);
    expect(m.method).toBe('chi-square-cc');
    expect(m.statistic).toBeCloseTo(16.818, 3);
    expect(m.p).toBeCloseTo(4.115e-5, 7);
  });

  it('exact binomial below 25 discordant pairs, by hand', () => {
    // b = 1, c = 7: p = 2·(C(8,0) + C(8,1)) / 2⁸ = 18/256
    const m = mcnemar(1, 7);
    expect(m.method).toBe('exact');
    expect(m.statistic).toBeUndefined();
    expect(m.p).toBeCloseTo(18 / 256, 12);
    expect(mcnemar(7, 1).p).toBeCloseTo(18 / 256, 12);
    // b = c: p capped at 1; no discordant pairs: p = 1.
    expect(mcnemar(4, 4).p).toBe(1);
    expect(mcnemar(0, 0)).toMatchObject({ method: 'exact', p: 1 });
    // b = 0, c = 10: 2/1024 (R: binom.test(0, 10)$p.value = 0.001953125)
    expect(mcnemar(0, 10).p).toBeCloseTo(0.001953125, 12);
    // 12 vs 12 sits at 24 (< 25): exact; 13 vs 12 is 25: chi-square.
    expect(mcnemar(12, 12).method).toBe('exact');
    expect(mcnemar(13, 12).method).toBe('chi-square-cc');
  });

  it('chi-square tail matches known quantiles', () => {
    expect(chiSquare1Tail(3.841459)).toBeCloseTo(0.05, 6);
    expect(chiSquare1Tail(6.634897)).toBeCloseTo(0.01, 6);
    expect(chiSquare1Tail(0)).toBe(1);
  });
});

describe('bootstrap', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    const rand = mulberry32(1);
    const xs = Array.from({ length: 60 }, () => Math.floor(rand() * 6) - 2);
    const a = bootstrapMean(xs, { seed: 7 });
    expect(bootstrapMean(xs, { seed: 7 })).toEqual(a);
    expect(bootstrapMean(xs, { seed: 8 }).lo).not.toBe(a.lo);
    expect(a.lo).toBeLessThan(a.mean);
    expect(a.hi).toBeGreaterThan(a.mean);
  });

  it('a constant difference gives a zero-width interval; empty input gives NaN', () => {
    expect(bootstrapMean([2, 2, 2, 2])).toMatchObject({ mean: 2, lo: 2, hi: 2 });
    const e = bootstrapMean([]);
    expect(e.n).toBe(0);
    expect(Number.isNaN(e.lo) && Number.isNaN(e.mean)).toBe(true);
  });

  it('agrees with the normal-theory interval on a large sample', () => {
    // 400 values, half 0 and half 1: mean 0.5, sd/√n = 0.5/20 = 0.025 → 0.5 ± 0.049.
    const xs = Array.from({ length: 400 }, (_, i) => i % 2);
    const b = bootstrapMean(xs, { resamples: 4000, seed: 3 });
    expect(b.mean).toBe(0.5);
    expect(b.lo).toBeCloseTo(0.451, 2);
    expect(b.hi).toBeCloseTo(0.549, 2);
  });

  it('quantiles interpolate like R type 7', () => {
    expect(quantileSorted([1, 2, 3, 4], 0.25)).toBeCloseTo(1.75, 12);
    expect(quantileSorted([5], 0.9)).toBe(5);
  });
});
