import { afterEach, describe, expect, it } from 'vitest';
import { createBackup, parseBackup, restoreBackup, serializeBackup } from '../../../src/lib/storage/backup.ts';
import { importDataset } from '../../../src/lib/storage/datasets.ts';
import type { XinanDatabase } from '../../../src/lib/storage/db.ts';
import { RestoreError, StorageFullError } from '../../../src/lib/storage/errors.ts';
import { appendEvents, putSetting } from '../../../src/lib/storage/events.ts';
import { putScores } from '../../../src/lib/storage/scores.ts';
import { classEvent, crisisEvent, noteEvent } from '../../../src/lib/review/audit.ts';
import { makeDatasetRecords, makeScore } from '../../helpers/factories.ts';
import { openFreshDb, simulateQuotaAfter } from '../../helpers/storage.ts';

let restoreQuota: (() => void) | undefined;
afterEach(() => restoreQuota?.());

async function seeded(id: string, n: number) {
  const db = await openFreshDb();
  const recs = makeDatasetRecords(id, n);
  await importDataset(db, recs);
  await putScores(
    db,
    id,
    'm1',
    recs.items.map((i) => ({ itemId: i.id, score: makeScore(2) })),
    5,
  );
  const who = (at: number) => ({ id: `${id}-e${at}`, at, reviewer: '王', datasetId: id, itemId: recs.items[0].id, blind: at === 8 });
  await appendEvents(db, [
    noteEvent(who(6), null, '好'),
    crisisEvent(who(7), 'risk', null, 'wrong'),
    classEvent({ ...who(8), model: { id: 'm1', sha256: 'ab', label: 2 } }, null, 3),
  ]);
  await putSetting(db, 'reviewer', '王');
  return db;
}

async function snapshot(db: XinanDatabase) {
  const b = await createBackup(db, 'v', 't');
  return { datasets: b.datasets, dialogues: b.dialogues, items: b.items, scores: b.scores, events: b.events, settings: b.settings };
}

describe('backup', () => {
  it('identifies itself and round-trips into a fresh database', async () => {
    const a = await seeded('a', 3);
    const backup = await createBackup(a, '0.1.0', '2026-11-23T10:00:00Z');
    expect(backup).toMatchObject({ type: 'xinan-backup', version: 2, source: 'xinan', appVersion: '0.1.0', schemaVersion: 3 });
    const fresh = await openFreshDb();
    await restoreBackup(fresh, serializeBackup(backup));
    expect(await snapshot(fresh)).toEqual(await snapshot(a));
    expect(await fresh.count('events')).toBe(3);
    expect(await fresh.get('settings', 'reviewer')).toEqual({ key: 'reviewer', value: '王' });
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

it('restores a version-1 backup: its reviews (label, note, crisis marks) become review events', async () => {
  const src = await seeded('a', 2);
  const b = await createBackup(src, 'v', 't');
  const item = b.items[0].id;
  const v1 = {
    ...b,
    version: 1,
    schemaVersion: 2,
    events: undefined,
    settings: undefined,
    reviews: [{ itemId: item, datasetId: 'a', label: 3, note: '说教', crisis: { risk: 'wrong', empathy: 'correct' }, updatedAt: 9 }],
  };
  const db = await openFreshDb();
  await restoreBackup(db, JSON.stringify(v1));
  const { replay } = await import('../../../src/lib/review/audit.ts');
  const v = replay(await db.getAll('events'))
    .byReviewer.get('local')!
    .get(item)!;
  expect(v).toMatchObject({ value: 3, note: '说教', crisis: { risk: 'wrong', empathy: 'correct' }, at: 9 });
  expect(await db.count('reviews')).toBe(0);
  // Restoring it twice adds nothing (derived ids).
  await restoreBackup(db, JSON.stringify(v1));
  expect(await db.count('events')).toBe(4);
  src.close();
  db.close();
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
    [
      'bad speaker',
      (b) => ({ ...b, dialogues: [{ ...b.dialogues[0], turns: [{ speaker: 'x', text: '' }] }] }),
      /dialogues\[0\]\.turns\[0\]\.speaker/,
    ],
    [
      'bad legacy crisis verdict',
      (b) => ({ ...b, reviews: [{ itemId: b.items[0].id, datasetId: 'x', crisis: { risk: 'maybe' }, updatedAt: 1 }] }),
      /reviews\[0\]\.crisis: expected an object of crisis dimension/,
    ],
    [
      'unknown crisis dimension',
      (b) => ({ ...b, reviews: [{ itemId: b.items[0].id, datasetId: 'x', crisis: { humour: 'correct' }, updatedAt: 1 }] }),
      /reviews\[0\]\.crisis/,
    ],
    [
      'bad event value',
      (b) => ({ ...b, events: b.events.map((e: { type: string }) => (e.type === 'crisis' ? { ...e, after: 'maybe' } : e)) }),
      /events\[\d\]\.after: expected "correct", "wrong" or null/,
    ],
    [
      'event without reviewer',
      (b) => ({ ...b, events: [{ ...b.events[0], reviewer: '' }] }),
      /events\[0\]\.reviewer: expected a reviewer name/,
    ],
    [
      'dangling event',
      (b) => ({ ...b, events: [{ ...b.events[0], itemId: 'x/none/1' }] }),
      /events\[0\]\.itemId: unknown item "x\/none\/1"/,
    ],
    ['bad setting', (b) => ({ ...b, settings: [{ key: 'reviewer', value: {} }] }), /settings\[0\]\.value: expected a string/],
    ['dangling score', (b) => ({ ...b, scores: [{ ...b.scores[0], itemId: 'nope' }] }), /scores\[0\]\.itemId: unknown item "nope"/],
    ['dangling dialogue', (b) => ({ ...b, datasets: [] }), /dialogues\[0\]\.datasetId: unknown dataset "x"/],
    [
      'dangling item',
      (b) => ({ ...b, dialogues: [], items: [{ ...b.items[0], datasetId: 'y' }] }),
      /items\[0\]\.datasetId: unknown dataset "y"/,
    ],
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
    for (const text of [
      '{oops',
      '[]',
      JSON.stringify({ ...b, type: 'x' }),
      JSON.stringify({ ...b, version: 9 }),
      JSON.stringify({ ...b, scores: [{ ...b.scores[0], pUnsafe: 'high' }] }),
      JSON.stringify({ ...b, scores: [{ ...b.scores[0], itemId: 'z' }] }),
    ]) {
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
    await putScores(
      src,
      'a',
      'seeker-risk@ab',
      [{ itemId: (await src.getAll('items'))[0].id, score: { probs: [0.7], label: 0, pUnsafe: NaN, truncated: false, droppedTurns: 0 } }],
      8,
    );
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
