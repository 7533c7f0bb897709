import { describe, expect, it } from 'vitest';
import { buildQueue, entropy, margin } from '../../../src/lib/review/queue.ts';

const items = [
  { id: 'a', probs: [0.9, 0.1], label: 0, pUnsafe: 0.2 },
  { id: 'b', probs: [0.55, 0.45], label: 0, pUnsafe: 0.9 },
  { id: 'c' },
  { id: 'd', probs: [0.3, 0.7], label: 1, pUnsafe: 0.5 },
];

describe('review queue', () => {
  it('orders by risk, margin, entropy or file; unscored last', () => {
    const none = new Map();
    expect(buildQueue(items, 'risk', none).map((i) => i.id)).toEqual(['b', 'd', 'a', 'c']);
    expect(buildQueue(items, 'margin', none).map((i) => i.id)).toEqual(['b', 'd', 'a', 'c']);
    expect(buildQueue(items, 'entropy', none).map((i) => i.id)).toEqual(['b', 'd', 'a', 'c']);
    expect(buildQueue(items, 'file', none).map((i) => i.id)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('filters to unreviewed, or to reviewer ≠ model', () => {
    const reviewed = new Map<string, number | 'unsure'>([
      ['a', 0],
      ['d', 0],
      ['c', 'unsure'],
    ]);
    expect(buildQueue(items, 'file', reviewed, { unreviewedOnly: true }).map((i) => i.id)).toEqual(['b']);
    expect(buildQueue(items, 'file', reviewed, { disagreeOnly: true }).map((i) => i.id)).toEqual(['c', 'd']);
  });

  it('margin and entropy', () => {
    expect(margin([0.2, 0.5, 0.3])).toBeCloseTo(0.2, 12);
    expect(entropy([0.5, 0.5])).toBeCloseTo(Math.log(2), 12);
    expect(entropy([1, 0])).toBe(0);
  });
});

it('review/ names the crisis points as inference/ does', async () => {
  const { CRISIS_DIMENSIONS } = await import('../../../src/lib/inference/crisis.ts');
  const { CRISIS_TARGETS } = await import('../../../src/lib/review/types.ts');
  expect([...CRISIS_TARGETS]).toEqual([...CRISIS_DIMENSIONS]);
});
