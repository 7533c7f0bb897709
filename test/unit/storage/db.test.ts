import { describe, expect, it } from 'vitest';
import { DB_VERSION, openXinanDb } from '../../../src/lib/storage/db.ts';
import { getScores, missingItemIds } from '../../../src/lib/storage/scores.ts';
import { importDataset } from '../../../src/lib/storage/datasets.ts';
import { makeDatasetRecords, makeScore } from '../../helpers/factories.ts';
import { freshDbName, openFreshDb } from '../../helpers/storage.ts';

describe('schema', () => {
  it('creates every store and index at the current version', async () => {
    const db = await openFreshDb();
    expect(db.version).toBe(DB_VERSION);
    expect([...db.objectStoreNames].sort()).toEqual(['datasets', 'dialogues', 'events', 'items', 'reviews', 'scores', 'settings']);
    const tx = db.transaction(['scores', 'items', 'dialogues', 'reviews']);
    expect([...tx.objectStore('scores').indexNames].sort()).toEqual(['byDatasetModel', 'byModel']);
    expect([...tx.objectStore('items').indexNames]).toEqual(['byDataset']);
    expect([...tx.objectStore('reviews').indexNames]).toEqual(['byDataset']);
    db.close();
  });
});

describe('migration v1 → v2', () => {
  async function buildV1(name: string) {
    const v1 = await openXinanDb(name, { version: 1 });
    expect([...v1.objectStoreNames]).not.toContain('reviews');
    await importDataset(v1, makeDatasetRecords('dsA', 3));
    // v1 scores had no datasetId; one of them points at an item that no longer exists.
    const score = makeScore(2);
    const raw = v1 as unknown as { put(store: string, value: unknown): Promise<unknown> };
    await raw.put('scores', { ...score, itemId: 'dsA/d1/1', modelId: 'm1', scoredAt: 1 });
    await raw.put('scores', { ...score, itemId: 'gone/d9/1', modelId: 'm1', scoredAt: 1 });
    v1.close();
  }

  it('keeps v1 data, fills scores.datasetId, drops orphan scores, adds reviews', async () => {
    const name = freshDbName();
    await buildV1(name);
    const db = await openXinanDb(name);
    expect(db.version).toBe(DB_VERSION);
    expect(await db.count('items')).toBe(3);
    expect(await db.count('scores')).toBe(1);
    const scores = await getScores(db, 'dsA', 'm1');
    expect([...scores.keys()]).toEqual(['dsA/d1/1']);
    expect(scores.get('dsA/d1/1')).toMatchObject({ datasetId: 'dsA', label: 2 });
    expect(await missingItemIds(db, 'dsA', 'm1')).toEqual(['dsA/d2/1', 'dsA/d3/1']);
    expect(db.objectStoreNames.contains('reviews')).toBe(true);
    db.close();
  });

  it('closes an old connection that blocks the upgrade, by default', async () => {
    const name = freshDbName();
    await buildV1(name);
    const old = await openXinanDb(name, { version: 1 });
    let blocked = false;
    // `old` keeps its default `blocking` handler, which closes it so the v2 open can proceed.
    const upgraded = await openXinanDb(name, { onBlocked: () => (blocked = true) });
    expect(upgraded.version).toBe(DB_VERSION);
    expect(blocked).toBe(false);
    expect(() => old.transaction('items')).toThrow();
    upgraded.close();
  });
});

describe('migration v2 → v3', () => {
  it('turns every stored review (label, note, crisis marks) into events that replay to the same state', async () => {
    const name = freshDbName();
    const v2 = await openXinanDb(name, { version: 2 });
    await importDataset(v2, makeDatasetRecords('dsA', 2));
    await v2.put('reviews', { itemId: 'dsA/d1/1', datasetId: 'dsA', label: 3, note: '说教', crisis: { risk: 'wrong' }, updatedAt: 5 });
    await v2.put('reviews', { itemId: 'dsA/d2/1', datasetId: 'dsA', crisis: { empathy: 'correct', referral: 'wrong' }, updatedAt: 6 });
    v2.close();
    const db = await openXinanDb(name);
    const { replay } = await import('../../../src/lib/review/audit.ts');
    const book = replay(await db.getAllFromIndex('events', 'byDataset', 'dsA')).byReviewer.get('local')!;
    expect(book.get('dsA/d1/1')).toMatchObject({ value: 3, note: '说教', crisis: { risk: 'wrong' }, at: 5 });
    expect(book.get('dsA/d2/1')).toMatchObject({ crisis: { empathy: 'correct', referral: 'wrong' } });
    expect(book.get('dsA/d2/1')?.value).toBeUndefined();
    expect(await db.count('reviews')).toBe(0);
    expect(await db.count('events')).toBe(5);
    db.close();
  });
});
