/**
 * Occlusion evidence: which clause or sentence of a reply drove a score.
 *
 * The reply is split at Chinese (and ASCII) punctuation; each unit is dropped in turn and the reply
 * re-scored. All variants go to the scorer in ONE call, so the engine batches them and a reply's
 * evidence costs one batched pass. One pass serves every target: rank the same result by a crisis
 * dimension, by P(unsafe) or by the predicted class's probability without scoring again.
 */
import type { ItemScore, ScoreItem } from './types.ts';

/** A span of the reply: `reply.slice(start, end) === text`. */
export interface Unit {
  text: string;
  start: number;
  end: number;
}

export type UnitMode = 'clause' | 'sentence';

/** Ends a sentence; the mark stays with the text before it. Closing quotes/brackets follow their mark. */
const SENTENCE_END = /[。！？!?；;…\n]+[”’」』）)]*/g;
const CLAUSE_END = /[。！？!?；;…\n，,、：:]+[”’」』）)]*/g;

/** Splits a reply into clause or sentence units; whitespace-only pieces are not units. */
export function splitUnits(reply: string, mode: UnitMode = 'clause'): Unit[] {
  const re = new RegExp((mode === 'clause' ? CLAUSE_END : SENTENCE_END).source, 'g');
  const units: Unit[] = [];
  let start = 0;
  const push = (end: number) => {
    const text = reply.slice(start, end);
    if (text.trim()) units.push({ text, start, end });
    start = end;
  };
  for (const m of reply.matchAll(re)) push(m.index + m[0].length);
  if (start < reply.length) push(reply.length);
  return units;
}

/** The reply with one unit removed. */
export function withoutUnit(reply: string, unit: Unit): string {
  return reply.slice(0, unit.start) + reply.slice(unit.end);
}

/** Scores items in one batched call (SafetyEngine.scoreBatch fits). */
export type ScoreFn = (items: ScoreItem[]) => Promise<ItemScore[]>;

export interface Occlusion {
  units: Unit[];
  /** Score of the whole reply. */
  base: ItemScore;
  /** occluded[i]: score of the reply without units[i]. */
  occluded: ItemScore[];
}

/** Runs the full reply and every one-unit-dropped variant through `score` in a single call. */
export async function occlude(score: ScoreFn, item: ScoreItem, mode: UnitMode = 'clause'): Promise<Occlusion> {
  const units = splitUnits(item.response, mode);
  const variants = units.map((u) => ({ context: item.context, response: withoutUnit(item.response, u) }));
  const scores = await score([item, ...variants]);
  if (scores.length !== variants.length + 1) {
    throw new Error(`scorer returned ${scores.length} scores for ${variants.length + 1} items`);
  }
  return { units, base: scores[0], occluded: scores.slice(1) };
}

/** What to explain: a number read from a score (a dimension's probability, P(unsafe), …). */
export type Target = (s: ItemScore) => number;

export const dimensionTarget =
  (index: number): Target =>
  (s) =>
    s.probs[index];
export const unsafeTarget: Target = (s) => s.pUnsafe;
/** The probability of the class the full reply was given, so evidence explains that label. */
export const predictedClassTarget =
  (base: ItemScore): Target =>
  (s) =>
    s.probs[base.label];

export interface EvidenceUnit extends Unit {
  /** target(base) − target(without this unit): how much the score falls when the unit is gone. */
  drop: number;
}

/** Units ranked by the drop in `target`, largest first; ties keep reply order. */
export function rankEvidence(o: Occlusion, target: Target): EvidenceUnit[] {
  const base = target(o.base);
  return o.units
    .map((u, i) => ({ ...u, drop: base - target(o.occluded[i]), i }))
    .sort((a, b) => b.drop - a.drop || a.i - b.i)
    .map(({ i: _i, ...u }) => u);
}

/** A unit counts as evidence when dropping it lowers the target by this much (crisis view and dialogue view alike). */
export const EVIDENCE_MIN_DROP = 0.05;

/** The units whose removal lowers the target by at least `minDrop`: the spans to highlight. */
export function evidenceSpans(o: Occlusion, target: Target, minDrop = EVIDENCE_MIN_DROP): EvidenceUnit[] {
  return rankEvidence(o, target).filter((u) => u.drop >= minDrop);
}

export interface Segment {
  text: string;
  /** True inside an evidence span. */
  hit: boolean;
}

/** The reply cut into consecutive plain/highlighted segments, for the UI to render spans. */
export function highlightSegments(reply: string, spans: readonly Unit[]): Segment[] {
  const marks = new Array<boolean>(reply.length).fill(false);
  for (const s of spans) for (let i = Math.max(0, s.start); i < Math.min(reply.length, s.end); i++) marks[i] = true;
  const out: Segment[] = [];
  for (let i = 0; i < reply.length; i++) {
    const last = out[out.length - 1];
    if (last && last.hit === marks[i]) last.text += reply[i];
    else out.push({ text: reply[i], hit: marks[i] });
  }
  return out;
}
