/**
 * The review audit log in IndexedDB: append-only (events are added, never put over or deleted, except
 * with their dataset), and small settings (reviewer name, per-dataset thresholds).
 */
import { classEvent, crisisEvent, mergeLogs, noteEvent, replay, type MergeResult } from '../review/audit.ts';
import type { CrisisTarget, CrisisValue, ReviewEvent } from '../review/types.ts';
import type { LabelId } from '../taxonomy.ts';
import type { Review, Setting, XinanDatabase } from './db.ts';
import { eventsFromLegacyReview, LEGACY_REVIEWER } from './legacy-reviews.ts';
import { issueAll, writeTx } from './tx.ts';
import { protection } from './vault/keyring.ts';
import { openRecords, sealRecords } from './vault/records.ts';

/** Appends events in one transaction; an id already stored aborts it (events are immutable). */
export async function appendEvents(db: XinanDatabase, events: readonly ReviewEvent[]): Promise<void> {
  // Sealed before the transaction (WebCrypto would let it commit half-way); plain workspaces get them as they are.
  const sealed = await sealRecords(db, 'events', events);
  await writeTx(db, ['events'], (tx) => issueAll(sealed, (e) => tx.objectStore('events').add(e)));
}

/** The dataset's events (unordered; review/audit.ts orders them). */
export async function getEvents(db: XinanDatabase, datasetId: string): Promise<ReviewEvent[]> {
  return openRecords(db, 'events', await db.getAllFromIndex('events', 'byDataset', datasetId));
}

/**
 * Merges another reviewer's events into the dataset's log: read and add in one transaction, so
 * nothing stored is overwritten and a concurrent append is not missed. Returns what was added.
 */
export async function mergeEvents(db: XinanDatabase, datasetId: string, incoming: readonly ReviewEvent[]): Promise<MergeResult> {
  if (protection(db).mode !== 'plain') return mergeSealedEvents(db, datasetId, incoming);
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

/**
 * The same merge on an encrypted workspace: events are opened and the new ones sealed outside the write
 * transaction (WebCrypto would let it commit half-way). The write only `add`s new ids, so an event stored
 * meanwhile under one of them aborts the whole merge: nothing stored is overwritten, nothing half-merged.
 */
async function mergeSealedEvents(db: XinanDatabase, datasetId: string, incoming: readonly ReviewEvent[]): Promise<MergeResult> {
  const existing = await getEvents(db, datasetId);
  const others = (await Promise.all(incoming.map((e) => db.get('events', e.id)))).filter(
    (e): e is ReviewEvent => !!e && e.datasetId !== datasetId,
  );
  const result = mergeLogs([...existing, ...(await openRecords(db, 'events', others))], incoming);
  const sealed = await sealRecords(db, 'events', result.added);
  await writeTx(db, ['events'], (tx) => issueAll(sealed, (e) => tx.objectStore('events').add(e)));
  return result;
}

/**
 * v2 reviews that the v3 upgrade could not convert because they were sealed (db.ts migrateV3), turned into
 * events once the workspace is unlocked. Events are sealed before the write; the write adds only ids not yet
 * stored and deletes each converted review in the same transaction, so a review never goes without its events.
 */
export async function convertSealedReviews(db: XinanDatabase): Promise<number> {
  const left = await db.getAll('reviews');
  if (!left.length) return 0;
  const reviews = await openRecords(db, 'reviews', left);
  const events = await sealRecords(db, 'events', reviews.flatMap(eventsFromLegacyReview));
  await writeTx(db, ['reviews', 'events'], async (tx) => {
    const store = tx.objectStore('events');
    const stored = await Promise.all(events.map((e) => store.getKey(e.id)));
    await issueAll(
      events.filter((_, i) => stored[i] === undefined),
      (e) => store.add(e),
    );
    await issueAll(left, (r) => tx.objectStore('reviews').delete(r.itemId));
  });
  return left.length;
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

async function currentReviewer(db: XinanDatabase): Promise<string> {
  const n = await getSetting(db, REVIEWER_SETTING);
  return typeof n === 'string' && n.trim() ? n : LEGACY_REVIEWER;
}

/**
 * The v2 per-item `Review` view (label, note, crisis verdicts) of the current reviewer, derived from the
 * audit log: for callers written against the old reviews store (compare view). The log stays the one truth.
 */
export async function getReviews(db: XinanDatabase, datasetId: string): Promise<Review[]> {
  const reviewer = await currentReviewer(db);
  const mine = replay(await getEvents(db, datasetId)).byReviewer.get(reviewer) ?? new Map();
  return [...mine.values()].map((v) => ({
    itemId: v.itemId,
    datasetId,
    ...(typeof v.value === 'number' ? { label: v.value } : {}),
    ...(v.note ? { note: v.note } : {}),
    ...(Object.keys(v.crisis).length ? { crisis: v.crisis } : {}),
    updatedAt: v.at,
  }));
}

/** Sets the current reviewer's label/note on an item, as appended events (the old reviews API). */
export async function putReview(
  db: XinanDatabase,
  review: { itemId: string; datasetId: string; label?: LabelId; note?: string },
  updatedAt = Date.now(),
): Promise<void> {
  const reviewer = await currentReviewer(db);
  const old = replay(await getEvents(db, review.datasetId))
    .byReviewer.get(reviewer)
    ?.get(review.itemId);
  const c = { reviewer, datasetId: review.datasetId, itemId: review.itemId, at: updatedAt, blind: false };
  const events: ReviewEvent[] = [];
  if (review.label !== undefined && old?.value !== review.label) events.push(classEvent(c, old?.value ?? null, review.label));
  if (review.note !== undefined && (old?.note ?? null) !== (review.note || null)) events.push(noteEvent(c, old?.note ?? null, review.note));
  await appendEvents(db, events);
}

/** Sets (or clears) the current reviewer's verdict on one crisis point, as an appended event. */
export async function setCrisisVerdict(
  db: XinanDatabase,
  datasetId: string,
  itemId: string,
  dimension: CrisisTarget,
  verdict: CrisisValue | null,
  updatedAt = Date.now(),
): Promise<void> {
  const reviewer = await currentReviewer(db);
  const before =
    replay(await getEvents(db, datasetId))
      .byReviewer.get(reviewer)
      ?.get(itemId)?.crisis[dimension] ?? null;
  if (before === verdict) return;
  await appendEvents(db, [crisisEvent({ reviewer, datasetId, itemId, at: updatedAt, blind: false }, dimension, before, verdict)]);
}
