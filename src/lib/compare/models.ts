/**
 * Model vs model on one dataset: how often two models give a reply the same class (under the one unsafe
 * decision, decision.ts, applied by the caller), Cohen's κ between them (null = n/a where undefined),
 * their 8×8 confusion (rows model A, columns model B), the replies where they disagree, and each model's
 * accuracy against gold labels and against the reviewers' final labels where those exist.
 * The agreement arithmetic is the review layer's (review/agreement.ts), so κ means the same everywhere.
 */
import { compareSources, type LabelSource } from '../review/agreement.ts';
import { NUM_LABELS, SAFE_LABEL } from '../taxonomy.ts';

export interface Accuracy {
  /** Items with a reference label and both models' labels. */
  n: number;
  /** null when n = 0. */
  a: number | null;
  b: number | null;
}

export interface ModelPairResult {
  /** Items both models scored. */
  n: number;
  /** Share with the same class; null when n = 0. */
  agreement: number | null;
  kappa: number | null;
  /** Same safe/unsafe decision (class 7 vs the rest). */
  unsafeAgreement: number | null;
  /** Rows: model A's class, columns: model B's; 8×8 (all zero when n = 0). */
  confusion: number[][];
  /** Item ids where the classes differ, in item order. */
  disagreements: string[];
  /** Against gold labels in the file, when there are any. */
  gold?: Accuracy;
  /** Against the reviewers' final labels, when there are any. */
  reviewer?: Accuracy;
}

/** Accuracy of A and B against a reference, over the items that have all three. */
function accuracyAgainst(ref: LabelSource, a: LabelSource, b: LabelSource): Accuracy | undefined {
  const common = new Map([...ref].filter(([id]) => a.has(id) && b.has(id)));
  if (common.size === 0) return undefined;
  return { n: common.size, a: compareSources(common, a, NUM_LABELS).accuracy, b: compareSources(common, b, NUM_LABELS).accuracy };
}

/**
 * `itemIds` in file order; `a`, `b`: each model's (decided) class per item it scored; `gold`, `reviewer`:
 * reference classes per item (either may be empty).
 */
export function compareModels(
  itemIds: readonly string[],
  a: LabelSource,
  b: LabelSource,
  gold: LabelSource = new Map(),
  reviewer: LabelSource = new Map(),
): ModelPairResult {
  // In item order, so the disagreement list reads like the file.
  const ordered = new Map<string, number>();
  for (const id of itemIds) {
    const x = a.get(id);
    if (x !== undefined && b.has(id)) ordered.set(id, x);
  }
  const pair = compareSources(ordered, b, NUM_LABELS);
  let sameUnsafe = 0;
  for (const [id, x] of ordered) if ((x === SAFE_LABEL) === (b.get(id) === SAFE_LABEL)) sameUnsafe++;
  const empty = Array.from({ length: NUM_LABELS }, () => new Array<number>(NUM_LABELS).fill(0));
  return {
    n: pair.n,
    agreement: pair.accuracy,
    kappa: pair.kappa,
    unsafeAgreement: pair.n ? sameUnsafe / pair.n : null,
    confusion: pair.n ? pair.confusion : empty,
    disagreements: pair.disagreements,
    gold: accuracyAgainst(gold, a, b),
    reviewer: accuracyAgainst(reviewer, a, b),
  };
}
