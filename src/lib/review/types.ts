/**
 * The review layer's records. The audit log is the source of truth: every decision a reviewer makes
 * is one immutable event, and the current verdict is derived by replaying the log (Label Studio's
 * annotation history, Argilla's per-user responses; see ../shared/docs/REVIEW.md). Events never change
 * once written; a later event supersedes an earlier one for the same reviewer, item and target.
 */
import type { LabelId } from '../taxonomy.ts';

/** The five PsyCrisis points, as inference/crisis.ts names them (a type test keeps the two lists equal). */
export const CRISIS_TARGETS = ['empathy', 'regulation', 'exploration', 'risk', 'referral'] as const;
export type CrisisTarget = (typeof CRISIS_TARGETS)[number];

/** What a verdict is about: the reply's 8-class label, or one crisis point of it. */
export type Target = 'class' | CrisisTarget;

/** A reviewer's decision on the 8-class label: a class id (which may equal the model's), or unsure. */
export type ClassValue = LabelId | 'unsure';
/** A reviewer's verdict on one crisis point of the model: is the model's point right? */
export type CrisisValue = 'correct' | 'wrong';

/** How a class verdict was given: confirming the model's label, choosing a class, or unsure. */
export type ClassAction = 'confirm' | 'set' | 'unsure' | 'clear';

/** The model output in view (or, in blind mode, withheld) when the decision was made. */
export interface ShownModel {
  id: string;
  sha256: string;
  /** The model's 8-class label, or its 0/1 point on a crisis target. */
  label?: number;
}

interface EventBase {
  /** Unique across reviewers and devices; merge goes by it. */
  id: string;
  reviewer: string;
  /** Epoch ms. */
  at: number;
  datasetId: string;
  itemId: string;
  model?: ShownModel;
  /** True when the model's output was hidden from the reviewer when this decision was made. */
  blind: boolean;
}

export interface ClassEvent extends EventBase {
  type: 'class';
  action: ClassAction;
  before: ClassValue | null;
  after: ClassValue | null;
}

export interface CrisisEvent extends EventBase {
  type: 'crisis';
  target: CrisisTarget;
  before: CrisisValue | null;
  after: CrisisValue | null;
}

export interface NoteEvent extends EventBase {
  type: 'note';
  before: string | null;
  after: string | null;
}

/** A final label chosen from disagreeing sources (Prodigy's `review`); `sources` names who said what. */
export interface AdjudicateEvent extends EventBase {
  type: 'adjudicate';
  before: LabelId | null;
  after: LabelId | null;
  sources?: Record<string, number>;
}

export type ReviewEvent = ClassEvent | CrisisEvent | NoteEvent | AdjudicateEvent;
export type ReviewEventType = ReviewEvent['type'];

export function eventTarget(e: ReviewEvent): Target | 'note' | 'final' {
  return e.type === 'class' ? 'class' : e.type === 'crisis' ? e.target : e.type === 'note' ? 'note' : 'final';
}
