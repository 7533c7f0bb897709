import { afterEach, describe, expect, it } from 'vitest';
import { createBackup, parseBackup, restoreBackup, serializeBackup } from '../../../src/lib/storage/backup.ts';
import { importDataset } from '../../../src/lib/storage/datasets.ts';
import type { XinanDatabase } from '../../../src/lib/storage/db.ts';
import { RestoreError, StorageFullError } from '../../../src/lib/storage/errors.ts';
import { putReview, putScores, setCrisisVerdict } from '../../../src/lib/storage/scores.ts';
import { makeDatasetRecords, makeScore } from '../../helpers/factories.ts';
import { openFreshDb, simulateQuotaAfter } from '../../helpers/storage.ts';

let restoreQuota: (() => void) | undefined;
afterEach(() => restoreQuota?.());

async function seeded(id: string, n: number) {
  const db = await openFreshDb();
  const recs = makeDatasetRecords(id, n);
  await importDataset(db, recs);
  await putScores(db, id, 'm1', recs.items.map((i) => ({ itemId: i.id, score: makeScore(2) })), 5);
  await putReview(db, { itemId: recs.items[0].id, datasetId: id, note: '好' }, 6);
  await setCrisisVerdict(db, id, recs.items[0].id, 'risk', 'wrong', 7);
  return db;
}

async function snapshot(db: XinanDatabase) {
  const b = await createBackup(db, 'v', 't');
  return { datasets: b.datasets, dialogues: b.dialogues, items: b.items, scores: b.scores, reviews: b.reviews };
}

describe('backup', () => {
  it('identifies itself and round-trips into a fresh database', async () => {
    const a = await seeded('a', 3);
    const backup = await createBackup(a, '0.1.0', '2026-11-23T10:00:00Z');
    expect(backup).toMatchObject({ type: 'xinan-backup', version: 1, source: 'xinan', appVersion: '0.1.0', schemaVersion: 2 });
    const fresh = await openFreshDb();
    await restoreBackup(fresh, serializeBackup(backup));
    expect(await snapshot(fresh)).toEqual(await snapshot(a));
    expect((await fresh.getAll('reviews'))[0]).toMatchObject({ note: '好', crisis: { risk: 'wrong' } });
    a.close();
    fresh.close();
  });

  it('replaces what was there', async () => {
    const source = await seeded('a', 2);
    const target = await seeded('b', 4);
    await restoreBackup(target, serializeBackup(await createBackup(source, 'v', 't')));
    expect((await target.getAll('datasets')).map((d) => d.id)).toEqual(['a']);
    expect(await target.count('items')).toBe(2);
    source.close();
    target.close();
  });

  it('fills datasetId on scores from a backup taken before schema v2', async () => {
    const src = await seeded('a', 2);
    const b = await createBackup(src, 'v', 't');
    const old = { ...b, schemaVersion: 1, scores: b.scores.map(({ datasetId: _d, ...s }) => s) };
    const db = await openFreshDb();
    await restoreBackup(db, JSON.stringify(old));
    expect((await db.getAll('scores')).every((s) => s.datasetId === 'a')).toBe(true);
    src.close();
    db.close();
  });
});

describe('restore refuses bad files and leaves data unchanged', () => {
  const valid = async () => JSON.parse(serializeBackup(await createBackup(await seeded('x', 2), 'v', 't')));

  // The cases poke arbitrary paths of a parsed backup, which is what `any` is for.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const cases: [string, (b: Record<string, any>) => unknown, RegExp][] = [
    ['not JSON', () => '{oops', /not JSON/],
    ['wrong type', (b) => ({ ...b, type: 'excalidraw' }), /"type" is "excalidraw"/],
    ['newer version', (b) => ({ ...b, version: 99 }), /version 99 is newer/],
    ['records not an array', (b) => ({ ...b, items: {} }), /items: expected an array/],
    ['bad field', (b) => ({ ...b, items: [b.items[0], { ...b.items[1], response: 42 }] }), /items\[1\]\.response: expected a string/],
    ['bad label', (b) => ({ ...b, items: [{ ...b.items[0], goldLabel: 8 }] }), /items\[0\]\.goldLabel: expected a label 0–7/],
    ['bad speaker', (b) => ({ ...b, dialogues: [{ ...b.dialogues[0], turns: [{ speaker: 'x', text: '' }] }] }), /dialogues\[0\]\.turns\[0\]\.speaker/],
    ['bad crisis verdict', (b) => ({ ...b, reviews: [{ ...b.reviews[0], crisis: { risk: 'maybe' } }] }), /reviews\[0\]\.crisis: expected an object of crisis dimension/],
    ['unknown crisis dimension', (b) => ({ ...b, reviews: [{ ...b.reviews[0], crisis: { humour: 'correct' } }] }), /reviews\[0\]\.crisis/],
    ['dangling score', (b) => ({ ...b, scores: [{ ...b.scores[0], itemId: 'nope' }] }), /scores\[0\]\.itemId: unknown item "nope"/],
    ['dangling dialogue', (b) => ({ ...b, datasets: [] }), /dialogues\[0\]\.datasetId: unknown dataset "x"/],
    ['dangling item', (b) => ({ ...b, dialogues: [], items: [{ ...b.items[0], datasetId: 'y' }] }), /items\[0\]\.datasetId: unknown dataset "y"/],
  ];

  it.each(cases)('%s', async (_name, mutate, message) => {
    const db = await seeded('keep', 3);
    const before = await snapshot(db);
    const bad = mutate(await valid());
    const text = typeof bad === 'string' ? bad : JSON.stringify(bad);
    const err = await restoreBackup(db, text).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RestoreError);
    expect((err as Error).message).toMatch(message);
    expect(await snapshot(db)).toEqual(before);
    db.close();
  });

  it('names what is wrong as a message the UI translates (path and message key)', async () => {
    const reasons: [unknown, unknown][] = [];
    const b = await valid();
    for (const text of ['{oops', '[]', JSON.stringify({ ...b, type: 'x' }), JSON.stringify({ ...b, version: 9 }),
      JSON.stringify({ ...b, scores: [{ ...b.scores[0], pUnsafe: 'high' }] }), JSON.stringify({ ...b, scores: [{ ...b.scores[0], itemId: 'z' }] })]) {
      const err = (await restoreBackup(await openFreshDb(), text).catch((e: unknown) => e)) as RestoreError;
      const detail = err.msg.params?.detail as { key: string } | undefined;
      reasons.push([err.path, detail?.key]);
    }
    expect(reasons).toEqual([
      [undefined, 'restoreNotJson'],
      [undefined, 'restoreNotObject'],
      [undefined, 'restoreWrongType'],
      [undefined, 'restoreTooNew'],
      ['scores[0].pUnsafe', 'restoreExpNumberOrNull'],
      ['scores[0].itemId', 'restoreUnknownItem'],
    ]);
  });

  it('reads the null that JSON makes of a crisis model’s NaN pUnsafe back as NaN (backups taken before this fix too)', async () => {
    const src = await seeded('a', 2);
    await putScores(src, 'a', 'seeker-risk@ab', [{ itemId: (await src.getAll('items'))[0].id, score: { probs: [0.7], label: 0, pUnsafe: NaN, truncated: false, droppedTurns: 0 } }], 8);
    const text = serializeBackup(await createBackup(src, 'v', 't'));
    expect(text).toContain('"pUnsafe":null');
    const db = await openFreshDb();
    await restoreBackup(db, text);
    expect(await snapshot(db)).toEqual(await snapshot(src));
    expect((await db.getAll('scores')).filter((s) => Number.isNaN(s.pUnsafe))).toHaveLength(1);
    src.close();
    db.close();
  });

  it('a full disk during restore keeps the old workspace', async () => {
    const db = await seeded('keep', 3);
    const before = await snapshot(db);
    const text = JSON.stringify(await valid());
    expect(() => parseBackup(text)).not.toThrow();
    restoreQuota = simulateQuotaAfter(3);
    await expect(restoreBackup(db, text)).rejects.toBeInstanceOf(StorageFullError);
    restoreQuota();
    expect(await snapshot(db)).toEqual(before);
    db.close();
  });
});
