/** Model vs model on one dataset, against values computed by hand. */
import { describe, expect, it } from 'vitest';
import { compareModels } from '../../../src/lib/compare/models.ts';

const src = (xs: [string, number][]) => new Map(xs);

describe('compareModels', () => {
  // A: 7 7 0 5 7 3 (i7: 1, B did not score it); B: 7 0 0 5 7 7.
  const a = src([
    ['i1', 7],
    ['i2', 7],
    ['i3', 0],
    ['i4', 5],
    ['i5', 7],
    ['i6', 3],
    ['i7', 1],
  ]);
  const b = src([
    ['i6', 7],
    ['i5', 7],
    ['i4', 5],
    ['i3', 0],
    ['i2', 0],
    ['i1', 7],
  ]);
  const ids = ['i1', 'i2', 'i3', 'i4', 'i5', 'i6', 'i7'];

  it('agreement, κ, safe/unsafe agreement, confusion and disagreements in item order', () => {
    const r = compareModels(ids, a, b);
    expect(r.n).toBe(6);
    expect(r.agreement).toBeCloseTo(4 / 6, 12);
    // po = 4/6; pe = (3/6·3/6) + (1/6·2/6) + (1/6·1/6) + (1/6·0) = 12/36; κ = (4/6 − 12/36) / (1 − 12/36) = 0.5.
    expect(r.kappa).toBeCloseTo(0.5, 12);
    // Safe (7) vs unsafe: A S S U U S U, B S U U U S S → same on i1, i3, i4, i5.
    expect(r.unsafeAgreement).toBeCloseTo(4 / 6, 12);
    expect(r.disagreements).toEqual(['i2', 'i6']);
    expect(r.confusion[7][7]).toBe(2);
    expect(r.confusion[7][0]).toBe(1);
    expect(r.confusion[0][0]).toBe(1);
    expect(r.confusion[5][5]).toBe(1);
    expect(r.confusion[3][7]).toBe(1);
    expect(r.confusion.flat().reduce((s, x) => s + x, 0)).toBe(6);
    expect(r.gold).toBeUndefined();
    expect(r.reviewer).toBeUndefined();
  });

  it('accuracy of each model against gold and against reviewers, over items all three have', () => {
    const gold = src([
      ['i1', 7],
      ['i2', 0],
      ['i3', 1],
      ['i7', 1],
    ]);
    const reviewer = src([['i6', 3]]);
    const r = compareModels(ids, a, b, gold, reviewer);
    // i7 has gold but B did not score it: left out. A: i1 ✓ i2 ✗ i3 ✗; B: i1 ✓ i2 ✓ i3 ✗.
    expect(r.gold).toEqual({ n: 3, a: 1 / 3, b: 2 / 3 });
    expect(r.reviewer).toEqual({ n: 1, a: 1, b: 0 });
  });

  it('κ is n/a (null) when both models give one class throughout; nothing in common gives n = 0', () => {
    const safe = src([
      ['i1', 7],
      ['i2', 7],
    ]);
    const r = compareModels(['i1', 'i2'], safe, safe);
    expect(r.agreement).toBe(1);
    expect(r.kappa).toBeNull();
    const none = compareModels(['i1'], src([['i1', 7]]), src([['i2', 7]]));
    expect(none).toMatchObject({ n: 0, agreement: null, kappa: null, unsafeAgreement: null, disagreements: [] });
    expect(none.confusion).toHaveLength(8);
  });
});
