/** Bad files show specific errors (file and place), partly valid files list what is skipped, and stored data never changes. */
import { assert, assertEqual, test } from './harness.ts';
import { chooseFile, confirmImport, dataset, FIXTURES, openApp } from './app.ts';

const BAD: { file: string; says: RegExp; code: string }[] = [
  { file: 'malformed.json', says: /malformed\.json：第 \d+ 行第 \d+ 列：JSON 格式错误/, code: 'malformed-json' },
  { file: 'empty.txt', says: /empty\.txt：文件是空的/, code: 'empty' },
  { file: 'unknown.dat', says: /unknown\.dat/, code: 'unknown-format' },
  { file: 'not-a-spreadsheet.xlsx', says: /not-a-spreadsheet\.xlsx/, code: 'invalid-xlsx' },
  { file: 'unknown-json.json', says: /unknown-json\.json/, code: 'unknown-format' },
  { file: 'only-seeker.txt', says: /only-seeker\.txt/, code: 'no-dialogues' },
  { file: 'wrong-encoding.txt', says: /wrong-encoding\.txt/, code: 'encoding' },
];

test('errors: malformed files show their errors and existing data stays unchanged', async ({ page, origin }) => {
  await openApp(page, origin);
  await chooseFile(page, `${FIXTURES}/dialoguesafety.json`);
  await confirmImport(page);
  const datasetText = await dataset(page, 'dialoguesafety.json').textContent();

  for (const bad of BAD) {
    await chooseFile(page, `${FIXTURES}/${bad.file}`);
    // The previous file's alert may still be up for a moment: wait for this file's own.
    const alert = page.getByRole('alert').filter({ hasText: bad.file });
    await alert.waitFor();
    const text = (await alert.textContent()) ?? '';
    assert(bad.says.test(text), `${bad.file}: error says which file and what (${text})`);
    const code = await alert.locator('[data-code]').getAttribute('data-code');
    assertEqual(code, bad.code, `${bad.file}: error code shown with a translated title`);
  }

  await chooseFile(page, `${FIXTURES}/dialoguesafety-partial.json`);
  const skipped = (await page.getByTestId('skipped').textContent()) ?? '';
  assert(
    /第 2 条：缺少字符串字段“response”/.test(skipped) && /第 4 条：不是对象/.test(skipped),
    `skipped records listed with where, in Chinese (${skipped})`,
  );
  await page.getByRole('button', { name: /^取消$/ }).click();

  await page.getByLabel(/从备份恢复/).setInputFiles(`${FIXTURES}/malformed.json`);
  // The alert appears once the file is read: wait for it, then read it.
  const restoreAlert = page.getByRole('alert').filter({ hasText: /备份文件无效/ });
  await restoreAlert.waitFor();
  const restoreError = (await restoreAlert.textContent()) ?? '';
  assert(/不是 JSON/.test(restoreError), `bad backup refused, in Chinese, saying what is wrong (${restoreError})`);
  assert(!/Invalid backup/.test(restoreError), `no English in the zh UI (${restoreError})`);

  assertEqual(await page.getByTestId('dataset').count(), 1, 'still exactly one dataset');
  assertEqual(await dataset(page, 'dialoguesafety.json').textContent(), datasetText, 'dataset unchanged');
});
