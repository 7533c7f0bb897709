import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { readSheet } from 'read-excel-file/universal';
import { LONG_COLUMNS, longCsv, longTable, longXlsx, observe } from '../../../src/lib/compare';

const prov = { safetyModel: 'safety@abc', crisisModel: 'crisis@def', appVersion: '0.1.0' };

describe('long-form export', () => {
  const rows = [
    {
      observation: observe({
        contextId: 'c1',
        responder: '甲',
        itemId: 'i1',
        modelLabel: 2,
        reviewLabel: 7,
        modelCrisis: [1, 0, 0, 1, 0],
        verdicts: { empathy: 'wrong' as const },
      }),
      context: [{ speaker: 'seeker' as const, text: '我睡不着' }],
      reply: '=SUM(A1)',
      probs: [0.1, 0, 0.6, 0, 0, 0, 0, 0.3],
      pUnsafe: 0.7,
      crisisProbs: [0.9, 0.1, 0.2, 0.8, 0.3],
      reviewLabel: 7,
      verdicts: { empathy: 'wrong' as const },
    },
    {
      observation: observe({ contextId: 'c1', responder: '乙', itemId: 'i2' }),
      context: [{ speaker: 'seeker' as const, text: '我睡不着' }],
      reply: '嗯',
    },
  ];

  it('one row per reply: model label and probabilities, crisis points, review, and the values used', () => {
    const table = longTable(rows, prov);
    expect(table[0]).toEqual([...LONG_COLUMNS]);
    const rec = Object.fromEntries(LONG_COLUMNS.map((c, i) => [c, table[1][i]]));
    expect(rec).toMatchObject({
      context_id: 'c1',
      context: '[seeker]我睡不着',
      responder: '甲',
      model_label: 2,
      model_label_name: 'Linguistic Neglect',
      p_unsafe: 0.7,
      p_2: 0.6,
      crisis_empathy: 1,
      crisis_total: 2,
      p_crisis_risk: 0.8,
      review_label: 7,
      review_empathy: 'wrong',
      label_used: 7,
      unsafe_used: 0,
      crisis_total_used: 1,
      safety_model: 'safety@abc',
    });
    // An unscored reply leaves its model columns empty rather than inventing values.
    const empty = Object.fromEntries(LONG_COLUMNS.map((c, i) => [c, table[2][i]]));
    expect(empty).toMatchObject({ model_label: '', p_unsafe: '', crisis_total: '', label_used: '', unsafe_used: '' });
  });

  it('CSV escapes formula-looking cells; XLSX round-trips with text kept as text', async () => {
    const table = longTable(rows, prov);
    const csv = longCsv(table);
    expect(csv.startsWith('\uFEFF')).toBe(true);
    const parsed = Papa.parse<string[]>(csv.slice(1).trim()).data;
    expect(parsed[1][3]).toBe("'=SUM(A1)");
    const blob = await longXlsx(table);
    const sheet = await readSheet(await blob.arrayBuffer());
    expect(sheet).toHaveLength(3);
    expect(sheet[1][3]).toBe('=SUM(A1)');
    expect(sheet[0]).toEqual([...LONG_COLUMNS]);
  });
});
