/**
 * The append-only audit log: making events, replaying them into current verdicts, the history of one
 * item, and merging two reviewers' logs. Pure functions over arrays; storage appends, never updates.
 */
import type { LabelId } from '../taxonomy.ts';
import {
  eventTarget,
  type AdjudicateEvent,
  type ClassEvent,
  type ClassValue,
  type CrisisEvent,
  type CrisisTarget,
  type CrisisValue,
  type NoteEvent,
  type ReviewEvent,
} from './types.ts';

/** Order of the log: time, then id, so replay is deterministic even for equal timestamps. */
export function compareEvents(a: ReviewEvent, b: ReviewEvent): number {
  return a.at - b.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** A fresh event id. Random (not a counter) so two devices never collide. */
export function newEventId(): string {
  return crypto.randomUUID();
}

let lastAt = 0;

/**
 * The time of a new event: the clock, but strictly after the previous event made here. Two decisions in the
 * same millisecond (a fast keyboard reviewer, a script) would otherwise tie and be ordered by their random
 * ids, so the verdict derived from the log could be the earlier one.
 */
export function eventTime(now = Date.now()): number {
  lastAt = Math.max(now, lastAt + 1);
  return lastAt;
}

/** One reviewer's current state on one item, derived from the log. */
export interface ItemVerdict {
  itemId: string;
  reviewer: string;
  /** Current 8-class decision, absent when never given or cleared. */
  value?: ClassValue;
  /** The latest class decision made with the model hidden (for agreement on blind reviews only). */
  blindValue?: ClassValue;
  /** Whether the current class decision was made blind. */
  blind?: boolean;
  note?: string;
  crisis: Partial<Record<CrisisTarget, CrisisValue>>;
  /** Time of the latest event. */
  at: number;
}

/** Replayed log: reviewer → item → verdict, plus the final (adjudicated) label per item. */
export interface ReviewBook {
  byReviewer: Map<string, Map<string, ItemVerdict>>;
  final: Map<string, { label: LabelId; reviewer: string; at: number }>;
}

/** Replays the log in order; the latest event per (reviewer, item, target) wins. */
export function replay(events: readonly ReviewEvent[]): ReviewBook {
  const byReviewer = new Map<string, Map<string, ItemVerdict>>();
  const final: ReviewBook['final'] = new Map();
  for (const e of [...events].sort(compareEvents)) {
    if (e.type === 'adjudicate') {
      if (e.after === null) final.delete(e.itemId);
      else final.set(e.itemId, { label: e.after, reviewer: e.reviewer, at: e.at });
      continue;
    }
    let items = byReviewer.get(e.reviewer);
    if (!items) byReviewer.set(e.reviewer, (items = new Map()));
    const v = items.get(e.itemId) ?? { itemId: e.itemId, reviewer: e.reviewer, crisis: {}, at: e.at };
    v.at = e.at;
    if (e.type === 'class') {
      if (e.after === null) {
        delete v.value;
        delete v.blind;
      } else {
        v.value = e.after;
        v.blind = e.blind;
        if (e.blind) v.blindValue = e.after;
      }
    } else if (e.type === 'note') {
      if (e.after) v.note = e.after;
      else delete v.note;
    } else if (e.after === null) delete v.crisis[e.target];
    else v.crisis[e.target] = e.after;
    items.set(e.itemId, v);
  }
  return { byReviewer, final };
}

/**
 * One reviewer's class decisions as a label source for agreement (unsure is no label). With
 * `blindOnly`, the decision each item got while the model was hidden, so anchoring cannot inflate it.
 */
export function reviewerSource(book: ReviewBook, reviewer: string, blindOnly = false): Map<string, number> {
  const out = new Map<string, number>();
  for (const [id, v] of book.byReviewer.get(reviewer) ?? []) {
    const value = blindOnly ? v.blindValue : v.value;
    if (value !== undefined && value !== 'unsure') out.set(id, value);
  }
  return out;
}

/** The adjudicated final labels as a label source. */
export function finalSource(book: ReviewBook): Map<string, number> {
  return new Map([...book.final].map(([id, f]) => [id, f.label]));
}

/** The events about one item, oldest first (its history, on demand). */
export function itemHistory(events: readonly ReviewEvent[], itemId: string): ReviewEvent[] {
  return events.filter((e) => e.itemId === itemId).sort(compareEvents);
}

/** Reviewers with at least one event, in order of first appearance in the log. */
export function reviewers(events: readonly ReviewEvent[]): string[] {
  return [...new Set([...events].sort(compareEvents).map((e) => e.reviewer))];
}

export interface MergeResult {
  events: ReviewEvent[];
  /** Events of `incoming` not yet in `existing`. */
  added: ReviewEvent[];
  /** Ids present in both with different content: the existing event is kept, never overwritten. */
  conflicts: string[];
}

function sameEvent(a: ReviewEvent, b: ReviewEvent): boolean {
  return JSON.stringify(a, Object.keys(a).sort()) === JSON.stringify(b, Object.keys(b).sort());
}

/** Union of two logs by event id. An id seen twice keeps the existing event; differing content is reported. */
export function mergeLogs(existing: readonly ReviewEvent[], incoming: readonly ReviewEvent[]): MergeResult {
  const byId = new Map(existing.map((e) => [e.id, e]));
  const added: ReviewEvent[] = [];
  const conflicts: string[] = [];
  for (const e of incoming) {
    const old = byId.get(e.id);
    if (!old) {
      byId.set(e.id, e);
      added.push(e);
    } else if (!sameEvent(old, e)) conflicts.push(e.id);
  }
  return { events: [...byId.values()].sort(compareEvents), added, conflicts };
}

type Common = Pick<ReviewEvent, 'reviewer' | 'datasetId' | 'itemId' | 'model' | 'blind'> & { at?: number; id?: string };

function base(c: Common) {
  const { id, at, model, ...rest } = c;
  return { id: id ?? newEventId(), at: at ?? eventTime(), ...rest, ...(model ? { model } : {}) };
}

/** A class verdict; the action is derived: the model's label → confirm, another class → set. */
export function classEvent(c: Common, before: ClassValue | null, after: ClassValue | null): ClassEvent {
  const action = after === null ? 'clear' : after === 'unsure' ? 'unsure' : after === c.model?.label ? 'confirm' : 'set';
  return { ...base(c), type: 'class', action, before, after };
}

export function noteEvent(c: Common, before: string | null, after: string | null): NoteEvent {
  return { ...base(c), type: 'note', before, after: after?.trim() ? after : null };
}

export function crisisEvent(c: Common, target: CrisisTarget, before: CrisisValue | null, after: CrisisValue | null): CrisisEvent {
  return { ...base(c), type: 'crisis', target, before, after };
}

export function adjudicateEvent(
  c: Common,
  before: LabelId | null,
  after: LabelId | null,
  sources?: Record<string, number>,
): AdjudicateEvent {
  return { ...base(c), type: 'adjudicate', before, after, ...(sources ? { sources } : {}) };
}

/** A one-line, language-neutral description of what an event changed, e.g. "class: 7 → 3". */
export function describeChange(e: ReviewEvent): string {
  const show = (v: unknown) => (v === null || v === undefined ? '–' : String(v));
  return `${eventTarget(e)}: ${show(e.before)} → ${show(e.after)}`;
}
