/**
 * Reviewer marks on the crisis points and the agreement figures they feed.
 *
 * A mark says whether the model's point for one item and one dimension is correct. Marks are kept
 * apart from the model's output (they are the reviewer's, not the model's), and the reviewer's label
 * is derived: the model's point if marked correct, the other value if marked wrong. Agreement is then
 * per dimension: accuracy (share marked correct) and Cohen's κ between model and reviewer labels.
 */
import { compareSources } from '../review/agreement.ts';
import { CRISIS_DIMENSIONS, type CrisisDimension } from './crisis.ts';

export type Verdict = 'correct' | 'wrong';

export interface ReviewMark {
  itemId: string;
  dimension: CrisisDimension;
  verdict: Verdict;
}

/** Marks keyed `${itemId}\u0000${dimension}`: one verdict per item and dimension, the latest wins. */
export type MarkBook = Map<string, ReviewMark>;

export function markKey(itemId: string, dimension: CrisisDimension): string {
  return `${itemId}\u0000${dimension}`;
}

/** A new book with `mark` set (or cleared when verdict is null); books are replaced, never mutated. */
export function setMark(book: MarkBook, itemId: string, dimension: CrisisDimension, verdict: Verdict | null): MarkBook {
  const next = new Map(book);
  if (verdict === null) next.delete(markKey(itemId, dimension));
  else next.set(markKey(itemId, dimension), { itemId, dimension, verdict });
  return next;
}

export function reviewerLabel(modelPoint: 0 | 1, verdict: Verdict): 0 | 1 {
  return verdict === 'correct' ? modelPoint : ((1 - modelPoint) as 0 | 1);
}

export interface DimensionAgreement {
  /** Items with a mark on this dimension. */
  reviewed: number;
  /** Share of reviewed points marked correct; null with nothing reviewed. */
  accuracy: number | null;
  /** Cohen's κ between model and reviewer labels; null with nothing reviewed or where κ is undefined (one value throughout). */
  kappa: number | null;
}

/** Per-dimension agreement over the items whose model points are given (itemId → 5 points). */
export function agreement(points: Map<string, (0 | 1)[]>, book: MarkBook): Record<CrisisDimension, DimensionAgreement> {
  const out = {} as Record<CrisisDimension, DimensionAgreement>;
  CRISIS_DIMENSIONS.forEach((d, j) => {
    const model: number[] = [];
    const reviewer: number[] = [];
    for (const [itemId, pts] of points) {
      const mark = book.get(markKey(itemId, d));
      if (!mark) continue;
      model.push(pts[j]);
      reviewer.push(reviewerLabel(pts[j], mark.verdict));
    }
    const n = model.length;
    out[d] = {
      reviewed: n,
      accuracy: n ? model.filter((m, i) => m === reviewer[i]).length / n : null,
      kappa: compareSources(new Map(reviewer.map((x, i) => [String(i), x])), new Map(model.map((x, i) => [String(i), x])), 2).kappa,
    };
  });
  return out;
}
