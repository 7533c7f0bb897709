/**
 * Seals a workspace in place, a batch at a time. Each record is plaintext or sealed, never half of each, and
 * tells by itself which it is: so progress is marked per record, a tab that dies mid-way loses nothing
 * (readers accept both), and the next run seals only what is still plaintext.
 *
 * WebCrypto is async and an IDB transaction commits when it waits on anything else, so each batch is read
 * in one transaction, sealed outside any, and written in a second one that re-checks each record: one the
 * app rewrote meanwhile (already sealed, since the key is registered first) is left as it is.
 */
import type { StoreNames } from 'idb';
import type { XinanDatabase, XinanDB } from '../db.ts';
import { writeTx } from '../tx.ts';
import { isSealed, openWith, PLAIN_FIELDS, sealWith, type SealedStore } from './records.ts';

export interface MigrateOptions {
  /** Records per transaction. */
  batchSize?: number;
  /** Tests: stop (as if the tab died) after sealing this many records. */
  stopAfter?: number;
  onProgress?: (done: number, total: number) => void;
}

type AnyStore = StoreNames<XinanDB>;

function storesOf(db: XinanDatabase): SealedStore[] {
  // `events` exists from schema v3 on; any store in PLAIN_FIELDS that this database has is sealed.
  return (Object.keys(PLAIN_FIELDS) as SealedStore[]).filter((s) => db.objectStoreNames.contains(s as AnyStore));
}

function keepFor(store: SealedStore, showNames: boolean): readonly string[] {
  return store === 'datasets' && showNames ? [...PLAIN_FIELDS.datasets, 'name', 'sourceFile'] : PLAIN_FIELDS[store];
}

/** Seals every plaintext record. Returns false when stopped early by `stopAfter`. */
export async function sealWorkspace(db: XinanDatabase, key: CryptoKey, showNames: boolean, options: MigrateOptions = {}): Promise<boolean> {
  const batchSize = options.batchSize ?? 200;
  const stores = storesOf(db);
  let total = 0;
  for (const s of stores) total += await db.count(s as AnyStore);
  let done = 0;
  for (const store of stores) {
    const name = store as AnyStore;
    const keys = await db.getAllKeys(name);
    for (let i = 0; i < keys.length; i += batchSize) {
      let slice = keys.slice(i, i + batchSize);
      if (options.stopAfter !== undefined) slice = slice.slice(0, Math.max(0, options.stopAfter - done));
      if (!slice.length) return false;
      const rtx = db.transaction(name, 'readonly');
      const records = (await Promise.all([...slice.map((k) => rtx.store.get(k as never)), rtx.done])).slice(0, slice.length);
      const sealed = await Promise.all(
        records.map((r) => (r && !isSealed(r) ? sealWith(key, store, r as object, keepFor(store, showNames)) : undefined)),
      );
      await writeTx(db, [name], async (tx) => {
        const st = tx.objectStore(name);
        for (let j = 0; j < slice.length; j++) {
          const next = sealed[j];
          if (!next) continue;
          const now = await st.get(slice[j] as never);
          if (now && !isSealed(now)) await st.put(next as never);
        }
      });
      done += slice.length;
      options.onProgress?.(done, total);
      if (options.stopAfter !== undefined && done >= options.stopAfter && done < total) return false;
    }
  }
  return true;
}

/** After the names option changes: re-seal every dataset record with the fields that may be readable. */
export async function resealDatasets(db: XinanDatabase, key: CryptoKey, showNames: boolean): Promise<void> {
  const all = await Promise.all((await db.getAll('datasets')).map((d) => openWith(key, 'datasets', d)));
  const sealed = await Promise.all(all.map((d) => sealWith(key, 'datasets', d, keepFor('datasets', showNames))));
  await writeTx(db, ['datasets'], async (tx) => {
    for (const d of sealed) if (await tx.objectStore('datasets').getKey(d.id)) await tx.objectStore('datasets').put(d);
  });
}
