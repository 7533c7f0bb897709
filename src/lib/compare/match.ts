/**
 * One file per responder: every file is read by the ordinary importers (any format), and its
 * replies are lined up with the other files' by dialogue id + turn, or by identical context text.
 * Contexts answered by at least two files are kept; the rest are listed as unmatched.
 */
import { msg } from '../i18n/msg.ts';
import { itemsFromDialogue, type Item, type ParseResult } from '../transcripts/model.ts';
import { CompareImportError, type CompareSkip } from './errors.ts';
import type { CompareContext, CompareParse, CompareReply, FileMatch, MatchReport } from './model.ts';

export type MatchBy = 'id-turn' | 'context';

export interface ResponderFile {
  /** File name; the responder is named after it without the extension. */
  name: string;
  result: ParseResult;
}

export function responderName(file: string): string {
  return file.replace(/\.[^.]+$/, '').trim() || file;
}

/** Two or more files with distinct responder names, or a specific error; returns the names. */
export function checkResponderFiles(files: readonly string[]): string[] {
  if (files.length < 2)
    throw new CompareImportError('few-files', files[0] ?? '', `one file per responder: choose two or more files (got ${files.length})`, {
      n: files.length,
    });
  const names = files.map(responderName);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup !== undefined) {
    throw new CompareImportError(
      'duplicate-responder',
      files[names.lastIndexOf(dup)],
      `two files give the responder name "${dup}"; rename one`,
      { responder: dup },
    );
  }
  return names;
}

const norm = (s: string) => s.replace(/\s+/g, ' ').trim();

export function matchKey(item: Pick<Item, 'dialogueId' | 'turnIndex' | 'context'>, by: MatchBy): string {
  return by === 'id-turn' ? `${item.dialogueId}#${item.turnIndex}` : item.context.map((t) => `${t.speaker}:${norm(t.text)}`).join('\n');
}

interface Keyed {
  file: string;
  responder: string;
  items: Map<string, Item>;
  skipped: CompareSkip[];
}

function keyFiles(files: readonly ResponderFile[], by: MatchBy): Keyed[] {
  return files.map(({ name, result }) => {
    const items = new Map<string, Item>();
    const skipped: CompareSkip[] = result.skipped.map((s) => ({
      file: name,
      code: 'parser',
      detail: msg('whereIs', { where: s.where, reason: s.reason }),
    }));
    for (const item of result.dialogues.flatMap((d) => itemsFromDialogue('x', d))) {
      const key = matchKey(item, by);
      if (items.has(key)) skipped.push({ file: name, turn: { dialogue: item.dialogueId, index: item.turnIndex }, code: 'duplicate-reply' });
      else items.set(key, item);
    }
    return { file: name, responder: responderName(name), items, skipped };
  });
}

/** Keys answered by at least two files, in the order the files list them. */
function sharedKeys(keyed: readonly Keyed[]): string[] {
  const count = new Map<string, number>();
  for (const k of keyed) for (const key of k.items.keys()) count.set(key, (count.get(key) ?? 0) + 1);
  const seen = new Set<string>();
  const out: string[] = [];
  for (const k of keyed) {
    for (const key of k.items.keys()) {
      if ((count.get(key) ?? 0) >= 2 && !seen.has(key)) {
        seen.add(key);
        out.push(key);
      }
    }
  }
  return out;
}

/**
 * Lines up per-responder files. `by` defaults to whichever of id + turn or context text matches
 * more contexts (id + turn on a tie), so files exported from one tool and files re-typed by hand both work.
 */
export function matchResponderFiles(files: readonly ResponderFile[], by?: MatchBy): CompareParse {
  const names = checkResponderFiles(files.map((f) => f.name));
  let keyed: Keyed[];
  let shared: string[];
  if (by) {
    keyed = keyFiles(files, by);
    shared = sharedKeys(keyed);
  } else {
    const byId = keyFiles(files, 'id-turn');
    const byText = keyFiles(files, 'context');
    const [sId, sText] = [sharedKeys(byId), sharedKeys(byText)];
    [by, keyed, shared] = sText.length > sId.length ? ['context', byText, sText] : ['id-turn', byId, sId];
  }
  if (shared.length === 0) {
    throw new CompareImportError(
      'no-match',
      files[1].name,
      `no reply matches a reply of another file by ${by === 'id-turn' ? 'dialogue id and turn' : 'context text'}`,
      { by },
    );
  }
  const sharedSet = new Set(shared);
  const contexts: CompareContext[] = [];
  const replies: CompareReply[] = [];
  const skipped: CompareSkip[] = [];
  const contextIds = new Map<string, string>();
  shared.forEach((key) => {
    const first = keyed.find((k) => k.items.has(key))!.items.get(key)!;
    // Readable, unique ids: the first file's dialogue id and turn.
    let id = `${first.dialogueId}#${first.turnIndex}`;
    if ([...contextIds.values()].includes(id)) id = `${id}~${contexts.length + 1}`;
    contextIds.set(key, id);
    contexts.push({ id, turns: first.context.map(({ speaker, text }) => ({ speaker, text })) });
  });
  const fileMatches: FileMatch[] = keyed.map((k) => {
    let matched = 0;
    skipped.push(...k.skipped);
    for (const [key, item] of k.items) {
      if (!sharedSet.has(key)) {
        skipped.push({ file: k.file, turn: { dialogue: item.dialogueId, index: item.turnIndex }, code: 'unmatched' });
        continue;
      }
      matched++;
      const reply: CompareReply = { contextId: contextIds.get(key)!, responder: k.responder, text: item.response };
      if (item.goldLabel !== undefined) reply.label = item.goldLabel;
      replies.push(reply);
    }
    return { file: k.file, responder: k.responder, replies: k.items.size, matched };
  });
  const perContext = new Map<string, number>();
  for (const r of replies) perContext.set(r.contextId, (perContext.get(r.contextId) ?? 0) + 1);
  const inAll = [...perContext.values()].filter((n) => n === files.length).length;
  const match: MatchReport = { by, files: fileMatches, inAll, inSome: perContext.size - inAll };
  // Replies in context order, responders in file order: the dataset then reads context by context.
  const order = new Map(contexts.map((c, i) => [c.id, i]));
  replies.sort((a, b) => order.get(a.contextId)! - order.get(b.contextId)! || names.indexOf(a.responder) - names.indexOf(b.responder));
  return { mode: 'files', format: files[0].result.format, contexts, replies, responders: names, skipped, match };
}
