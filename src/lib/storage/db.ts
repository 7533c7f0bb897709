/**
 * The app's IndexedDB database ('xinan'): what is stored where.
 *
 * - datasets  — one record per imported file (`Dataset`), key `id`.
 * - dialogues — the imported turns, key `key` = `${datasetId}/${dialogueId}`;
 *               index byDataset = [datasetId, order] keeps file order.
 * - items     — one per scoreable supporter turn (`Item` + `seq`), key `id`;
 *               index byDataset = [datasetId, seq] keeps file order.
 * - scores    — model output, key [itemId, modelId], so one item can hold scores
 *               from several models and scoring resumes with only missing items;
 *               index byDatasetModel = [datasetId, modelId] (added in v2).
 * - reviews   — v2's reviewer label/note/crisis verdicts per item, key itemId. Since v3 empty: the v3
 *               upgrade turns every record into review events (legacy-reviews.ts); old backups still restore.
 * - events    — the review audit log (review/types.ts `ReviewEvent`), append-only, key `id`;
 *               index byDataset = datasetId (added in v3).
 * - settings  — small app settings `{key, value}`: the reviewer name, per-dataset thresholds (added in v3).
 *
 * The bundled model's files live in the Cache API (service worker); models brought from disk in OPFS
 * (models.ts), not here. Upgrade steps are
 * `if (oldVersion < n)` blocks and must only do IDB work (no fetches, no timers).
 */
import { openDB, type DBSchema, type IDBPDatabase, type IDBPTransaction, type StoreNames } from 'idb';
import type { CrisisDimension } from '../inference/crisis.ts';
import type { Verdict } from '../inference/crisis-review.ts';
import type { ReviewEvent } from '../review/types.ts';
import type { ItemScore } from '../inference/types.ts';
import type { LabelId } from '../taxonomy.ts';
import type { Dataset, Dialogue, Item } from '../transcripts/model.ts';
import { eventsFromLegacyReview } from './legacy-reviews.ts';
import { isSealed } from './vault/records.ts';

export const DB_NAME = 'xinan';
export const DB_VERSION = 3;

export interface StoredDialogue extends Dialogue {
  key: string;
  datasetId: string;
  /** Position in the imported file. */
  order: number;
}

export interface StoredItem extends Item {
  /** Position in the dataset (dialogue order, then turn order). */
  seq: number;
}

export interface StoredScore extends ItemScore {
  itemId: string;
  modelId: string;
  /** Missing on scores written by schema v1; the v2 upgrade fills it in. */
  datasetId: string;
  /** Epoch ms. */
  scoredAt: number;
}

export interface Review {
  itemId: string;
  datasetId: string;
  /** The reviewer's own class for the response, when they set one. */
  label?: LabelId;
  note?: string;
  /** The reviewer's verdict per crisis dimension on the crisis model's point (crisis view). */
  crisis?: CrisisVerdicts;
  updatedAt: number;
}

export type CrisisVerdicts = Partial<Record<CrisisDimension, Verdict>>;

/** One setting; `value` is plain JSON (string, number or boolean). */
export interface Setting {
  key: string;
  value: string | number | boolean;
}

export interface XinanDB extends DBSchema {
  datasets: { key: string; value: Dataset };
  dialogues: { key: string; value: StoredDialogue; indexes: { byDataset: [string, number] } };
  items: { key: string; value: StoredItem; indexes: { byDataset: [string, number] } };
  scores: {
    key: [string, string];
    value: StoredScore;
    indexes: { byModel: string; byDatasetModel: [string, string] };
  };
  reviews: { key: string; value: Review; indexes: { byDataset: string } };
  events: { key: string; value: ReviewEvent; indexes: { byDataset: string } };
  settings: { key: string; value: Setting };
}

export type XinanDatabase = IDBPDatabase<XinanDB>;
export type UpgradeTx = IDBPTransaction<XinanDB, StoreNames<XinanDB>[], 'versionchange'>;

/** Key range over one dataset in a [datasetId, number] index. */
export function datasetRange(datasetId: string): IDBKeyRange {
  return IDBKeyRange.bound([datasetId, -Infinity], [datasetId, Infinity]);
}

/** Key range over all of one dataset's entries in a [datasetId, string] index (arrays sort after every string). */
export function datasetAnyRange(datasetId: string): IDBKeyRange {
  return IDBKeyRange.bound([datasetId, -Infinity], [datasetId, []]);
}

function createV1(db: XinanDatabase): void {
  db.createObjectStore('datasets', { keyPath: 'id' });
  db.createObjectStore('dialogues', { keyPath: 'key' }).createIndex('byDataset', ['datasetId', 'order']);
  db.createObjectStore('items', { keyPath: 'id' }).createIndex('byDataset', ['datasetId', 'seq']);
  db.createObjectStore('scores', { keyPath: ['itemId', 'modelId'] }).createIndex('byModel', 'modelId');
}

/** v2: scores get `datasetId` (filled from their item) and an index to find a dataset's scores per model; reviews store. */
async function migrateV2(db: XinanDatabase, tx: UpgradeTx): Promise<void> {
  db.createObjectStore('reviews', { keyPath: 'itemId' }).createIndex('byDataset', 'datasetId');
  const scores = tx.objectStore('scores');
  scores.createIndex('byDatasetModel', ['datasetId', 'modelId']);
  const items = tx.objectStore('items');
  for (let cursor = await scores.openCursor(); cursor; cursor = await cursor.continue()) {
    if (cursor.value.datasetId) continue;
    const item = await items.get(cursor.value.itemId);
    // Orphan scores (item already gone) are dropped rather than kept unreachable.
    if (item) await cursor.update({ ...cursor.value, datasetId: item.datasetId });
    else await cursor.delete();
  }
}

/** v3: the review audit log and settings; v2 reviews become events (nothing is dropped: see legacy-reviews.ts). */
async function migrateV3(db: XinanDatabase, tx: UpgradeTx): Promise<void> {
  const events = db.createObjectStore('events', { keyPath: 'id' });
  events.createIndex('byDataset', 'datasetId');
  db.createObjectStore('settings', { keyPath: 'key' });
  const reviews = tx.objectStore('reviews');
  const store = tx.objectStore('events');
  for (const review of await reviews.getAll()) {
    // A sealed review (encrypted v2 workspace) cannot be converted here: there is no key during an upgrade.
    // It is left in `reviews`, untouched, and becomes events on the next unlock (events.ts convertSealedReviews).
    if (isSealed(review)) continue;
    for (const e of eventsFromLegacyReview(review)) await store.put(e);
    await reviews.delete(review.itemId);
  }
}

export interface OpenOptions {
  /** Only tests pass a lower version, to build an old database and upgrade it. */
  version?: number;
  /** Another tab wants to upgrade; by default we close so it can. */
  onBlocking?: () => void;
  /** Our upgrade waits for another tab to close its connection. */
  onBlocked?: () => void;
  /** The browser closed the connection abnormally (e.g. storage cleared). */
  onTerminated?: () => void;
}

export async function openXinanDb(name = DB_NAME, options: OpenOptions = {}): Promise<XinanDatabase> {
  const db: XinanDatabase = await openDB<XinanDB>(name, options.version ?? DB_VERSION, {
    async upgrade(database, oldVersion, _newVersion, tx) {
      if (oldVersion < 1) createV1(database);
      if (oldVersion < 2 && (options.version ?? DB_VERSION) >= 2) await migrateV2(database, tx);
      if (oldVersion < 3 && (options.version ?? DB_VERSION) >= 3) await migrateV3(database, tx);
    },
    blocked: () => options.onBlocked?.(),
    blocking: () => (options.onBlocking ? options.onBlocking() : db.close()),
    terminated: () => options.onTerminated?.(),
  });
  return db;
}
