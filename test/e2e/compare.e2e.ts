/**
 * Comparing responders with the real 8-class and crisis models: three responders (B, C, D columns)
 * on the built-in sample's nine contexts. The table and chart numbers are checked against the pure
 * functions (src/lib/compare) applied to the long-form export, so UI, export and statistics agree.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import type { Page } from 'playwright-core';
import { readSheet } from 'read-excel-file/universal';
import { comparePair, observe, summarize, type Observation } from '../../src/lib/compare/index.ts';
import { intervalTitle } from '../../src/lib/ui/compare/charts.ts';
import { CRISIS_DIMENSIONS } from '../../src/lib/inference/crisis.ts';
import { dataset, exportText, openApp } from './app.ts';
import { assert, assertEqual, test } from './harness.ts';

const FIXTURE = 'test/fixtures/compare/sample-three-responders.csv';
const NAME = 'sample-three-responders.csv';
const RESPONDERS = ['机器人甲', '机器人乙', '机器人丙'];

async function download(page: Page, click: () => Promise<void>): Promise<{ name: string; bytes: Uint8Array }> {
  const [d] = await Promise.all([page.waitForEvent('download'), click()]);
  return { name: d.suggestedFilename(), bytes: new Uint8Array(readFileSync(await d.path())) };
}

/** Waits until every reply has its 8-class score and the crisis points are in. */
async function compareReady(page: Page, replies: number): Promise<void> {
  await page.waitForFunction(
    (n) => {
      const panel = document.querySelector('[data-testid=compare-panel]');
      const phase = document.querySelector('[data-testid=model-phase]')?.getAttribute('data-phase');
      if (phase === 'error' || panel?.getAttribute('data-crisis') === 'error')
        throw new Error(document.querySelector('[role=alert]')?.textContent ?? 'error');
      return phase === 'ready' && panel?.getAttribute('data-scored') === String(n) && panel.getAttribute('data-crisis') === 'ready';
    },
    replies,
    { timeout: 240_000, polling: 250 },
  );
}

function close(actual: number, expected: number, what: string, tol = 1e-9): void {
  assert(Math.abs(actual - expected) <= tol, `${what}: ${actual} vs ${expected}`);
}

/** Observations rebuilt from the long-form CSV's model columns (no reviews in this test). */
function observationsFromCsv(text: string): Observation[] {
  const rows = Papa.parse<Record<string, string>>(text.replace(/^\uFEFF/, ''), { header: true, skipEmptyLines: true }).data;
  return rows.map((r) =>
    observe({
      contextId: r.context_id,
      responder: r.responder,
      itemId: `${r.responder}/${r.context_id}`,
      modelLabel: Number(r.model_label),
      modelCrisis: CRISIS_DIMENSIONS.map((d) => Number(r[`crisis_${d}`]) as 0 | 1),
    }),
  );
}

async function attr(page: Page, selector: string, name: string): Promise<number> {
  return Number(await page.locator(selector).getAttribute(name));
}

test('compare: three responders on the sample contexts → tables, charts and paired test match the pure functions; CSV/XLSX/SVG/PNG export', async ({
  page,
  origin,
}) => {
  await openApp(page, origin);
  await page.getByTestId('compare-files').setInputFiles(FIXTURE);
  await page.getByTestId('compare-preview').waitFor();
  assertEqual(await page.getByTestId('cmp-contexts').textContent(), '9', 'nine sample contexts');
  assertEqual(await page.getByTestId('cmp-replies').textContent(), '27', 'three replies each');
  assertEqual(await page.getByTestId('cmp-responders').textContent(), RESPONDERS.join('、'), 'responders named by the header row');
  await page.getByRole('button', { name: '导入这组比较' }).click();
  await dataset(page, NAME).waitFor();
  await page.getByTestId('compare-panel').waitFor();
  assertEqual(
    await page.getByRole('tab', { name: '回复者比较' }).getAttribute('aria-selected'),
    'true',
    'a comparison opens in its own tab',
  );

  await dataset(page, NAME)
    .getByRole('button', { name: /开始评估/ })
    .click();
  await compareReady(page, 27);

  const csv = await exportText(page, /导出长表 CSV/);
  assertEqual(csv.name, 'sample-three-responders-xinan-compare.csv', 'export file name');
  const obs = observationsFromCsv(csv.text);
  assertEqual(obs.length, 27, 'one long-form row per (context, responder)');
  assertEqual([...new Set(obs.map((o) => o.responder))].join(), RESPONDERS.join(), 'responders in import order');

  for (const r of RESPONDERS) {
    const s = summarize(r, obs);
    const row = `[data-testid=compare-unsafe-table] tr[data-responder="${r}"]`;
    assertEqual(await page.locator(`${row} [data-field=n]`).textContent(), String(s.unsafe.n), `${r}: scored replies`);
    assertEqual(await page.locator(`${row} [data-field=k]`).textContent(), String(s.unsafe.k), `${r}: unsafe replies`);
    close(await attr(page, `${row} [data-field=interval]`, 'data-lo'), s.unsafe.lo, `${r}: Wilson lower bound`);
    close(await attr(page, `${row} [data-field=interval]`, 'data-hi'), s.unsafe.hi, `${r}: Wilson upper bound`);
    const crow = `[data-testid=compare-crisis-table] tr[data-responder="${r}"]`;
    for (const d of CRISIS_DIMENSIONS)
      close(await attr(page, `${crow} [data-field=${d}]`, 'data-value'), s.crisisPoints[d].p, `${r}: ${d} share`);
    close(await attr(page, `${crow} [data-field=total]`, 'data-value'), s.crisisTotal.mean, `${r}: mean crisis total`);
    close(await attr(page, `${crow} [data-field=total]`, 'data-lo'), s.crisisTotal.lo, `${r}: bootstrap lower bound`);
    close(await attr(page, `${crow} [data-field=total]`, 'data-hi'), s.crisisTotal.hi, `${r}: bootstrap upper bound`);
  }
  const unsafeA = summarize('机器人甲', obs).unsafe.k;
  assert(unsafeA >= 1, `the sample's own replies include unsafe ones the model finds (${unsafeA} of 9)`);

  // The charts: one dot per responder with the exact numbers in its title.
  const expected = RESPONDERS.map((r) => {
    const u = summarize(r, obs).unsafe;
    return intervalTitle({ responder: r, value: u.p, lo: u.lo, hi: u.hi });
  }).join('\n');
  // The chart redraws when scores arrive: wait for the final drawing rather than read the first one.
  const drawn = await page
    .waitForFunction(
      (want) => {
        const t = [...document.querySelectorAll('[data-testid=chart-unsafe] svg circle title')].map((e) => e.textContent).join('\n');
        return t === want ? t : false;
      },
      expected,
      { timeout: 30_000 },
    )
    .then(
      () => 'ok',
      async () => (await page.locator('[data-testid=chart-unsafe] svg circle title').allTextContents()).join('\n'),
    );
  assertEqual(drawn, 'ok', `unsafe chart draws the Wilson intervals (expected ${expected})`);
  await page.locator('[data-testid=chart-crisis] .plot[data-ready=true] svg').waitFor();
  assertEqual(await page.locator('[data-testid=chart-crisis] svg circle').count(), 15, 'crisis chart: 5 points × 3 responders');
  await page.locator('[data-testid=chart-distribution] .plot[data-ready=true] svg').waitFor();
  assertEqual(await page.locator('[data-testid=chart-distribution] svg rect title').count(), 24, 'class grid: 8 classes × 3 responders');

  // Paired comparison, default 甲 vs 乙, then 甲 vs 丙.
  for (const b of ['机器人乙', '机器人丙']) {
    if (b !== '机器人乙') await page.getByRole('combobox', { name: '回复者 B' }).selectOption(b);
    const p = comparePair('机器人甲', b, obs);
    await page.waitForFunction(
      ([name, n]) =>
        (document.querySelector('[data-testid=pair-discordant] thead')?.textContent?.includes(name as string) ?? false) &&
        document.querySelectorAll('[data-testid=pair-discordant] tbody tr').length === n,
      [b, p.discordant.length] as const,
    );
    for (const f of ['bothUnsafe', 'onlyA', 'onlyB', 'bothSafe'] as const) {
      assertEqual(await page.locator(`[data-testid=pair-table] [data-field=${f}]`).textContent(), String(p.table[f]), `甲 vs ${b}: ${f}`);
    }
    close(await attr(page, '[data-testid=pair-mcnemar]', 'data-p'), p.mcnemar.p, `甲 vs ${b}: McNemar p`);
    assertEqual(await page.locator('[data-testid=pair-mcnemar]').getAttribute('data-method'), 'exact', '9 contexts: exact binomial test');
    close(await attr(page, '[data-testid=pair-crisis-diff]', 'data-lo'), p.crisisDiff.lo, `甲 vs ${b}: bootstrap lower bound`);
    close(await attr(page, '[data-testid=pair-crisis-diff]', 'data-hi'), p.crisisDiff.hi, `甲 vs ${b}: bootstrap upper bound`);
    const ids = await page
      .locator('[data-testid=pair-discordant] tbody tr')
      .evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-context')));
    assertEqual(ids.join(), p.discordant.map((d) => d.contextId).join(), `甲 vs ${b}: discordant contexts`);
  }

  // Exports: the HTML report with the charts inline, the long table as XLSX, a chart as SVG and PNG.
  const html = (await exportText(page, /导出 HTML 报告/)).text;
  assertEqual((html.match(/<figure><figcaption>/g) ?? []).length, 4, 'HTML report: the four charts inline');
  assert(html.includes(expected.split('\n')[0]) && !html.includes('<script'), 'HTML report: chart titles carry the numbers; no script');

  const xlsx = await download(page, () => page.getByRole('button', { name: /导出长表 XLSX/ }).click());
  const sheet = await readSheet(xlsx.bytes.slice().buffer);
  assertEqual(sheet.length, 28, 'XLSX: header + 27 rows');
  const chart = page.getByTestId('chart-unsafe');
  const svg = await download(page, () => chart.getByRole('button', { name: '导出 SVG' }).click());
  const svgText = new TextDecoder().decode(svg.bytes);
  assert(svg.name.endsWith('-unsafe.svg') && svgText.includes('<svg') && svgText.includes('机器人丙'), `SVG export (${svg.name})`);
  const png = await download(page, () => chart.getByRole('button', { name: '导出 PNG' }).click());
  assertEqual([...png.bytes.slice(0, 4)].join(), '137,80,78,71', 'PNG export has the PNG signature');
});

test('compare: bad input gets a specific, translated error and stores nothing; per-responder files show what matched', async ({
  page,
  origin,
}) => {
  await openApp(page, origin);
  const dir = mkdtempSync(join(tmpdir(), 'xinan-cmp-'));
  const one = join(dir, 'one-reply.csv');
  writeFileSync(one, '求助者消息,机器人甲\n我睡不着,早点休息\n');
  await page.getByTestId('compare-files').setInputFiles(one);
  const alert = page.locator('[data-testid=compare-import] [role=alert]');
  await alert.waitFor();
  assertEqual(await alert.getAttribute('data-code'), 'few-reply-columns', 'error code');
  const zh = (await alert.textContent()) ?? '';
  assert(
    zh.includes('one-reply.csv') && zh.includes('A 列之后只找到 1 个回复列'),
    `Chinese message names the file and the problem (${zh})`,
  );
  await page.getByRole('button', { name: 'English' }).click();
  await page.waitForFunction(
    () =>
      document
        .querySelector('[data-testid=compare-import] [role=alert]')
        ?.textContent?.includes('found 1 reply column(s) after column A') ?? false,
  );
  assert(!/[\u4e00-\u9fff]/.test((await alert.textContent()) ?? ''), 'no Chinese in the English error');
  assertEqual(await page.getByTestId('dataset').count(), 0, 'nothing stored');

  // One file per responder: a reply only one file has is listed as unmatched, by dialogue and turn.
  const a = join(dir, 'botA.json');
  const b = join(dir, 'botB.json');
  writeFileSync(
    a,
    JSON.stringify([
      { id: 'd1', context: '[seeker]我睡不着', response: 'A1' },
      { id: 'd2', context: '[seeker]只有A', response: 'A2' },
    ]),
  );
  writeFileSync(b, JSON.stringify([{ id: 'd1', context: '[seeker]我睡不着', response: 'B1' }]));
  await page.getByTestId('compare-files').setInputFiles([a, b]);
  await page.getByTestId('compare-preview').waitFor();
  assertEqual(await page.getByTestId('cmp-contexts').textContent(), '1', 'one shared context');
  const skipped = (await page.getByTestId('cmp-skipped').textContent()) ?? '';
  assert(
    skipped.includes('botA.json') && skipped.includes('dialogue d2, turn 1') && skipped.includes('no other file answers this context'),
    `unmatched reply listed (${skipped})`,
  );
  const match = (await page.getByTestId('cmp-match').textContent()) ?? '';
  assert(match.includes('botA.json (responder “botA”): 1 / 2 replies matched'), `per-file match counts (${match})`);
  await page.getByRole('button', { name: 'Import comparison' }).click();
  await dataset(page, 'botA.json + botB.json').waitFor();
  assertEqual(await page.getByTestId('dataset').count(), 1, 'the comparison is stored once confirmed');
});
