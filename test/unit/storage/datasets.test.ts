import { afterEach, describe, expect, it } from 'vitest';
import {
  deleteDataset,
  DuplicateDatasetError,
  getDataset,
  getDialogue,
  getDialogues,
  getItems,
  importDataset,
  listDatasets,
  newDatasetId,
  wipeAll,
} from '../../../src/lib/storage/datasets.ts';
import { StorageFullError } from '../../../src/lib/storage/errors.ts';
import { getScores, putScores } from '../../../src/lib/storage/scores.ts';
import { appendEvents, getEvents, getSetting, putSetting, thresholdSetting } from '../../../src/lib/storage/events.ts';
import { classEvent } from '../../../src/lib/review/audit.ts';
import type { XinanDatabase } from '../../../src/lib/storage/db.ts';
import { makeDatasetRecords, makeScore } from '../../helpers/factories.ts';
import { openFreshDb, simulateQuotaAbortAfter, simulateQuotaAfter } from '../../helpers/storage.ts';

let restoreQuota: (() => void) | undefined;
afterEach(() => restoreQuota?.());

async function counts(db: XinanDatabase) {
  const stores = ['datasets', 'dialogues', 'items', 'scores', 'events', 'settings'] as const;
  return Object.fromEntries(await Promise.all(stores.map(async (s) => [s, await db.count(s)])));
}

describe('importDataset', () => {
  it('stores the dataset, dialogues and items, readable in file order', async () => {
    const db = await openFreshDb();
    const recs = makeDatasetRecords('a', 12);
    await importDataset(db, recs);
    expect(await getDataset(db, 'a')).toEqual(recs.dataset);
    // Keys sort d1, d10, d11, d12, d2…; the order index must give file order instead.
    expect((await getDialogues(db, 'a')).map((d) => d.id)).toEqual(recs.dialogues.map((d) => d.id));
    expect((await getItems(db, 'a')).map((i) => i.id)).toEqual(recs.items.map((i) => i.id));
    expect(await getDialogue(db, 'a', 'd10')).toMatchObject({ datasetId: 'a', order: 9, turns: recs.dialogues[9].turns });
    db.close();
  });

  it('lists newest first', async () => {
    const db = await openFreshDb();
    await importDataset(db, makeDatasetRecords('old', 1, 1000));
    await importDataset(db, makeDatasetRecords('new', 1, 2000));
    expect((await listDatasets(db)).map((d) => d.id)).toEqual(['new', 'old']);
    db.close();
  });

  it('refuses a duplicate id and changes nothing', async () => {
    const db = await openFreshDb();
    await importDataset(db, makeDatasetRecords('a', 2));
    const before = await counts(db);
    await expect(importDataset(db, makeDatasetRecords('a', 5))).rejects.toBeInstanceOf(DuplicateDatasetError);
    expect(await counts(db)).toEqual(before);
    db.close();
  });

  it('is all or nothing when a record fails half-way', async () => {
    const db = await openFreshDb();
    const recs = makeDatasetRecords('a', 4);
    recs.items[3] = { ...recs.items[3], id: recs.items[0].id }; // duplicate key → ConstraintError on the 4th add
    await expect(importDataset(db, recs)).rejects.toMatchObject({ name: 'ConstraintError' });
    expect(await counts(db)).toEqual({ datasets: 0, dialogues: 0, items: 0, scores: 0, events: 0, settings: 0 });
    db.close();
  });

  it('turns QuotaExceededError into StorageFullError and writes nothing', async () => {
    const db = await openFreshDb();
    await importDataset(db, makeDatasetRecords('kept', 2));
    const before = await counts(db);
    restoreQuota = simulateQuotaAfter(5);
    const err = await importDataset(db, makeDatasetRecords('big', 10)).catch((e: unknown) => e);
    restoreQuota();
    expect(err).toBeInstanceOf(StorageFullError);
    expect((err as Error).message).toMatch(/nothing was saved/);
    expect(await counts(db)).toEqual(before);
    expect(await getDataset(db, 'big')).toBeUndefined();
    db.close();
  });

  it('also when the quota error arrives as a transaction abort', async () => {
    const db = await openFreshDb();
    await importDataset(db, makeDatasetRecords('kept', 2));
    const before = await counts(db);
    restoreQuota = simulateQuotaAbortAfter(4);
    const err = await importDataset(db, makeDatasetRecords('big', 10)).catch((e: unknown) => e);
    restoreQuota();
    expect(err).toBeInstanceOf(StorageFullError);
    expect(await counts(db)).toEqual(before);
    db.close();
  });

  it('makes ids without a slash', () => {
    expect(newDatasetId()).not.toContain('/');
    expect(newDatasetId()).not.toBe(newDatasetId());
  });
});

describe('deleteDataset and wipeAll', () => {
  async function seeded() {
    const db = await openFreshDb();
    for (const id of ['a', 'b']) {
      const recs = await importDataset(db, makeDatasetRecords(id, 3)).then(() => makeDatasetRecords(id, 3));
      await putScores(
        db,
        id,
        'm1',
        recs.items.map((i) => ({ itemId: i.id, score: makeScore(7) })),
      );
      await putScores(db, id, 'm2', [{ itemId: recs.items[0].id, score: makeScore(2) }]);
      await appendEvents(db, [classEvent({ reviewer: 'A', datasetId: id, itemId: recs.items[0].id, blind: false }, null, 2)]);
      await putSetting(db, thresholdSetting(id), 0.4);
    }
    return db;
  }

  it('deletes one dataset with its dialogues, items, scores of every model and reviews', async () => {
    const db = await seeded();
    await deleteDataset(db, 'a');
    expect(await counts(db)).toEqual({ datasets: 1, dialogues: 3, items: 3, scores: 4, events: 1, settings: 1 });
    expect(await getItems(db, 'a')).toEqual([]);
    expect((await getScores(db, 'b', 'm1')).size).toBe(3);
    expect(await getEvents(db, 'b')).toHaveLength(1);
    expect(await getSetting(db, thresholdSetting('b'))).toBe(0.4);
    db.close();
  });

  it('wipes everything', async () => {
    const db = await seeded();
    await wipeAll(db);
    expect(await counts(db)).toEqual({ datasets: 0, dialogues: 0, items: 0, scores: 0, events: 0, settings: 0 });
    db.close();
  });
});
