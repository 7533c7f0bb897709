/**
 * The one entry point the app uses to read a file or pasted text into dialogues.
 * Pure apart from XLSX being async: no storage, no DOM. Errors that make the
 * whole file unusable throw ImportError; bad records are listed in `skipped`.
 */
import { msg } from '../i18n/msg.ts';
import { decodeText, type TextEncodingName } from './decode.ts';
import { detectBinary, detectTextFormat } from './detect.ts';
import { ImportError } from './errors.ts';
import type { Dialogue, FormatId, ParseResult } from './model.ts';
import { csvRows, parseCsv } from './parse/csv.ts';
import { parseJsonFile, parseJsonl } from './parse/json.ts';
import type { TableMapping } from './parse/table.ts';
import { parseText } from './parse/text.ts';

/** Files above this are refused before they are read (the whole file must fit in memory twice). */
export const MAX_IMPORT_BYTES = 200 * 1024 * 1024;

export interface ImportOptions {
  /** Column mapping for CSV/XLSX whose headers are not recognised. */
  mapping?: TableMapping;
  /** XLSX sheet name or 1-based number. */
  sheet?: string | number;
  /** Skip detection (e.g. the user picked the format by hand). */
  format?: FormatId;
  maxBytes?: number;
}

export interface ImportResult extends ParseResult {
  /** Text encoding used, for text formats. */
  encoding?: TextEncodingName;
}

/** Call with `file.size` before reading a File, so a huge file fails fast with a clear message. */
export function assertImportSize(name: string, size: number, maxBytes = MAX_IMPORT_BYTES): void {
  if (size > maxBytes) {
    const mb = (n: number) => Math.round(n / 1024 / 1024);
    throw new ImportError('too-large', name, msg('errTooLarge', { size: mb(size), limit: mb(maxBytes) }));
  }
  if (size === 0) throw new ImportError('empty', name, msg('errFileEmpty'));
}

/** Parses decoded text (a file's or pasted) in the given or detected format. */
export function parseTextInput(name: string, text: string, options: ImportOptions = {}): ParseResult {
  if (text.trim() === '') throw new ImportError('empty', name, msg('errFileBlank'));
  const format = options.format ?? detectTextFormat(name, text);
  let result: ParseResult;
  if (format === 'chat-jsonl') result = parseJsonl(text, name);
  else if (format === 'dialoguesafety-json' || format === 'chat-json') result = parseJsonFile(text, name);
  else if (format === 'csv') result = parseCsv(text, name, options.mapping);
  else if (format === 'text') result = parseText(text, name);
  else throw new ImportError('unknown-format', name, msg('errNeedsBytes', { format }));
  return finish(name, result);
}

/** Reads a whole file: size guard, binary sniffing, text decoding, detection, parsing. */
export async function parseFile(name: string, bytes: Uint8Array, options: ImportOptions = {}): Promise<ImportResult> {
  assertImportSize(name, bytes.byteLength, options.maxBytes);
  const binary = options.format === 'xlsx' ? 'xlsx' : options.format ? undefined : detectBinary(name, bytes);
  if (binary === 'xlsx') {
    // Loaded on demand: the XLSX reader is most of this layer's bundle size and most imports are text.
    const { parseXlsx } = await import('./parse/xlsx.ts');
    return finish(name, await parseXlsx(bytes, name, options));
  }
  const { text, encoding } = decodeText(bytes, name);
  return { ...parseTextInput(name, text, options), encoding };
}

/** Makes dialogue ids unique (item ids are built from them) and refuses a file with nothing usable. */
function finish(name: string, result: ParseResult): ParseResult {
  if (result.dialogues.length === 0) {
    const first = result.skipped[0];
    const detail = first
      ? msg('errNoDialoguesSkipped', { n: result.skipped.length, first: msg('whereIs', { where: first.where, reason: first.reason }) })
      : msg('errNoDialogues');
    throw new ImportError('no-dialogues', name, detail);
  }
  result.dialogues = uniqueIds(result.dialogues);
  return result;
}

function uniqueIds(dialogues: Dialogue[]): Dialogue[] {
  const seen = new Map<string, number>();
  return dialogues.map((d) => {
    const n = (seen.get(d.id) ?? 0) + 1;
    seen.set(d.id, n);
    return n === 1 ? d : { ...d, id: `${d.id}#${n}` };
  });
}

/**
 * The first rows of a CSV or XLSX file as cells, for the column-mapping step the UI
 * shows when `parseFile` throws ImportError('missing-column').
 */
export async function previewTable(
  name: string,
  bytes: Uint8Array,
  options: { rows?: number; sheet?: string | number } = {},
): Promise<string[][]> {
  assertImportSize(name, bytes.byteLength);
  const limit = options.rows ?? 6;
  if (detectBinary(name, bytes) === 'xlsx') {
    const { xlsxRows } = await import('./parse/xlsx.ts');
    return (await xlsxRows(bytes, name, options.sheet)).slice(0, limit);
  }
  return csvRows(decodeText(bytes, name).text).rows.slice(0, limit);
}
