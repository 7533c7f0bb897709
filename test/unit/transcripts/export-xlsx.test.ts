/**
 * The 8-class XLSX export, read back: the CSV's columns and values (numbers as number cells), the review
 * columns, and text that starts like a formula kept verbatim as a string cell (no <f> anywhere).
 */
import Papa from 'papaparse';
import { strFromU8, unzipSync } from 'fflate';
import { readSheet } from 'read-excel-file/universal';
import { describe, expect, it } from 'vitest';
import { CSV_COLUMNS, exportCsv, exportTable } from '../../../src/lib/transcripts/export/csv.ts';
import { FORMULA_START } from '../../../src/lib/transcripts/export/formula.ts';
import { exportXlsx } from '../../../src/lib/transcripts/export/xlsx.ts';
import type { ScoredItem } from '../../../src/lib/transcripts/model.ts';
import { makeScoredItem, PROVENANCE } from '../../helpers/factories.ts';

const META = { datasetName: '测试集', exportedAt: '2026-11-23T10:00:00.000Z' };
const at = Date.UTC(2026, 10, 30, 1, 2, 3);
const FORMULAS = ['=HYPERLINK("http://x")，你太矫情了\n真的', '+1+1', '-2+3', '@SUM(A1)', '\t=1', '\r=1'];
const ITEMS: ScoredItem[] = [
  {
    ...makeScoredItem(7, { id: 'ds/d1/1', goldLabel: 7 }),
    review: { label: 3, note: '=评判, "引号"', reviewer: '王', at, blind: true, final: 5 },
  },
  { ...makeScoredItem(3, { id: 'ds/d2/1', dialogueId: 'd2', goldLabel: 2 }), review: { label: 'unsure', reviewer: 'B', at } },
  makeScoredItem(undefined, { id: 'ds/d3/1', dialogueId: 'd3' }),
  ...FORMULAS.map((response, i) => makeScoredItem(0, { id: `ds/f${i}/1`, dialogueId: `f${i}`, response })),
];

async function written(items: readonly ScoredItem[] = ITEMS): Promise<Uint8Array> {
  return new Uint8Array(await (await exportXlsx(items, PROVENANCE, META)).arrayBuffer());
}

const col = (c: (typeof CSV_COLUMNS)[number]) => CSV_COLUMNS.indexOf(c);

describe('exportXlsx', () => {
  it('has the CSV columns and, cell for cell, the CSV values (numbers as numbers, empty where the CSV is empty)', async () => {
    const rows = await readSheet((await written()).slice().buffer, { trim: false });
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    expect(rows).toHaveLength(ITEMS.length + 1);
    // Empty text is an empty cell, as in the CSV.
    expect(rows.slice(1)).toEqual(exportTable(ITEMS, PROVENANCE, META).map((r) => r.map((v) => (v === '' ? null : v))));
    const csv = Papa.parse<string[]>(exportCsv(ITEMS, PROVENANCE, META).slice(1), { skipEmptyLines: true }).data.slice(1);
    // The CSV quotes formula-looking text (formula.ts); the XLSX keeps it verbatim as a string cell instead.
    const asCsv = rows
      .slice(1)
      .map((row) => row.map((v) => (v === null ? '' : typeof v === 'string' && FORMULA_START.test(v) ? `'${v}` : String(v))));
    expect(asCsv).toEqual(csv);
    expect(typeof rows[1][col('p_7')]).toBe('number');
    expect(rows[1][col('p_7')]).toBeCloseTo(0.9, 10);
  });

  it('carries the review beside the model output', async () => {
    const rows = await readSheet((await written()).slice().buffer, { trim: false });
    const row = (r: number) => Object.fromEntries(CSV_COLUMNS.map((c, i) => [c, rows[r][i]]));
    const time = '2026-11-30T01:02:03.000Z';
    expect(row(1)).toMatchObject({ pred_label: 7, review_label: 3, review_unsure: 'false', review_note: '=评判, "引号"' });
    expect(row(1)).toMatchObject({ reviewer: '王', reviewed_at: time, review_blind: 'true', final_label: 5 });
    expect(row(2)).toMatchObject({ pred_label: 3, review_label: null, review_unsure: 'true', reviewer: 'B', review_blind: null });
    expect(row(3)).toMatchObject({ review_label: null, review_note: null, reviewer: null, reviewed_at: null, final_label: null });
  });

  it('writes text that starts like a formula as string cells, verbatim, and no formula at all', async () => {
    const bytes = await written();
    const rows = await readSheet(bytes.slice().buffer, { trim: false });
    const responses = rows.slice(1).map((r) => r[col('response')]);
    for (const f of FORMULAS) {
      expect(FORMULA_START.test(f)).toBe(true);
      expect(responses).toContain(f);
    }
    const files = unzipSync(bytes);
    const sheet = strFromU8(files[Object.keys(files).find((n) => /^xl\/worksheets\/sheet\d*\.xml$/.test(n))!]);
    expect(sheet).not.toMatch(/<f[\s>]/);
    // Every cell of the response column (F) after the header is a shared-string cell.
    const cells = [...sheet.matchAll(/<c r="F(\d+)"([^>]*)>/g)].filter((m) => m[1] !== '1');
    expect(cells).toHaveLength(ITEMS.length);
    for (const m of cells) expect(m[2]).toMatch(/t="s"/);
  });

  it('writes a header-only sheet for no items', async () => {
    expect(await readSheet((await written([])).slice().buffer)).toEqual([[...CSV_COLUMNS]]);
  });
});
