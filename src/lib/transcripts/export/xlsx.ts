/**
 * XLSX export of the 8-class results: the CSV's columns in the CSV's order (model label, probabilities,
 * reviewer label, note, reviewer, time, blind flag, final label), one sheet, header bold and frozen.
 *
 * Formula injection: where the CSV writer prefixes text that starts with = + - @ tab or CR with a quote
 * (formula.ts), here every text value is written as a string cell (t="s", a shared string) and never as a
 * formula (<f>), so Excel or LibreOffice shows "=HYPERLINK(…)" as text and evaluates nothing. The text
 * is kept exactly as it was, with no quote added. Numbers stay number cells; true/false are written as
 * the same text as in the CSV. The writer (write-excel-file, MIT) is loaded only when someone exports XLSX.
 */
import type { ScoredItem } from '../model.ts';
import { CSV_COLUMNS, exportTable } from './csv.ts';
import type { ExportMeta, Provenance } from './rows.ts';

/** Column widths (characters): the two text columns wide, the note and ids medium, the rest narrow. */
const WIDTHS = CSV_COLUMNS.map((c) =>
  c === 'context' || c === 'response' ? 50 : c === 'review_note' || c === 'item_id' || c === 'dataset' || c === 'model_id' ? 24 : 12,
);

export const XLSX_SHEET = 'xinan';

export async function exportXlsx(items: readonly ScoredItem[], provenance: Provenance, meta: ExportMeta): Promise<Blob> {
  const { default: writeXlsxFile } = await import('write-excel-file/universal');
  const header = CSV_COLUMNS.map((value) => ({ value, type: String, fontWeight: 'bold' as const }));
  const body = exportTable(items, provenance, meta).map((row) =>
    row.map((value) =>
      // No value, empty text or a non-finite number (no XLSX form): an empty cell, as the CSV's empty field.
      value === null || value === '' || (typeof value === 'number' && !Number.isFinite(value))
        ? null
        : typeof value === 'number'
          ? { value, type: Number }
          : { value, type: String },
    ),
  );
  return writeXlsxFile([header, ...body], {
    sheet: XLSX_SHEET,
    stickyRowsCount: 1,
    columns: WIDTHS.map((width) => ({ width })),
  }).toBlob();
}
