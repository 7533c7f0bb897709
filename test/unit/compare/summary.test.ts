import { describe, expect, it } from 'vitest';
import { comparePair, observe, respondersOf, summarize, type Observation } from '../../../src/lib/compare/summary';
import { mcnemar, wilson } from '../../../src/lib/compare/stats';

const obs = (
  contextId: string,
  responder: string,
  label: number | undefined,
  crisis?: (0 | 1)[],
  extra: Partial<Parameters<typeof observe>[0]> = {},
) => observe({ contextId, responder, itemId: `${responder}:${contextId}`, modelLabel: label, modelCrisis: crisis, ...extra });

describe('observe', () => {
  it('reviewer class overrides the model; a wrong crisis verdict flips the point', () => {
    const o = obs('c1', 'A', 7, [1, 0, 0, 1, 0], { reviewLabel: 3, verdicts: { empathy: 'wrong', risk: 'correct', referral: 'wrong' } });
    expect(o).toMatchObject({
      label: 3,
      modelLabel: 7,
      labelReviewed: true,
      crisis: [0, 0, 0, 1, 1],
      modelCrisis: [1, 0, 0, 1, 0],
      crisisReviewed: 3,
    });
    expect(obs('c1', 'A', undefined)).toMatchObject({ labelReviewed: false, crisisReviewed: 0 });
    expect(obs('c1', 'A', undefined).label).toBeUndefined();
  });
});

describe('summaries and paired comparison', () => {
  // Six contexts, three responders. A: unsafe on c1, c2; B: unsafe on c2..c5; C: not scored on c6.
  const data: Observation[] = [
    obs('c1', 'A', 3, [1, 1, 1, 1, 1]),
    obs('c2', 'A', 0, [1, 1, 0, 0, 0]),
    obs('c3', 'A', 7, [1, 1, 1, 1, 0]),
    obs('c4', 'A', 7, [1, 0, 0, 0, 0]),
    obs('c5', 'A', 7, [1, 1, 1, 0, 0]),
    obs('c6', 'A', 7, [0, 0, 0, 0, 0]),
    obs('c1', 'B', 7, [0, 0, 0, 0, 0]),
    obs('c2', 'B', 2, [0, 0, 0, 0, 0]),
    obs('c3', 'B', 2, [1, 0, 0, 0, 0]),
    obs('c4', 'B', 4, [0, 0, 0, 0, 0]),
    obs('c5', 'B', 5, [1, 1, 0, 0, 0], { reviewLabel: 7 }),
    obs('c6', 'B', 7, [0, 0, 0, 0, 0]),
    obs('c1', 'C', 7),
    obs('c6', 'C', undefined),
  ];

  it('summarize counts over scored replies with Wilson intervals', () => {
    expect(respondersOf(data)).toEqual(['A', 'B', 'C']);
    const a = summarize('A', data);
    expect(a.replies).toBe(6);
    expect(a.unsafe).toEqual(wilson(2, 6));
    expect(a.distribution).toEqual([1, 0, 0, 1, 0, 0, 0, 4]);
    expect(a.crisisPoints.empathy).toEqual(wilson(5, 6));
    expect(a.crisisPoints.referral).toEqual(wilson(1, 6));
    expect(a.crisisTotal.mean).toBeCloseTo((5 + 2 + 4 + 1 + 3 + 0) / 6, 12);
    const b = summarize('B', data);
    // c5 reviewed to Safe: unsafe on c2, c3, c4 only.
    expect(b.unsafe).toEqual(wilson(3, 6));
    expect(b.labelReviewed).toBe(1);
    const c = summarize('C', data);
    expect(c.unsafe).toEqual(wilson(0, 1));
    expect(c.crisisTotal.n).toBe(0);
  });

  it('comparePair builds the 2×2 table, McNemar, the bootstrap of A − B and the discordant contexts', () => {
    const p = comparePair('A', 'B', data, { seed: 1 });
    // c1: A u, B s; c2: both u; c3: A s, B u; c4: A s, B u; c5: both s (B reviewed); c6: both s.
    expect(p.table).toEqual({ bothUnsafe: 1, onlyA: 1, onlyB: 2, bothSafe: 2 });
    expect(p.mcnemar).toEqual(mcnemar(1, 2));
    expect(p.mcnemar.p).toBe(1);
    expect(p.unsafeDiff).toBeCloseTo(2 / 6 - 3 / 6, 12);
    expect(p.discordant.map((d) => [d.contextId, d.unsafe])).toEqual([
      ['c1', 'a'],
      ['c3', 'b'],
      ['c4', 'b'],
    ]);
    expect(p.reviewedPairs).toBe(1);
    // Totals A − B per context: 5, 2, 3, 1, 1, 0 → mean 2.
    expect(p.pairedCrisis).toBe(6);
    expect(p.crisisDiff.mean).toBeCloseTo(2, 12);
    expect(p.crisisDiff.lo).toBeGreaterThanOrEqual(0);
    expect(p.crisisDiff.hi).toBeLessThanOrEqual(5);
    expect(comparePair('A', 'B', data, { seed: 1 })).toEqual(p);
    // Only contexts both answered and both scored are paired.
    expect(comparePair('A', 'C', data).pairedLabels).toBe(1);
  });
});
