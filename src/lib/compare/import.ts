/**
 * The comparison import's entry points. Pure apart from XLSX being async: bytes in, a CompareParse
 * out, nothing stored. Size, encoding and XLSX reading reuse the transcripts layer, so its errors
 * (ImportError with a code) reach the UI as they do for an ordinary import.
 */
import { decodeText } from '../transcripts/decode.ts';
import { detectBinary } from '../transcripts/detect.ts';
import { assertImportSize, parseFile, type ImportOptions } from '../transcripts/import.ts';
import type { FormatId } from '../transcripts/model.ts';
import { csvRows } from '../transcripts/parse/csv.ts';
import { parseJsonStrict } from '../transcripts/parse/json.ts';
import { CompareImportError, type Where } from './errors.ts';
import { checkResponderFiles, matchResponderFiles, type MatchBy } from './match.ts';
import type { CompareParse } from './model.ts';
import { findColumns, parseReplyColumns, parseResponderRecords, parseResponderTable } from './single.ts';

/**
 * One file holding every responder. CSV/XLSX: a responder column → one reply per row; otherwise the
 * PsyCrisis layout with several reply columns. JSON/JSONL: records with a responder field.
 */
export async function parseCompareFile(name: string, bytes: Uint8Array): Promise<CompareParse> {
  assertImportSize(name, bytes.byteLength);
  if (detectBinary(name, bytes) === 'xlsx') {
    const { xlsxRows } = await import('../transcripts/parse/xlsx.ts');
    return fromRows(await xlsxRows(bytes, name), name, 'xlsx');
  }
  const { text } = decodeText(bytes, name);
  const head = text.trimStart();
  if (head.startsWith('[') || head.startsWith('{')) return fromJson(text, name);
  return fromRows(csvRows(text).rows, name, 'csv');
}

function fromRows(rows: string[][], name: string, format: FormatId): CompareParse {
  const cols = findColumns(rows[0] ?? []);
  if (cols.responder !== undefined) return parseResponderTable(rows, name, format);
  return parseReplyColumns(rows, name, format);
}

function fromJson(text: string, name: string): CompareParse {
  const lines = text.split(/\r?\n/);
  const nonEmpty = lines.filter((l) => l.trim() !== '');
  // JSONL when every non-empty line is an object on its own; otherwise one JSON document.
  const jsonl = nonEmpty.length > 1 && nonEmpty.every((l) => l.trim().startsWith('{') && l.trim().endsWith('}'));
  if (jsonl) {
    const records: { value: unknown; where: Where }[] = [];
    lines.forEach((l, i) => {
      if (l.trim() !== '') records.push({ value: parseJsonStrict(l, name, i), where: { unit: 'line', n: i + 1 } });
    });
    return parseResponderRecords(records, name, 'chat-jsonl');
  }
  const data = parseJsonStrict(text, name);
  if (!Array.isArray(data))
    throw new CompareImportError('not-records', name, 'expected a JSON array of {context, responder, reply} records');
  return parseResponderRecords(
    data.map((value, i) => ({ value, where: { unit: 'item' as const, n: i + 1 } })),
    name,
    'chat-json',
  );
}

/** One file per responder, each read by the ordinary importers, then matched (see match.ts). */
export async function parseResponderFiles(
  files: readonly { name: string; bytes: Uint8Array }[],
  by?: MatchBy,
  options: ImportOptions = {},
): Promise<CompareParse> {
  checkResponderFiles(files.map((f) => f.name));
  const parsed = [];
  for (const f of files) parsed.push({ name: f.name, result: await parseFile(f.name, f.bytes, options) });
  return matchResponderFiles(parsed, by);
}

export { matchResponderFiles, type MatchBy } from './match.ts';
