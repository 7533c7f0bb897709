/**
 * A full disk (a small quota through CDP `Storage.overrideQuotaForOrigin`, see storage.ts `Quota`): an import
 * that does not fit stores nothing and changes no store, says so with what to do, and goes through once there
 * is room; scoring that runs out of space keeps every chunk it stored, says so, and 继续评估 finishes the rest.
 */
import { assert, assertEqual, test } from './harness.ts';
import { allStores, chooseFile, confirmImport, dataset, expectText, openApp, scoreAll, storedScores, waitAllScored } from './app.ts';
import { auditWhole, Quota, recordsOf, tempFile, transcriptText } from './storage.ts';

const full = '[data-error=storage-full]';

test('quota: an import that does not fit changes nothing stored, says what to do, and goes through once there is room', async ({
  page,
  origin,
}) => {
  const quota = await Quota.limit(page, origin);
  await openApp(page, origin);
  await chooseFile(page, tempFile('kept.json', transcriptText(30, 'kept')));
  await confirmImport(page);
  await scoreAll(page, 'kept.json');
  const before = await allStores(page);
  assertEqual(before.scores.length, 30, 'the kept dataset is scored');

  const BIG = 3000;
  await chooseFile(page, tempFile('big.json', transcriptText(BIG, 'big')));
  assertEqual(await page.getByTestId('preview-items').textContent(), String(BIG), 'preview item count');
  await quota.squeeze(64 * 1024);
  await page.getByRole('button', { name: /确认导入/ }).click();
  const zh = await expectText(page.locator(full), /存储空间已满：这个文件没有导入/);
  for (const part of ['已保存的数据没有任何改动', '删除不再需要的数据集', '“备份全部数据”', '“清除全部数据”', '浏览器设置', '“确认导入”']) {
    assert(zh.includes(part), `the message says ${part}: ${zh}`);
  }
  await page.getByRole('button', { name: 'English' }).click();
  const en = await expectText(page.locator(full), /Storage is full: this file was not imported/);
  assert(!/[\u4e00-\u9fff]/.test(en), `no Chinese in the English message: ${en}`);
  await page.getByRole('button', { name: '中文' }).click();
  assertEqual(await allStores(page), before, 'every store is as it was before the import');
  assertEqual(await page.getByTestId('dataset').count(), 1, 'one dataset listed');

  // Room again: the preview is still there, and the same import goes through.
  await quota.release();
  await confirmImport(page);
  const after = await allStores(page);
  const audit = auditWhole(after);
  assertEqual(audit.problems, [], 'whole datasets only');
  const big = [...audit.datasets.values()].find((d) => d.name === 'big.json');
  assertEqual(big && [big.dialogues, big.items], [BIG, BIG], 'big.json stored whole');
  const keptIds = new Set((before.datasets as { id: string }[]).map((d) => d.id));
  assertEqual(recordsOf(after, keptIds), recordsOf(before, keptIds), 'the kept dataset is untouched');
});

test('quota: scoring that runs out of space keeps every stored chunk, says what to do, and 继续评估 finishes once there is room', async ({
  page,
  origin,
}) => {
  const N = 2400;
  const quota = await Quota.limit(page, origin);
  await openApp(page, origin);
  await chooseFile(page, tempFile('scoring.json', transcriptText(N, 'scoring')));
  await confirmImport(page);
  await dataset(page, 'scoring.json')
    .getByRole('button', { name: /开始评估/ })
    .click();
  // The disk fills up once a first chunk is stored (waited for, never assumed).
  let first = await storedScores(page);
  for (let i = 0; first.length === 0; i++) {
    assert(i < 600, 'a first chunk of scores is stored within 5 minutes');
    await page.waitForTimeout(500);
    first = await storedScores(page);
  }
  await quota.squeeze(0);

  const zh = await expectText(page.locator(full), /存储空间已满，评估已停止/, 240_000);
  await page.waitForFunction(() => document.querySelector('[data-testid=model-phase]')?.getAttribute('data-phase') !== 'scoring');
  const kept = await storedScores(page);
  assert(kept.length >= first.length && kept.length < N, `some but not all items scored when the disk filled (${kept.length} of ${N})`);
  const keptAt = new Map(kept.map((s) => [s.itemId, s.scoredAt]));
  assertEqual(
    first.filter((s) => keptAt.get(s.itemId) !== s.scoredAt),
    [],
    'every score stored before the disk filled is still there',
  );
  assert(zh.includes(`已评估 ${kept.length} / ${N}`), `the message counts what was kept (${kept.length}): ${zh}`);
  for (const part of ['已完成的结果都已保存', '删除不再需要的数据集', '“备份全部数据”', '浏览器设置', '“继续评估”']) {
    assert(zh.includes(part), `the message says ${part}: ${zh}`);
  }
  await expectText(dataset(page, 'scoring.json').getByTestId('dataset-status'), new RegExp(`已评估 ${kept.length}/${N}`));
  const stores = await allStores(page);
  assertEqual(auditWhole(stores).problems, [], 'whole datasets only');

  // Room again: 继续评估 scores only what is missing, and every item ends with one score.
  await quota.release();
  await dataset(page, 'scoring.json')
    .getByRole('button', { name: /继续评估/ })
    .click();
  await waitAllScored(page, 280_000);
  const after = await storedScores(page);
  assertEqual(after.length, N, 'one score per item');
  assertEqual(new Set(after.map((s) => s.itemId)).size, N, 'no item scored twice');
  const afterAt = new Map(after.map((s) => [s.itemId, s.scoredAt]));
  assertEqual(
    kept.filter((s) => afterAt.get(s.itemId) !== s.scoredAt),
    [],
    'scores kept through the full disk were not recomputed',
  );
  assertEqual(await page.locator(full).count(), 0, 'the storage-full message is gone');
});
