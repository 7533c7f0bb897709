/**
 * 10,000 items: import, start scoring, and check that the page stays responsive (timer lateness,
 * a filter click answered quickly) while the worker scores; then cancel and check that what was
 * finished is stored and scoring stopped.
 */
import { assert, assertEqual, test } from './harness.ts';
import { chooseFile, confirmImport, dataset, openApp, sampleFile, storedScores } from './app.ts';

const ITEMS = 10_000;

const hugeFile = (): string => sampleFile(ITEMS, 'ten-thousand.json', 'n');

test('scale: 10,000 items stay responsive while scoring, and cancel keeps finished scores', async ({ page, origin }) => {
  await openApp(page, origin);
  await chooseFile(page, hugeFile());
  assertEqual(await page.getByTestId('preview-items').textContent(), String(ITEMS), 'preview item count');
  await confirmImport(page);
  await dataset(page, 'ten-thousand.json').getByRole('button', { name: /开始评估/ }).click();
  await page.getByTestId('scoring-progress').waitFor({ timeout: 60_000 });
  await page.waitForFunction(() => /[1-9]\d* \//.test(document.querySelector('[data-testid=scoring-progress]')?.textContent ?? ''), undefined, { timeout: 60_000 });

  // Main-thread lateness of a 50 ms timer over 4 s of scoring.
  const lateness = await page.evaluate(
    () =>
      new Promise<{ worst: number; long: number[] }>((resolve) => {
        const long: number[] = [];
        new PerformanceObserver((l) => l.getEntries().forEach((e) => long.push(Math.round(e.duration)))).observe({ type: 'longtask' });
        let worst = 0;
        let last = performance.now();
        const id = setInterval(() => {
          const now = performance.now();
          worst = Math.max(worst, now - last - 50);
          last = now;
        }, 50);
        setTimeout(() => (clearInterval(id), resolve({ worst, long })), 4000);
      }),
  );
  const worstTask = Math.max(0, ...lateness.long);
  assert(worstTask < 500, `no long main-thread task while scoring (long tasks ${JSON.stringify(lateness.long)} ms, timer lateness ${lateness.worst.toFixed(0)} ms)`);

  const t0 = Date.now();
  await page.getByLabel(/只看不安全/).check();
  await page.getByLabel(/只看不安全/).uncheck();
  const clickMs = Date.now() - t0;
  assert(clickMs < 3000, `filter toggles answer quickly with 10,000 items (${clickMs} ms)`);

  await page.getByRole('button', { name: /取消评估/ }).click();
  await page.getByText('评估已取消，已完成的结果已保存。').waitFor({ timeout: 60_000 });
  const stored = await storedScores(page);
  assert(stored.length > 0 && stored.length < ITEMS, `finished chunks are stored, the rest is not (${stored.length})`);
  await page.waitForTimeout(1500);
  assertEqual((await storedScores(page)).length, stored.length, 'nothing more is stored after cancel');
});
