/** Pure filtering and ranking of scored items (kept out of the rune class so it is unit-testable). */
import type { ItemScore } from '../inference/types';
import { SAFE_LABEL } from '../taxonomy';
import type { Item } from '../transcripts';

export interface Filters {
  /** Predicted class id, or undefined for all. */
  label?: number;
  unsafeOnly: boolean;
  /** Keep items with P(unsafe) ≥ this (0 keeps everything scored and unscored). */
  threshold: number;
  mismatchOnly: boolean;
  sortByRisk: boolean;
}

export const NO_FILTERS: Filters = { unsafeOnly: false, threshold: 0, mismatchOnly: false, sortByRisk: true };

export function isFiltering(f: Filters): boolean {
  return f.label !== undefined || f.unsafeOnly || f.threshold > 0 || f.mismatchOnly;
}

export function matches(item: Item, score: ItemScore | undefined, f: Filters): boolean {
  if (!isFiltering(f)) return true;
  if (!score) return false;
  if (f.label !== undefined && score.label !== f.label) return false;
  if (f.unsafeOnly && score.label === SAFE_LABEL) return false;
  if (score.pUnsafe < f.threshold) return false;
  if (f.mismatchOnly && (item.goldLabel === undefined || item.goldLabel === score.label)) return false;
  return true;
}

/** Stable sort by P(unsafe), highest first; unscored items last. */
export function byRisk<T>(rows: T[], risk: (row: T) => number | undefined): T[] {
  return rows
    .map((row, i) => ({ row, i, r: risk(row) ?? -1 }))
    .sort((a, b) => b.r - a.r || a.i - b.i)
    .map((x) => x.row);
}
