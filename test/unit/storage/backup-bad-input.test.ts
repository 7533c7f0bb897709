/**
 * Regression tests for what the backup fuzzing (test/unit/fuzz/backup.test.ts) found: each file used to escape
 * as a TypeError/RangeError, or was accepted and then made the next backup unrestorable. Each must now be a
 * RestoreError that leaves the workspace as it was.
 */
import { describe, expect, it } from 'vitest';
import { createBackup, restoreBackup, serializeBackup } from '../../../src/lib/storage/backup.ts';
import { importDataset } from '../../../src/lib/storage/datasets.ts';
import { RestoreError } from '../../../src/lib/storage/errors.ts';
import { putScores } from '../../../src/lib/storage/scores.ts';
import { makeDatasetRecords, makeScore } from '../../helpers/factories.ts';
import { nestJson } from '../../helpers/fuzz.ts';
import { openFreshDb } from '../../helpers/storage.ts';

async function workspace() {
  const db = await openFreshDb();
  const recs = makeDatasetRecords('a', 2);
  await importDataset(db, recs);
  await putScores(
    db,
    'a',
    'm1',
    recs.items.map((i) => ({ itemId: i.id, score: makeScore(3) })),
    5,
  );
  const backup = await createBackup(db, 'v', 't');
  return { db, backup, text: serializeBackup(backup) };
}

/** Restores `text`, expects a RestoreError matching `message`, and checks nothing stored changed. */
async function expectRefused(text: string, message: RegExp) {
  const { db, text: before } = await workspace();
  const error = await restoreBackup(db, text).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RestoreError);
  expect((error as Error).message).toMatch(message);
  expect(serializeBackup(await createBackup(db, 'v', 't'))).toBe(before);
  db.close();
}

describe('backup files found by fuzzing', () => {
  it('"type" nested 200,000 deep: refused, not a stack overflow', async () => {
    await expectRefused(
      `{"type":${nestJson('1', 200_000, 'array')}}`,
      /^Invalid backup: "type" is an array of 1, expected "xinan-backup"$/,
    );
  });

  it('"version" an object whose toString is not a function: refused, not a TypeError', async () => {
    await expectRefused(
      '{"type":"xinan-backup","version":{"toString":1}}',
      /^Invalid backup: "version" is an object, expected a whole number from 1$/,
    );
  });

  it('a number written 1e400 (Infinity): refused, since the next backup would write it as null', async () => {
    const { backup } = await workspace();
    const text = serializeBackup(backup).replace(/"createdAt":\d+/, '"createdAt":1e400');
    await expectRefused(text, /^Invalid backup: datasets\[0\]\.createdAt: expected a finite number$/);
  });

  it('a field the validator does not know, nested 100,000 deep: refused before it reaches IndexedDB', async () => {
    const { backup } = await workspace();
    const text = serializeBackup(backup).replace('"format":', `"extra":${nestJson('1', 100_000, 'array')},"format":`);
    await expectRefused(text, /^Invalid backup: datasets\[0\]: nested more than 16 levels deep$/);
  });

  it('probabilities that are not numbers: refused', async () => {
    const { backup } = await workspace();
    const text = JSON.stringify({
      ...backup,
      scores: backup.scores.map((s, i) => (i === 1 ? { ...s, probs: ['x', ...s.probs.slice(1)] } : s)),
    });
    await expectRefused(text, /^Invalid backup: scores\[1\]\.probs: expected an array of finite numbers$/);
  });

  it('a dataset id of a megabyte is quoted short', async () => {
    const { backup } = await workspace();
    const text = serializeBackup({ ...backup, items: backup.items.map((it) => ({ ...it, datasetId: 'x'.repeat(1_000_000) })) });
    await expectRefused(text, /^Invalid backup: items\[0\]\.datasetId: unknown dataset "x{40}…"$/);
  });
});
