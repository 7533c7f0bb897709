/** JSON and JSONL entry points: parse with line/column errors, then dispatch on the data's shape. */
import { msg, type Msg } from '../../i18n/msg.ts';
import { ImportError } from '../errors.ts';
import type { ParseResult, Skipped } from '../model.ts';
import { chatDialogue, isChatRecord } from './chat.ts';
import { parseDialogueSafety } from './dialogue-safety.ts';
import { jsonErrorOffset } from './json-locate.ts';

/** 1-based line and column of a 0-based character offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

/** JSON.parse, but errors become ImportError('malformed-json') with a line and column. */
export function parseJsonStrict(text: string, file: string, lineOffset = 0): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const pos = /position (\d+)/.exec(message);
    const lc = /line (\d+) column (\d+)/.exec(message);
    let where: Msg;
    if (lc) where = msg('whereLineCol', { line: Number(lc[1]) + lineOffset, column: Number(lc[2]) });
    else {
      // V8 gives no position for some errors ("Unexpected token …"): find it ourselves, so every error says where.
      const at = pos ? Number(pos[1]) : jsonErrorOffset(text);
      const { line, column } = lineColumn(text, at < 0 ? 0 : at);
      where = msg('whereLineCol', { line: line + lineOffset, column });
    }
    // The engine's wording is English only: the zh message leaves it out, `where` says where.
    // V8 appends its own position to the message; ours is in `where`, so drop it.
    const detail = message.replace(/\s*(in JSON )?at position \d+.*$/, '');
    throw new ImportError('malformed-json', file, msg('errMalformedJson', { detail }), where);
  }
}

function isDialogueSafetyRecord(x: unknown): boolean {
  return x !== null && typeof x === 'object' && ('context' in x || 'response' in x);
}

/** A `.json` file: a DialogueSafety array, a chat array, or a single chat object. */
export function parseJsonFile(text: string, file: string): ParseResult {
  const data = parseJsonStrict(text, file);
  const records = Array.isArray(data) ? data : [data];
  const first = records.find((r) => r !== null && typeof r === 'object');
  if (isDialogueSafetyRecord(first)) return parseDialogueSafety(records, file);
  if (first && isChatRecord(first)) return parseChatRecords(records, 'chat-json', (i) => msg('whereItem', { n: i + 1 }));
  throw new ImportError('unknown-format', file, msg('errJsonNeither'));
}

function parseChatRecords(records: unknown[], format: 'chat-json' | 'chat-jsonl', where: (i: number) => Msg): ParseResult {
  const result: ParseResult = { dialogues: [], skipped: [], format };
  records.forEach((record, i) => {
    const r = chatDialogue(record, i);
    if ('reason' in r) result.skipped.push({ where: where(i), reason: r.reason });
    else result.dialogues.push(r);
  });
  return result;
}

/** JSONL: one chat dialogue per line. Bad lines are skipped; a file with no good line is an error. */
export function parseJsonl(text: string, file: string): ParseResult {
  const lines = text.split(/\r?\n/);
  const records: unknown[] = [];
  const lineNumbers: number[] = [];
  const skipped: Skipped[] = [];
  let firstError: ImportError | undefined;
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    try {
      records.push(parseJsonStrict(line, file, i));
      lineNumbers.push(i + 1);
    } catch (e) {
      if (!(e instanceof ImportError)) throw e;
      firstError ??= e;
      skipped.push({ where: e.where ?? msg('whereLine', { n: i + 1 }), reason: e.detail });
    }
  });
  if (records.length === 0 && firstError) throw firstError;
  const result = isDialogueSafetyRecord(records[0])
    ? relabel(parseDialogueSafety(records, file), lineNumbers)
    : parseChatRecords(records, 'chat-jsonl', (i) => msg('whereLine', { n: lineNumbers[i] }));
  result.skipped = [...skipped, ...result.skipped].sort((a, b) => lineOf(a) - lineOf(b));
  return result;
}

/** DialogueSafety records one per line: same parser, but skipped records are reported by line. */
function relabel(result: ParseResult, lineNumbers: number[]): ParseResult {
  const skipped = result.skipped.map((s) =>
    s.where.key === 'whereItem' ? { ...s, where: msg('whereLine', { n: lineNumbers[Number(s.where.params?.n) - 1] }) } : s,
  );
  return { ...result, skipped };
}

function lineOf(s: Skipped): number {
  const p = s.where.params;
  return Number(p?.line ?? p?.n ?? 0);
}
