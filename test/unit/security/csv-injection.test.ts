/**
 * Formula injection in every CSV the app writes (8-class export: exportCsv; crisis export: crisisCsv). Any text
 * cell that starts with = + - @, tab or CR comes out prefixed with ' (and quoted), so a spreadsheet shows it as
 * text; every other text comes back unchanged; numbers, negative ones included, stay bare numbers.
 */
import fc from 'fast-check';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { crisisPoints } from '../../../src/lib/inference/crisis.ts';
import { CRISIS_COLUMNS, crisisCsv, crisisTable } from '../../../src/lib/inference/crisis-export.ts';
import type { ItemScore } from '../../../src/lib/inference/types.ts';
import { CSV_COLUMNS, exportCsv } from '../../../src/lib/transcripts/export/csv.ts';
import { makeScore, makeScoredItem, PROVENANCE } from '../../helpers/factories.ts';
import { fuzzParams } from '../../helpers/fuzz.ts';

const DANGEROUS = ['=', '+', '-', '@', '\t', '\r'];
/** Text that often starts with a formula character, including the classic payloads. */
const cellText = fc.oneof(
  fc.tuple(fc.constantFrom(...DANGEROUS, '', ' ', '＝', "'", '"', '\n'), fc.string({ maxLength: 12 })).map(([a, b]) => a + b),
  fc.constantFrom('=HYPERLINK("http://x","y")', "=cmd|' /C calc'!A0", '+1+1', '-2+3', '@SUM(A1)', '\t=1', '\r=1', '=1\n=2', '-1'),
);

/** The CSV's cells (BOM and the trailing line break removed). */
function cells(csv: string): string[][] {
  expect(csv.startsWith('\uFEFF')).toBe(true);
  return Papa.parse<string[]>(csv.slice(1), { skipEmptyLines: true }).data;
}

/** What a cell must look like in the file for this original text. */
const written = (text: string) => (DANGEROUS.some((c) => text.startsWith(c)) ? `'${text}` : text);

describe('CSV formula injection', () => {
  it('8-class export: every text column defused, other text unchanged', () => {
    fc.assert(
      fc.property(cellText, cellText, cellText, cellText, (response, context, dialogueId, datasetName) => {
        const item = makeScoredItem(3, { response, dialogueId, context: [{ speaker: 'seeker', text: context }] });
        const rows = cells(exportCsv([item], { ...PROVENANCE, modelId: datasetName }, { datasetName, exportedAt: 't' }));
        const row = Object.fromEntries(CSV_COLUMNS.map((c, i) => [c, rows[1][i]]));
        expect(row.response).toBe(written(response));
        expect(row.dialogue_id).toBe(written(dialogueId));
        expect(row.dataset).toBe(written(datasetName));
        expect(row.model_id).toBe(written(datasetName));
        expect(row.context).toBe(`[seeker]${context}`);
        for (const v of rows[1]) expect(DANGEROUS.some((c) => v.startsWith(c))).toBe(false);
      }),
      fuzzParams(),
    );
  });

  it('8-class export: negative numbers in numeric columns stay numbers (no quote, no prefix)', () => {
    const score: ItemScore = { ...makeScore(2), droppedTurns: -1, probs: [-0.5, 0.1, 0.2, 0.2, 0.2, 0.2, 0.2, 0.3] };
    const item = { ...makeScoredItem(2, { turnIndex: -3 }), score };
    const csv = exportCsv([item], PROVENANCE, { datasetName: 'd', exportedAt: 't' });
    const line = csv.split('\r\n')[1];
    expect(line).toContain(',-3,');
    expect(line).toContain(',-0.5,');
    expect(line).toContain(',-1,');
    expect(line).not.toContain("'-");
  });

  it('crisis export: seeker message, reply, evidence and ids defused; negative numbers stay numbers', () => {
    const probs = [0.9, 0.1, 0.6, 0.2, 0.7];
    fc.assert(
      fc.property(cellText, cellText, cellText, cellText, (seeker, reply, evidence, id) => {
        const points = crisisPoints({ probs, label: 0, pUnsafe: 0, truncated: false, droppedTurns: 0 });
        const table = crisisTable([{ id, seeker, reply, points, evidence: { empathy: [evidence] }, seekerRisk: -0.25 }], new Map(), 'm');
        const rows = cells(crisisCsv(table));
        const row = Object.fromEntries(CRISIS_COLUMNS.map((c, i) => [c, rows[1][i]]));
        expect(row.seeker_message).toBe(written(seeker));
        expect(row.reply).toBe(written(reply));
        expect(row.evidence_empathy).toBe(written(evidence));
        expect(row.item_id).toBe(written(id));
        expect(row.seeker_risk).toBe('-0.25');
        for (const [c, v] of Object.entries(row)) if (c !== 'seeker_risk') expect(DANGEROUS.some((d) => v.startsWith(d))).toBe(false);
      }),
      fuzzParams(),
    );
  });
});
