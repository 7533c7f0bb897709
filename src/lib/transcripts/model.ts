/**
 * Domain types for imported transcripts. A Dialogue is the ordered list of turns
 * as imported; every supporter turn that is not context-only becomes one Item,
 * scored with the turns before it as context (see `itemsFromDialogue`).
 */
import type { ItemScore, Speaker, Turn } from '../inference/types.ts';
import type { Msg } from '../i18n/msg.ts';
import type { LabelId } from '../taxonomy.ts';

export type { Speaker, Turn };

/** The import formats we can detect and parse. */
export type FormatId = 'dialoguesafety-json' | 'chat-json' | 'chat-jsonl' | 'csv' | 'text' | 'xlsx';

export interface DialogueTurn extends Turn {
  /** Gold label (0–7) that came with the data; only meaningful on supporter turns. */
  label?: LabelId;
  /**
   * True for turns that exist only as context and must not be scored on their own,
   * e.g. earlier supporter turns inside a DialogueSafety `context` string.
   */
  contextOnly?: boolean;
}

export interface Dialogue {
  /** Id from the source file when it had one, otherwise generated in file order. */
  id: string;
  turns: DialogueTurn[];
  /** Comparison datasets (src/lib/compare): who wrote the reply, and the shared context it answers. */
  responder?: string;
  contextId?: string;
}

/** One imported file. */
export interface Dataset {
  id: string;
  /** Display name, by default the file name. */
  name: string;
  format: FormatId;
  /** The imported file's name, kept for provenance. */
  sourceFile: string;
  /** Epoch milliseconds. */
  createdAt: number;
  dialogueCount: number;
  itemCount: number;
  /** How many items carry a gold label. */
  goldCount: number;
  /** 'pairs': a PsyCrisis-style sheet (A seeker message, B reply); the app opens it in the crisis view. */
  layout?: TableLayout | 'compare';
  /** 'compare' layout: the responders, in import order (src/lib/compare). */
  responders?: string[];
}

export type TableLayout = 'pairs';

/** One supporter turn to score. */
export interface Item {
  /** `${datasetId}/${dialogueId}/${turnIndex}`: stable, so re-imports and resumes line up. */
  id: string;
  datasetId: string;
  dialogueId: string;
  /** Index of the response in its dialogue's `turns`. */
  turnIndex: number;
  /** The turns before the response, oldest first. */
  context: Turn[];
  response: string;
  goldLabel?: LabelId;
  /** Comparison datasets: the reply's responder and the context id its replies share (src/lib/compare). */
  responder?: string;
  contextId?: string;
}

/** Where a record was skipped and why, as messages the UI translates (e.g. whereLine {n: 12}, skipNoPrefix). */
export interface Skipped {
  where: Msg;
  reason: Msg;
}

/** What every parser returns: the valid dialogues plus what was skipped. */
export interface ParseResult {
  dialogues: Dialogue[];
  skipped: Skipped[];
  format: FormatId;
  layout?: TableLayout;
}

/** An item with its score for one model, when scored. Input to the exporters. */
export interface ScoredItem {
  item: Item;
  score?: ItemScore;
  /** The local reviewer's decision on the item, when there is one (review/ derives it from the audit log). */
  review?: ItemReviewExport;
}

/** What every export writes beside the model's output about the reviewer's decision. */
export interface ItemReviewExport {
  /** Class 0–7, 'unsure', or undefined with only a note. */
  label?: number | 'unsure';
  note?: string;
  reviewer: string;
  /** Epoch ms of the reviewer's latest event on the item. */
  at: number;
  /** Whether the current class decision was made with the model's output hidden. */
  blind?: boolean;
  /** The adjudicated final label, when there is one. */
  final?: number;
}

/** Turns the imported dialogue into scoreable items; context turns are copied without labels. */
export function itemsFromDialogue(datasetId: string, dialogue: Dialogue): Item[] {
  const items: Item[] = [];
  dialogue.turns.forEach((turn, i) => {
    if (turn.speaker !== 'supporter' || turn.contextOnly) return;
    const item: Item = {
      id: itemId(datasetId, dialogue.id, i),
      datasetId,
      dialogueId: dialogue.id,
      turnIndex: i,
      context: dialogue.turns.slice(0, i).map((t) => ({ speaker: t.speaker, text: t.text })),
      response: turn.text,
    };
    if (turn.label !== undefined) item.goldLabel = turn.label;
    items.push(item);
  });
  return items;
}

export function itemId(datasetId: string, dialogueId: string, turnIndex: number): string {
  return `${datasetId}/${dialogueId}/${turnIndex}`;
}

/** Pairs items with their scores (from storage's `getScores`) for the exporters and views. */
export function withScores(items: readonly Item[], scores: ReadonlyMap<string, ItemScore>): ScoredItem[] {
  return items.map((item) => {
    const score = scores.get(item.id);
    return score ? { item, score } : { item };
  });
}
