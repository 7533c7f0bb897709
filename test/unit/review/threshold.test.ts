import { describe, expect, it } from 'vitest';
import { pointAt, thresholdCurve } from '../../../src/lib/review/threshold.ts';

const items = [
  { pUnsafe: 0.9, unsafe: true },
  { pUnsafe: 0.7, unsafe: false },
  { pUnsafe: 0.55, unsafe: true },
  { pUnsafe: 0.2, unsafe: true },
  { pUnsafe: 0.1, unsafe: false },
];

describe('threshold tuning', () => {
  it('counts and P/R at a threshold (hand count)', () => {
    expect(pointAt(items, 0.5)).toEqual({ threshold: 0.5, tp: 2, fp: 1, fn: 1, tn: 1, precision: 2 / 3, recall: 2 / 3 });
    expect(pointAt(items, 0.8)).toMatchObject({ tp: 1, fp: 0, fn: 2, precision: 1, recall: 1 / 3 });
  });

  it('precision is null with nothing flagged, recall null with nothing unsafe', () => {
    expect(pointAt(items, 0.95)).toMatchObject({ precision: null, recall: 0 });
    expect(pointAt([{ pUnsafe: 0.4, unsafe: false }], 0.3)).toMatchObject({ precision: 0, recall: null });
  });

  it('the curve spans 0…1 and recall never rises with the threshold', () => {
    const c = thresholdCurve(items, 20);
    expect(c).toHaveLength(21);
    expect([c[0].threshold, c[20].threshold]).toEqual([0, 1]);
    for (let i = 1; i < c.length; i++) expect(c[i].recall!).toBeLessThanOrEqual(c[i - 1].recall!);
  });
});
