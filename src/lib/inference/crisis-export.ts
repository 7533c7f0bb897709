/**
 * Crisis results as a table in the PsyCrisis layout: column A the seeker's message, column B the
 * reply (as PsyCrisis-Bench's sheets have them), then our columns: the five points, the total, the
 * evidence spans per dimension, the reviewer's verdicts, the threshold and the model. Pure: the
 * same table goes to CSV or to XLSX (write-excel-file, see src/lib/transcripts/README.md).
 */
import Papa from 'papaparse';
import { FORMULA_START } from '../transcripts/export/formula.ts';
import { CRISIS_DIMENSIONS, type CrisisPoints } from './crisis.ts';
import { markKey, type MarkBook } from './crisis-review.ts';

export interface CrisisExportItem {
  id: string;
  seeker: string;
  reply: string;
  points: CrisisPoints;
  /** Per dimension, the evidence spans' text (empty when not computed or the point is 0). */
  evidence?: Partial<Record<(typeof CRISIS_DIMENSIONS)[number], string[]>>;
  /** P(risk) of the seeker's message from the seeker-risk model, when scored. */
  seekerRisk?: number;
}

export const CRISIS_COLUMNS = [
  'seeker_message',
  'reply',
  ...CRISIS_DIMENSIONS,
  'total',
  ...CRISIS_DIMENSIONS.map((d) => `evidence_${d}`),
  ...CRISIS_DIMENSIONS.map((d) => `review_${d}`),
  ...CRISIS_DIMENSIONS.map((d) => `p_${d}`),
  'seeker_risk',
  'threshold',
  'item_id',
  'model_id',
  'reviewer',
  'reviewed_at',
  'review_blind',
] as const;

/** Who made the marks, and when each item was last marked (from the review audit log). */
export interface CrisisReviewInfo {
  reviewer: string;
  /** Item id → epoch ms of the latest crisis mark. */
  at: ReadonlyMap<string, number>;
}

/** Header row + one row per item, cells in CRISIS_COLUMNS order. */
export function crisisTable(
  items: readonly CrisisExportItem[],
  marks: MarkBook,
  modelId: string,
  review?: CrisisReviewInfo,
): (string | number)[][] {
  const rows = items.map((it) => {
    const at = review?.at.get(it.id);
    return [
      it.seeker,
      it.reply,
      ...it.points.points,
      it.points.total,
      ...CRISIS_DIMENSIONS.map((d) => (it.evidence?.[d] ?? []).join(' | ')),
      ...CRISIS_DIMENSIONS.map((d) => marks.get(markKey(it.id, d))?.verdict ?? ''),
      ...it.points.probs.map((p) => Number(p.toFixed(4))),
      it.seekerRisk === undefined ? '' : Number(it.seekerRisk.toFixed(4)),
      it.points.threshold,
      it.id,
      modelId,
      at === undefined ? '' : review!.reviewer,
      at === undefined ? '' : new Date(at).toISOString(),
      // Crisis marks are always made with the model's points in view.
      at === undefined ? '' : 'false',
    ];
  });
  return [[...CRISIS_COLUMNS], ...rows];
}

/** CSV with a BOM (Excel reads Chinese correctly) and formula-looking cells escaped. */
export function crisisCsv(table: (string | number)[][]): string {
  return '\uFEFF' + Papa.unparse(table, { escapeFormulae: FORMULA_START, newline: '\r\n' }) + '\r\n';
}

/** Column widths (characters) for the XLSX sheet: the two text columns wide, the rest narrow. */
const XLSX_WIDTHS = CRISIS_COLUMNS.map((c) => (c === 'seeker_message' || c === 'reply' ? 50 : c.startsWith('evidence_') ? 30 : 12));

/**
 * The table as an .xlsx file: one sheet "crisis", header row bold and frozen. Text cells are written
 * as strings, so a reply that starts with "=" stays text in Excel. The writer (write-excel-file,
 * MIT) is loaded only when someone exports XLSX.
 */
export async function crisisXlsx(table: (string | number)[][]): Promise<Blob> {
  const { default: writeXlsxFile } = await import('write-excel-file/universal');
  const data = table.map((row, r) =>
    row.map((value) =>
      typeof value === 'number' ? { value, type: Number } : { value, type: String, ...(r === 0 ? { fontWeight: 'bold' as const } : {}) },
    ),
  );
  return writeXlsxFile(data, { sheet: 'crisis', stickyRowsCount: 1, columns: XLSX_WIDTHS.map((width) => ({ width })) }).toBlob();
}
