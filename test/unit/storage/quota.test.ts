import { describe, expect, it } from 'vitest';
import { isQuotaError } from '../../../src/lib/storage/errors.ts';
import { persistenceState, requestPersistence, storageUsage } from '../../../src/lib/storage/quota.ts';

type Manager = Parameters<typeof requestPersistence>[0];

describe('persistence and usage', () => {
  it('degrades to unsupported where navigator.storage does not exist (Node)', async () => {
    expect(await requestPersistence()).toBe('unsupported');
    expect(await storageUsage()).toBeUndefined();
  });

  it('reports granted, denied, and already persisted', async () => {
    const make = (persisted: boolean, grant: boolean) =>
      ({ persisted: async () => persisted, persist: async () => grant, estimate: async () => ({}) }) as Manager;
    expect(await requestPersistence(make(false, true))).toBe('granted');
    expect(await requestPersistence(make(false, false))).toBe('denied');
    expect(await requestPersistence(make(true, false))).toBe('granted');
    const throwing = { persisted: async () => false, persist: () => Promise.reject(new Error('x')), estimate: async () => ({}) } as Manager;
    expect(await requestPersistence(throwing)).toBe('unsupported');
  });

  it('returns usage and quota in bytes, or undefined when incomplete', async () => {
    const m = (est: StorageEstimate) => ({ persist: async () => true, persisted: async () => true, estimate: async () => est }) as Manager;
    expect(await storageUsage(m({ usage: 1024, quota: 4096 }))).toEqual({ usageBytes: 1024, quotaBytes: 4096 });
    expect(await storageUsage(m({ usage: 1 }))).toBeUndefined();
  });
});

describe('isQuotaError', () => {
  it('recognises the standard name, the old Firefox name and the legacy code', () => {
    expect(isQuotaError(new DOMException('full', 'QuotaExceededError'))).toBe(true);
    expect(isQuotaError({ name: 'NS_ERROR_DOM_QUOTA_REACHED' })).toBe(true);
    expect(isQuotaError({ name: 'Error', code: 22 })).toBe(true);
    expect(isQuotaError(new DOMException('x', 'ConstraintError'))).toBe(false);
    expect(isQuotaError(null)).toBe(false);
  });
});

describe('persistenceState', () => {
  it('reads without asking: granted, not asked yet, or unsupported', async () => {
    let asked = 0;
    const make = (persisted: boolean) =>
      ({ persisted: async () => persisted, persist: async () => (asked++, true), estimate: async () => ({}) }) as Manager;
    expect(await persistenceState(make(true))).toBe('granted');
    expect(await persistenceState(make(false))).toBe('not-asked');
    expect(await persistenceState()).toBe('unsupported');
    expect(asked).toBe(0);
  });
});
