/**
 * Backup → wipe → restore gives back, deep-equal, everything the app writes: two datasets (one with
 * gold labels, one PsyCrisis sheet of pairs), the scores of all three committed models as the real
 * engines produce them (8-class; the five crisis points and seeker risk, multi-label, whose pUnsafe is
 * NaN), an 8-class review with a note, and crisis marks written through the crisis view's own state.
 */
import { msg } from '../../../src/lib/i18n/msg.ts';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { crisisPairsFromItems, seekerItem } from '../../../src/lib/inference/crisis.ts';
import { loadEngine } from '../../../src/lib/inference/engine.ts';
import { splitMarkedTurns } from '../../../src/lib/inference/input.ts';
import { createBackup, parseBackup, restoreBackup, serializeBackup, verifyBackup } from '../../../src/lib/storage/backup.ts';
import { modelsForBackup, restoreModels } from '../../../src/lib/storage/backup-models.ts';
import { clearModels, listModels, readModelFile, saveModel } from '../../../src/lib/storage/models.ts';
import { checkModelFolder } from '../../../src/lib/inference/model-folder.ts';
import { MemDir } from '../../helpers/opfs.ts';
import { importDataset, wipeAll } from '../../../src/lib/storage/datasets.ts';
import type { XinanDatabase } from '../../../src/lib/storage/db.ts';
import { getItems, getScores, putReview, putScores, putSetting, thresholdSetting } from '../../../src/lib/storage/index.ts';
import { CrisisResults } from '../../../src/lib/state/crisis-results.svelte.ts';
import { CrisisState } from '../../../src/lib/state/crisis.svelte.ts';
import type { ModelIdentity } from '../../../src/lib/state/model-files.ts';
import { buildDataset } from '../../../src/lib/transcripts/dataset.ts';
import type { Dialogue } from '../../../src/lib/transcripts/model.ts';
import { openFreshDb } from '../../helpers/storage.ts';

const identity = (modelId: string): ModelIdentity => ({
  modelId,
  sha256: 'cd'.repeat(32),
  storageId: `${modelId}@cdcd`,
  placeholder: false,
});

/** Every store, read whole: compared before and after, so a store the backup misses fails here. */
async function everything(db: XinanDatabase): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const name of db.objectStoreNames) out[name] = await db.getAll(name);
  return out;
}

describe('backup round-trip of a workspace every model and store has written to', async () => {
  // One at a time: transformers.js does not load two model folders concurrently in one process.
  const safety = await loadEngine({ modelPath: 'models/xinan-safety-zh' });
  const crisisModel = await loadEngine({ modelPath: 'models/xinan-crisis-zh' });
  const seekerModel = await loadEngine({ modelPath: 'models/xinan-crisis-zh/seeker-risk' });

  it('restores deep-equal after a wipe, NaN pUnsafe of the crisis models included', async () => {
    const db = await openFreshDb();
    const sample = JSON.parse(readFileSync('test/fixtures/sample-ds.json', 'utf8')) as {
      context: string;
      response: string;
      label?: number;
    }[];
    const dialogues: Dialogue[] = sample.slice(0, 4).map((r, i) => ({
      id: `d${i}`,
      turns: [...splitMarkedTurns(r.context), { speaker: 'supporter', text: splitMarkedTurns(r.response)[0].text, label: i % 8 }],
    })) as Dialogue[];
    const gold = buildDataset(
      { dialogues, skipped: [], format: 'dialoguesafety-json' },
      { id: 'gold', name: 'g.json', sourceFile: 'g.json', createdAt: 1 },
    );
    const pairs = buildDataset(
      {
        dialogues: dialogues.slice(0, 2),
        skipped: [{ where: msg('whereRow', { n: 3 }), reason: msg('skipEmptyReply') }],
        format: 'xlsx',
        layout: 'pairs',
      },
      { id: 'pairs', name: 'p.xlsx', sourceFile: 'p.xlsx', createdAt: 2 },
    );
    await importDataset(db, gold);
    await importDataset(db, pairs);

    // 8-class scores, as the scorer stores them.
    const goldItems = await getItems(db, 'gold');
    const s8 = await safety.scoreBatch(goldItems.map((it) => ({ context: it.context, response: it.response })));
    await putScores(
      db,
      'gold',
      'xinan-safety-zh@abab',
      goldItems.map((it, i) => ({ itemId: it.id, score: s8[i] })),
      10,
    );
    await putReview(db, { itemId: goldItems[0].id, datasetId: 'gold', label: 3, note: '说教' }, 11);

    // Crisis points and seeker risk through the crisis view's own state, with the real engines, and marks.
    const crisis = new CrisisResults(
      { db: async () => db },
      {
        makeState: () => new CrisisState({ crisis: (xs) => crisisModel.scoreBatch(xs), seekerRisk: (xs) => seekerModel.scoreBatch(xs) }),
        identities: async () => [identity('xinan-crisis-zh'), identity('seeker-risk')],
      },
    );
    for (const ds of [gold, pairs]) {
      await crisis.open(ds.dataset, await getItems(db, ds.dataset.id));
      expect(crisis.error).toBeUndefined();
      const first = crisisPairsFromItems(await getItems(db, ds.dataset.id))[0];
      crisis.state.mark(first.id, 'risk', 'correct');
      crisis.state.mark(first.id, 'empathy', 'wrong');
    }
    await new Promise((r) => setTimeout(r, 50)); // marks are written fire-and-forget from the click
    const seeker = await getScores(db, 'gold', 'seeker-risk@cdcd');
    expect(seeker.size).toBeGreaterThan(0);
    expect([...seeker.values()].every((s) => Number.isNaN(s.pUnsafe))).toBe(true);
    expect(Number.isNaN((await getScores(db, 'pairs', 'xinan-crisis-zh@cdcd')).values().next().value?.pUnsafe)).toBe(true);
    expect(seekerModel.labels).toEqual(['seeker_risk']);
    void seekerItem; // the seeker-risk model scores the seeker message alone (CrisisState does this)

    await putSetting(db, thresholdSetting('gold'), 0.4);

    const before = await everything(db);
    // Since schema v3 reviews live on as audit events; the old store stays empty.
    for (const [name, records] of Object.entries(before))
      if (name !== 'reviews') expect(records.length, `store ${name} has data`).toBeGreaterThan(0);
    expect(before.reviews).toEqual([]);
    const types = new Set((before.events as { type: string }[]).map((e) => e.type));
    expect([...types].sort()).toEqual(expect.arrayContaining(['class', 'crisis', 'note']));

    const text = serializeBackup(await createBackup(db, '0.1.0', '2026-12-01T00:00:00Z'));
    await wipeAll(db);
    for (const records of Object.values(await everything(db))) expect(records).toEqual([]);
    await restoreBackup(db, text);
    expect(await everything(db)).toEqual(before);
    // NaN, not null or 0: the crisis view reads these back as "no safe class".
    expect([...(await getScores(db, 'gold', 'seeker-risk@cdcd')).values()].every((s) => Number.isNaN(s.pUnsafe))).toBe(true);
    db.close();
  });

  it('models brought from disk (OPFS) travel in the backup with their files, and their scores with the rest', async () => {
    const db = await openFreshDb();
    const root = new MemDir();
    const v1 = 'test/fixtures/models/xinan-safety-zh-v1';
    const files = ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model_quantized.onnx'].map((path) => {
      const bytes = new Uint8Array(readFileSync(`${v1}/${path}`));
      return { path, size: bytes.length, bytes: async () => bytes };
    });
    const stored = await saveModel(root, await checkModelFolder('xinan-safety-zh-v1', files), 7);
    const sample = JSON.parse(readFileSync('test/fixtures/sample-ds.json', 'utf8')) as { context: string; response: string }[];
    const ds = buildDataset(
      {
        dialogues: sample.slice(0, 3).map((r, i) => ({
          id: `d${i}`,
          turns: [...splitMarkedTurns(r.context), { speaker: 'supporter' as const, text: splitMarkedTurns(r.response)[0].text }],
        })),
        skipped: [],
        format: 'dialoguesafety-json',
      },
      { id: 'm', name: 'm.json', sourceFile: 'm.json', createdAt: 1 },
    );
    await importDataset(db, ds);
    const items = await getItems(db, 'm');
    const s8 = await safety.scoreBatch(items.map((it) => ({ context: it.context, response: it.response })));
    // Two models' scores side by side on one dataset: the bundled one's and the stored model's.
    await putScores(
      db,
      'm',
      'xinan-safety-zh@abab',
      items.map((it, i) => ({ itemId: it.id, score: s8[i] })),
      3,
    );
    await putScores(
      db,
      'm',
      stored.id,
      items.map((it, i) => ({ itemId: it.id, score: { ...s8[i], label: 0 } })),
      4,
    );

    // As Workspace does: the database's backup plus the stored models.
    const backup = { ...(await createBackup(db, '0.1.0', '2026-12-01T00:00:00Z')), models: await modelsForBackup(root) };
    const text = serializeBackup(backup);
    verifyBackup(text, backup);
    const before = await everything(db);
    const weights = await readModelFile(root, stored.sha256, stored.onnxFile);

    await wipeAll(db);
    await clearModels(root);
    expect(await listModels(root)).toEqual([]);
    const parsed = parseBackup(text);
    expect(await restoreModels(root, parsed.models ?? [])).toBe(1);
    await restoreBackup(db, text);
    expect(await everything(db)).toEqual(before);
    expect(await listModels(root)).toEqual([stored]);
    expect(Buffer.from(await readModelFile(root, stored.sha256, stored.onnxFile)).equals(Buffer.from(weights))).toBe(true);
    expect((await getScores(db, 'm', stored.id)).size).toBe(items.length);
    // A backup that lost its models on the way is refused by the read-back check.
    expect(() => verifyBackup(serializeBackup({ ...backup, models: [] }), backup)).toThrow(/models/);
    db.close();
  });
});
