/**
 * Storage persistence and usage. `navigator.storage` is missing in Node, in some
 * private-browsing modes and on insecure origins, so every helper degrades to
 * 'unsupported'/undefined instead of throwing. The manager is injectable for tests.
 */
type StorageManagerLike = Pick<StorageManager, 'persist' | 'persisted' | 'estimate'>;

function defaultManager(): StorageManagerLike | undefined {
  // Looked up lazily: Node has no `navigator` before v21 and no `navigator.storage` at all.
  const nav = (globalThis as { navigator?: { storage?: StorageManagerLike } }).navigator;
  return nav?.storage;
}

export type PersistResult = 'granted' | 'denied' | 'unsupported';

/**
 * Whether the data is already persisted, without asking: the app asks at the first import (a user
 * action, with data worth keeping), not at start. 'not-asked' when not persisted yet.
 */
export async function persistenceState(manager = defaultManager()): Promise<PersistResult | 'not-asked'> {
  if (!manager?.persist || !manager.persisted) return 'unsupported';
  try {
    return (await manager.persisted()) ? 'granted' : 'not-asked';
  } catch {
    return 'unsupported';
  }
}

/** Asks the browser not to evict our data under storage pressure. */
export async function requestPersistence(manager = defaultManager()): Promise<PersistResult> {
  if (!manager?.persist) return 'unsupported';
  try {
    if (await manager.persisted?.()) return 'granted';
    return (await manager.persist()) ? 'granted' : 'denied';
  } catch {
    return 'unsupported';
  }
}

export interface StorageUsage {
  usageBytes: number;
  quotaBytes: number;
}

/** Bytes used and available to this origin, or undefined when the browser cannot say. */
export async function storageUsage(manager = defaultManager()): Promise<StorageUsage | undefined> {
  if (!manager?.estimate) return undefined;
  try {
    const { usage, quota } = await manager.estimate();
    if (usage === undefined || quota === undefined) return undefined;
    return { usageBytes: usage, quotaBytes: quota };
  } catch {
    return undefined;
  }
}
