/** Drag and drop, storage info, backup → wipe → restore, and delete, through the UI. */
import { readFileSync } from 'node:fs';
import { assert, assertEqual, test } from './harness.ts';
import { confirmImport, dataset, exportText, FIXTURES, openApp, scoreAll } from './app.ts';

test('workspace: drop a file, back up, wipe, restore, delete', async ({ page, origin }) => {
  page.on('dialog', (d) => void d.accept());
  await openApp(page, origin);
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
  await scoreAll(page, 'dropped.csv');
  assert(/MB/.test((await page.getByTestId('storage-usage').textContent()) ?? ''), 'storage used and quota shown');

  const backup = await exportText(page, /备份全部数据/);
  const parsed = JSON.parse(backup.text) as { type: string; datasets: unknown[]; scores: unknown[]; items: unknown[] };
  assertEqual(parsed.type, 'xinan-backup', 'backup file type');
  assertEqual(parsed.datasets.length, 1, 'backup holds the dataset');
  assertEqual(parsed.scores.length, parsed.items.length, 'backup holds every score');

  await page.getByRole('button', { name: /清除全部数据/ }).click();
  await page.getByText(/还没有数据集/).waitFor();

  await page.getByLabel(/从备份恢复/).setInputFiles({ name: 'backup.json', mimeType: 'application/json', buffer: Buffer.from(backup.text) });
  await page.getByText('已恢复 1 个数据集。').waitFor();
  await dataset(page, 'dropped.csv').waitFor();
  await dataset(page, 'dropped.csv').getByRole('button', { name: 'dropped.csv', exact: true }).click();
  const counts = (await page.getByTestId('summary-counts').textContent()) ?? '';
  assert(new RegExp(`已评估 ${parsed.items.length}`).test(counts), `restored scores visible without rescoring (${counts})`);

  await dataset(page, 'dropped.csv').getByRole('button', { name: '删除 dropped.csv' }).click();
  await page.getByText(/还没有数据集/).waitFor();
});
