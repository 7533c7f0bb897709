import { afterEach, describe, expect, it } from 'vitest';
import { importDataset } from '../../../src/lib/storage/datasets.ts';
import { StorageFullError } from '../../../src/lib/storage/errors.ts';
import { countScores, getScores, missingItemIds, modelsForDataset, putScores } from '../../../src/lib/storage/scores.ts';
import { appendEvents, getEvents, mergeEvents } from '../../../src/lib/storage/events.ts';
import { classEvent } from '../../../src/lib/review/audit.ts';
import { makeDatasetRecords, makeScore } from '../../helpers/factories.ts';
import { openFreshDb, simulateQuotaAbortAfter, simulateQuotaAfter } from '../../helpers/storage.ts';

let restoreQuota: (() => void) | undefined;
afterEach(() => restoreQuota?.());

async function seeded(n = 5) {
  const db = await openFreshDb();
  const recs = makeDatasetRecords('ds', n);
  await importDataset(db, recs);
  return { db, ids: recs.items.map((i) => i.id) };
}

describe('scores', () => {
  it('resumes with only the missing items, in file order', async () => {
    const { db, ids } = await seeded(12);
    expect(await missingItemIds(db, 'ds', 'm1')).toEqual(ids);
    await putScores(
      db,
      'ds',
      'm1',
      [ids[0], ids[10], ids[3]].map((itemId) => ({ itemId, score: makeScore(7) })),
    );
    const missing = await missingItemIds(db, 'ds', 'm1');
    expect(missing).toEqual(ids.filter((_, i) => ![0, 3, 10].includes(i)));
    expect(await countScores(db, 'ds', 'm1')).toBe(3);
    db.close();
  });

  it('keeps models apart', async () => {
    const { db, ids } = await seeded(3);
    await putScores(
      db,
      'ds',
      'm1',
      ids.map((itemId) => ({ itemId, score: makeScore(7) })),
    );
    expect(await missingItemIds(db, 'ds', 'm1')).toEqual([]);
    expect(await missingItemIds(db, 'ds', 'm2')).toEqual(ids);
    await putScores(db, 'ds', 'm2', [{ itemId: ids[1], score: makeScore(4) }]);
    expect((await modelsForDataset(db, 'ds')).sort()).toEqual(['m1', 'm2']);
    expect((await getScores(db, 'ds', 'm2')).get(ids[1])).toMatchObject({ label: 4, modelId: 'm2', datasetId: 'ds' });
    db.close();
  });

  it('rewriting a score replaces it instead of duplicating it', async () => {
    const { db, ids } = await seeded(2);
    await putScores(db, 'ds', 'm1', [{ itemId: ids[0], score: makeScore(7) }], 1);
    await putScores(db, 'ds', 'm1', [{ itemId: ids[0], score: makeScore(2) }], 2);
    const scores = await getScores(db, 'ds', 'm1');
    expect(scores.size).toBe(1);
    expect(scores.get(ids[0])).toMatchObject({ label: 2, scoredAt: 2 });
    db.close();
  });

  it('a full disk loses the whole batch, not part of it, and earlier batches survive', async () => {
    const { db, ids } = await seeded(6);
    await putScores(db, 'ds', 'm1', [{ itemId: ids[0], score: makeScore(7) }]);
    restoreQuota = simulateQuotaAfter(2);
    const batch = ids.slice(1).map((itemId) => ({ itemId, score: makeScore(7) }));
    await expect(putScores(db, 'ds', 'm1', batch)).rejects.toBeInstanceOf(StorageFullError);
    restoreQuota();
    expect(await countScores(db, 'ds', 'm1')).toBe(1);
    expect(await missingItemIds(db, 'ds', 'm1')).toEqual(ids.slice(1));
    db.close();
  });
});

it('a quota abort mid-batch also loses the whole batch', async () => {
  const { db, ids } = await seeded(6);
  restoreQuota = simulateQuotaAbortAfter(3);
  const batch = ids.map((itemId) => ({ itemId, score: makeScore(7) }));
  await expect(putScores(db, 'ds', 'm1', batch)).rejects.toBeInstanceOf(StorageFullError);
  restoreQuota();
  expect(await countScores(db, 'ds', 'm1')).toBe(0);
  db.close();
});

describe('review events', () => {
  it('are append-only: an id already stored aborts the append; merge adds only new ids and never overwrites', async () => {
    const { db, ids } = await seeded(2);
    const e = classEvent({ id: 'e1', at: 1, reviewer: 'A', datasetId: 'ds', itemId: ids[0], blind: true }, null, 3);
    await appendEvents(db, [e]);
    await expect(appendEvents(db, [{ ...e, after: 4 }])).rejects.toThrow();
    const f = classEvent({ id: 'e2', at: 2, reviewer: 'B', datasetId: 'ds', itemId: ids[0], blind: true }, null, 5);
    const m = await mergeEvents(db, 'ds', [{ ...e, after: 4 }, f]);
    expect(m.added).toEqual([f]);
    expect(m.conflicts).toEqual(['e1']);
    expect((await getEvents(db, 'ds')).sort((a, b) => a.at - b.at)).toEqual([e, f]);
    db.close();
  });
});
