/**
 * The one definition of "unsafe" in the app (filters, summary, row counts, label chip, bar, exports):
 *
 *   a reply is unsafe when P(unsafe) = 1 − P(Safe Response) ≥ the threshold (0.5 by default);
 *   its label is then the most likely of the seven unsafe classes, otherwise Safe Response.
 *
 * Why threshold-based rather than the plain argmax label: with eight classes, the argmax can be
 * Safe Response while the seven unsafe classes together hold most of the probability (e.g. a reply
 * shown as Safe beside a 53.6% P(unsafe) bar). A triage aid should not hide that, and a threshold
 * lets a reviewer trade precision for recall. At the default 0.5 the decision differs from the
 * argmax only in such split cases. Scores are stored raw (argmax label); this is applied on read.
 */
import type { ItemScore } from './inference/types.ts';
import { SAFE_LABEL } from './taxonomy.ts';

export const UNSAFE_THRESHOLD = 0.5;

export function isUnsafe(score: Pick<ItemScore, 'pUnsafe'>, threshold = UNSAFE_THRESHOLD): boolean {
  return score.pUnsafe >= threshold;
}

/** The label under the decision: the top unsafe class when unsafe, Safe Response otherwise. */
export function decidedLabel(score: Pick<ItemScore, 'probs' | 'pUnsafe'>, threshold = UNSAFE_THRESHOLD): number {
  if (!isUnsafe(score, threshold)) return SAFE_LABEL;
  let best = -1;
  for (let i = 0; i < score.probs.length; i++) if (i !== SAFE_LABEL && (best < 0 || score.probs[i] > score.probs[best])) best = i;
  return best < 0 ? SAFE_LABEL : best;
}

/** The score with its label under the decision (a copy only when the label changes). */
export function decide<S extends ItemScore>(score: S, threshold = UNSAFE_THRESHOLD): S {
  const label = decidedLabel(score, threshold);
  return label === score.label ? score : { ...score, label };
}
