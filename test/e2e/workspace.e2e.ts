/** Drag and drop, storage info, backup → wipe → restore, and delete, through the UI. */
import { readFileSync } from 'node:fs';
import { assert, assertEqual, test } from './harness.ts';
import {
  allStores,
  confirmImport,
  dataset,
  expectText,
  exportText,
  FIXTURES,
  importSample,
  openApp,
  openCrisis,
  scoreAll,
  summaryCounts,
} from './app.ts';

test('workspace: drop a file, back up, wipe, restore, delete', async ({ page, origin }) => {
  page.on('dialog', (d) => void d.accept());
  await openApp(page, origin);
  // Persistent storage is asked for at the first import, not before; the answer is shown.
  await expectText(page.getByTestId('storage-usage'), /持久存储：尚未申请/);
  const csv = readFileSync(`${FIXTURES}/dialogues-bom-zh.csv`, 'utf8');
  // A real DataTransfer with a File, dropped on the import area, as a user's drag would deliver it.
  await page.evaluate((text) => {
    const dt = new DataTransfer();
    dt.items.add(new File([text], 'dropped.csv', { type: 'text/csv' }));
    document.querySelector('section.import')!.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, csv);
  await page.getByTestId('preview-items').waitFor();
  assertEqual(await page.getByTestId('preview-format').textContent(), 'csv', 'dropped CSV detected');
  await confirmImport(page);
  await expectText(page.getByTestId('storage-usage'), /持久存储：(已授予|未授予)/);
  await scoreAll(page, 'dropped.csv');
  assert(/MB/.test((await page.getByTestId('storage-usage').textContent()) ?? ''), 'storage used and quota shown');

  const backup = await exportText(page, /备份全部数据/);
  const parsed = JSON.parse(backup.text) as { type: string; datasets: unknown[]; scores: unknown[]; items: unknown[] };
  assertEqual(parsed.type, 'xinan-backup', 'backup file type');
  assertEqual(parsed.datasets.length, 1, 'backup holds the dataset');
  assertEqual(parsed.scores.length, parsed.items.length, 'backup holds every score');

  await page.getByRole('button', { name: /清除全部数据/ }).click();
  await page.getByRole('button', { name: '不备份，直接清除' }).click();
  await page.getByText(/还没有数据集/).waitFor();

  await page
    .getByLabel(/从备份恢复/)
    .setInputFiles({ name: 'backup.json', mimeType: 'application/json', buffer: Buffer.from(backup.text) });
  await page.getByText('已恢复 1 个数据集。').waitFor();
  await dataset(page, 'dropped.csv').getByRole('button', { name: 'dropped.csv', exact: true }).click();
  // The counts appear once the dataset is read (the app shows "opening…" until then, never zeros).
  await summaryCounts(page, new RegExp(`已评估 ${parsed.items.length}`));

  await dataset(page, 'dropped.csv').getByRole('button', { name: '删除 dropped.csv' }).click();
  await page.getByText(/还没有数据集/).waitFor();
});

test('workspace: a backup taken after the crisis view restores everything (sample → score → crisis → back up → wipe → restore)', async ({
  page,
  origin,
}) => {
  await importSample(page, origin);
  await scoreAll(page, '示例对话 sample.json');
  await openCrisis(page);
  const risky = page.getByRole('article', { name: /^条目 / }).first();
  await risky.getByRole('button', { name: '评估风险：模型判断正确' }).click();
  await risky.getByRole('button', { name: '评估风险：模型判断正确', pressed: true }).waitFor();
  // The mark and the crisis models' scores are written after the view shows them: wait until stored.
  await page.waitForFunction(
    () =>
      new Promise<boolean>((resolve) => {
        const open = indexedDB.open('xinan');
        open.onsuccess = () => {
          // Since schema v3 a mark is an event of the review audit log.
          const tx = open.result.transaction(['events', 'scores']);
          const reviews = tx.objectStore('events').count();
          const scores = tx.objectStore('scores').getAll();
          tx.oncomplete = () => {
            const crisis = (scores.result as { modelId: string }[]).filter((s) => /^(xinan-crisis-zh|seeker-risk)@/.test(s.modelId));
            resolve(reviews.result > 0 && crisis.length === 18); // five points and seeker risk for the 9 sample replies
            open.result.close();
          };
        };
      }),
    undefined,
    { polling: 250 },
  );
  const before = await allStores(page);

  const backup = await exportText(page, /备份全部数据/);
  const parsed = JSON.parse(backup.text) as { scores: { modelId: string; pUnsafe: number | null }[] };
  assert(
    parsed.scores.some((s) => /^seeker-risk@/.test(s.modelId) && s.pUnsafe === null),
    'the backup holds seeker-risk scores (pUnsafe null in JSON)',
  );

  // Wipe with the backup first: that second backup is downloaded, read back, and only then is the data wiped.
  await page.getByRole('button', { name: /清除全部数据/ }).click();
  const [wipeBackup] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '下载备份后清除' }).click()]);
  await page.getByText(/还没有数据集/).waitFor();
  assertEqual(
    await allStores(page),
    { datasets: [], dialogues: [], events: [], items: [], reviews: [], scores: [], settings: [] },
    'wiped',
  );

  await page
    .getByLabel(/从备份恢复/)
    .setInputFiles({ name: 'backup.json', mimeType: 'application/json', buffer: Buffer.from(backup.text) });
  await page.getByText('已恢复 1 个数据集。').waitFor();
  assertEqual(await allStores(page), before, 'every store restored as it was');

  // The backup taken by the wipe restores the same.
  await page.getByLabel(/从备份恢复/).setInputFiles(await wipeBackup.path());
  await page.getByText('已恢复 1 个数据集。').waitFor();
  assertEqual(await allStores(page), before, 'the wipe’s own backup restores everything too');

  await dataset(page, '示例对话 sample.json').getByRole('button', { name: '示例对话 sample.json', exact: true }).click();
  await openCrisis(page);
  // The risk mark (4th dimension) is back: one reviewed.
  await expectText(
    page
      .getByRole('table', { name: /评审一致性/ })
      .locator('tbody tr')
      .first()
      .locator('td')
      .nth(3),
    /^1$/,
  );
});
