/**
 * Reload in the middle of scoring: the app resumes on its own with only the missing items.
 * Scores stored before the reload are not rewritten, and every item ends with exactly one score.
 */
import { assert, assertEqual, test } from './harness.ts';
import { chooseFile, confirmImport, dataset, openApp, sampleFile, storedScores, waitAllScored } from './app.ts';

const ITEMS = 600;

const bigFile = (): string => sampleFile(ITEMS, 'big.json', 'big');

test('resume: reload mid-scoring resumes with only the missing items, no duplicates', async ({ page, origin }) => {
  await openApp(page, origin);
  await chooseFile(page, bigFile());
  assertEqual(await page.getByTestId('preview-items').textContent(), String(ITEMS), 'preview item count');
  await confirmImport(page);
  await dataset(page, 'big.json')
    .getByRole('button', { name: /开始评估/ })
    .click();
  await page.waitForFunction(
    () => {
      const m = /(\d+)\D+(\d+)/.exec(document.querySelector('[data-testid=scoring-progress] span')?.textContent ?? '');
      return m !== null && Number(m[1]) >= 96;
    },
    undefined,
    { timeout: 120_000, polling: 100 },
  );
  const before = await storedScores(page);
  assert(before.length > 0 && before.length < ITEMS, `some but not all items stored before reload (${before.length})`);
  await page.reload();
  await page.getByTestId('scoring-progress').or(page.getByTestId('summary-counts')).first().waitFor();
  await waitAllScored(page, 240_000);
  const after = await storedScores(page);
  assertEqual(after.length, ITEMS, 'one stored score per item');
  assertEqual(new Set(after.map((s) => s.itemId)).size, ITEMS, 'no item scored twice');
  const at = new Map(after.map((s) => [s.itemId, s.scoredAt]));
  const rescored = before.filter((s) => at.get(s.itemId) !== s.scoredAt);
  assertEqual(rescored.length, 0, 'scores stored before the reload were kept, not recomputed');
});
