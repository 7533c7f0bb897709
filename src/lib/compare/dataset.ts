/**
 * A comparison as an ordinary dataset: one dialogue per (context, responder) holding the context
 * turns (context-only) and that responder's reply, so the existing scoring path, stores, backup and
 * exports work unchanged. Items carry `responder` and `contextId`, which pair them across responders.
 */
import type { DatasetMeta, DatasetRecords } from '../transcripts/dataset.ts';
import { itemsFromDialogue, type Dialogue, type DialogueTurn } from '../transcripts/model.ts';
import type { CompareParse } from './model.ts';

export function compareDialogueId(contextId: string, responder: string): string {
  return `${contextId}@${responder}`;
}

export function buildCompareDataset(parse: CompareParse, meta: DatasetMeta): DatasetRecords {
  const contexts = new Map(parse.contexts.map((c) => [c.id, c]));
  const order = new Map(parse.contexts.map((c, i) => [c.id, i]));
  const replies = [...parse.replies].sort(
    (a, b) =>
      order.get(a.contextId)! - order.get(b.contextId)! || parse.responders.indexOf(a.responder) - parse.responders.indexOf(b.responder),
  );
  const dialogues: Dialogue[] = replies.map((r) => {
    const context = contexts.get(r.contextId);
    if (!context) throw new Error(`reply to unknown context ${r.contextId}`);
    const reply: DialogueTurn = { speaker: 'supporter', text: r.text };
    if (r.label !== undefined) reply.label = r.label;
    return {
      id: compareDialogueId(r.contextId, r.responder),
      turns: [...context.turns.map((t): DialogueTurn => ({ speaker: t.speaker, text: t.text, contextOnly: true })), reply],
      responder: r.responder,
      contextId: r.contextId,
    };
  });
  const items = dialogues.flatMap((d) =>
    itemsFromDialogue(meta.id, d).map((it) => ({ ...it, responder: d.responder, contextId: d.contextId })),
  );
  return {
    dataset: {
      ...meta,
      format: parse.format,
      dialogueCount: dialogues.length,
      itemCount: items.length,
      goldCount: items.filter((i) => i.goldLabel !== undefined).length,
      layout: 'compare',
      responders: [...parse.responders],
    },
    dialogues,
    items,
  };
}
