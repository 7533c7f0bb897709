/**
 * Bring your own model: the previous shipped model (v1, test/fixtures/models/xinan-safety-zh-v1) is loaded
 * from disk through the folder input, stored in OPFS, chosen, scored on the built-in sample with the real
 * worker, and compared with the bundled model. The view's numbers are checked against compare/models.ts
 * applied to the scores read back from IndexedDB (not against hard-coded values). A malformed folder
 * shows its specific error and stores nothing (OPFS and IndexedDB are read to check).
 */
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { compareModels } from '../../src/lib/compare/models.ts';
import { decide, UNSAFE_THRESHOLD } from '../../src/lib/decision.ts';
import { loadEngine } from '../../src/lib/inference/engine.ts';
import type { StoredItem, StoredScore } from '../../src/lib/storage/db.ts';
import { confirmImport, expectText, exportText, openApp, summaryCounts, waitAllScored } from './app.ts';
import { assert, assertEqual, test } from './harness.ts';

const V1 = 'test/fixtures/models/xinan-safety-zh-v1';
const V1_SHA = createHash('sha256')
  .update(readFileSync(`${V1}/onnx/model_quantized.onnx`))
  .digest('hex');
const V1_ID = `xinan-safety-zh-v1@${V1_SHA.slice(0, 16)}`;

/** The ONNX bytes with every node of op type `from` given op type `to` (same length: the protobuf stays valid). */
function renameOp(bytes: Buffer, from: string, to: string): Buffer {
  // A NodeProto's op_type is field 4, length-delimited: tag 0x22, then the length, then the name.
  const key = Buffer.concat([Buffer.from([0x22, from.length]), Buffer.from(from)]);
  const out = Buffer.from(bytes);
  let n = 0;
  for (let i = out.indexOf(key); i >= 0; i = out.indexOf(key, i + 1), n++) out.write(to, i + 2, 'latin1');
  assert(n > 0 && to.length === from.length, `renamed ${n} ${from} nodes`);
  return out;
}

/** Every record of one IndexedDB store, read in the page. */
async function all<T>(page: Page, store: string): Promise<T[]> {
  return page.evaluate(
    (name) =>
      new Promise<T[]>((resolve, reject) => {
        const open = indexedDB.open('xinan');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const req = open.result.transaction(name).objectStore(name).getAll();
          req.onsuccess = () => {
            resolve(req.result as T[]);
            open.result.close();
          };
          req.onerror = () => reject(req.error);
        };
      }),
    store,
  );
}

/** Paths and sizes of every file in OPFS. */
async function opfsFiles(page: Page): Promise<Record<string, number>> {
  // No named functions inside: the test runner's transpiler would wrap them in a helper the page lacks.
  return page.evaluate(async () => {
    type Dir = FileSystemDirectoryHandle & { entries(): AsyncIterable<[string, FileSystemHandle]> };
    const out: Record<string, number> = {};
    const todo: [Dir, string][] = [[(await navigator.storage.getDirectory()) as Dir, '']];
    while (todo.length) {
      const [dir, prefix] = todo.pop()!;
      for await (const [name, h] of dir.entries()) {
        if (h.kind === 'file') out[prefix + name] = (await (h as FileSystemFileHandle).getFile()).size;
        else todo.push([h as Dir, `${prefix}${name}/`]);
      }
    }
    return out;
  });
}

const pct = (x: number | null) => (x === null ? 'n/a' : `${(x * 100).toFixed(1)}%`);

test('byom: the v1 model folder loaded from disk, scored on the sample and compared with the bundled model', async ({ page, origin }) => {
  await openApp(page, origin);
  await page.getByTestId('models-can').waitFor(); // what a model folder can and cannot do is said up front
  await page.getByRole('button', { name: /试用内置示例/ }).click();
  await confirmImport(page);
  await page.getByRole('button', { name: /开始评估/ }).click();
  await waitAllScored(page);

  // Load the folder through <input webkitdirectory>: checked, stored in OPFS, listed with its sha256.
  await page.getByTestId('model-folder-input').setInputFiles(V1);
  const listed = page.locator(`[data-testid=stored-model][data-sha256="${V1_SHA}"]`);
  await listed.waitFor({ timeout: 60_000 });
  assertEqual(await listed.getAttribute('data-id'), V1_ID, 'stored under name@sha256[:16]');
  await expectText(listed, new RegExp(`SHA-256 ${V1_SHA.slice(0, 16)}`));
  const files = await opfsFiles(page);
  for (const f of ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model_quantized.onnx']) {
    assertEqual(files[`models/${V1_SHA}/${f}`], readFileSync(`${V1}/${f}`).length, `OPFS holds ${f} whole`);
  }

  // Choose it and score the same dataset: the view switches to its (missing) scores, then fills.
  await page.getByTestId('model-choice').selectOption(V1_SHA);
  await expectText(page.getByTestId('model-id'), /^xinan-safety-zh-v1$/);
  await page.getByRole('button', { name: /开始评估/ }).click();
  await waitAllScored(page);

  // A reload keeps the choice: the model and its counts come back.
  await page.reload();
  await expectText(page.getByTestId('model-id'), /^xinan-safety-zh-v1$/);
  await summaryCounts(page, /9 条回复 · 已评估 9(\D|$)/); // the reopened dataset, with v1's scores

  // Both models' scores live side by side on the one dataset.
  const items = await all<StoredItem>(page, 'items');
  const scores = await all<StoredScore>(page, 'scores');
  const modelIds = [...new Set(scores.map((s) => s.modelId))].sort();
  assertEqual(modelIds.length, 2, `two models' scores (${modelIds.join(', ')})`);
  assert(modelIds.includes(V1_ID), 'the v1 scores are stored under its id');
  const bundledId = modelIds.find((id) => id !== V1_ID)!;
  assert(bundledId.startsWith('xinan-safety-zh@'), bundledId);
  const labels = (id: string) =>
    new Map(scores.filter((s) => s.modelId === id).map((s) => [s.itemId, decide(s, UNSAFE_THRESHOLD).label] as [string, number]));
  const a = labels(bundledId);
  const b = labels(V1_ID);
  assertEqual(a.size, items.length, 'bundled model scored every item');
  assertEqual(b.size, items.length, 'v1 scored every item');
  // The worker ran the v1 weights read from OPFS: the same model run here from the fixture folder agrees
  // (labels exactly, probabilities within 5e-3: int8 kernels differ between runtimes and CPUs).
  const engine = await loadEngine({ modelPath: V1 });
  const node = await engine.scoreBatch(items.map((it) => ({ context: it.context, response: it.response })));
  await engine.dispose();
  items.forEach((it, i) => {
    const stored = scores.find((s) => s.modelId === V1_ID && s.itemId === it.id)!;
    assertEqual(stored.label, node[i].label, `v1 label of ${it.id}`);
    const diff = Math.max(...stored.probs.map((p, j) => Math.abs(p - node[i].probs[j])));
    assert(diff <= 5e-3, `v1 probabilities of ${it.id} differ by ${diff}`);
  });
  const gold = new Map(items.flatMap((it) => (it.goldLabel === undefined ? [] : [[it.id, it.goldLabel] as [string, number]])));
  const ordered = [...items].sort((x, y) => x.seq - y.seq).map((it) => it.id);
  const want = compareModels(ordered, a, b, gold);

  // The model-vs-model tab: bundled (A) vs v1 (B), numbers as computed from the stored scores.
  await page.getByRole('tab', { name: '模型比较' }).click();
  await page.getByTestId('model-pair').waitFor();
  await page.getByTestId('mvm-a').selectOption(bundledId);
  await page.getByTestId('mvm-b').selectOption(V1_ID);
  await expectText(page.getByTestId('mvm-n'), new RegExp(`${want.n}$`));
  await expectText(page.getByTestId('mvm-agreement'), new RegExp(`^${pct(want.agreement).replace('.', '\\.')}$`));
  const kappaText = want.kappa === null ? '不适用' : want.kappa.toFixed(3);
  await expectText(page.getByTestId('mvm-kappa'), new RegExp(`^${kappaText.replace('.', '\\.')}$`));
  await expectText(page.getByTestId('mvm-unsafe-agreement'), new RegExp(`^${pct(want.unsafeAgreement).replace('.', '\\.')}$`));
  const shown = await page.getByTestId('mvm-disagreement').evaluateAll((els) => els.map((e) => e.getAttribute('data-item')));
  assertEqual(JSON.stringify(shown), JSON.stringify(want.disagreements), 'the disagreements, in file order');
  if (want.gold) {
    const row = page.getByTestId('mvm-gold');
    await expectText(row, new RegExp(`${pct(want.gold.a).replace('.', '\\.')}\\s*${pct(want.gold.b).replace('.', '\\.')}$`));
    assertEqual(Number(await row.getAttribute('data-n')), want.gold.n, 'gold items');
  }
  // The confusion matrix sums to the items both scored.
  const cells = await page
    .getByTestId('mvm-confusion')
    .locator('tbody td')
    .evaluateAll((els) => els.map((e) => Number(e.textContent?.trim() || 0)));
  assertEqual(
    cells.reduce((s, x) => s + x, 0),
    want.confusion.flat().reduce((s, x) => s + x, 0),
    'confusion total',
  );
  console.log(
    `  byom: bundled vs v1 on the sample: n=${want.n} agreement=${pct(want.agreement)} κ=${want.kappa?.toFixed(3) ?? 'n/a'} ` +
      `disagreements=${want.disagreements.length} gold acc ${pct(want.gold?.a ?? null)} vs ${pct(want.gold?.b ?? null)}`,
  );

  // Back to the bundled model: the views follow the choice (the summary shows its full count again).
  await page.getByTestId('model-choice').selectOption('');
  await expectText(page.getByTestId('model-id'), /^xinan-safety-zh$/);

  // Nothing stored is lost: the backup carries the model's files; wipe → restore brings model and scores back.
  const backup = await exportText(page, /备份全部数据/);
  const parsed = JSON.parse(backup.text) as { models: { record: { sha256: string }; files: { path: string; data: string }[] }[] };
  assertEqual(parsed.models.length, 1, 'the stored model is in the backup');
  const weights = parsed.models[0].files.find((f) => f.path === 'onnx/model_quantized.onnx')!;
  assertEqual(createHash('sha256').update(Buffer.from(weights.data, 'base64')).digest('hex'), V1_SHA, 'its weights, byte for byte');
  await page.getByRole('button', { name: /清除全部数据/ }).click();
  await page.getByRole('button', { name: '不备份，直接清除' }).click();
  await page.getByTestId('models-empty').waitFor();
  assertEqual(JSON.stringify(await opfsFiles(page)), '{}', 'the wipe removed the stored model');
  await page
    .getByLabel(/从备份恢复/)
    .setInputFiles({ name: 'backup.json', mimeType: 'application/json', buffer: Buffer.from(backup.text) });
  await page.getByText('已恢复 1 个数据集。').waitFor();
  await listed.waitFor();
  assertEqual(
    (await opfsFiles(page))[`models/${V1_SHA}/onnx/model_quantized.onnx`],
    readFileSync(`${V1}/onnx/model_quantized.onnx`).length,
    'weights back in OPFS',
  );
  assertEqual((await all<StoredScore>(page, 'scores')).filter((x) => x.modelId === V1_ID).length, items.length, 'v1 scores restored');

  // Removing the model asks first (it has scores), removes its files and keeps its scores.
  let asked = '';
  page.once('dialog', (d) => {
    asked = d.message();
    void d.accept();
  });
  await listed.getByRole('button', { name: '删除' }).click();
  await page.getByTestId('models-empty').waitFor();
  assert(asked.includes(`已为 ${items.length} 条回复打分`), `the confirmation names the scores (${asked})`);
  assertEqual(JSON.stringify(await opfsFiles(page)), '{}', 'its files are gone');
  assertEqual((await all<StoredScore>(page, 'scores')).filter((x) => x.modelId === V1_ID).length, items.length, 'its scores stay');
});

test('byom: a malformed model folder shows its specific error and stores nothing', async ({ page, origin }) => {
  await openApp(page, origin);
  const dir = join(mkdtempSync(join(tmpdir(), 'xinan-byom-')), 'broken-model');
  cpSync(V1, dir, { recursive: true });
  writeFileSync(join(dir, 'config.json'), '{\n "id2label": {\n  "0": "Nonsense",,\n }\n}');
  await page.getByTestId('model-folder-input').setInputFiles(dir);
  const error = page.getByTestId('models-error').getByRole('alert');
  await expectText(error, /config\.json 不是有效的 JSON：第 3 行第 19 列出错/);

  // Labels that are not the taxonomy: named, in English too.
  const labels = JSON.parse(readFileSync(`${V1}/config.json`, 'utf8')) as { id2label: Record<string, string> };
  labels.id2label['3'] = 'Rude';
  writeFileSync(join(dir, 'config.json'), JSON.stringify(labels));
  await page.getByTestId('model-folder-input').setInputFiles(dir);
  await expectText(error, /不认识：Rude；缺少：Unamiable Judgment/);
  await page.getByRole('button', { name: 'English' }).click();
  await expectText(
    error,
    /config\.json: the labels do not map to the 8-class safety taxonomy \(unknown: Rude; missing: Unamiable Judgment\)/,
  );

  // Passes every check but does not run: its MatMulInteger nodes renamed to an operator no runtime has.
  // The trial load in a worker of its own finds it, and the folder is removed again. The operator's name comes
  // from onnxruntime's error text, which the worker's early runtime start must not wipe (runtime-start.ts).
  cpSync(`${V1}/config.json`, join(dir, 'config.json'));
  writeFileSync(
    join(dir, 'onnx/model_quantized.onnx'),
    renameOp(readFileSync(`${V1}/onnx/model_quantized.onnx`), 'MatMulInteger', 'MatMulIntegex'),
  );
  await page.getByRole('button', { name: '中文' }).click();
  await page.getByTestId('model-folder-input').setInputFiles(dir);
  await expectText(error, /onnx\/model_quantized\.onnx 用到了算子 MatMulIntegex（opset \d+），运行时没有它的实现/);

  // Nothing stored: no model files in OPFS, no model listed, nothing in IndexedDB.
  assertEqual(JSON.stringify(await opfsFiles(page)), '{}', 'OPFS holds no model file');
  await page.getByTestId('models-empty').waitFor();
  for (const store of ['datasets', 'items', 'scores', 'events', 'settings']) {
    assertEqual((await all(page, store)).length, 0, `IndexedDB ${store} empty`);
  }
});
