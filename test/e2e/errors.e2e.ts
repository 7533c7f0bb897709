/** Bad files show specific errors (file and place), partly valid files list what is skipped, and stored data never changes. */
import { assert, assertEqual, test } from './harness.ts';
import { chooseFile, confirmImport, dataset, FIXTURES, openApp } from './app.ts';

const BAD: { file: string; says: RegExp; code: string }[] = [
  { file: 'malformed.json', says: /malformed\.json.*line \d+/i, code: 'malformed-json' },
  { file: 'empty.txt', says: /empty\.txt.*empty/i, code: 'empty' },
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
    const alert = page.getByRole('alert');
    await alert.waitFor();
    const text = (await alert.textContent()) ?? '';
    assert(bad.says.test(text), `${bad.file}: error says which file and what (${text})`);
    const code = await alert.locator('[data-code]').getAttribute('data-code');
    assertEqual(code, bad.code, `${bad.file}: error code shown with a translated title`);
  }

  await chooseFile(page, `${FIXTURES}/dialoguesafety-partial.json`);
  const skipped = (await page.getByTestId('skipped').textContent()) ?? '';
  assert(/item 2/.test(skipped) && /item 4/.test(skipped), `skipped records listed with where (${skipped})`);
  await page.getByRole('button', { name: /^取消$/ }).click();

  await page.getByLabel(/从备份恢复/).setInputFiles(`${FIXTURES}/malformed.json`);
  const restoreError = (await page.getByRole('alert').textContent()) ?? '';
  assert(/Invalid backup/.test(restoreError), `bad backup refused (${restoreError})`);

  assertEqual(await page.getByTestId('dataset').count(), 1, 'still exactly one dataset');
  assertEqual(await dataset(page, 'dialoguesafety.json').textContent(), datasetText, 'dataset unchanged');
});
