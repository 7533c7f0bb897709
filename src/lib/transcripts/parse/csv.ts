/** CSV/TSV (delimiter auto-detected by papaparse) in the long layout; see table.ts. */
import Papa from 'papaparse';
import type { ParseResult, Skipped } from '../model.ts';
import { parseLongTable, type ColumnMapping } from './table.ts';

/** Raw rows of a CSV text, plus rows papaparse could not read cleanly. */
export function csvRows(text: string): { rows: string[][]; errors: Skipped[] } {
  const parsed = Papa.parse<string[]>(text, { skipEmptyLines: false });
  const errors = parsed.errors.map((e) => ({
    where: e.row === undefined ? 'file' : `row ${e.row + 1}`,
    reason: `CSV ${e.code}: ${e.message}`,
  }));
  // A trailing newline gives one empty row at the end; drop it so row counts match the file.
  const rows = parsed.data.filter((r, i) => !(i === parsed.data.length - 1 && r.length === 1 && r[0] === ''));
  return { rows, errors };
}

export function parseCsv(text: string, file: string, mapping?: ColumnMapping): ParseResult {
  const { rows, errors } = csvRows(text);
  const badRows = new Set(errors.map((e) => e.where));
  // Blank out rows papaparse flagged (e.g. an unterminated quote) so they are reported, not imported.
  const clean = rows.map((r, i) => (i > 0 && badRows.has(`row ${i + 1}`) ? [] : r));
  const result = parseLongTable(clean, file, 'csv', mapping);
  result.skipped = [...errors, ...result.skipped];
  return result;
}
