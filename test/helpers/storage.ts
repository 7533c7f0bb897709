/** Storage test helpers: unique database names and a simulated full disk. */
import { vi } from 'vitest';
import { openXinanDb, type OpenOptions, type XinanDatabase } from '../../src/lib/storage/db.ts';

let counter = 0;

/** A new, empty database per call, so tests never share state through fake-indexeddb. */
export function openFreshDb(options: OpenOptions = {}): Promise<XinanDatabase> {
  return openXinanDb(`xinan-test-${++counter}-${Date.now()}`, options);
}

export function freshDbName(): string {
  return `xinan-test-${++counter}-${Date.now()}`;
}

/**
 * Makes `put`/`add` throw QuotaExceededError once `allowed` writes have succeeded,
 * as a browser does when the origin's quota is used up. Returns the restore function.
 */
export function simulateQuotaAfter(allowed: number): () => void {
  let writes = 0;
  const spies = (['put', 'add'] as const).map((method) => {
    const original = IDBObjectStore.prototype[method];
    return vi.spyOn(IDBObjectStore.prototype, method).mockImplementation(function (this: IDBObjectStore, ...args) {
      if (++writes > allowed) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      return original.apply(this, args as Parameters<typeof original>);
    });
  });
  return () => spies.forEach((s) => s.mockRestore());
}

/**
 * The other way browsers report a full disk: the request is accepted, then the
 * transaction aborts with `error.name === 'QuotaExceededError'` and every pending
 * request fails with AbortError. Uses fake-indexeddb's internal `_abort(errName)`,
 * which is what its own abort paths call (fake-indexeddb 6.2, FDBTransaction.js).
 */
export function simulateQuotaAbortAfter(allowed: number): () => void {
  let writes = 0;
  const spies = (['put', 'add'] as const).map((method) => {
    const original = IDBObjectStore.prototype[method];
    return vi.spyOn(IDBObjectStore.prototype, method).mockImplementation(function (this: IDBObjectStore, ...args) {
      const request = original.apply(this, args as Parameters<typeof original>);
      if (++writes === allowed + 1) {
        (this.transaction as unknown as { _abort(name: string): void })._abort('QuotaExceededError');
      }
      return request;
    });
  });
  return () => spies.forEach((s) => s.mockRestore());
}
