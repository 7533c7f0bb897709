/** Datasets with their dialogues and items: import (one transaction), read, delete (cascade), wipe. */
import type { DatasetRecords } from '../transcripts/dataset.ts';
import type { Dataset } from '../transcripts/model.ts';
import { thresholdSetting } from './events.ts';
import { datasetAnyRange, datasetRange, type StoredDialogue, type StoredItem, type XinanDatabase } from './db.ts';
import { issueAll, writeTx } from './tx.ts';
import { openMaybe, openRecords, sealRecord, sealRecords } from './vault/records.ts';

const ALL_STORES = ['datasets', 'dialogues', 'items', 'scores', 'reviews', 'events', 'settings'] as const;

/** A fresh dataset id: no '/', because item ids are `${datasetId}/${dialogueId}/${turn}`. */
export function newDatasetId(): string {
  return crypto.randomUUID();
}

export class DuplicateDatasetError extends Error {
  override name = 'DuplicateDatasetError';
}

/**
 * Stores a parsed dataset in one transaction: either all of it is written or,
 * on any error (quota included → StorageFullError), none of it.
 */
export async function importDataset(db: XinanDatabase, records: DatasetRecords): Promise<Dataset> {
  const { dataset, dialogues, items } = records;
  if (items.some((i) => i.datasetId !== dataset.id)) throw new Error('items belong to another dataset');
  // Sealed (when the workspace is encrypted) before the transaction: it must not wait on WebCrypto.
  const [sealedDataset, sealedDialogues, sealedItems] = await Promise.all([
    sealRecord(db, 'datasets', dataset),
    sealRecords(
      db,
      'dialogues',
      dialogues.map((dlg, order) => ({ ...dlg, key: `${dataset.id}/${dlg.id}`, datasetId: dataset.id, order }) satisfies StoredDialogue),
    ),
    sealRecords(
      db,
      'items',
      items.map((item, seq) => ({ ...item, seq }) satisfies StoredItem),
    ),
  ]);
  await writeTx(db, ['datasets', 'dialogues', 'items'], async (tx) => {
    if (await tx.objectStore('datasets').getKey(dataset.id)) {
      throw new DuplicateDatasetError(`dataset ${dataset.id} already exists`);
    }
    const d = tx.objectStore('dialogues');
    const it = tx.objectStore('items');
    await Promise.all([
      tx.objectStore('datasets').add(sealedDataset),
      issueAll(sealedDialogues, (dlg) => d.add(dlg)),
      issueAll(sealedItems, (item) => it.add(item)),
    ]);
  });
  return dataset;
}

/** Newest first. */
export async function listDatasets(db: XinanDatabase): Promise<Dataset[]> {
  const all = await openRecords(db, 'datasets', await db.getAll('datasets'));
  return all.sort((a, b) => b.createdAt - a.createdAt);
}

export async function getDataset(db: XinanDatabase, id: string): Promise<Dataset | undefined> {
  return openMaybe(db, 'datasets', await db.get('datasets', id));
}

/** Dialogues in file order. */
export async function getDialogues(db: XinanDatabase, datasetId: string): Promise<StoredDialogue[]> {
  return openRecords(db, 'dialogues', await db.getAllFromIndex('dialogues', 'byDataset', datasetRange(datasetId)));
}

export async function getDialogue(db: XinanDatabase, datasetId: string, dialogueId: string): Promise<StoredDialogue | undefined> {
  return openMaybe(db, 'dialogues', await db.get('dialogues', `${datasetId}/${dialogueId}`));
}

/** Items in file order. */
export async function getItems(db: XinanDatabase, datasetId: string): Promise<StoredItem[]> {
  return openRecords(db, 'items', await db.getAllFromIndex('items', 'byDataset', datasetRange(datasetId)));
}

/** Deletes a dataset and everything hanging off it, in one transaction. */
export async function deleteDataset(db: XinanDatabase, datasetId: string): Promise<void> {
  await writeTx(db, [...ALL_STORES], async (tx) => {
    const range = datasetRange(datasetId);
    const [dialogueKeys, itemKeys, reviewKeys, eventKeys] = await Promise.all([
      tx.objectStore('dialogues').index('byDataset').getAllKeys(range),
      tx.objectStore('items').index('byDataset').getAllKeys(range),
      tx.objectStore('reviews').index('byDataset').getAllKeys(datasetId),
      tx.objectStore('events').index('byDataset').getAllKeys(datasetId),
    ]);
    const scoreKeys = await tx.objectStore('scores').index('byDatasetModel').getAllKeys(datasetAnyRange(datasetId));
    await Promise.all([
      tx.objectStore('datasets').delete(datasetId),
      issueAll(dialogueKeys, (k) => tx.objectStore('dialogues').delete(k)),
      issueAll(itemKeys, (k) => tx.objectStore('items').delete(k)),
      issueAll(reviewKeys, (k) => tx.objectStore('reviews').delete(k)),
      issueAll(scoreKeys, (k) => tx.objectStore('scores').delete(k)),
      issueAll(eventKeys, (k) => tx.objectStore('events').delete(k)),
      tx.objectStore('settings').delete(thresholdSetting(datasetId)),
    ]);
  });
}

/** Empties every store (the database itself stays, at the current version). */
export async function wipeAll(db: XinanDatabase): Promise<void> {
  await writeTx(db, [...ALL_STORES], (tx) => Promise.all(ALL_STORES.map((s) => tx.objectStore(s).clear())));
}
