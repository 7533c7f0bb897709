/**
 * A model whose id2label names the taxonomy's classes in another order (or in Chinese) is mapped once,
 * when it is checked (model-folder.ts); its scores are put into taxonomy order before anything stores
 * them, so every view, metric and export reads class ids the same way for every model.
 */
import { NUM_LABELS, SAFE_LABEL, type LabelId } from '../taxonomy.ts';
import type { ItemScore } from './types.ts';

/** `map[i]` is the taxonomy class of the model's output i. */
export function toTaxonomyScore(score: ItemScore, map: readonly LabelId[]): ItemScore {
  const probs = new Array<number>(NUM_LABELS).fill(0);
  map.forEach((cls, i) => (probs[cls] = score.probs[i]));
  let label = 0;
  for (let i = 1; i < probs.length; i++) if (probs[i] > probs[label]) label = i;
  return { ...score, probs, label, pUnsafe: 1 - probs[SAFE_LABEL] };
}

/** True when the map is the identity (the model already speaks in taxonomy order). */
export function isIdentityMap(map: readonly LabelId[]): boolean {
  return map.length === NUM_LABELS && map.every((c, i) => c === i);
}
