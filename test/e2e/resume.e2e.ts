/**
 * Reload in the middle of scoring: the app resumes on its own with only the missing items.
 * Scores stored before the reload are not rewritten, and every item ends with exactly one score.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SAMPLE_RECORDS } from '../../src/lib/sample/sample.ts';
import { assert, assertEqual, test } from './harness.ts';
import { chooseFile, confirmImport, dataset, openApp, storedScores, waitAllScored } from './app.ts';

const ITEMS = 600;

/** A deterministic DialogueSafety file built from the built-in sample, ITEMS records long. */
function bigFile(): string {
  const records = Array.from({ length: ITEMS }, (_, i) => {
    const r = SAMPLE_RECORDS[i % SAMPLE_RECORDS.length];
    return { id: `big-${i}`, context: r.context, response: `${r.response}（${i}）`, label: r.label };
  });
  const path = join(mkdtempSync(join(tmpdir(), 'xinan-big-')), 'big.json');
  writeFileSync(path, JSON.stringify(records));
  return path;
}

test('resume: reload mid-scoring resumes with only the missing items, no duplicates', async ({ page, origin }) => {
  await openApp(page, origin);
  await chooseFile(page, bigFile());
  assertEqual(await page.getByTestId('preview-items').textContent(), String(ITEMS), 'preview item count');
  await confirmImport(page);
  await dataset(page, 'big.json').getByRole('button', { name: /开始评估/ }).click();
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
