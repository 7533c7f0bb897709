/**
 * Plain-text transcripts: a line that starts with a speaker prefix starts a turn
 * (`来访者：…`, `咨询师: …`, `[seeker]…`, `A:…`, `用户：…`); following lines without
 * a prefix continue it, so multi-line turns (and their blank lines) are kept whole.
 * Text before the first prefix is skipped. Dialogues are separated by:
 * - a line of `---`, `===` or `***` (3 or more), when the file has one: then only these separate;
 * - otherwise a blank line before a turn (two sessions pasted one after the other);
 * - except when the file puts a blank line between every turn (spacing, not sessions): then two
 *   or more blank lines separate dialogues.
 */
import { msg } from '../../i18n/msg.ts';
import type { Dialogue, ParseResult, Speaker } from '../model.ts';
import { normalizeSpeaker, SPEAKER_PREFIXES } from '../speakers.ts';

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const NAMES = SPEAKER_PREFIXES.map(escape).join('|');
/** `name：` / `name:` (full- or half-width colon), or `[name]` / `【name】` with an optional colon. */
const PREFIX = new RegExp(`^\\s*(?:(?:\\[(${NAMES})\\]|【(${NAMES})】)\\s*[:：]?|(${NAMES})\\s*[:：])\\s*`, 'i');
const SEPARATOR = /^\s*(-{3,}|={3,}|\*{3,})\s*$/;

/** The speaker a line starts with, and the rest of the line; undefined when it has no prefix. */
export function matchPrefix(line: string): { speaker: Speaker; rest: string } | undefined {
  const m = PREFIX.exec(line);
  if (!m) return undefined;
  const speaker = normalizeSpeaker(m[1] ?? m[2] ?? m[3]);
  return speaker ? { speaker, rest: line.slice(m[0].length) } : undefined;
}

/** True when at least one of the first non-empty lines starts with a speaker prefix. */
export function looksLikeTranscript(text: string): boolean {
  const lines = text
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '')
    .slice(0, 20);
  return lines.some((l) => matchPrefix(l) !== undefined);
}

/** How many blank lines before a turn start a new dialogue (Infinity: blank lines never do). */
function blankLinesThatSeparate(lines: readonly string[]): number {
  if (lines.some((l) => SEPARATOR.test(l))) return Infinity;
  const starts = lines.flatMap((l, i) => (matchPrefix(l) ? [i] : [])).slice(1);
  const spaced = starts.length > 0 && starts.every((i) => lines[i - 1].trim() === '');
  return spaced ? 2 : 1;
}

export function parseText(text: string, _file: string): ParseResult {
  const result: ParseResult = { dialogues: [], skipped: [], format: 'text' };
  const lines = text.split(/\r?\n/);
  const separateAt = blankLinesThatSeparate(lines);
  let blankRun = 0;
  let dialogue: Dialogue | undefined;
  let turnLines: string[] | undefined;
  const closeTurn = () => {
    const last = dialogue?.turns.at(-1);
    if (last && turnLines) last.text = turnLines.join('\n').trim();
    turnLines = undefined;
  };
  lines.forEach((line, i) => {
    const blanks = blankRun;
    blankRun = line.trim() === '' ? blankRun + 1 : 0;
    if (SEPARATOR.test(line)) {
      closeTurn();
      dialogue = undefined;
      return;
    }
    const p = matchPrefix(line);
    if (p) {
      closeTurn();
      if (blanks >= separateAt) dialogue = undefined;
      if (!dialogue) {
        dialogue = { id: `dialogue-${result.dialogues.length + 1}`, turns: [] };
        result.dialogues.push(dialogue);
      }
      dialogue.turns.push({ speaker: p.speaker, text: '' });
      turnLines = [p.rest];
    } else if (turnLines) turnLines.push(line);
    else if (line.trim() !== '') result.skipped.push({ where: msg('whereLine', { n: i + 1 }), reason: msg('skipNoPrefix') });
  });
  closeTurn();
  return dropEmptyTurns(result);
}

/** A prefix with nothing after it (e.g. `咨询师：` then a separator) is not a turn. */
function dropEmptyTurns(result: ParseResult): ParseResult {
  for (const d of result.dialogues) d.turns = d.turns.filter((t) => t.text !== '');
  result.dialogues = result.dialogues.filter((d) => d.turns.length > 0);
  return result;
}
