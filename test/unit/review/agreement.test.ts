import { describe, expect, it } from 'vitest';
import { compareSources, fleissKappa, kappaBand, kappaFromConfusion } from '../../../src/lib/review/agreement.ts';

const src = (labels: (number | undefined)[]) => new Map(labels.flatMap((l, i) => (l === undefined ? [] : [[`i${i}`, l] as const])));

describe('Cohen κ between two sources', () => {
  it('matches a hand-computed value (p_o = 0.7, p_e = 0.34 → κ = 6/11)', () => {
    const a = src([0, 0, 1, 1, 0, 1, 2, 2, 0, 1]);
    const b = src([0, 1, 1, 1, 0, 0, 2, 2, 0, 2]);
    const r = compareSources(a, b, 3);
    expect(r.n).toBe(10);
    expect(r.accuracy).toBeCloseTo(0.7, 12);
    expect(r.kappa).toBeCloseTo(6 / 11, 12);
    expect(r.confusion).toEqual([
      [3, 1, 0],
      [1, 2, 1],
      [0, 0, 2],
    ]);
    expect(r.disagreements).toEqual(['i1', 'i5', 'i9']);
    // b's precision on class 1 = 2/3, recall (a as reference) = 2/4.
    expect(r.perClass[1].precision).toBeCloseTo(2 / 3, 12);
    expect(r.perClass[1].recall).toBeCloseTo(0.5, 12);
  });

  it('uses only items both sources labelled', () => {
    const r = compareSources(src([7, 3, undefined, 7]), src([7, undefined, 2, 3]), 8);
    expect(r.n).toBe(2);
    expect(r.accuracy).toBe(0.5);
    expect(r.disagreements).toEqual(['i3']);
  });

  it('κ is null (n/a), never 0, when undefined', () => {
    const allSafe = compareSources(src([7, 7, 7]), src([7, 7, 7]), 8);
    expect(allSafe.accuracy).toBe(1);
    expect(allSafe.kappa).toBeNull();
    const none = compareSources(src([7]), src([undefined, 3]), 8);
    expect(none).toMatchObject({ n: 0, accuracy: null, kappa: null });
    expect(
      kappaFromConfusion([
        [0, 0],
        [0, 0],
      ]),
    ).toBeNull();
  });

  it('κ can be negative (systematic disagreement)', () => {
    expect(compareSources(src([0, 1, 0, 1]), src([1, 0, 1, 0]), 2).kappa).toBeCloseTo(-1, 12);
  });
});

describe('Fleiss κ', () => {
  it('matches a hand-computed value (P̄ = 5/6, P̄e = 5/9 → κ = 5/8)', () => {
    // 4 items, 3 raters, 2 classes; item counts [3,0] [3,0] [0,3] [2,1].
    const r1 = src([0, 0, 1, 0]);
    const r2 = src([0, 0, 1, 0]);
    const r3 = src([0, 0, 1, 1]);
    const f = fleissKappa([r1, r2, r3], 2);
    expect(f).toMatchObject({ n: 4, raters: 3 });
    expect(f.kappa).toBeCloseTo(5 / 8, 12);
  });

  it('counts only items every rater labelled', () => {
    const f = fleissKappa([src([0, 0, 1, 0, 5]), src([0, 0, 1, 0]), src([0, 0, 1, 1, undefined])], 8);
    expect(f.n).toBe(4);
    expect(f.kappa).toBeCloseTo(5 / 8, 12);
  });

  it('is null when undefined: one class throughout, no common items, or fewer than 2 raters', () => {
    expect(fleissKappa([src([7, 7]), src([7, 7]), src([7, 7])], 8).kappa).toBeNull();
    expect(fleissKappa([src([7]), src([undefined, 7]), src([7])], 8)).toMatchObject({ n: 0, kappa: null });
    expect(fleissKappa([src([7])], 8).kappa).toBeNull();
  });
});

it('Landis & Koch bands', () => {
  expect([-0.1, 0.1, 0.3, 0.5, 0.7, 0.9].map(kappaBand)).toEqual(['poor', 'slight', 'fair', 'moderate', 'substantial', 'almostPerfect']);
});
