/**
 * One file holding several responders' replies: a table or records with a responder column, or the
 * PsyCrisis layout with one reply column per responder (A = seeker message, B, C, D… = replies).
 */
import { msg, type Msg } from '../i18n/msg.ts';
import { readLabel } from '../transcripts/labels.ts';
import type { FormatId, Turn } from '../transcripts/model.ts';
import { splitMarkedTurns } from '../transcripts/parse/dialogue-safety.ts';
import { PAIR_HEADERS } from '../transcripts/parse/table.ts';
import { normalizeSpeaker } from '../transcripts/speakers.ts';
import { columnLetter, CompareImportError, type CompareSkip, type Where } from './errors.ts';
import type { CompareContext, CompareParse, CompareReply } from './model.ts';

type Field = 'contextId' | 'turn' | 'context' | 'responder' | 'reply' | 'label';

/** Header names (and JSON keys), compared after lower-casing and removing spaces, '_' and '-'. */
export const COMPARE_ALIASES: Record<Field, readonly string[]> = {
  contextId: [
    'contextid',
    'promptid',
    'questionid',
    'dialogueid',
    'dialogid',
    'conversationid',
    'id',
    '编号',
    '对话id',
    '对话编号',
    '问题编号',
    '上下文id',
  ],
  turn: ['turn', 'turnindex', 'turnid', '轮次', '轮'],
  // A seeker-message column of the pairs layout, or a context column.
  context: ['context', '上下文', '对话', ...PAIR_HEADERS],
  responder: [
    'responder',
    'model',
    'bot',
    'chatbot',
    'system',
    'source',
    'assistant',
    'respondername',
    'modelname',
    '回复者',
    '模型',
    '机器人',
    '系统',
    '来源',
    '回复方',
    '应答者',
  ],
  reply: ['reply', 'response', 'answer', 'output', 'completion', '回复', '回答', '回应', '输出'],
  label: ['label', 'gold', 'goldlabel', 'class', '标签', '类别', '标注', '金标'],
};

export const norm = (s: string) =>
  s
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, '');

export function findColumns(header: readonly string[]): Partial<Record<Field, number>> {
  const cells = header.map(norm);
  const out: Partial<Record<Field, number>> = {};
  for (const f of Object.keys(COMPARE_ALIASES) as Field[]) {
    const i = cells.findIndex((c, j) => COMPARE_ALIASES[f].includes(c) && !Object.values(out).includes(j));
    if (i >= 0) out[f] = i;
  }
  return out;
}

/** A context cell: `[seeker]…[supporter]…` markers split into turns, otherwise one seeker message. */
export function contextTurns(text: string): Turn[] {
  const t = text.trim();
  if (/\[(seeker|supporter)\]/.test(t)) return splitMarkedTurns(t).map(({ speaker, text }) => ({ speaker, text }));
  return t === '' ? [] : [{ speaker: 'seeker', text: t }];
}

const contextKey = (turns: readonly Turn[]) => turns.map((t) => `${t.speaker}:${t.text.replace(/\s+/g, ' ').trim()}`).join('\n');

/**
 * Collects replies into contexts: an explicit context id when the file has one, otherwise contexts
 * with identical text share an id (c1, c2… in order of first appearance).
 */
class Collector {
  contexts: CompareContext[] = [];
  replies: CompareReply[] = [];
  responders: string[] = [];
  skipped: CompareSkip[] = [];
  #byKey = new Map<string, string>();
  #seen = new Set<string>();
  constructor(readonly file: string) {}

  add(r: { id?: string; turns: Turn[]; responder: string; reply: string; label?: unknown }, where: Where): void {
    const skip = (code: CompareSkip['code'], detail?: Msg): void => {
      this.skipped.push({ file: this.file, where, code, ...(detail ? { detail } : {}) });
    };
    if (r.reply.trim() === '') return skip('empty-reply');
    if (r.turns.length === 0) return skip('empty-context');
    if (r.responder.trim() === '') return skip('empty-responder');
    const label = readLabel(r.label);
    if (!label.ok) return skip('bad-label', label.reason);
    const key = r.id !== undefined && r.id.trim() !== '' ? `id:${r.id.trim()}` : `text:${contextKey(r.turns)}`;
    let contextId = this.#byKey.get(key);
    if (!contextId) {
      contextId = r.id?.trim() || `c${this.contexts.length + 1}`;
      this.#byKey.set(key, contextId);
      this.contexts.push({ id: contextId, turns: r.turns });
    }
    const responder = r.responder.trim();
    const pair = `${contextId}\u0000${responder}`;
    if (this.#seen.has(pair)) return skip('duplicate-reply');
    this.#seen.add(pair);
    if (!this.responders.includes(responder)) this.responders.push(responder);
    const reply: CompareReply = { contextId, responder, text: r.reply.trim() };
    if (label.label !== undefined) reply.label = label.label;
    this.replies.push(reply);
  }

  finish(mode: CompareParse['mode'], format: FormatId): CompareParse {
    if (this.replies.length === 0) {
      throw new CompareImportError('no-replies', this.file, `no reply could be read (${this.skipped.length} records skipped)`, {
        skipped: this.skipped.length,
      });
    }
    if (this.responders.length < 2) {
      throw new CompareImportError(
        'one-responder',
        this.file,
        `only one responder ("${this.responders[0]}"); a comparison needs two or more`,
        {
          responder: this.responders[0],
        },
      );
    }
    // Contexts whose every reply was skipped are dropped.
    const used = new Set(this.replies.map((r) => r.contextId));
    return {
      mode,
      format,
      contexts: this.contexts.filter((c) => used.has(c.id)),
      replies: this.replies,
      responders: this.responders,
      skipped: this.skipped,
    };
  }
}

/** A table with a responder column: one reply per row (context, responder, reply; optional id, turn, label). */
export function parseResponderTable(rows: string[][], file: string, format: FormatId): CompareParse {
  const header = rows[0] ?? [];
  const cols = findColumns(header);
  const found = header.map((h) => `"${h}"`).join(', ');
  if (cols.reply === undefined) {
    throw new CompareImportError(
      'no-reply-column',
      file,
      `no reply column (found ${found})`,
      { found, expected: COMPARE_ALIASES.reply.join(', ') },
      { unit: 'row', n: 1 },
    );
  }
  if (cols.context === undefined) {
    throw new CompareImportError(
      'no-context-column',
      file,
      `no context column (found ${found})`,
      { found, expected: COMPARE_ALIASES.context.join(', ') },
      { unit: 'row', n: 1 },
    );
  }
  const c = new Collector(file);
  const cell = (row: string[], i: number | undefined) => (i === undefined ? '' : (row[i] ?? '').trim());
  for (let r = 1; r < rows.length; r++) {
    const row = rows[r];
    if (row.every((x) => x.trim() === '')) continue;
    const id = cell(row, cols.contextId);
    const turn = cell(row, cols.turn);
    c.add(
      {
        id: id === '' ? undefined : turn === '' ? id : `${id}#${turn}`,
        turns: contextTurns(cell(row, cols.context)),
        responder: cell(row, cols.responder),
        reply: cell(row, cols.reply),
        label: cell(row, cols.label),
      },
      { unit: 'row', n: r + 1 },
    );
  }
  return c.finish('responder-column', format);
}

/** Whether row 1 of a sheet is a header: its first cell names the seeker-message column. */
export function hasReplyColumnsHeader(rows: readonly string[][]): boolean {
  return COMPARE_ALIASES.context.includes(norm(rows[0]?.[0] ?? ''));
}

/**
 * PsyCrisis layout with several reply columns: A = seeker message, B, C, D… = one responder each,
 * named by the header row (or by the column letter when there is none or a header cell is empty).
 */
export function parseReplyColumns(rows: string[][], file: string, format: FormatId): CompareParse {
  const header = hasReplyColumnsHeader(rows);
  const width = Math.max(0, ...rows.map((r) => r.length));
  const names = Array.from({ length: width }, (_, i) => (header ? (rows[0][i] ?? '').trim() : '') || columnLetter(i));
  const replyColumns = names.map((_, i) => i).filter((i) => i > 0 && rows.slice(header ? 1 : 0).some((r) => (r[i] ?? '').trim() !== ''));
  if (replyColumns.length < 2) {
    throw new CompareImportError(
      'few-reply-columns',
      file,
      `found ${replyColumns.length} reply column(s) after column A; a comparison needs two or more (B, C, …)`,
      {
        n: replyColumns.length,
      },
    );
  }
  const dup = replyColumns.find((i, k) => replyColumns.slice(0, k).some((j) => names[j] === names[i]));
  if (dup !== undefined) {
    throw new CompareImportError(
      'duplicate-responder',
      file,
      `two reply columns are named "${names[dup]}"`,
      { responder: names[dup] },
      { unit: 'row', n: 1, column: columnLetter(dup) },
    );
  }
  const c = new Collector(file);
  for (let r = header ? 1 : 0; r < rows.length; r++) {
    const row = rows[r];
    if (row.every((x) => x.trim() === '')) continue;
    const turns = contextTurns(row[0] ?? '');
    if (turns.length === 0) {
      c.skipped.push({ file, where: { unit: 'row', n: r + 1, column: 'A' }, code: 'empty-context' });
      continue;
    }
    for (const i of replyColumns) {
      c.add({ id: `row-${r + 1}`, turns, responder: names[i], reply: row[i] ?? '' }, { unit: 'row', n: r + 1, column: columnLetter(i) });
    }
  }
  return c.finish('reply-columns', format);
}

function field(o: Record<string, unknown>, f: Field): unknown {
  const key = Object.keys(o).find((k) => COMPARE_ALIASES[f].includes(norm(k)));
  return key === undefined ? undefined : o[key];
}

const text = (v: unknown) => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

/** `context` as a string (with or without markers) or an array of {role|speaker, content|text}. */
function recordTurns(v: unknown): Turn[] | undefined {
  if (typeof v === 'string') return contextTurns(v);
  if (!Array.isArray(v)) return undefined;
  const turns: Turn[] = [];
  for (const t of v) {
    if (!t || typeof t !== 'object') return undefined;
    const o = t as Record<string, unknown>;
    const speaker = normalizeSpeaker(o.role ?? o.speaker ?? o.from);
    const body = text(o.content ?? o.text ?? o.value).trim();
    if (!speaker) return undefined;
    if (body !== '') turns.push({ speaker, text: body });
  }
  return turns;
}

/** JSON/JSONL records with a responder field: {id?, turn?, context, responder, reply, label?}. */
export function parseResponderRecords(records: readonly { value: unknown; where: Where }[], file: string, format: FormatId): CompareParse {
  const c = new Collector(file);
  for (const { value, where } of records) {
    if (!value || typeof value !== 'object' || Array.isArray(value)) {
      c.skipped.push({ file, where, code: 'bad-record', detail: msg('skipNotObject') });
      continue;
    }
    const o = value as Record<string, unknown>;
    const turns = recordTurns(field(o, 'context'));
    if (!turns) {
      c.skipped.push({ file, where, code: 'bad-record', detail: msg('skipContextNotString') });
      continue;
    }
    const id = text(field(o, 'contextId'));
    const turn = text(field(o, 'turn'));
    c.add(
      {
        id: id === '' ? undefined : turn === '' ? id : `${id}#${turn}`,
        turns,
        responder: text(field(o, 'responder')),
        reply: text(field(o, 'reply')),
        label: field(o, 'label'),
      },
      where,
    );
  }
  return c.finish('responder-column', format);
}
