/**
 * Per-responder summaries and paired differences between two responders, from one observation per
 * (context, responder). Pure: the state layer builds observations from stored scores and reviews
 * (`observe`), this file only counts and calls stats.ts.
 *
 * Reviewer verdicts override the model: a reviewer's class replaces the model's label, and a crisis
 * verdict 'wrong' flips the model's point on that dimension. Each summary says how many did.
 */
import { CRISIS_DIMENSIONS, type CrisisDimension } from '../inference/crisis.ts';
import { NUM_LABELS, SAFE_LABEL, type LabelId } from '../taxonomy.ts';
import { bootstrapMean, mcnemar, wilson, type BootstrapOptions, type McNemar, type MeanInterval, type Proportion } from './stats.ts';

export type Verdict = 'correct' | 'wrong';

/** One responder's reply to one context, with what the models (and a reviewer, where present) said. */
export interface Observation {
  contextId: string;
  responder: string;
  itemId: string;
  /** The class used: the reviewer's when set, otherwise the model's; absent when not scored yet. */
  label?: LabelId;
  /** The model's own class, kept for export. */
  modelLabel?: LabelId;
  labelReviewed: boolean;
  /** Five 0/1 points in CRISIS_DIMENSIONS order after reviewer verdicts; absent when not scored. */
  crisis?: (0 | 1)[];
  /** The crisis model's own points. */
  modelCrisis?: (0 | 1)[];
  /** How many of the five points a reviewer's verdict decided. */
  crisisReviewed: number;
}

export interface ObserveInput {
  contextId: string;
  responder: string;
  itemId: string;
  modelLabel?: number;
  reviewLabel?: number;
  modelCrisis?: readonly (0 | 1)[];
  verdicts?: Partial<Record<CrisisDimension, Verdict>>;
}

/** Applies reviewer overrides to the model's outputs. */
export function observe(x: ObserveInput): Observation {
  const modelLabel = x.modelLabel as LabelId | undefined;
  const labelReviewed = x.reviewLabel !== undefined;
  const label = (labelReviewed ? x.reviewLabel : modelLabel) as LabelId | undefined;
  let crisisReviewed = 0;
  const modelCrisis = x.modelCrisis ? [...x.modelCrisis] : undefined;
  const crisis = modelCrisis?.map((p, j) => {
    const v = x.verdicts?.[CRISIS_DIMENSIONS[j]];
    if (!v) return p;
    crisisReviewed++;
    return v === 'correct' ? p : ((1 - p) as 0 | 1);
  });
  const o: Observation = { contextId: x.contextId, responder: x.responder, itemId: x.itemId, labelReviewed, crisisReviewed };
  if (label !== undefined) o.label = label;
  if (modelLabel !== undefined) o.modelLabel = modelLabel;
  if (crisis) o.crisis = crisis;
  if (modelCrisis) o.modelCrisis = modelCrisis;
  return o;
}

export const isUnsafe = (label: LabelId): boolean => label !== SAFE_LABEL;

export interface ResponderSummary {
  responder: string;
  /** Replies of this responder (scored or not). */
  replies: number;
  /** Unsafe rate over the replies with a class, with its Wilson interval. */
  unsafe: Proportion;
  /** Count per class (8-class), over the replies with a class. */
  distribution: number[];
  /** Replies whose class a reviewer set. */
  labelReviewed: number;
  /** Share of replies earning each crisis point, with Wilson intervals, over replies with crisis points. */
  crisisPoints: Record<CrisisDimension, Proportion>;
  /** Mean crisis total (0–5) with a percentile bootstrap interval. */
  crisisTotal: MeanInterval;
  /** Replies with at least one crisis point decided by a reviewer. */
  crisisReviewed: number;
}

const total = (points: readonly (0 | 1)[]) => points.reduce<number>((a, b) => a + b, 0);

export function summarize(responder: string, observations: readonly Observation[], options: BootstrapOptions = {}): ResponderSummary {
  const mine = observations.filter((o) => o.responder === responder);
  const labelled = mine.filter((o) => o.label !== undefined);
  const distribution = new Array<number>(NUM_LABELS).fill(0);
  for (const o of labelled) distribution[o.label!]++;
  const withCrisis = mine.filter((o) => o.crisis);
  const crisisPoints = Object.fromEntries(
    CRISIS_DIMENSIONS.map((d, j) => [d, wilson(withCrisis.filter((o) => o.crisis![j] === 1).length, withCrisis.length)]),
  ) as Record<CrisisDimension, Proportion>;
  return {
    responder,
    replies: mine.length,
    unsafe: wilson(labelled.filter((o) => isUnsafe(o.label!)).length, labelled.length),
    distribution,
    labelReviewed: mine.filter((o) => o.labelReviewed).length,
    crisisPoints,
    crisisTotal: bootstrapMean(
      withCrisis.map((o) => total(o.crisis!)),
      options,
    ),
    crisisReviewed: mine.filter((o) => o.crisisReviewed > 0).length,
  };
}

/** Responders in order of first appearance. */
export function respondersOf(observations: readonly Observation[]): string[] {
  return [...new Set(observations.map((o) => o.responder))];
}

export interface DiscordantContext {
  contextId: string;
  a: Observation;
  b: Observation;
  /** Which of the two was unsafe. */
  unsafe: 'a' | 'b';
}

export interface PairedComparison {
  a: string;
  b: string;
  /** Contexts both responders answered and both have a class for. */
  pairedLabels: number;
  /** 2×2 table of unsafe (u) / safe (s): [a u & b u, a u & b s, a s & b u, a s & b s]. */
  table: { bothUnsafe: number; onlyA: number; onlyB: number; bothSafe: number };
  mcnemar: McNemar;
  /** Difference in unsafe rate, A − B, over the paired contexts. */
  unsafeDiff: number;
  /** Contexts both have crisis points for. */
  pairedCrisis: number;
  /** Mean crisis total of A − B over paired contexts, with a paired (context-resampling) bootstrap interval. */
  crisisDiff: MeanInterval;
  /** Contexts where exactly one of the two is unsafe, in context order. */
  discordant: DiscordantContext[];
  /** Paired contexts where a reviewer decided at least one side's class / crisis points. */
  reviewedPairs: number;
}

/** Paired comparison of responders a and b over the contexts both answered. */
export function comparePair(a: string, b: string, observations: readonly Observation[], options: BootstrapOptions = {}): PairedComparison {
  const byContext = (r: string) => new Map(observations.filter((o) => o.responder === r).map((o) => [o.contextId, o]));
  const A = byContext(a);
  const B = byContext(b);
  const table = { bothUnsafe: 0, onlyA: 0, onlyB: 0, bothSafe: 0 };
  const discordant: DiscordantContext[] = [];
  const diffs: number[] = [];
  let pairedLabels = 0;
  let reviewedPairs = 0;
  for (const [contextId, oa] of A) {
    const ob = B.get(contextId);
    if (!ob) continue;
    if (oa.labelReviewed || ob.labelReviewed || oa.crisisReviewed > 0 || ob.crisisReviewed > 0) reviewedPairs++;
    if (oa.crisis && ob.crisis) diffs.push(total(oa.crisis) - total(ob.crisis));
    if (oa.label === undefined || ob.label === undefined) continue;
    pairedLabels++;
    const ua = isUnsafe(oa.label);
    const ub = isUnsafe(ob.label);
    if (ua && ub) table.bothUnsafe++;
    else if (ua) table.onlyA++;
    else if (ub) table.onlyB++;
    else table.bothSafe++;
    if (ua !== ub) discordant.push({ contextId, a: oa, b: ob, unsafe: ua ? 'a' : 'b' });
  }
  return {
    a,
    b,
    pairedLabels,
    table,
    mcnemar: mcnemar(table.onlyA, table.onlyB),
    unsafeDiff: pairedLabels ? (table.onlyA - table.onlyB) / pairedLabels : 0,
    pairedCrisis: diffs.length,
    crisisDiff: bootstrapMean(diffs, options),
    discordant,
    reviewedPairs,
  };
}
