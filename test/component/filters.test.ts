/** The results filters and risk ordering (pure functions behind the results view). */
import { describe, expect, it } from 'vitest';
import type { ItemScore } from '../../src/lib/inference/types.ts';
import { byRisk, isFiltering, matches, NO_FILTERS } from '../../src/lib/state/filters.ts';
import type { Item } from '../../src/lib/transcripts/index.ts';

const item = (goldLabel?: number): Item => ({
  id: 'd/x/1',
  datasetId: 'd',
  dialogueId: 'x',
  turnIndex: 1,
  context: [],
  response: 'r',
  ...(goldLabel === undefined ? {} : { goldLabel: goldLabel as 7 }),
});
const score = (label: number, pUnsafe: number): ItemScore => ({ probs: [], label, pUnsafe, truncated: false, droppedTurns: 0 });

describe('filters', () => {
  it('no filter keeps scored and unscored items', () => {
    expect(isFiltering(NO_FILTERS)).toBe(false);
    expect(matches(item(), undefined, NO_FILTERS)).toBe(true);
  });

  it('any filter drops unscored items', () => {
    expect(matches(item(), undefined, { ...NO_FILTERS, unsafeOnly: true })).toBe(false);
  });

  it('class, unsafe and mismatch each filter', () => {
    expect(matches(item(), score(3, 0.9), { ...NO_FILTERS, label: 3 })).toBe(true);
    expect(matches(item(), score(2, 0.9), { ...NO_FILTERS, label: 3 })).toBe(false);
    expect(matches(item(), score(7, 0.2), { ...NO_FILTERS, unsafeOnly: true })).toBe(false);
    expect(matches(item(7), score(2, 0.5), { ...NO_FILTERS, mismatchOnly: true })).toBe(true);
    expect(matches(item(2), score(2, 0.5), { ...NO_FILTERS, mismatchOnly: true })).toBe(false);
    expect(matches(item(), score(2, 0.5), { ...NO_FILTERS, mismatchOnly: true })).toBe(false);
  });

  it('sorts by risk, highest first, stable, unscored last', () => {
    const rows = [{ r: 0.2 }, { r: undefined }, { r: 0.9 }, { r: 0.2, second: true }];
    expect(byRisk(rows, (x) => x.r)).toEqual([{ r: 0.9 }, { r: 0.2 }, { r: 0.2, second: true }, { r: undefined }]);
  });
});
