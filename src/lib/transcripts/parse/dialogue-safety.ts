/**
 * DialogueSafety JSON (Qiu et al. 2023): an array of {id?, context, response, label?}.
 * `context` holds the earlier turns as one string with `[seeker]`/`[supporter]`
 * markers; `response` is the supporter reply, usually with a leading `[supporter]`.
 * Only the response is scored: earlier supporter turns are context-only.
 */
import { msg, type Msg } from '../../i18n/msg.ts';
import { readLabel } from '../labels.ts';
import type { Dialogue, DialogueTurn, ParseResult, Speaker } from '../model.ts';

const MARKER = /\[(seeker|supporter)\]/g;

/** Splits a marked-up context string into turns; text before the first marker is the seeker's. */
export function splitMarkedTurns(context: string): DialogueTurn[] {
  const turns: DialogueTurn[] = [];
  let speaker: Speaker = 'seeker';
  let last = 0;
  const push = (end: number) => {
    const text = context.slice(last, end).trim();
    if (text !== '') turns.push({ speaker, text, contextOnly: true });
  };
  for (const m of context.matchAll(MARKER)) {
    push(m.index);
    speaker = m[1] as Speaker;
    last = m.index + m[0].length;
  }
  push(context.length);
  return turns;
}

function recordToDialogue(record: unknown, i: number): Dialogue | { reason: Msg } {
  if (record === null || typeof record !== 'object' || Array.isArray(record)) return { reason: msg('skipNotObject') };
  const r = record as Record<string, unknown>;
  if (typeof r.response !== 'string') return { reason: msg('skipNoResponse') };
  if (r.context !== undefined && typeof r.context !== 'string') return { reason: msg('skipContextNotString') };
  const response = r.response.replace(/^\s*\[supporter\]/, '').trim();
  if (response === '') return { reason: msg('skipEmptyResponse') };
  const label = readLabel(r.label);
  if (!label.ok) return { reason: label.reason };
  const turn: DialogueTurn = { speaker: 'supporter', text: response };
  if (label.label !== undefined) turn.label = label.label;
  const id = typeof r.id === 'string' || typeof r.id === 'number' ? String(r.id) : `item-${i + 1}`;
  return { id, turns: [...splitMarkedTurns(r.context ?? ''), turn] };
}

export function parseDialogueSafety(records: unknown[], _file: string): ParseResult {
  const result: ParseResult = { dialogues: [], skipped: [], format: 'dialoguesafety-json' };
  records.forEach((record, i) => {
    const d = recordToDialogue(record, i);
    if ('reason' in d) result.skipped.push({ where: msg('whereItem', { n: i + 1 }), reason: d.reason });
    else result.dialogues.push(d);
  });
  return result;
}
