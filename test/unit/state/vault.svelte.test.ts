import { describe, expect, it } from 'vitest';
import { importDataset, listDatasets } from '../../../src/lib/storage/datasets.ts';
import { readVault } from '../../../src/lib/storage/vault/vault.ts';
import { Vault } from '../../../src/lib/state/vault.svelte.ts';
import type { Workspace } from '../../../src/lib/state/workspace.svelte.ts';
import { makeDatasetRecords } from '../../helpers/factories.ts';
import { openFreshDb } from '../../helpers/storage.ts';
import { MemDir } from '../../helpers/opfs.ts';

/** The real KDF parameters run here (one derivation per enable/unlock): this is the app's own path. */
async function setup() {
  const db = await openFreshDb();
  await importDataset(db, makeDatasetRecords('a', 2));
  const workspace = { db: () => Promise.resolve(db) } as unknown as Workspace;
  let reloads = 0;
  const vault = new Vault(workspace, () => reloads++);
  await vault.init();
  return { db, workspace, vault, reloads: () => reloads };
}

describe('Vault state', () => {
  it('refuses a short or mistyped passphrase and an unconfirmed warning, changing nothing', { timeout: 120_000 }, async () => {
    const { db, vault } = await setup();
    expect(vault.mode).toBe('plain');
    expect(await vault.enable('short', 'short', true)).toBe(false);
    expect(vault.formError?.key).toBe('vaultTooShort');
    expect(await vault.enable('long enough', 'long enougH', true)).toBe(false);
    expect(vault.formError?.key).toBe('vaultMismatch');
    expect(await vault.enable('long enough', 'long enough', false)).toBe(false);
    expect(vault.formError?.key).toBe('vaultMustAcknowledge');
    expect(await vault.enable('long enough', 'long enough', true, { autoLockMinutes: -1, showNames: false })).toBe(false);
    expect(vault.formError?.key).toBe('vaultBadMinutes');
    expect(await readVault(db)).toBeUndefined();
    expect(vault.mode).toBe('plain');
    db.close();
  });

  it('enables, locks (reload), refuses a wrong passphrase with a translated error, unlocks', { timeout: 120_000 }, async () => {
    const { db, vault, workspace, reloads } = await setup();
    expect(await vault.enable('long enough', 'long enough', true)).toBe(true);
    expect(vault.mode).toBe('unlocked');
    expect(vault.notice).toBe('vaultEnabled');
    await vault.lock();
    expect(reloads()).toBe(1);
    // After the reload: a new Vault on the same database finds it locked, with only counts to show.
    const again = new Vault(workspace, () => undefined);
    await again.init();
    expect(again.mode).toBe('locked');
    expect(again.lockedDatasets).toEqual([expect.objectContaining({ dialogueCount: 2, itemCount: 2 })]);
    expect(again.lockedDatasets[0].name).toBeUndefined();
    expect(await again.unlock('wrong one!')).toBe(false);
    expect(again.error).toEqual({ kind: 'wrong-passphrase' });
    expect(again.mode).toBe('locked');
    expect(await again.unlock('long enough')).toBe(true);
    expect(again.mode).toBe('unlocked');
    expect((await listDatasets(db)).map((d) => d.name)).toEqual(['a.json']);
    db.close();
  });

  it('a forgotten passphrase wipes everything, models brought from disk (OPFS) included', { timeout: 120_000 }, async () => {
    const db = await openFreshDb();
    await importDataset(db, makeDatasetRecords('a', 2));
    const root = new MemDir();
    const stored = (await root.getDirectoryHandle('models', { create: true })) as MemDir;
    await stored.getDirectoryHandle('abc123', { create: true });
    const workspace = { db: () => Promise.resolve(db), modelsRoot: () => Promise.resolve(root) } as unknown as Workspace;
    let reloads = 0;
    const vault = new Vault(workspace, () => reloads++);
    await vault.init();
    expect(await vault.enable('long enough', 'long enough', true)).toBe(true);
    await vault.wipeForgotten();
    expect(reloads).toBe(1);
    expect(await readVault(db)).toBeUndefined();
    expect(await listDatasets(db)).toEqual([]);
    expect([...stored.dirs.keys()]).toEqual([]);
    db.close();
  });
});
