import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { crisisPoints } from '../../../src/lib/inference/crisis.ts';
import { CRISIS_COLUMNS, crisisCsv, crisisTable } from '../../../src/lib/inference/crisis-export.ts';
import { agreement, reviewerLabel, setMark, type MarkBook } from '../../../src/lib/inference/crisis-review.ts';
import type { ItemScore } from '../../../src/lib/inference/types.ts';

const score = (probs: number[]): ItemScore => ({ probs, label: 0, pUnsafe: NaN, truncated: false, droppedTurns: 0 });

describe('crisis points', () => {
  it('thresholds each sigmoid independently and totals them', () => {
    const p = crisisPoints(score([0.9, 0.49, 0.5, 0.1, 0.7]));
    expect(p.points).toEqual([1, 0, 1, 0, 1]);
    expect(p.total).toBe(3);
    expect(crisisPoints(score([0.9, 0.49, 0.5, 0.1, 0.7]), 0.8).total).toBe(1);
    expect(() => crisisPoints(score([0.1, 0.9]))).toThrow(/5 crisis outputs/);
  });
});

describe('reviewer marks and agreement', () => {
  const points = new Map<string, (0 | 1)[]>([
    ['a', [1, 0, 1, 0, 1]],
    ['b', [0, 0, 1, 1, 0]],
    ['c', [1, 1, 0, 0, 0]],
    ['d', [0, 0, 0, 0, 0]],
  ]);

  it('derives the reviewer label from the verdict', () => {
    expect(reviewerLabel(1, 'correct')).toBe(1);
    expect(reviewerLabel(1, 'wrong')).toBe(0);
    expect(reviewerLabel(0, 'wrong')).toBe(1);
  });

  it('computes per-dimension accuracy and κ over marked items only; marks replace, never mutate', () => {
    let book: MarkBook = new Map();
    const empty = book;
    book = setMark(book, 'a', 'empathy', 'correct'); // model 1, reviewer 1
    book = setMark(book, 'b', 'empathy', 'correct'); // model 0, reviewer 0
    book = setMark(book, 'c', 'empathy', 'wrong'); // model 1, reviewer 0
    book = setMark(book, 'd', 'empathy', 'correct'); // model 0, reviewer 0
    book = setMark(book, 'b', 'risk', 'wrong');
    book = setMark(book, 'b', 'risk', null); // cleared again
    expect(empty.size).toBe(0);
    const ag = agreement(points, book);
    expect(ag.empathy.reviewed).toBe(4);
    expect(ag.empathy.accuracy).toBe(0.75);
    // reviewer [1,0,0,0] vs model [1,0,1,0]: p_o = 0.75, p_e = 0.25·0.5 + 0.75·0.5 = 0.5 → κ = 0.5
    expect(ag.empathy.kappa).toBeCloseTo(0.5, 12);
    expect(ag.risk).toEqual({ reviewed: 0, accuracy: null, kappa: null });
  });
});

describe('PsyCrisis-layout export', () => {
  it('puts the seeker message in column A and the reply in B, then our columns; CSV round-trips', () => {
    const items = [
      {
        id: 'x1',
        seeker: '我不想活了',
        reply: '=你现在安全吗？',
        points: crisisPoints(score([0.2, 0.1, 0.9, 0.95, 0.3])),
        evidence: { risk: ['你现在安全吗？'] },
        seekerRisk: 0.91234,
      },
    ];
    const book = setMark(new Map(), 'x1', 'risk', 'correct');
    const table = crisisTable(items, book, 'xinan-crisis-zh', { reviewer: '王', at: new Map([['x1', Date.UTC(2026, 10, 30)]]) });
    expect(table[0]).toEqual([...CRISIS_COLUMNS]);
    expect(table[1].slice(-3)).toEqual(['王', '2026-11-30T00:00:00.000Z', 'false']);
    expect(crisisTable(items, new Map(), 'm')[1].slice(-3)).toEqual(['', '', '']);
    const row = Object.fromEntries(CRISIS_COLUMNS.map((c, i) => [c, table[1][i]]));
    expect([table[1][0], table[1][1]]).toEqual(['我不想活了', '=你现在安全吗？']);
    expect(row).toMatchObject({ risk: 1, exploration: 1, empathy: 0, total: 2, evidence_risk: '你现在安全吗？' });
    expect(row).toMatchObject({ review_risk: 'correct', review_empathy: '', seeker_risk: 0.9123, threshold: 0.5 });
    const csv = crisisCsv(table);
    expect(csv.startsWith('\uFEFF')).toBe(true);
    const back = Papa.parse<string[]>(csv.slice(1).trim()).data;
    expect(back[1][0]).toBe('我不想活了');
    expect(back[1][1]).toBe("'=你现在安全吗？"); // a formula-looking cell is escaped
  });
});

describe('crisisPairsFromItems', () => {
  it('keeps items whose previous turn is the seeker’s, splitting off that message', async () => {
    const { crisisPairsFromItems } = await import('../../../src/lib/inference/crisis.ts');
    const pairs = crisisPairsFromItems([
      { id: 'row-1', context: [{ speaker: 'seeker', text: '我想死' }], response: '你现在安全吗？' },
      {
        id: 'd/3',
        context: [
          { speaker: 'seeker', text: '嗯' },
          { speaker: 'supporter', text: '好' },
          { speaker: 'seeker', text: '活着好累' },
        ],
        response: '听起来你很累。',
      },
      { id: 'd/5', context: [{ speaker: 'supporter', text: '你好' }], response: '还在吗？' },
      { id: 'd/0', context: [], response: '你好' },
    ]);
    expect(pairs).toEqual([
      { id: 'row-1', context: [], seeker: '我想死', reply: '你现在安全吗？' },
      {
        id: 'd/3',
        context: [
          { speaker: 'seeker', text: '嗯' },
          { speaker: 'supporter', text: '好' },
        ],
        seeker: '活着好累',
        reply: '听起来你很累。',
      },
    ]);
  });
});
