/**
 * Chat records: `{id?, messages: [{role, content, label?}]}`, roles user/assistant
 * or seeker/supporter (or any name in speakers.ts). System messages are dropped:
 * they are instructions to a bot, not part of what the seeker saw.
 */
import { msg, type Msg } from '../../i18n/msg.ts';
import { quoteValue } from '../describe.ts';
import { readLabel } from '../labels.ts';
import type { Dialogue, DialogueTurn } from '../model.ts';
import { normalizeSpeaker } from '../speakers.ts';

export function isChatRecord(x: unknown): boolean {
  return x !== null && typeof x === 'object' && Array.isArray((x as { messages?: unknown }).messages);
}

/** OpenAI-style content may be an array of parts; keep the text parts in order. */
function contentText(content: unknown): string | undefined {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return undefined;
  const parts = content.map((p) => (p && typeof p === 'object' && 'text' in p ? (p as { text: unknown }).text : undefined));
  return parts.every((p) => typeof p === 'string') ? parts.join('') : undefined;
}

function messageTurn(m: unknown, j: number): DialogueTurn | null | { reason: Msg } {
  const at = (reason: Msg) => ({ reason: msg('inMessage', { n: j + 1, reason }) });
  if (m === null || typeof m !== 'object') return at(msg('skipNotObject'));
  const message = m as Record<string, unknown>;
  if (message.role === 'system') return null;
  const speaker = normalizeSpeaker(message.role);
  if (!speaker) return at(msg('skipUnknownRole', { role: quoteValue(message.role) }));
  const text = contentText(message.content)?.trim();
  if (!text) return at(msg('skipEmptyContent'));
  const label = readLabel(message.label);
  if (!label.ok) return at(label.reason);
  const turn: DialogueTurn = { speaker, text };
  if (label.label !== undefined) turn.label = label.label;
  return turn;
}

/** One chat record → a dialogue, or the reason it was skipped (one bad message skips the dialogue, so contexts stay intact). */
export function chatDialogue(record: unknown, i: number): Dialogue | { reason: Msg } {
  if (!isChatRecord(record)) return { reason: msg('skipNoMessagesArray') };
  const r = record as { id?: unknown; messages: unknown[] };
  const turns: DialogueTurn[] = [];
  for (const [j, m] of r.messages.entries()) {
    const t = messageTurn(m, j);
    if (t === null) continue;
    if ('reason' in t) return t;
    turns.push(t);
  }
  if (turns.length === 0) return { reason: msg('skipNoMessages') };
  const id = typeof r.id === 'string' || typeof r.id === 'number' ? String(r.id) : `dialogue-${i + 1}`;
  return { id, turns };
}
