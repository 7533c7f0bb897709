/** Pure filtering and ranking of scored items (kept out of the rune class so it is unit-testable). */
import type { ItemScore } from '../inference/types';
import { SAFE_LABEL } from '../taxonomy';
import type { Item } from '../transcripts';

export interface Filters {
  /** Predicted class id, or undefined for all. */
  label?: number;
  /** Unsafe under the app's one decision (decision.ts): give `matches` decided scores. */
  unsafeOnly: boolean;
  mismatchOnly: boolean;
  sortByRisk: boolean;
}

export const NO_FILTERS: Filters = { unsafeOnly: false, mismatchOnly: false, sortByRisk: true };

export function isFiltering(f: Filters): boolean {
  return f.label !== undefined || f.unsafeOnly || f.mismatchOnly;
}

/** `score` must already carry the decided label (decision.ts `decide`), so "unsafe" means one thing. */
export function matches(item: Item, score: ItemScore | undefined, f: Filters): boolean {
  if (!isFiltering(f)) return true;
  if (!score) return false;
  if (f.label !== undefined && score.label !== f.label) return false;
  if (f.unsafeOnly && score.label === SAFE_LABEL) return false;
  if (f.mismatchOnly && (item.goldLabel === undefined || item.goldLabel === score.label)) return false;
  return true;
}

/** Stable sort by P(unsafe), highest first; unscored items last. Sorts indices over a typed array: it runs on 10,000 rows. */
export function byRisk<T>(rows: T[], risk: (row: T) => number | undefined): T[] {
  const r = new Float64Array(rows.length);
  rows.forEach((row, i) => (r[i] = risk(row) ?? -1));
  const order = Array.from(rows.keys()).sort((a, b) => r[b] - r[a] || a - b);
  return order.map((i) => rows[i]);
}
