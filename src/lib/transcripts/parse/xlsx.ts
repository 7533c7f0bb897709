/**
 * XLSX via read-excel-file's `universal` build (MIT; fflate + a SAX parser),
 * which reads an ArrayBuffer in the browser main thread, a worker, and Node.
 * We read the first sheet only (or the named one) and then reuse table.ts:
 * known long-layout headers or a mapping → long layout, otherwise PsyCrisis pairs.
 */
import { readSheet } from 'read-excel-file/universal';
import { ImportError } from '../errors.ts';
import type { ParseResult } from '../model.ts';
import { looksLikePairs, matchHeaders, parseLongTable, parsePairsTable, type ColumnMapping } from './table.ts';

export interface XlsxOptions {
  mapping?: ColumnMapping;
  /** Sheet name or 1-based number; default the first sheet. */
  sheet?: string | number;
}

function cellText(cell: unknown): string {
  if (cell === null || cell === undefined) return '';
  if (cell instanceof Date) return cell.toISOString();
  return String(cell);
}

/** Reads the sheet as rows of strings; a non-XLSX or corrupt file becomes ImportError('invalid-xlsx'). */
export async function xlsxRows(bytes: Uint8Array, file: string, sheet?: string | number): Promise<string[][]> {
  // Copy into a standalone ArrayBuffer: `bytes` may be a view into a larger buffer.
  const buffer = bytes.slice().buffer;
  try {
    const data = sheet === undefined ? await readSheet(buffer) : await readSheet(buffer, sheet);
    return data.map((row) => row.map(cellText));
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw new ImportError('invalid-xlsx', file, `cannot read this spreadsheet (${why})`);
  }
}

export async function parseXlsx(bytes: Uint8Array, file: string, options: XlsxOptions = {}): Promise<ParseResult> {
  const rows = await xlsxRows(bytes, file, options.sheet);
  if (rows.every((r) => r.every((c) => c.trim() === ''))) {
    throw new ImportError('empty', file, 'the sheet has no cells with text');
  }
  if (options.mapping) return parseLongTable(rows, file, 'xlsx', options.mapping);
  const known = matchHeaders(rows[0] ?? []);
  if (known.speaker !== undefined && known.text !== undefined) return parseLongTable(rows, file, 'xlsx');
  if (looksLikePairs(rows)) return parsePairsTable(rows, file, 'xlsx');
  throw new ImportError(
    'missing-column',
    file,
    'the columns are neither A = message, B = reply nor known dialogue/speaker/text headers; choose the columns by hand',
    'row 1',
  );
}
