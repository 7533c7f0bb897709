/**
 * Guess the format from the file name and the first bytes. The extension wins
 * when it is specific; otherwise we sniff. The JSON parsers re-check the shape,
 * so a wrong guess between the two JSON kinds is corrected there.
 */
import { msg } from '../i18n/msg.ts';
import { ImportError } from './errors.ts';
import type { FormatId } from './model.ts';
import { looksLikeTranscript } from './parse/text.ts';
import { matchHeaders } from './parse/table.ts';
import { csvRows } from './parse/csv.ts';

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
const OLE_MAGIC = [0xd0, 0xcf, 0x11, 0xe0];

function startsWith(bytes: Uint8Array, magic: number[]): boolean {
  return magic.every((b, i) => bytes[i] === b);
}

function extension(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot < 0 ? '' : name.slice(dot + 1).toLowerCase();
}

/** Binary formats are recognised from bytes alone, before any text decoding. */
export function detectBinary(name: string, bytes: Uint8Array): 'xlsx' | undefined {
  if (startsWith(bytes, OLE_MAGIC) || extension(name) === 'xls') {
    throw new ImportError('unknown-format', name, msg('errOldXls'));
  }
  if (startsWith(bytes, ZIP_MAGIC) || extension(name) === 'xlsx') return 'xlsx';
  return undefined;
}

function jsonKind(text: string): FormatId {
  const head = text.slice(0, 4096);
  if (/"messages"\s*:/.test(head)) return 'chat-json';
  return /"(context|response)"\s*:/.test(head) ? 'dialoguesafety-json' : 'chat-json';
}

function looksLikeJsonl(text: string): boolean {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  return lines.length > 1 && lines.every((l) => l.trimStart().startsWith('{') && l.trimEnd().endsWith('}'));
}

/** Sniffing for names without a telling extension (and for pasted text). */
function sniff(name: string, text: string): FormatId {
  const trimmed = text.trimStart();
  if (looksLikeJsonl(text)) return 'chat-jsonl';
  if (trimmed.startsWith('[') && !looksLikeTranscript(text)) return jsonKind(text);
  if (trimmed.startsWith('{')) return jsonKind(text);
  if (looksLikeTranscript(text)) return 'text';
  const firstLine = trimmed.split(/\r?\n/, 1)[0];
  const header = csvRows(firstLine).rows[0] ?? [];
  const known = matchHeaders(header);
  if (header.length > 1 && known.speaker !== undefined && known.text !== undefined) return 'csv';
  throw new ImportError('unknown-format', name, msg('errUnknownFormat'));
}

/** The format of a decoded text file. */
export function detectTextFormat(name: string, text: string): FormatId {
  switch (extension(name)) {
    case 'jsonl':
    case 'ndjson':
      return 'chat-jsonl';
    case 'json':
      // Chat exports are often JSON Lines saved with a .json name.
      return looksLikeJsonl(text) ? 'chat-jsonl' : jsonKind(text);
    case 'csv':
    case 'tsv':
      return 'csv';
    case 'txt':
    case 'md':
      return 'text';
    default:
      return sniff(name, text);
  }
}
