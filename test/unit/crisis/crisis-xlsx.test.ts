/** The crisis export in XLSX: written with write-excel-file, read back with the app's own importer. */
import { readSheet } from 'read-excel-file/universal';
import { describe, expect, it } from 'vitest';
import { crisisPoints } from '../../../src/lib/inference/crisis.ts';
import { CRISIS_COLUMNS, crisisTable, crisisXlsx } from '../../../src/lib/inference/crisis-export.ts';
import { setMark } from '../../../src/lib/inference/crisis-review.ts';
import type { ItemScore } from '../../../src/lib/inference/types.ts';
import { parseFile } from '../../../src/lib/transcripts/import.ts';
import { buildXlsx } from '../../helpers/xlsx.ts';

const score = (probs: number[]): ItemScore => ({ probs, label: 0, pUnsafe: NaN, truncated: false, droppedTurns: 0 });

const ITEMS = [
  {
    id: 'ds/row-2/1',
    seeker: '我真的撑不下去了，每天都想消失。',
    reply: '听到你这么说我很担心你。你现在安全吗？可以拨打心理援助热线。',
    points: crisisPoints(score([0.9, 0.2, 0.3, 0.8, 0.7])),
    evidence: { empathy: ['听到你这么说我很担心你。'], risk: ['你现在安全吗？'], referral: ['可以拨打心理援助热线。'] },
    seekerRisk: 0.93,
  },
  // Formula-looking text must stay text; a long reply must not be cut.
  { id: 'ds/row-3/1', seeker: '=HYPERLINK("x")', reply: '+1 '.repeat(3000).trim(), points: crisisPoints(score([0.1, 0.1, 0.1, 0.1, 0.1])) },
];

async function exported(): Promise<Uint8Array> {
  const marks = setMark(new Map(), 'ds/row-2/1', 'risk', 'correct');
  const blob = await crisisXlsx(crisisTable(ITEMS, marks, 'xinan-crisis-zh@0123'));
  return new Uint8Array(await blob.arrayBuffer());
}

describe('crisis XLSX export', () => {
  it('keeps the PsyCrisis layout (A seeker, B reply) with our columns added, values intact', async () => {
    const rows = await readSheet((await exported()).slice().buffer);
    expect(rows[0]).toEqual([...CRISIS_COLUMNS]);
    const at = (r: number, c: string) => rows[r][CRISIS_COLUMNS.indexOf(c as (typeof CRISIS_COLUMNS)[number])];
    expect(rows[1].slice(0, 2)).toEqual([ITEMS[0].seeker, ITEMS[0].reply]);
    expect([at(1, 'empathy'), at(1, 'regulation'), at(1, 'exploration'), at(1, 'risk'), at(1, 'referral'), at(1, 'total')]).toEqual([
      1, 0, 0, 1, 1, 3,
    ]);
    expect(at(1, 'evidence_risk')).toBe('你现在安全吗？');
    expect(at(1, 'review_risk')).toBe('correct');
    expect(at(1, 'p_empathy')).toBe(0.9);
    expect(at(1, 'seeker_risk')).toBe(0.93);
    expect(at(1, 'model_id')).toBe('xinan-crisis-zh@0123');
    expect(at(2, 'seeker_message')).toBe('=HYPERLINK("x")');
    expect(at(2, 'reply')).toBe(ITEMS[1].reply);
  });

  it('imports again as PsyCrisis pairs: same messages and replies, our point columns not taken for labels', async () => {
    const r = await parseFile('crisis-export.xlsx', await exported());
    expect(r.layout).toBe('pairs');
    expect(r.skipped).toEqual([]);
    expect(r.dialogues.map((d) => d.turns)).toEqual(
      ITEMS.map((it) => [
        { speaker: 'seeker', text: it.seeker },
        { speaker: 'supporter', text: it.reply },
      ]),
    );
  });

  it('still reads column C as the gold label in a headerless pairs sheet or under a label header', async () => {
    const headerless = await parseFile('a.xlsx', buildXlsx([['我很难过', '发生什么了？', 7]]));
    expect(headerless.dialogues[0].turns[1].label).toBe(7);
    const labelled = await parseFile(
      'b.xlsx',
      buildXlsx([
        ['求助者', '回复', 'label'],
        ['我很难过', '发生什么了？', 2],
      ]),
    );
    expect(labelled.dialogues[0].turns[1].label).toBe(2);
  });
});
