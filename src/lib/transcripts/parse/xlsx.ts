/**
 * XLSX via read-excel-file's `universal` build (MIT; fflate + a SAX parser),
 * which reads an ArrayBuffer in the browser main thread, a worker, and Node.
 * We read the first sheet only (or the named one) and then reuse table.ts:
 * known long-layout headers or a mapping → long layout, otherwise PsyCrisis pairs.
 */
import { unzipSync } from 'fflate';
import { readSheet } from 'read-excel-file/universal';
import { msg } from '../../i18n/msg.ts';
import { ImportError } from '../errors.ts';
import type { ParseResult } from '../model.ts';
import { isPairMapping, looksLikePairs, matchHeaders, parseLongTable, parsePairsTable, type TableMapping } from './table.ts';

export interface XlsxOptions {
  mapping?: TableMapping;
  /** Sheet name or 1-based number; default the first sheet. */
  sheet?: string | number;
}

function cellText(cell: unknown): string {
  if (cell === null || cell === undefined) return '';
  if (cell instanceof Date) return cell.toISOString();
  return String(cell);
}

/**
 * The most the XML parts of a workbook may unpack to. The reader inflates each part into a buffer of the size
 * the zip declares, so a small file that declares gigabytes (a zip bomb) would exhaust the tab's memory.
 * A real 200 MB workbook unpacks to well under this.
 */
export const MAX_XLSX_UNPACKED_BYTES = 1024 * 1024 * 1024;

/** Sum of the declared sizes of the parts the reader inflates (read-excel-file unpacks only .xml and .xml.rels). */
function unpackedSize(bytes: Uint8Array): number {
  let total = 0;
  // With a filter that returns false, fflate reads only the zip's central directory and inflates nothing.
  unzipSync(bytes, {
    filter: (entry) => {
      if (entry.name.endsWith('.xml') || entry.name.endsWith('.xml.rels')) total += entry.originalSize;
      return false;
    },
  });
  return total;
}

/**
 * The most cells (last row × last column referenced) a sheet may span. The reader builds a dense array of that
 * size, so one cell at XFD1048576 in a 1 KB file would allocate 17 billion slots and crash the tab.
 */
export const MAX_XLSX_CELLS = 20_000_000;

/** The largest row and column any ` r="B12"` / `<row r="12"` reference in the worksheet XML names, read from bytes. */
function sheetSpan(xml: Uint8Array): { rows: number; columns: number } {
  let rows = 0;
  let columns = 0;
  for (let i = xml.indexOf(0x72); i >= 0; i = xml.indexOf(0x72, i + 1)) {
    // ' r="' : a cell or row reference attribute.
    if (xml[i - 1] !== 0x20 || xml[i + 1] !== 0x3d || xml[i + 2] !== 0x22) continue;
    let j = i + 3;
    let column = 0;
    for (; xml[j] >= 0x41 && xml[j] <= 0x5a && column < 1e9; j++) column = column * 26 + (xml[j] - 0x40);
    let row = 0;
    for (; xml[j] >= 0x30 && xml[j] <= 0x39 && row < 1e12; j++) row = row * 10 + (xml[j] - 0x30);
    rows = Math.max(rows, row);
    columns = Math.max(columns, column);
  }
  return { rows, columns };
}

/** Refuses a workbook one of whose sheets spans more than MAX_XLSX_CELLS, before the reader allocates it. */
function checkSheetSpans(bytes: Uint8Array, file: string): void {
  const sheets = unzipSync(bytes, { filter: (e) => e.name.startsWith('xl/worksheets/') && e.name.endsWith('.xml') });
  for (const [name, xml] of Object.entries(sheets)) {
    const { rows, columns } = sheetSpan(xml);
    if (rows * Math.max(columns, 1) > MAX_XLSX_CELLS) {
      const sheetName = name.replace(/^xl\/worksheets\//, '');
      throw new ImportError(
        'too-large',
        file,
        msg('errXlsxSpan', { sheet: sheetName, rows, columns, limit: MAX_XLSX_CELLS.toLocaleString('en') }),
      );
    }
  }
}

/** Reads the sheet as rows of strings; a non-XLSX or corrupt file becomes ImportError('invalid-xlsx'). */
export async function xlsxRows(bytes: Uint8Array, file: string, sheet?: string | number): Promise<string[][]> {
  // Copy into a standalone ArrayBuffer: `bytes` may be a view into a larger buffer.
  const buffer = bytes.slice().buffer;
  let size: number;
  try {
    size = unpackedSize(bytes);
  } catch {
    throw new ImportError('invalid-xlsx', file, msg('errXlsxUnreadable'));
  }
  if (size > MAX_XLSX_UNPACKED_BYTES) {
    const mb = (n: number) => Math.round(n / 1024 / 1024);
    throw new ImportError('too-large', file, msg('errXlsxUnpacked', { size: mb(size), limit: mb(MAX_XLSX_UNPACKED_BYTES) }));
  }
  try {
    checkSheetSpans(bytes, file);
  } catch (e) {
    if (e instanceof ImportError) throw e;
    throw new ImportError('invalid-xlsx', file, msg('errXlsxUnreadable'));
  }
  try {
    const data = sheet === undefined ? await readSheet(buffer) : await readSheet(buffer, sheet);
    return data.map((row) => row.map(cellText));
  } catch {
    // The reader's own wording is English and internal; the code says what the user can do.
    throw new ImportError('invalid-xlsx', file, msg('errXlsxUnreadable'));
  }
}

export async function parseXlsx(bytes: Uint8Array, file: string, options: XlsxOptions = {}): Promise<ParseResult> {
  const rows = await xlsxRows(bytes, file, options.sheet);
  if (rows.every((r) => r.every((c) => c.trim() === ''))) {
    throw new ImportError('empty', file, msg('errSheetEmpty'));
  }
  if (isPairMapping(options.mapping)) return parsePairsTable(rows, file, 'xlsx', options.mapping);
  if (options.mapping) return parseLongTable(rows, file, 'xlsx', options.mapping);
  const known = matchHeaders(rows[0] ?? []);
  if (known.speaker !== undefined && known.text !== undefined) return parseLongTable(rows, file, 'xlsx');
  if (looksLikePairs(rows)) return parsePairsTable(rows, file, 'xlsx');
  throw new ImportError('missing-column', file, msg('errNotPairsNorLong'), msg('whereRow', { n: 1 }));
}
