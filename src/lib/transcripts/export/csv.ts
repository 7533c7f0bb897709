/**
 * CSV export with a UTF-8 BOM: without it Excel on Windows reads the file as
 * the ANSI code page and Chinese becomes mojibake. papaparse's `escapeFormulae`
 * prefixes cells starting with = + - @ with a quote, so a transcript cannot
 * become a spreadsheet formula (CSV injection).
 */
import Papa from 'papaparse';
import { LABELS } from '../../taxonomy.ts';
import type { ScoredItem } from '../model.ts';
import { FORMULA_START } from './formula.ts';
import { toExportRow, type ExportMeta, type Provenance } from './rows.ts';

const BOM = '\uFEFF';
const PROB_COLUMNS = LABELS.map((_, i) => `p_${i}`);

export const CSV_COLUMNS = [
  'dataset',
  'dialogue_id',
  'turn_index',
  'item_id',
  'context',
  'response',
  'gold_label',
  'gold_label_name',
  'pred_label',
  'pred_label_name',
  'pred_label_zh',
  'unsafe',
  'p_unsafe',
  'unsafe_threshold',
  ...PROB_COLUMNS,
  'truncated',
  'dropped_turns',
  'model_id',
  'model_sha256',
  'app_version',
  'review_label',
  'review_label_name',
  'review_unsure',
  'review_note',
  'reviewer',
  'reviewed_at',
  'review_blind',
  'final_label',
] as const;

/**
 * The rows every tabular export writes, in CSV_COLUMNS order: numbers as numbers, true/false as text,
 * null where there is no value (not scored, not reviewed).
 */
export function exportTable(items: readonly ScoredItem[], provenance: Provenance, meta: ExportMeta): (string | number | null)[][] {
  return items.map((si) => {
    const { probs, ...row } = toExportRow(meta.datasetName, si, provenance);
    const probCells = Object.fromEntries(PROB_COLUMNS.map((c, i) => [c, probs ? probs[i] : null]));
    const r = { ...row, ...probCells };
    return CSV_COLUMNS.map((c) => cell(r[c as keyof typeof r]));
  });
}

export function exportCsv(items: readonly ScoredItem[], provenance: Provenance, meta: ExportMeta): string {
  const data = exportTable(items, provenance, meta).map((row) => row.map((v) => v ?? ''));
  const body = Papa.unparse(
    { fields: [...CSV_COLUMNS], data },
    // Our own pattern: papaparse's default (/^[=+\-@\t\r].*$/) has no `s` flag, so it
    // misses multi-line cells that start with '='.
    { escapeFormulae: FORMULA_START, newline: '\r\n' },
  );
  return BOM + body + '\r\n';
}

function cell(v: unknown): string | number | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return v as string | number;
}
