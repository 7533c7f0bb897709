import { describe, expect, it } from 'vitest';
import { createBackup, restoreBackup, serializeBackup } from '../../../src/lib/storage/backup.ts';
import { getDialogues, getItems, importDataset, listDatasets } from '../../../src/lib/storage/datasets.ts';
import type { XinanDatabase } from '../../../src/lib/storage/db.ts';
import { getReviews, getScores, putReview, putScores, setCrisisVerdict } from '../../../src/lib/storage/scores.ts';
import type { KdfParams } from '../../../src/lib/storage/vault/kdf.ts';
import { defaultKdf, deriveBits } from '../../../src/lib/storage/vault/kdf.ts';
import { isSealed } from '../../../src/lib/storage/vault/records.ts';
import { sealJson, unsealJson, newDataKey, WrongPassphraseError } from '../../../src/lib/storage/vault/seal.ts';
import { VaultLockedError, protection } from '../../../src/lib/storage/vault/keyring.ts';
import {
  changePassphrase,
  enableEncryption,
  lock,
  openVault,
  readVault,
  setVaultOptions,
  unlock,
  wipeEncrypted,
} from '../../../src/lib/storage/vault/vault.ts';
import { decryptBackupText, encryptBackupText, isEncryptedBackup } from '../../../src/lib/storage/vault/backup-file.ts';
import { appendEvents, getEvents, mergeEvents } from '../../../src/lib/storage/events.ts';
import { openXinanDb } from '../../../src/lib/storage/db.ts';
import { classEvent } from '../../../src/lib/review/audit.ts';
import { makeDatasetRecords, makeScore } from '../../helpers/factories.ts';
import { freshDbName, openFreshDb } from '../../helpers/storage.ts';

/** Small Argon2id parameters: the real ones (kdf.ts) cost ~1 s each; the code path is the same. */
const fastKdf = (): KdfParams => ({ ...defaultKdf('argon2id'), memoryKiB: 256, iterations: 1, parallelism: 1 }) as KdfParams;
const OPTS = { autoLockMinutes: 15, showNames: false };
const STORES = ['datasets', 'dialogues', 'items', 'scores', 'events'] as const;

async function seeded(n = 5): Promise<XinanDatabase> {
  const db = await openFreshDb();
  for (const id of ['a', 'b']) {
    const recs = makeDatasetRecords(id, n);
    await importDataset(db, recs);
    await putScores(
      db,
      id,
      'm1',
      recs.items.map((i) => ({ itemId: i.id, score: makeScore(2) })),
      5,
    );
    await putReview(db, { itemId: recs.items[0].id, datasetId: id, label: 3, note: '回复太说教' }, 6);
    await setCrisisVerdict(db, id, recs.items[0].id, 'risk', 'wrong', 7);
  }
  return db;
}

/** Everything the app reads, opened. */
async function contents(db: XinanDatabase) {
  const datasets = await listDatasets(db);
  const per = await Promise.all(
    datasets.map(async (d) => ({
      d,
      dialogues: await getDialogues(db, d.id),
      items: await getItems(db, d.id),
      scores: [...(await getScores(db, d.id, 'm1')).values()],
      reviews: await getReviews(db, d.id),
    })),
  );
  return per;
}

async function raw(db: XinanDatabase) {
  return Object.fromEntries(await Promise.all(STORES.map(async (s) => [s, await db.getAll(s)] as const)));
}

/** Every string anywhere in the raw records. */
function strings(x: unknown, out: string[] = []): string[] {
  if (typeof x === 'string') out.push(x);
  else if (Array.isArray(x)) x.forEach((v) => strings(v, out));
  else if (x && typeof x === 'object' && !(x instanceof ArrayBuffer) && !ArrayBuffer.isView(x))
    Object.values(x).forEach((v) => strings(v, out));
  return out;
}

describe('seal', () => {
  it('round-trips and uses a fresh IV every time', async () => {
    const key = await newDataKey();
    const value = { text: '我不想活了', n: 3, p: NaN, q: [Infinity, -Infinity, null], r: { '\u0000num': 'x', y: 1 } };
    const blobs = await Promise.all(Array.from({ length: 500 }, () => sealJson(key, value, 'items:"x"')));
    expect(await unsealJson(key, blobs[0], 'items:"x"')).toEqual(value);
    const ivs = new Set(blobs.map((b) => Array.from(b.iv).join(',')));
    expect(ivs.size).toBe(500);
    expect(new Uint8Array(blobs[0].ct)).not.toEqual(new Uint8Array(blobs[1].ct));
    // Bound to its place: the same blob does not open as another record's.
    await expect(unsealJson(key, blobs[0], 'items:"y"')).rejects.toBeInstanceOf(WrongPassphraseError);
  });

  it('derives the same bits from the same passphrase and parameters, different ones otherwise', async () => {
    const kdf = fastKdf();
    expect(await deriveBits('口令', kdf)).toEqual(await deriveBits('口令', kdf));
    expect(await deriveBits('口令', kdf)).not.toEqual(await deriveBits('口令2', kdf));
    const pb = { alg: 'pbkdf2-sha256', salt: kdf.salt, iterations: 1000 } as const;
    expect((await deriveBits('口令', pb)).length).toBe(32);
  });
});

describe('vault', () => {
  it('seals every record in place; reads give back the same data; no transcript text or file name stays readable', async () => {
    const db = await seeded();
    const before = await contents(db);
    await enableEncryption(db, 'correct horse', OPTS, {}, fastKdf());
    expect((await readVault(db))?.state).toBe('sealed');
    const r = await raw(db);
    for (const s of STORES) {
      expect(r[s].length).toBeGreaterThan(0);
      expect(r[s].every(isSealed)).toBe(true);
    }
    const text = strings(r).join('\n');
    expect(text).not.toMatch(/第\d句|焦虑|说教|a\.json/);
    expect(await contents(db)).toEqual(before);
    // A review update on a sealed record keeps what was there.
    const itemId = before[0].items[0].id;
    await setCrisisVerdict(db, before[0].d.id, itemId, 'empathy', 'correct', 8);
    expect((await getReviews(db, before[0].d.id))[0]).toMatchObject({
      label: 3,
      note: '回复太说教',
      crisis: { risk: 'wrong', empathy: 'correct' },
    });
    expect((await db.getAll('events')).every(isSealed)).toBe(true);
    // New writes are sealed too.
    await importDataset(db, makeDatasetRecords('c', 2));
    expect((await db.getAll('items')).every(isSealed)).toBe(true);
    db.close();
  });

  it('locks; a wrong passphrase changes nothing; the right one opens', async () => {
    const db = await seeded();
    const before = await contents(db);
    await enableEncryption(db, 'correct horse', OPTS, {}, fastKdf());
    lock(db);
    await expect(listDatasets(db)).rejects.toBeInstanceOf(VaultLockedError);
    await expect(importDataset(db, makeDatasetRecords('c', 1))).rejects.toBeInstanceOf(VaultLockedError);
    const [meta, rawBefore] = [await readVault(db), await raw(db)];
    await expect(unlock(db, 'wrong horse')).rejects.toBeInstanceOf(WrongPassphraseError);
    expect(protection(db).mode).toBe('locked');
    expect(await readVault(db)).toEqual(meta);
    expect(await raw(db)).toEqual(rawBefore);
    await unlock(db, 'correct horse');
    expect(await contents(db)).toEqual(before);
    db.close();
  });

  it('a reopened connection starts locked', async () => {
    const db = await seeded();
    await enableEncryption(db, 'pw', OPTS, {}, fastKdf());
    const again = await (await import('../../../src/lib/storage/db.ts')).openXinanDb(db.name);
    expect((await openVault(again))?.state).toBe('sealed');
    expect(protection(again).mode).toBe('locked');
    await expect(getItems(again, 'a')).rejects.toBeInstanceOf(VaultLockedError);
    again.close();
    db.close();
  });

  it('changing the passphrase re-wraps the key only: records untouched, data kept', async () => {
    const db = await seeded();
    const before = await contents(db);
    await enableEncryption(db, 'old', OPTS, {}, fastKdf());
    const rawBefore = await raw(db);
    await expect(changePassphrase(db, 'not it', 'new', fastKdf())).rejects.toBeInstanceOf(WrongPassphraseError);
    await changePassphrase(db, 'old', 'new', fastKdf());
    expect(await raw(db)).toEqual(rawBefore);
    lock(db);
    await expect(unlock(db, 'old')).rejects.toBeInstanceOf(WrongPassphraseError);
    await unlock(db, 'new');
    expect(await contents(db)).toEqual(before);
    db.close();
  });

  it('a migration stopped after k records loses nothing, reads both kinds, and resumes on unlock', async () => {
    const db = await seeded(30);
    const before = await contents(db);
    const total = (await Promise.all(STORES.map((s) => db.count(s)))).reduce((a, b) => a + b, 0);
    await enableEncryption(db, 'pw', OPTS, { stopAfter: 37, batchSize: 10 }, fastKdf());
    expect((await readVault(db))?.state).toBe('migrating');
    const all = Object.values(await raw(db)).flat();
    expect(all.length).toBe(total);
    expect(all.filter(isSealed).length).toBe(37);
    // Half-way: readers accept plaintext and sealed records alike.
    expect(await contents(db)).toEqual(before);
    // The tab dies: the key is gone; the next unlock finishes the job.
    lock(db);
    await unlock(db, 'pw', { batchSize: 10 });
    expect((await readVault(db))?.state).toBe('sealed');
    expect(
      Object.values(await raw(db))
        .flat()
        .every(isSealed),
    ).toBe(true);
    expect(await contents(db)).toEqual(before);
    db.close();
  });

  it('names readable on the locked screen only when allowed', async () => {
    const db = await seeded(1);
    await enableEncryption(db, 'pw', OPTS, {}, fastKdf());
    expect((await db.getAll('datasets')).map((d) => d.name)).toEqual([undefined, undefined]);
    await setVaultOptions(db, { autoLockMinutes: 5, showNames: true });
    expect((await db.getAll('datasets')).map((d) => d.name).sort()).toEqual(['a.json', 'b.json']);
    expect((await readVault(db))?.autoLockMinutes).toBe(5);
    db.close();
  });

  it('wipe after a forgotten passphrase leaves a plain, empty workspace', async () => {
    const db = await seeded(2);
    await enableEncryption(db, 'pw', OPTS, {}, fastKdf());
    lock(db);
    await wipeEncrypted(db);
    expect(await readVault(db)).toBeUndefined();
    expect(await listDatasets(db)).toEqual([]);
    await importDataset(db, makeDatasetRecords('n', 1));
    expect((await db.getAll('items')).some(isSealed)).toBe(false);
    db.close();
  });
});

describe('encrypted backup file', () => {
  it('round-trips an encrypted workspace; a wrong passphrase is refused', async () => {
    const db = await seeded(4);
    await enableEncryption(db, 'pw', OPTS, {}, fastKdf());
    const backup = await createBackup(db, 'v', 't');
    const text = serializeBackup(backup);
    const file = await encryptBackupText(text, 'file pass', fastKdf());
    expect(isEncryptedBackup(file)).toBe(true);
    expect(isEncryptedBackup(text)).toBe(false);
    expect(file).not.toMatch(/第\d句|a\.json/);
    await expect(decryptBackupText(file, 'nope')).rejects.toBeInstanceOf(WrongPassphraseError);
    const restoredText = await decryptBackupText(file, 'file pass');
    expect(restoredText).toBe(text);
    // Into another encrypted workspace: restored records are sealed with its own key.
    const other = await openFreshDb();
    await enableEncryption(other, 'other', OPTS, {}, fastKdf());
    await restoreBackup(other, restoredText);
    expect((await other.getAll('items')).every(isSealed)).toBe(true);
    expect(await contents(other)).toEqual(await contents(db));
    db.close();
    other.close();
  });
});

describe('review events in an encrypted workspace', () => {
  it('appends and merges sealed events: read back opened, an id already stored is a conflict, nothing overwritten', async () => {
    const db = await seeded(2);
    await enableEncryption(db, 'pw', OPTS, {}, fastKdf());
    const itemId = (await getItems(db, 'a'))[0].id;
    const e = classEvent({ id: 'e1', at: 1, reviewer: 'A', datasetId: 'a', itemId, blind: true }, null, 3);
    await appendEvents(db, [e]);
    await expect(appendEvents(db, [{ ...e, after: 4 }])).rejects.toThrow();
    const f = classEvent({ id: 'e2', at: 2, reviewer: 'B', datasetId: 'a', itemId, blind: true }, null, 5);
    // e1 under another dataset is a conflict too (ids are global).
    const g = classEvent({ id: 'e1', at: 3, reviewer: 'B', datasetId: 'b', itemId, blind: true }, null, 6);
    const m = await mergeEvents(db, 'a', [{ ...e, after: 4 }, f]);
    expect(m.added).toEqual([f]);
    expect(m.conflicts).toEqual(['e1']);
    expect((await mergeEvents(db, 'b', [g])).conflicts).toEqual(['e1']);
    const mine = (await getEvents(db, 'a')).filter((x) => x.id === 'e1' || x.id === 'e2');
    expect(mine.sort((x, y) => x.at - y.at)).toEqual([e, f]);
    expect((await db.getAll('events')).every(isSealed)).toBe(true);
    expect(strings(await db.getAll('events')).join('\n')).not.toMatch(/说教|"reviewer"/);
    db.close();
  });

  it('an encrypted v2 workspace: the v3 upgrade leaves sealed reviews as they are; unlock turns them into events', async () => {
    const name = freshDbName();
    const v2 = await openXinanDb(name, { version: 2 });
    await importDataset(v2, makeDatasetRecords('a', 2));
    const itemId = (await v2.getAll('items'))[0].id;
    await v2.put('reviews', { itemId, datasetId: 'a', label: 3, note: '回复太说教', crisis: { risk: 'wrong' }, updatedAt: 5 });
    await enableEncryption(v2, 'pw', OPTS, {}, fastKdf());
    const sealedReviews = await v2.getAll('reviews');
    expect(sealedReviews.length).toBe(1);
    expect(sealedReviews.every(isSealed)).toBe(true);
    v2.close();
    const db = await openXinanDb(name);
    expect(await db.getAll('reviews')).toEqual(sealedReviews);
    expect(await db.count('events')).toBe(0);
    await unlock(db, 'pw');
    expect(await db.count('reviews')).toBe(0);
    expect((await db.getAll('events')).every(isSealed)).toBe(true);
    expect(await getReviews(db, 'a')).toEqual([
      { itemId, datasetId: 'a', label: 3, note: '回复太说教', crisis: { risk: 'wrong' }, updatedAt: 5 },
    ]);
    // Unlocking again converts nothing twice.
    lock(db);
    await unlock(db, 'pw');
    expect(await db.count('events')).toBe(3);
    db.close();
  });
});
