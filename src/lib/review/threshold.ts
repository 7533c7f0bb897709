/**
 * Threshold tuning from reviewed items: precision and recall of "unsafe" (P(unsafe) ≥ t) against the
 * reviewer's own labels (unsafe = any class but Safe). Human labels are the reference, as REVIEW.md
 * advises: tune only against reviewed (ideally adjudicated) items.
 */
export interface ThresholdPoint {
  threshold: number;
  /** Null where nothing is flagged at this threshold (precision undefined). */
  precision: number | null;
  /** Null where the reviewer marked nothing unsafe. */
  recall: number | null;
  tp: number;
  fp: number;
  fn: number;
  tn: number;
}

export interface ReviewedScore {
  pUnsafe: number;
  /** The reviewer's label says unsafe. */
  unsafe: boolean;
}

/** Counts at one threshold. */
export function pointAt(items: readonly ReviewedScore[], threshold: number): ThresholdPoint {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  for (const it of items) {
    const flagged = it.pUnsafe >= threshold;
    if (flagged && it.unsafe) tp++;
    else if (flagged) fp++;
    else if (it.unsafe) fn++;
    else tn++;
  }
  return {
    threshold,
    precision: tp + fp ? tp / (tp + fp) : null,
    recall: tp + fn ? tp / (tp + fn) : null,
    tp,
    fp,
    fn,
    tn,
  };
}

/** The curve on a grid of `steps` + 1 thresholds from 0 to 1. */
export function thresholdCurve(items: readonly ReviewedScore[], steps = 100): ThresholdPoint[] {
  return Array.from({ length: steps + 1 }, (_, i) => pointAt(items, Math.round((i / steps) * 1e6) / 1e6));
}
