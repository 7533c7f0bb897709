/**
 * All-or-nothing writes. The body may only issue IDB requests (awaiting them is
 * fine); awaiting anything else lets the transaction auto-commit half-way
 * (idb README, "Transaction lifetime"). On any failure we abort, so nothing of
 * the transaction is kept, and a quota failure becomes StorageFullError.
 */
import type { IDBPTransaction, StoreNames } from 'idb';
import { isQuotaError, StorageFullError } from './errors.ts';
import type { XinanDatabase, XinanDB } from './db.ts';

export type WriteTx<S extends StoreNames<XinanDB>[]> = IDBPTransaction<XinanDB, S, 'readwrite'>;

export async function writeTx<S extends StoreNames<XinanDB>[], T>(
  db: XinanDatabase,
  stores: S,
  body: (tx: WriteTx<S>) => Promise<T>,
): Promise<T> {
  const tx = db.transaction(stores, 'readwrite');
  const run = body(tx);
  try {
    const [result] = await Promise.all([run, tx.done]);
    return result;
  } catch (first) {
    try {
      tx.abort();
    } catch {
      // Already aborted or finished: the browser rolled it back itself.
    }
    // tx.done's AbortError often settles before the request error that caused it;
    // wait for both and report the cause, not the abort.
    const [bodyOutcome] = await Promise.allSettled([run, tx.done]);
    const cause = bodyOutcome.status === 'rejected' ? bodyOutcome.reason : (tx.error ?? first);
    if (isQuotaError(cause) || isQuotaError(tx.error)) throw new StorageFullError({ cause });
    throw cause;
  }
}

/**
 * Issues one request per value and waits for all. If issuing throws synchronously
 * (e.g. DataCloneError, or a full disk in some engines), the requests already
 * issued are still awaited-with-catch so their abort rejections are not unhandled.
 */
export function issueAll<V>(values: readonly V[], request: (value: V, index: number) => Promise<unknown>): Promise<unknown[]> {
  const started: Promise<unknown>[] = [];
  try {
    values.forEach((v, i) => started.push(request(v, i)));
  } catch (e) {
    for (const p of started) p.catch(() => undefined);
    return Promise.reject(e);
  }
  return Promise.all(started);
}
