/**
 * The review layer end to end, keyboard only inside the queue: a blind review of the built-in sample,
 * agreement checked against values computed here by hand formulas, a second (and third) reviewer's
 * file merged with κ shown, reload keeping every review, and exports carrying the review columns.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import Papa from 'papaparse';
import { SAMPLE_RECORDS } from '../../src/lib/sample/sample.ts';
import { assert, assertEqual, test } from './harness.ts';
import { exportSheet, exportText, importSample, waitAllScored } from './app.ts';

/** Cohen's κ by the textbook formula; null when p_e = 1. */
function cohen(a: number[], b: number[]): { acc: number; kappa: number | null } {
  const n = a.length;
  const po = a.filter((x, i) => x === b[i]).length / n;
  let pe = 0;
  for (let c = 0; c < 8; c++) pe += (a.filter((x) => x === c).length / n) * (b.filter((x) => x === c).length / n);
  return { acc: po, kappa: pe === 1 ? null : (po - pe) / (1 - pe) };
}

/** Fleiss' κ by the textbook formula (every rater labels every item). */
function fleiss(raters: number[][]): number {
  const m = raters.length;
  const n = raters[0].length;
  let pBar = 0;
  const totals = new Array<number>(8).fill(0);
  for (let i = 0; i < n; i++) {
    const counts = new Array<number>(8).fill(0);
    for (const r of raters) counts[r[i]]++;
    counts.forEach((c, j) => (totals[j] += c));
    pBar += (counts.reduce((s, c) => s + c * c, 0) - m) / (m * (m - 1));
  }
  pBar /= n;
  const pe = totals.reduce((s, t) => s + (t / (n * m)) ** 2, 0);
  return (pBar - pe) / (1 - pe);
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const kap = (x: number | null) => (x === null ? '不适用' : x.toFixed(3));

async function row(page: Page, pair: string): Promise<{ n: string; acc: string; kappa: string }> {
  const r = page.locator(`[data-testid=agreement-row][data-pair="${pair}"]`);
  await r.waitFor();
  return {
    n: (await r.getByTestId('agreement-n').textContent()) ?? '',
    acc: (await r.getByTestId('agreement-accuracy').textContent()) ?? '',
    kappa: (await r.getByTestId('agreement-kappa').textContent()) ?? '',
  };
}

async function expectRow(page: Page, pair: string, want: { n: number; acc: number; kappa: number | null }): Promise<void> {
  await page.waitForFunction(
    ([p, n]) => document.querySelector(`[data-testid=agreement-row][data-pair="${p}"] [data-testid=agreement-n]`)?.textContent === n,
    [pair, String(want.n)] as const,
  );
  assertEqual(await row(page, pair), { n: String(want.n), acc: pct(want.acc), kappa: kap(want.kappa) }, `agreement ${pair}`);
}

/** Focus is inside the queue (never on <body>). */
async function focusInQueue(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const q = document.querySelector('[data-testid=review-queue]');
    return document.activeElement !== document.body && q !== null && q.contains(document.activeElement);
  });
}

async function press(page: Page, key: string): Promise<void> {
  await page.keyboard.press(key);
  await focusInQueue(page);
}

async function waitVerdict(page: Page, value: string): Promise<void> {
  await page.waitForFunction(
    (v) => document.querySelector('[data-testid=review-queue] [data-testid=review-controls]')?.getAttribute('data-value') === v,
    value,
  );
}

/** The threshold panel at `t`: counts text and the chart's dots, against a hand count over the exported CSV rows. */
async function checkThreshold(page: Page, rows: Record<string, string>[], t: number): Promise<void> {
  const reviewed = rows.filter((r) => r.review_label !== '');
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  for (const r of reviewed) {
    const flagged = Number(r.p_unsafe) >= t;
    // 7 is "Safe Response": every other class is unsafe.
    const unsafe = r.review_label !== '7';
    if (flagged && unsafe) tp++;
    else if (flagged) fp++;
    else if (unsafe) fn++;
    else tn++;
  }
  await page
    .getByTestId('threshold-counts')
    .filter({ hasText: `（命中 ${tp}，误报 ${fp}，漏报 ${fn}，正确放过 ${tn}）` })
    .waitFor();
  // The chart is drawn (SVG) with a dot per defined measure at the chosen threshold, titled with its exact value.
  const want = [
    ...(tp + fp ? [`精确率 ${pct(tp / (tp + fp))} · P(不安全) 阈值 ${t.toFixed(2)}`] : []),
    ...(tp + fn ? [`召回率 ${pct(tp / (tp + fn))} · P(不安全) 阈值 ${t.toFixed(2)}`] : []),
  ];
  await page.waitForFunction((w) => {
    const titles = [...document.querySelectorAll('[data-testid=threshold-chart] svg title')].map((e) => e.textContent);
    return titles.length === w.length && w.every((x) => titles.includes(x));
  }, want);
}

test('review: keyboard-only blind review of the sample, agreement, second reviewer, reload, exports', async ({ page, origin }) => {
  await importSample(page, origin);
  const name = (await page.getByTestId('dataset').first().getAttribute('data-name'))!;
  await page.getByRole('button', { name: /开始评估/ }).click();
  await waitAllScored(page);

  await page.getByRole('tab', { name: '审阅' }).click();
  await page.getByTestId('review-progress').filter({ hasText: '已审阅 0 / 9' }).waitFor();
  await page.getByLabel('审阅者', { exact: true }).fill('甲');
  await page.keyboard.press('Enter');
  await page.getByTestId('reviewer-current').filter({ hasText: '甲' }).waitFor();
  await page.getByLabel('排序').selectOption('file');
  await page.getByLabel(/盲审：/).check();

  // Reviewer 甲: the sample's gold labels, except two items; item 2 is then confirmed to the model after the reveal.
  const gold = SAMPLE_RECORDS.map((r) => r.label);
  const mine = [...gold];
  mine[3] = 5;
  mine[6] = 7;
  const ids: string[] = [];
  const model: number[] = [];
  await page.getByTestId('review-queue').focus();
  for (let i = 0; i < 9; i++) {
    await page
      .getByTestId('queue-position')
      .filter({ hasText: `第 ${i + 1} / 9 条` })
      .waitFor();
    const q = page.getByTestId('review-queue');
    ids.push((await q.getAttribute('data-item'))!);
    assert(await q.getByTestId('model-hidden').isVisible(), `item ${i + 1}: model output hidden before the decision`);
    assertEqual(await q.locator('[data-label]').count(), 0, `item ${i + 1}: no label chip while blind`);
    if (i === 8) {
      await press(page, 'u');
      await waitVerdict(page, 'unsure');
    }
    await press(page, String(mine[i]));
    await waitVerdict(page, String(mine[i]));
    // Revealed after the commit.
    await q.locator('[data-label]').first().waitFor();
    model.push(Number(await q.locator('[data-label]').first().getAttribute('data-label')));
    if (i === 0) {
      await press(page, 'n');
      await page.keyboard.type('共情不足');
      await page.keyboard.press('Control+Enter');
      await q.getByTestId('review-note').filter({ hasText: '共情不足' }).waitFor();
      await focusInQueue(page);
    }
    if (i === 2) {
      await press(page, 'Enter');
      await waitVerdict(page, String(model[2]));
    }
    if (i < 8) await press(page, 'j');
  }
  await page.keyboard.press('?');
  await page.getByRole('dialog').waitFor();
  await page.keyboard.press('Escape');
  await page.getByRole('dialog').waitFor({ state: 'detached' });
  await focusInQueue(page);
  await press(page, 'k');
  await page.getByTestId('queue-position').filter({ hasText: '第 8 / 9 条' }).waitFor();
  await page.getByTestId('review-progress').filter({ hasText: '已审阅 9 / 9' }).waitFor();

  // The README's screenshots of the review queue, in both languages, made by this run.
  mkdirSync('docs/screenshots', { recursive: true });
  await page.screenshot({ path: 'docs/screenshots/review-queue-zh.png' });
  await page.getByRole('button', { name: 'English' }).click();
  await page.getByTestId('review-progress').filter({ hasText: 'Reviewed 9 / 9' }).waitFor();
  await page.screenshot({ path: 'docs/screenshots/review-queue-en.png' });
  await page.getByRole('button', { name: '中文' }).click();
  await page.getByTestId('review-progress').filter({ hasText: '已审阅 9 / 9' }).waitFor();
  // A click outside the queue keeps the focus it gave (the language button), never <body>.
  await page.waitForFunction(() => document.activeElement !== document.body && document.activeElement?.tagName === 'BUTTON');

  const final = [...mine];
  final[2] = model[2];
  const blindLabels = [...mine];
  await expectRow(page, 'reviewer:甲|model', { n: 9, ...cohen(final, model) });
  await expectRow(page, 'gold|model', { n: 9, ...cohen(gold, model) });
  await expectRow(page, 'gold|reviewer:甲', { n: 9, ...cohen(gold, final) });
  // Item 9 was first marked unsure (which reveals the model), so its class decision was not blind.
  await page.getByLabel('只用盲审判断').check();
  await expectRow(page, 'reviewer:甲|model', { n: 8, ...cohen(blindLabels.slice(0, 8), model.slice(0, 8)) });
  await page.getByLabel('只用盲审判断').uncheck();

  // A second and third reviewer's file (made on another device: item keys, no dataset id).
  const other = (reviewer: string, labels: number[]) =>
    labels.map((l, i) => ({
      id: `${reviewer}-${i}`,
      type: 'class',
      action: 'set',
      reviewer,
      at: Date.UTC(2026, 10, 30, 0, i),
      item: ids[i].split('/').slice(1).join('/'),
      blind: true,
      before: null,
      after: l,
    }));
  const yi = [...gold];
  yi[0] = 3;
  yi[5] = 7;
  const bing = [...gold];
  bing[1] = 7;
  const dir = mkdtempSync(join(tmpdir(), 'xinan-review-'));
  const file = join(dir, 'review-yi.json');
  writeFileSync(
    file,
    JSON.stringify({
      type: 'xinan-review',
      version: 1,
      source: 'xinan',
      exportedAt: 'x',
      datasetName: name,
      reviewer: '乙',
      events: [...other('乙', yi), ...other('丙', bing)],
    }),
  );
  const bad = join(dir, 'bad.json');
  writeFileSync(bad, JSON.stringify({ type: 'xinan-review', version: 1, events: [{ ...other('丁', [7])[0], item: 'nope/9' }] }));
  await page.getByLabel('导入审阅文件').setInputFiles(bad);
  const alert = page.locator('[role=alert][data-code=unknown-item]');
  await alert.waitFor();
  assert((await alert.textContent())!.includes('第 1 条记录'), 'the error names the record');
  await page.getByLabel('导入审阅文件').setInputFiles(file);
  await page.getByTestId('review-imported').filter({ hasText: '已合并 18 条新记录' }).waitFor();
  await expectRow(page, 'reviewer:甲|reviewer:乙', { n: 9, ...cohen(final, yi) });
  await expectRow(page, 'reviewer:丙|reviewer:乙', { n: 9, ...cohen(bing, yi) });
  const fk = fleiss([final, yi, bing]).toFixed(3);
  await page.getByTestId('fleiss-kappa').filter({ hasText: fk }).waitFor();
  // Importing the same file again adds nothing.
  await page.getByLabel('导入审阅文件').setInputFiles(file);
  await page.getByTestId('review-imported').filter({ hasText: '已合并 0 条新记录' }).waitFor();

  // Adjudicate the first disagreement.
  // A mouse click while the queue has focus: the queue must not take focus back (and scroll it into view) under the pointer.
  await page.getByTestId('review-queue').focus();
  await focusInQueue(page);
  await page.getByRole('button', { name: /^分歧（\d+）$/ }).click();
  await page.locator('button[aria-expanded=true]', { hasText: '分歧' }).waitFor();
  const d = page.getByTestId('disagreement').first();
  const adjudicated = (await d.getAttribute('data-item'))!;
  await d.getByLabel('最终标签').selectOption('4');
  await page.locator(`[data-testid=disagreement][data-item="${adjudicated}"] select`).evaluate((el) => {
    if ((el as HTMLSelectElement).value !== '4') throw new Error('final label not kept');
  });
  await expectRow(page, 'reviewer:甲|final', { n: 1, ...cohen([final[ids.indexOf(adjudicated)]], [4]) });

  // Reload: reviews, notes and the other reviewers' events are all still there.
  await page.reload();
  await page.getByRole('heading', { level: 1 }).waitFor();
  await page.getByTestId('dataset').first().getByRole('button', { name, exact: true }).click();
  await page.getByRole('tab', { name: '审阅' }).click();
  await page.getByTestId('reviewer-current').filter({ hasText: '甲' }).waitFor();
  await page.getByTestId('review-progress').filter({ hasText: '已审阅 9 / 9' }).waitFor();
  await expectRow(page, 'reviewer:甲|reviewer:乙', { n: 9, ...cohen(final, yi) });

  // Exports carry the review beside the model output.
  await page.getByRole('tab', { name: /安全分类/ }).click();
  const blindFlag = (i: number) => (i === 8 || (i === 2 && model[2] !== mine[2]) ? 'false' : 'true');
  const csv = await exportText(page, /^CSV$/);
  const rows = Papa.parse<Record<string, string>>(csv.text.replace(/^\uFEFF/, ''), { header: true, skipEmptyLines: true }).data;
  for (const [i, id] of ids.entries()) {
    const r = rows.find((x) => x.item_id === id)!;
    assertEqual(
      [r.pred_label, r.review_label, r.reviewer, r.review_blind],
      [String(model[i]), String(final[i]), '甲', blindFlag(i)],
      `csv row ${id}`,
    );
    assertEqual(r.final_label, id === adjudicated ? '4' : '', `final label of ${id}`);
    assert(/^\d{4}-\d\d-\d\dT/.test(r.reviewed_at), `reviewed_at on ${id}`);
  }
  assertEqual(rows.find((x) => x.item_id === ids[0])!.review_note, '共情不足', 'note exported');
  assert(csv.name.endsWith('-xinan.csv') && !csv.name.includes('filtered'), `full CSV file name (${csv.name})`);
  // The XLSX export: the CSV's columns, the same review values, under the full export's name.
  const sheet = await exportSheet(page, /^XLSX$/);
  assert(sheet.name.endsWith('-xinan.xlsx') && !sheet.name.includes('filtered'), `full XLSX file name (${sheet.name})`);
  const header = sheet.rows[0] as string[];
  assertEqual(header, Object.keys(rows[0]), 'XLSX columns are the CSV columns');
  const cols = ['pred_label', 'review_label', 'review_note', 'reviewer', 'reviewed_at', 'review_blind', 'final_label'];
  for (const id of ids) {
    const x = sheet.rows.find((r) => r[header.indexOf('item_id')] === id)!;
    const c = rows.find((r) => r.item_id === id)!;
    assertEqual(
      cols.map((k) => String(x[header.indexOf(k)] ?? '')),
      cols.map((k) => c[k]),
      `xlsx row ${id}`,
    );
  }
  const jsonl = await exportText(page, /^JSONL$/);
  assert(jsonl.text.includes('"reviewer":"甲"') && jsonl.text.includes('"review_label"'), 'JSONL carries review fields');
  await page.getByRole('tab', { name: '审阅' }).click();
  const rf = await exportText(page, /^JSON$/);
  const parsed = JSON.parse(rf.text) as { type: string; events: { reviewer: string; item: string }[]; texts?: unknown };
  assertEqual(parsed.type, 'xinan-review', 'review file type');
  assert(
    parsed.events.some((e) => e.reviewer === '乙') && parsed.events.some((e) => e.reviewer === '甲'),
    'review file holds every reviewer',
  );
  assert(parsed.texts === undefined && !rf.text.includes(SAMPLE_RECORDS[0].response), 'no transcript text unless asked');

  // Threshold tuning (Observable Plot): counts and P/R at the chosen threshold from 甲's labels, by hand from the CSV.
  await checkThreshold(page, rows, 0.5);
  await page.getByLabel(/^选定阈值/).fill('0.8');
  await checkThreshold(page, rows, 0.8);
  const svg = await exportText(page, /导出 SVG/, page.getByTestId('threshold-chart'));
  assert(svg.name.endsWith('-xinan-threshold.svg') && svg.text.includes('<svg'), `threshold chart as SVG (${svg.name})`);
  await page.getByRole('button', { name: '保存为本数据集的阈值' }).click();
  await page.getByRole('button', { name: '保存为本数据集的阈值', disabled: true }).waitFor();

  await page.getByRole('button', { name: 'English' }).click();
  await page.getByTestId('review-progress').filter({ hasText: 'Reviewed 9 / 9' }).waitFor();
});
