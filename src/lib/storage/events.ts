/**
 * The review audit log in IndexedDB: append-only (events are added, never put over or deleted, except
 * with their dataset), and small settings (reviewer name, per-dataset thresholds).
 */
import { mergeLogs, type MergeResult } from '../review/audit.ts';
import type { ReviewEvent } from '../review/types.ts';
import type { Setting, XinanDatabase } from './db.ts';
import { issueAll, writeTx } from './tx.ts';

/** Appends events in one transaction; an id already stored aborts it (events are immutable). */
export async function appendEvents(db: XinanDatabase, events: readonly ReviewEvent[]): Promise<void> {
  await writeTx(db, ['events'], (tx) => issueAll(events, (e) => tx.objectStore('events').add(e)));
}

/** The dataset's events (unordered; review/audit.ts orders them). */
export function getEvents(db: XinanDatabase, datasetId: string): Promise<ReviewEvent[]> {
  return db.getAllFromIndex('events', 'byDataset', datasetId);
}

/**
 * Merges another reviewer's events into the dataset's log: read and add in one transaction, so
 * nothing stored is overwritten and a concurrent append is not missed. Returns what was added.
 */
export async function mergeEvents(db: XinanDatabase, datasetId: string, incoming: readonly ReviewEvent[]): Promise<MergeResult> {
  let result: MergeResult = { events: [], added: [], conflicts: [] };
  await writeTx(db, ['events'], async (tx) => {
    const store = tx.objectStore('events');
    const existing = await store.index('byDataset').getAll(datasetId);
    // Ids are global: an event of another dataset under the same id is a conflict too.
    const elsewhere = await Promise.all(incoming.map((e) => store.get(e.id)));
    result = mergeLogs([...existing, ...elsewhere.filter((e): e is ReviewEvent => !!e && e.datasetId !== datasetId)], incoming);
    await issueAll(result.added, (e) => store.add(e));
  });
  return result;
}

export async function getSetting(db: XinanDatabase, key: string): Promise<Setting['value'] | undefined> {
  return (await db.get('settings', key))?.value;
}

export async function putSetting(db: XinanDatabase, key: string, value: Setting['value']): Promise<void> {
  await writeTx(db, ['settings'], (tx) => tx.objectStore('settings').put({ key, value }));
}

export const REVIEWER_SETTING = 'reviewer';
/** Per-dataset P(unsafe) threshold chosen from reviewed items. */
export function thresholdSetting(datasetId: string): string {
  return `threshold:${datasetId}`;
}
