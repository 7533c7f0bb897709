/**
 * Scores per (item, model). Written in batches as the worker finishes them, each
 * batch one transaction, so a reload or crash loses at most the batch in flight
 * and `missingItemIds` tells the app what is left to score.
 */
import type { ItemScore } from '../inference/types.ts';
import { datasetAnyRange, datasetRange, type StoredScore, type XinanDatabase } from './db.ts';
import { issueAll, writeTx } from './tx.ts';
import { openRecords, sealRecords } from './vault/records.ts';

export interface ScoreWrite {
  itemId: string;
  score: ItemScore;
}

function modelRange(datasetId: string, modelId: string): IDBKeyRange {
  return IDBKeyRange.only([datasetId, modelId]);
}

/** Writes one batch of scores for one model in one transaction (replacing earlier scores of the same pair). */
export async function putScores(
  db: XinanDatabase,
  datasetId: string,
  modelId: string,
  batch: readonly ScoreWrite[],
  scoredAt = Date.now(),
): Promise<void> {
  const records = await sealRecords(
    db,
    'scores',
    batch.map(({ itemId, score }) => ({ ...score, itemId, modelId, datasetId, scoredAt }) satisfies StoredScore),
  );
  await writeTx(db, ['scores'], (tx) => {
    const store = tx.objectStore('scores');
    return issueAll(records, (r) => store.put(r));
  });
}

/** The dataset's scores for one model, by item id. */
export async function getScores(db: XinanDatabase, datasetId: string, modelId: string): Promise<Map<string, StoredScore>> {
  const all = await openRecords(db, 'scores', await db.getAllFromIndex('scores', 'byDatasetModel', modelRange(datasetId, modelId)));
  return new Map(all.map((s) => [s.itemId, s]));
}

/** Ids of the dataset's items that have no score from `modelId`, in file order. Both reads share one snapshot. */
export async function missingItemIds(db: XinanDatabase, datasetId: string, modelId: string): Promise<string[]> {
  const tx = db.transaction(['items', 'scores'], 'readonly');
  const [itemIds, scoreKeys] = await Promise.all([
    tx.objectStore('items').index('byDataset').getAllKeys(datasetRange(datasetId)),
    tx.objectStore('scores').index('byDatasetModel').getAllKeys(modelRange(datasetId, modelId)),
    tx.done,
  ]);
  const scored = new Set(scoreKeys.map(([itemId]) => itemId));
  return itemIds.filter((id) => !scored.has(id));
}

/** How many of the dataset's items `modelId` has scored. */
export function countScores(db: XinanDatabase, datasetId: string, modelId: string): Promise<number> {
  return db.countFromIndex('scores', 'byDatasetModel', modelRange(datasetId, modelId));
}

/** Model ids that have scored at least one item of the dataset. */
export async function modelsForDataset(db: XinanDatabase, datasetId: string): Promise<string[]> {
  const keys = await db.getAllKeysFromIndex('scores', 'byDatasetModel', datasetAnyRange(datasetId));
  return [...new Set(keys.map(([, modelId]) => modelId))];
}

/** The old reviews API, now over the audit log (see events.ts). */
export { getReviews, putReview, setCrisisVerdict } from './events.ts';
