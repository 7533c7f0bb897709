/** CSV/TSV (delimiter auto-detected by papaparse) in the long layout; see table.ts. */
import Papa from 'papaparse';
import { msg, type Msg } from '../../i18n/msg.ts';
import type { ParseResult, Skipped } from '../model.ts';
import {
  isPairMapping,
  looksLikePairHeader,
  looksLikePairs,
  matchHeaders,
  parseLongTable,
  parsePairsTable,
  type TableMapping,
} from './table.ts';

/** Raw rows of a CSV text, plus rows papaparse could not read cleanly. */
export function csvRows(text: string): { rows: string[][]; errors: Skipped[] } {
  const parsed = Papa.parse<string[]>(text, { skipEmptyLines: false });
  // "Unable to auto-detect delimiting character; defaulted to ','": a note on a one-column or tiny file, no record lost.
  const errors = parsed.errors
    .filter((e) => e.code !== 'UndetectableDelimiter')
    .map((e) => ({
      where: e.row === undefined ? msg('whereFile') : msg('whereRow', { n: e.row + 1 }),
      reason: csvReason(e.code),
    }));
  // A trailing newline gives one empty row at the end; drop it so row counts match the file.
  const rows = parsed.data.filter((r, i) => !(i === parsed.data.length - 1 && r.length === 1 && r[0] === ''));
  return { rows, errors };
}

/**
 * Long layout when the headers say dialogue/speaker/text (or a mapping does); otherwise, as for
 * XLSX, a two-column message/reply sheet (e.g. 问题,回答) is read as pairs.
 */
export function parseCsv(text: string, file: string, mapping?: TableMapping): ParseResult {
  const { rows, errors } = csvRows(text);
  const badRows = new Set(errors.flatMap((e) => (e.where.key === 'whereRow' ? [Number(e.where.params?.n)] : [])));
  // Blank out rows papaparse flagged (e.g. an unterminated quote) so they are reported, not imported.
  const clean = rows.map((r, i) => (i > 0 && badRows.has(i + 1) ? [] : r));
  // Pairs only when nothing says long layout: a pairs header (问题, question…) without a speaker
  // column, or no known header at all and nothing past column B but labels.
  const known = matchHeaders(clean[0] ?? []);
  const pairsHeader = known.speaker === undefined && looksLikePairHeader(clean[0] ?? []);
  const pairs = isPairMapping(mapping) || (!mapping && (pairsHeader || (Object.keys(known).length === 0 && looksLikePairs(clean))));
  const result = pairs
    ? parsePairsTable(clean, file, 'csv', isPairMapping(mapping) ? mapping : undefined)
    : parseLongTable(clean, file, 'csv', isPairMapping(mapping) ? undefined : mapping);
  result.skipped = [...errors, ...result.skipped];
  return result;
}

/** papaparse's error codes as messages (its own texts are English only). */
function csvReason(code: string): Msg {
  if (code === 'MissingQuotes') return msg('csvMissingQuotes');
  if (code === 'InvalidQuotes') return msg('csvInvalidQuotes');
  if (code === 'TooFewFields') return msg('csvTooFewFields');
  if (code === 'TooManyFields') return msg('csvTooManyFields');
  return msg('csvError', { code });
}
