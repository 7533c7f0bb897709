/**
 * The task input, built exactly as training builds it (training/inputs.py is the twin of this file):
 *
 *   [CLS] context turns (each `[seeker]…` / `[supporter]…`) [SEP] `[supporter]`response [SEP]
 *
 * Truncation, in token ids so it cannot drift from the tokenizer:
 * 1. The response keeps up to `budget` tokens, less CONTEXT_RESERVE (at most half the budget) when
 *    there is context, so the seeker's last words always have room. Anything cut from the response marks the item truncated.
 * 2. Context turns are added newest first while each fits whole; older turns are dropped whole.
 * 3. If not even the newest turn fits whole, its marker and its last tokens that fit are kept.
 */
import type { Speaker, Turn } from './types.ts';

export const CONTEXT_RESERVE = 64;

export interface BuiltInput {
  inputIds: number[];
  tokenTypeIds: number[];
  truncated: boolean;
  droppedTurns: number;
}

/** `context`: per-turn ids with the marker, oldest first; `response`: ids with its marker. */
export function buildInput(context: number[][], response: number[], maxLen: number, clsId: number, sepId: number): BuiltInput {
  const budget = maxLen - 3;
  // The reserve is capped at half the budget so a tiny maxLen never leaves the response empty.
  const limit = context.length ? budget - Math.min(CONTEXT_RESERVE, Math.floor(budget / 2)) : budget;
  let truncated = response.length > limit;
  const resp = response.slice(0, limit);
  let room = budget - resp.length;
  const kept: number[][] = [];
  for (let i = context.length - 1; i >= 0; i--) {
    if (context[i].length > room) break;
    kept.push(context[i]);
    room -= context[i].length;
  }
  let dropped = context.length - kept.length;
  if (kept.length === 0 && context.length > 0 && room > 1) {
    const newest = context[context.length - 1];
    kept.push([newest[0], ...newest.slice(newest.length - (room - 1))]);
    dropped = context.length - 1;
    truncated = true;
  }
  if (dropped > 0) truncated = true;
  const ctx = kept.reverse().flat();
  return {
    inputIds: [clsId, ...ctx, sepId, ...resp, sepId],
    tokenTypeIds: [...new Array<number>(ctx.length + 2).fill(0), ...new Array<number>(resp.length + 1).fill(1)],
    truncated,
    droppedTurns: dropped,
  };
}

const MARKER_RE = /\[(seeker|supporter)\]/g;

/**
 * DialogueSafety strings → turns: '[seeker]a[supporter]b' → [{seeker,'a'},{supporter,'b'}].
 * Text before the first marker counts as the seeker's (as in training/corpus.py split_marked).
 */
export function splitMarkedTurns(text: string): Turn[] {
  const turns: Turn[] = [];
  let pos = 0;
  let speaker: Speaker = 'seeker';
  for (const m of text.matchAll(MARKER_RE)) {
    const chunk = text.slice(pos, m.index);
    if (chunk.trim()) turns.push({ speaker, text: chunk });
    speaker = m[1] as Speaker;
    pos = m.index + m[0].length;
  }
  const rest = text.slice(pos);
  if (rest.trim()) turns.push({ speaker, text: rest });
  return turns;
}

/** The marker-prefixed text of one turn, as the tokenizer sees it. */
export function markTurn(speaker: Speaker, text: string): string {
  return `[${speaker}]${text}`;
}
