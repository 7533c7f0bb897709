/**
 * Persistent storage is asked for at the first import; the answer must stand even when the import
 * finishes before the workspace's start-up read of the persistence state (a race seen in e2e).
 */
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Workspace } from '../../src/lib/state/workspace.svelte.ts';

describe('Workspace persistence state', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('keeps the answer of a request made while init was still reading', async () => {
    vi.stubGlobal('indexedDB', new IDBFactory());
    let releasePersisted!: (v: boolean) => void;
    const persistedAtStart = new Promise<boolean>((r) => (releasePersisted = r));
    let calls = 0;
    vi.stubGlobal('navigator', {
      storage: {
        // The first call (init) answers late; the request's own check answers at once.
        persisted: () => (calls++ === 0 ? persistedAtStart : Promise.resolve(false)),
        persist: () => Promise.resolve(false),
        estimate: () => Promise.resolve({ usage: 0, quota: 1e9 }),
      },
    });
    const workspace = new Workspace();
    const started = workspace.init();
    await vi.waitFor(() => expect(calls).toBe(1));
    await workspace.askPersistence();
    expect(workspace.persist).toBe('denied');
    releasePersisted(false);
    await started;
    expect(workspace.persist).toBe('denied');
  });
});
