/**
 * Sealing policy per store: which fields stay readable because IndexedDB needs them (key paths, index fields)
 * or the locked screen may show them (dataset counts and date), and the sealed blob that holds everything else.
 * A stored record is either plaintext (written before encryption was turned on, or while migrating) or sealed;
 * readers accept both, so a migration that stops half-way loses nothing.
 *
 * The functions keep the store's record type on purpose (a sealed record is typed as the plain one): the schema
 * in db.ts stays as it is and every store function changes by one call. Only this file looks inside.
 */
import type { XinanDatabase } from '../db.ts';
import { protection, VaultLockedError } from './keyring.ts';
import { isSealedBlob, SealedRecordError, sealJson, unsealJson, WrongPassphraseError, type SealedBlob } from './seal.ts';

/**
 * Stores whose records are sealed, with the fields that stay in plaintext. `settings` is not among them on purpose:
 * reviewer name, blind mode and thresholds stay readable (SECURITY.md). `reviews` is empty since schema v3 except for
 * sealed v2 reviews the upgrade had to leave, which the next unlock turns into events (events.ts convertSealedReviews).
 */
export const PLAIN_FIELDS = {
  datasets: ['id', 'createdAt', 'dialogueCount', 'itemCount', 'goldCount', 'format', 'layout'],
  dialogues: ['key', 'datasetId', 'order'],
  items: ['id', 'datasetId', 'seq'],
  scores: ['itemId', 'modelId', 'datasetId'],
  reviews: ['itemId', 'datasetId'],
  events: ['id', 'datasetId'],
} as const satisfies Record<string, readonly string[]>;

export type SealedStore = keyof typeof PLAIN_FIELDS;
/** Dataset fields that stay readable when the user allows names on the locked screen. */
const NAME_FIELDS = ['name', 'sourceFile'];

interface SealedShape {
  sealed: SealedBlob;
}

/** The primary key of a record of `store`, as a string for the additional data. */
function keyOf(store: SealedStore, r: Record<string, unknown>): string {
  const key = store === 'dialogues' ? r.key : store === 'scores' ? [r.itemId, r.modelId] : store === 'reviews' ? r.itemId : r.id;
  return `${store}:${JSON.stringify(key)}`;
}

export function isSealed(record: unknown): boolean {
  return !!record && typeof record === 'object' && isSealedBlob((record as Partial<SealedShape>).sealed);
}

function plainFields(db: XinanDatabase, store: SealedStore): readonly string[] {
  const p = protection(db);
  return store === 'datasets' && p.mode === 'unlocked' && p.showNames ? [...PLAIN_FIELDS.datasets, ...NAME_FIELDS] : PLAIN_FIELDS[store];
}

/** Seals with a given key (migration, restore); `keep` are the fields left readable. */
export async function sealWith<T extends object>(key: CryptoKey, store: SealedStore, record: T, keep: readonly string[]): Promise<T> {
  const r = record as Record<string, unknown>;
  const outside: Record<string, unknown> = {};
  const inside: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(r)) (keep.includes(k) ? outside : inside)[k] = v;
  // The readable fields are sealed too, so opening never depends on them (and a changed one is noticed).
  return { ...outside, sealed: await sealJson(key, { ...inside, ...outside }, keyOf(store, r)) } as T;
}

/** What a store function writes: sealed when the workspace is encrypted and unlocked, as is when plain. */
export async function sealRecord<T extends object>(db: XinanDatabase, store: SealedStore, record: T): Promise<T> {
  const p = protection(db);
  if (p.mode === 'plain') return record;
  if (p.mode === 'locked') throw new VaultLockedError();
  return sealWith(p.key, store, record, plainFields(db, store));
}

export function sealRecords<T extends object>(db: XinanDatabase, store: SealedStore, records: readonly T[]): Promise<T[]> {
  return Promise.all(records.map((r) => sealRecord(db, store, r)));
}

export async function openWith<T>(key: CryptoKey, store: SealedStore, record: T): Promise<T> {
  if (!isSealed(record)) return record;
  const r = record as unknown as SealedShape & Record<string, unknown>;
  try {
    return await unsealJson<T>(key, r.sealed, keyOf(store, r));
  } catch (e) {
    if (e instanceof WrongPassphraseError) throw new SealedRecordError(`${keyOf(store, r)} cannot be opened with this workspace's key`);
    throw e;
  }
}

/** What a store function returns: the plain record (sealed ones opened with the data key). */
export async function openRecord<T>(db: XinanDatabase, store: SealedStore, record: T): Promise<T> {
  if (!isSealed(record)) return record;
  const p = protection(db);
  if (p.mode !== 'unlocked') throw new VaultLockedError();
  return openWith(p.key, store, record);
}

export async function openMaybe<T>(db: XinanDatabase, store: SealedStore, record: T | undefined): Promise<T | undefined> {
  return record === undefined ? undefined : openRecord(db, store, record);
}

export function openRecords<T>(db: XinanDatabase, store: SealedStore, records: readonly T[]): Promise<T[]> {
  return Promise.all(records.map((r) => openRecord(db, store, r)));
}

type Stores = Partial<Record<SealedStore, readonly object[]>>;

/** Every sealed store's records in `bag` opened (backups read the whole workspace); other fields as they are. */
export async function openStores<B extends Stores>(db: XinanDatabase, bag: B): Promise<B> {
  const out: Record<string, unknown> = { ...bag };
  for (const s of Object.keys(PLAIN_FIELDS) as SealedStore[]) {
    const records = bag[s];
    if (records) out[s] = await openRecords(db, s, records);
  }
  return out as B;
}

/** Every sealed store's records in `bag` sealed for writing (restore); seal before the write transaction. */
export async function sealStores<B extends Stores>(db: XinanDatabase, bag: B): Promise<B> {
  const out: Record<string, unknown> = { ...bag };
  for (const s of Object.keys(PLAIN_FIELDS) as SealedStore[]) {
    const records = bag[s];
    if (records) out[s] = await sealRecords(db, s, records);
  }
  return out as B;
}
