/**
 * Rows of cells (from CSV or a spreadsheet) → dialogues. Two layouts:
 * - long: one turn per row, with dialogue id / speaker / text (/ label) columns,
 *   found by header aliases or given by a ColumnMapping the UI collects;
 * - pairs (PsyCrisis): column A the seeker's message, column B the reply, one dialogue per row.
 */
import { msg, type Msg } from '../../i18n/msg.ts';
import { quoteValue } from '../describe.ts';
import { ImportError } from '../errors.ts';
import { readLabel } from '../labels.ts';
import type { Dialogue, DialogueTurn, FormatId, ParseResult } from '../model.ts';
import { normalizeSpeaker } from '../speakers.ts';

/** A column, by header name or by 0-based index. */
export type ColumnRef = string | number;

/** Which column holds what, for files whose headers we do not recognise. */
export interface ColumnMapping {
  /** Rows with the same id form one dialogue; without it the whole table is one dialogue. */
  dialogueId?: ColumnRef;
  speaker: ColumnRef;
  text: ColumnRef;
  label?: ColumnRef;
  /** Whether row 1 is a header row (default true). */
  hasHeader?: boolean;
}

/** Pairs layout by hand: one row = the seeker's message and the reply to it (e.g. 问题 / 回答 columns). */
export interface PairMapping {
  layout: 'pairs';
  seeker: ColumnRef;
  reply: ColumnRef;
  label?: ColumnRef;
  /** Whether row 1 is a header row (default true). */
  hasHeader?: boolean;
}

/** What the mapping step can say: one turn per row, or one message/reply pair per row. */
export type TableMapping = ColumnMapping | PairMapping;

export function isPairMapping(m: TableMapping | undefined): m is PairMapping {
  return m !== undefined && 'layout' in m && m.layout === 'pairs';
}

type Field = 'dialogueId' | 'speaker' | 'text' | 'label';

const FIELD_NAMES: Record<Field | 'seeker' | 'reply', Msg> = {
  seeker: msg('fieldSeeker'),
  reply: msg('fieldReply'),
  dialogueId: msg('fieldDialogueId'),
  speaker: msg('fieldSpeaker'),
  text: msg('fieldText'),
  label: msg('fieldLabel'),
};

/** Header names we recognise, compared after lower-casing and removing spaces, '_' and '-'. */
export const HEADER_ALIASES: Record<Field, readonly string[]> = {
  dialogueId: [
    'dialogueid',
    'dialogid',
    'conversationid',
    'sessionid',
    'convid',
    'id',
    '对话id',
    '对话编号',
    '会话id',
    '会话编号',
    '对话',
    '会话',
    '编号',
  ],
  speaker: ['speaker', 'role', 'from', 'sender', 'author', '说话人', '角色', '发言人', '说话者', '身份'],
  text: ['text', 'content', 'message', 'utterance', 'value', '内容', '文本', '话语', '发言', '发言内容', '消息', '对话内容'],
  label: ['label', 'gold', 'goldlabel', 'class', '标签', '类别', '标注', '金标'],
};

const norm = (s: string) =>
  s
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, '');

/** Finds known columns in a header row; fields not found are absent. */
export function matchHeaders(header: readonly string[]): Partial<Record<Field, number>> {
  const found: Partial<Record<Field, number>> = {};
  const cells = header.map(norm);
  for (const field of Object.keys(HEADER_ALIASES) as Field[]) {
    const i = cells.findIndex((c) => HEADER_ALIASES[field].includes(c));
    if (i >= 0) found[field] = i;
  }
  return found;
}

function resolve(
  ref: ColumnRef | undefined,
  header: readonly string[],
  file: string,
  what: Field | 'seeker' | 'reply',
): number | undefined {
  if (ref === undefined) return undefined;
  const i = typeof ref === 'number' ? ref : header.findIndex((h) => norm(h) === norm(ref));
  if (i < 0 || (typeof ref === 'number' && !Number.isInteger(ref))) {
    throw new ImportError(
      'missing-column',
      file,
      msg('errColumnNotInHeader', { field: FIELD_NAMES[what], ref: quoteValue(ref) }),
      msg('whereRow', { n: 1 }),
    );
  }
  return i;
}

/** Column indices for the long layout, or ImportError('missing-column') naming what is missing. */
export function resolveColumns(rows: string[][], file: string, mapping?: ColumnMapping) {
  const header = rows[0] ?? [];
  const cols = mapping
    ? {
        dialogueId: resolve(mapping.dialogueId, header, file, 'dialogueId'),
        speaker: resolve(mapping.speaker, header, file, 'speaker'),
        text: resolve(mapping.text, header, file, 'text'),
        label: resolve(mapping.label, header, file, 'label'),
      }
    : matchHeaders(header);
  for (const field of ['speaker', 'text'] as const) {
    if (cols[field] === undefined) {
      const seen =
        header
          .slice(0, 8)
          .map((h) => quoteValue(h, 20))
          .join(', ') + (header.length > 8 ? `, … (${header.length})` : '');
      const detail = msg('errNoColumn', { field: FIELD_NAMES[field], seen, aliases: HEADER_ALIASES[field].join(', ') });
      throw new ImportError('missing-column', file, detail, msg('whereRow', { n: 1 }));
    }
  }
  return { ...cols, speaker: cols.speaker!, text: cols.text!, hasHeader: mapping?.hasHeader ?? true };
}

function rowTurn(row: string[], cols: ReturnType<typeof resolveColumns>): DialogueTurn | { reason: Msg } {
  const rawSpeaker = row[cols.speaker] ?? '';
  const speaker = normalizeSpeaker(rawSpeaker);
  if (!speaker) return { reason: msg('skipUnknownSpeaker', { speaker: quoteValue(rawSpeaker) }) };
  const text = (row[cols.text] ?? '').trim();
  if (text === '') return { reason: msg('skipEmptyText') };
  const label = readLabel(cols.label === undefined ? undefined : row[cols.label]);
  if (!label.ok) return { reason: label.reason };
  const turn: DialogueTurn = { speaker, text };
  if (label.label !== undefined) turn.label = label.label;
  return turn;
}

/** Long layout: one turn per row, grouped by dialogue id in order of first appearance. */
export function parseLongTable(rows: string[][], file: string, format: FormatId, mapping?: ColumnMapping): ParseResult {
  const cols = resolveColumns(rows, file, mapping);
  const result: ParseResult = { dialogues: [], skipped: [], format };
  const byId = new Map<string, Dialogue>();
  let currentId = 'dialogue-1';
  for (let r = cols.hasHeader ? 1 : 0; r < rows.length; r++) {
    const row = rows[r];
    if (row.every((c) => c.trim() === '')) continue;
    // An empty id cell continues the previous dialogue (merged cells in spreadsheets).
    if (cols.dialogueId !== undefined && (row[cols.dialogueId] ?? '').trim() !== '') {
      currentId = row[cols.dialogueId].trim();
    }
    const turn = rowTurn(row, cols);
    if ('reason' in turn) {
      result.skipped.push({ where: msg('whereRow', { n: r + 1 }), reason: turn.reason });
      continue;
    }
    let dialogue = byId.get(currentId);
    if (!dialogue) {
      dialogue = { id: currentId, turns: [] };
      byId.set(currentId, dialogue);
      result.dialogues.push(dialogue);
    }
    dialogue.turns.push(turn);
  }
  return result;
}

// 'seeker_message' / 求助者消息: the header of our own crisis export, so it imports again.
export const PAIR_HEADERS = [
  'seekermessage',
  '求助者消息',
  'question',
  'prompt',
  'input',
  'query',
  'message',
  'seeker',
  'user',
  'post',
  '问题',
  '提问',
  '输入',
  '来访者',
  '用户',
  '求助',
  '求助者',
  '帖子',
  '消息',
];

/** Whether row 1 of a two-column sheet is a header rather than a first message. */
export function looksLikePairHeader(row: readonly string[]): boolean {
  return PAIR_HEADERS.includes(norm(row[0] ?? ''));
}

/**
 * Whether a sheet without long-layout headers is in the pairs layout: a pairs header
 * in row 1, or nothing past column B except gold labels. Anything else needs a mapping,
 * rather than being misread as message/reply pairs.
 */
export function looksLikePairs(rows: readonly string[][]): boolean {
  if (looksLikePairHeader(rows[0] ?? [])) return true;
  return rows.every((row) => row.slice(2).every((c, i) => c.trim() === '' || (i === 0 && readLabel(c).ok)));
}

/**
 * Pairs layout (PsyCrisis): A = seeker message, B = reply, C = optional gold label. With a header
 * row, C is read as a label only when its header says so (our crisis export has points there).
 */
export function parsePairsTable(rows: string[][], file: string, format: FormatId, mapping?: PairMapping): ParseResult {
  const result: ParseResult = { dialogues: [], skipped: [], format, layout: 'pairs' };
  const head = rows[0] ?? [];
  const header = mapping ? (mapping.hasHeader ?? true) : looksLikePairHeader(head);
  const labelAt = mapping
    ? resolve(mapping.label, head, file, 'label')
    : !header || HEADER_ALIASES.label.includes(norm(head[2] ?? ''))
      ? 2
      : undefined;
  const seekerAt = mapping ? resolve(mapping.seeker, head, file, 'seeker')! : 0;
  const replyAt = mapping ? resolve(mapping.reply, head, file, 'reply')! : 1;
  for (let r = header ? 1 : 0; r < rows.length; r++) {
    const cell = (i: number | undefined) => (i === undefined ? undefined : (rows[r][i] ?? '').trim());
    const seeker = cell(seekerAt) ?? '';
    const reply = cell(replyAt) ?? '';
    const rawLabel = cell(labelAt);
    if (seeker === '' && reply === '') continue;
    const where = msg('whereRow', { n: r + 1 });
    if (reply === '') result.skipped.push({ where, reason: msg('skipEmptyReply') });
    else if (seeker === '') result.skipped.push({ where, reason: msg('skipEmptySeeker') });
    else {
      const label = readLabel(rawLabel);
      if (!label.ok) {
        result.skipped.push({ where, reason: label.reason });
        continue;
      }
      const turn: DialogueTurn = { speaker: 'supporter', text: reply };
      if (label.label !== undefined) turn.label = label.label;
      result.dialogues.push({ id: `row-${r + 1}`, turns: [{ speaker: 'seeker', text: seeker }, turn] });
    }
  }
  return result;
}
