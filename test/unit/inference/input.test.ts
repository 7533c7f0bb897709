import { describe, expect, it } from 'vitest';
import { buildInput, CONTEXT_RESERVE, splitMarkedTurns } from '../../../src/lib/inference/input.ts';

// The same cases as training/tests/test_inputs.py: training and the app must build identical inputs.
const CLS = 2;
const SEP = 3;
const range = (a: number, b: number) => Array.from({ length: b - a }, (_, i) => a + i);

describe('buildInput', () => {
  it('lays out [CLS] context [SEP] response [SEP] with segment ids', () => {
    const b = buildInput(
      [
        [5, 10, 11],
        [6, 12],
      ],
      [6, 20, 21],
      64,
      CLS,
      SEP,
    );
    expect(b.inputIds).toEqual([CLS, 5, 10, 11, 6, 12, SEP, 6, 20, 21, SEP]);
    expect(b.tokenTypeIds).toEqual([...Array(7).fill(0), ...Array(4).fill(1)]);
    expect(b.truncated).toBe(false);
    expect(b.droppedTurns).toBe(0);
  });

  it('drops the oldest turns whole and marks the item truncated', () => {
    const ctx = [
      [5, ...Array(30).fill(10)],
      [6, ...Array(30).fill(11)],
      [5, ...Array(30).fill(12)],
    ];
    const b = buildInput(ctx, [6, 20], 3 + 2 + 31 * 2 + 5, CLS, SEP);
    expect(b.truncated).toBe(true);
    expect(b.droppedTurns).toBe(1);
    expect(b.inputIds.slice(1, 3)).toEqual([6, 11]);
    expect(b.inputIds).not.toContain(10);
  });

  it('cuts an over-long response only with the truncated mark, keeping the seeker turn', () => {
    const resp = [6, ...range(100, 400)];
    const b = buildInput([[5, 10]], resp, 128, CLS, SEP);
    const kept = 125 - Math.min(CONTEXT_RESERVE, Math.floor(125 / 2));
    expect(b.truncated).toBe(true);
    expect(b.inputIds.slice(-kept - 1, -1)).toEqual(resp.slice(0, kept));
    expect(b.inputIds.filter((x) => x === 10)).toHaveLength(1);
  });

  it('never empties the response at a small max length', () => {
    const b = buildInput([[5, 10]], [6, ...range(100, 200)], 32, CLS, SEP);
    expect(b.tokenTypeIds.reduce((a, x) => a + x, 0)).toBe(29 - Math.floor(29 / 2) + 1);
  });

  it('keeps the marker and the tail of a newest turn too long to fit', () => {
    const b = buildInput([[5, ...range(100, 300)]], [6, 20], 32, CLS, SEP);
    expect(b.truncated).toBe(true);
    expect(b.inputIds).toHaveLength(32);
    expect(b.inputIds[1]).toBe(5);
    expect(b.inputIds[27]).toBe(299);
  });

  it('handles an empty context', () => {
    expect(buildInput([], [6, 20], 16, CLS, SEP).inputIds).toEqual([CLS, SEP, 6, 20, SEP]);
  });
});

describe('splitMarkedTurns', () => {
  it('splits DialogueSafety strings', () => {
    expect(splitMarkedTurns('[seeker]你好[supporter]嗯[seeker]我难过')).toEqual([
      { speaker: 'seeker', text: '你好' },
      { speaker: 'supporter', text: '嗯' },
      { speaker: 'seeker', text: '我难过' },
    ]);
  });
  it('counts text before the first marker as the seeker and skips empty turns', () => {
    expect(splitMarkedTurns('开头[supporter][seeker]再说')).toEqual([
      { speaker: 'seeker', text: '开头' },
      { speaker: 'seeker', text: '再说' },
    ]);
  });
});
