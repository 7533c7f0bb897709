/**
 * The crisis view with the real crisis and seeker-risk models in their workers: the built-in sample
 * lists the replies whose seeker turn shows risk, evidence on demand, reviewer marks kept across a
 * reload, CSV/XLSX export in the PsyCrisis layout; a PsyCrisis sheet opens straight in this view.
 * Also the 8-class evidence in the dialogue view.
 */
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { readSheet } from 'read-excel-file/universal';
import { assert, assertEqual, test } from './harness.ts';
import {
  chooseFile,
  confirmImport,
  crisisReady,
  dataset,
  exportFile,
  exportText,
  FIXTURES,
  importSample,
  openApp,
  openCrisis,
  storedScores,
  waitAllScored,
} from './app.ts';

/** Written for the sample by its authors: the one message with suicidal thoughts. */
const RISKY = '我觉得活着没有意思，有时候会想到结束一切。';

/** The agreement table's cell for one row (reviewed / accuracy / κ) and one dimension (Chinese name). */
async function agreementCell(page: Page, row: RegExp, dim: string): Promise<string> {
  const table = page.getByRole('table', { name: /评审一致性/ });
  const col = (await table.locator('thead th').allTextContents()).indexOf(dim);
  return (
    (await table
      .locator('tbody tr')
      .filter({ has: page.getByRole('rowheader', { name: row }) })
      .locator('td')
      .nth(col - 1)
      .textContent()) ?? ''
  );
}

test('crisis view: sample → risky replies with five points, evidence, marks that survive a reload, CSV and XLSX export', async ({
  page,
  origin,
}) => {
  await importSample(page, origin);
  await openCrisis(page);

  const items = page.getByRole('article', { name: /^条目 / });
  const n = await items.count();
  assert(n >= 1 && n < 9, `some but not all of the 9 sample replies are listed by seeker risk (${n})`);
  const row = items.filter({ hasText: RISKY });
  assertEqual(await row.count(), 1, 'the suicidal-thoughts message is listed');
  assert((await page.getByTestId('crisis-threshold').textContent())?.includes('0.5'), 'threshold in use is shown');
  const total = Number((await row.getByTestId('crisis-total').textContent())?.split('/')[0]);
  assertEqual(await row.locator('.point.on').count(), total, 'total = number of points scored 1');
  assert(total >= 1, `the sample's crisis reply scores at least one point (${total})`);

  // Evidence on demand: one batched call, the reply text kept whole, spans highlighted.
  const reply = (await row.getByTestId('crisis-reply').textContent()) ?? '';
  await row.getByRole('button', { name: /依据/ }).click();
  await row.locator('[data-testid=crisis-reply] mark').first().waitFor({ timeout: 60_000 });
  assertEqual(await row.getByTestId('crisis-reply').textContent(), reply, 'highlighting keeps the reply text unchanged');

  // A mark feeds the agreement figures and is stored apart from the scores.
  const scoredBefore = (await storedScores(page)).filter((s) => /^xinan-crisis-zh@|^seeker-risk@/.test(s.modelId));
  assertEqual(scoredBefore.length, 18, 'five points and seeker risk stored for all 9 sample replies');
  await row.getByRole('button', { name: '评估风险：模型判断正确' }).click();
  await row.getByRole('button', { name: '共情与合作：模型判断错误' }).click();
  assertEqual(await agreementCell(page, /已评/, '评估风险'), '1', 'one risk point reviewed');
  assertEqual(await agreementCell(page, /准确率/, '评估风险'), '100%', 'marked correct → 100%');
  assertEqual(await agreementCell(page, /准确率/, '共情与合作'), '0%', 'marked wrong → 0%');

  const csv = (await exportText(page, /导出 CSV/)).text;
  const [header, ...lines] = csv
    .replace(/^\uFEFF/, '')
    .trim()
    .split(/\r\n/);
  assert(
    header.startsWith('seeker_message,reply,empathy,regulation,exploration,risk,referral,total,evidence_empathy'),
    `PsyCrisis layout header (${header.slice(0, 80)})`,
  );
  assertEqual(lines.length, n, 'one CSV row per listed reply');
  const riskyLine = lines.find((l) => l.startsWith(RISKY)) ?? '';
  assert(riskyLine.includes(',correct,') && riskyLine.includes(',wrong,'), 'the marks are exported');
  assert(/xinan-crisis-zh@[0-9a-f]{16}/.test(riskyLine), 'the model id with its weights hash is exported');

  const xlsx = await exportFile(page, /导出 XLSX/);
  assert(xlsx.name.endsWith('.xlsx'), `XLSX file name (${xlsx.name})`);
  const sheet = await readSheet(xlsx.bytes.slice().buffer);
  assertEqual(sheet[0].slice(0, 2).join(), 'seeker_message,reply', 'XLSX: column A seeker message, column B reply');
  assertEqual(sheet.length - 1, n, 'XLSX: one row per listed reply');
  assert(
    sheet.some((r) => r[0] === RISKY && r.includes('correct')),
    'XLSX: the marked row with its verdict',
  );

  // Reload: marks come back from IndexedDB, and nothing is scored again.
  await page.reload();
  await dataset(page, '示例对话 sample.json').getByRole('button', { name: '示例对话 sample.json', exact: true }).click();
  await openCrisis(page);
  assertEqual(await agreementCell(page, /已评/, '评估风险'), '1', 'the risk mark survives a reload');
  assertEqual(await agreementCell(page, /已评/, '共情与合作'), '1', 'the empathy mark survives a reload');
  const scoredAfter = (await storedScores(page)).filter((s) => /^xinan-crisis-zh@|^seeker-risk@/.test(s.modelId));
  assertEqual(JSON.stringify(scoredAfter), JSON.stringify(scoredBefore), 'crisis scores are read back, not recomputed');
});

test('crisis view: a PsyCrisis sheet opens in the crisis view with every pair listed', async ({ page, origin }) => {
  await openApp(page, origin);
  await chooseFile(page, `${FIXTURES}/psycrisis.xlsx`);
  const pairs = Number(await page.getByTestId('preview-items').textContent());
  await confirmImport(page);
  await page.getByRole('tab', { name: /危机回应/, selected: true }).waitFor(); // opens in the crisis view
  await crisisReady(page);
  assert(await page.getByLabel(/列出所有回复/).isChecked(), 'all pairs listed: every PsyCrisis message is high-risk');
  assertEqual(await page.getByRole('article', { name: /^条目 / }).count(), pairs, 'one row per pair');
});

test('dialogue view: evidence for an unsafe 8-class label highlights clauses of the reply', async ({ page, origin }) => {
  await importSample(page, origin);
  await page.getByRole('button', { name: /开始评估/ }).click();
  await waitAllScored(page);
  await page.getByLabel(/只看不安全/).check();
  const rows = page.getByTestId('dialogue-row');
  assert((await rows.count()) > 0, 'the model finds at least one unsafe reply in the sample');
  await rows.first().getByRole('button').first().click();
  const turns = page.getByTestId('turn');
  const withButton = await turns.evaluateAll((els) =>
    els.findIndex((el) => [...el.querySelectorAll('button')].some((b) => b.textContent?.includes('依据'))),
  );
  assert(withButton >= 0, 'an unsafe reply offers evidence');
  const turn = turns.nth(withButton);
  const text = (await turn.getByTestId('turn-text').textContent()) ?? '';
  await turn.getByRole('button', { name: /依据/ }).click();
  await turn.locator('mark, .muted').first().waitFor({ timeout: 60_000 });
  assertEqual(await turn.getByTestId('turn-text').textContent(), text, 'the reply text is kept whole');
  const marks = await turn.locator('[data-testid=turn-text] mark').count();
  const none = await turn.getByText(/没有哪个分句单独决定/).count();
  assert(marks > 0 || none === 1, `either highlighted clauses (${marks}) or the note that none decides the label`);
  assertEqual(await turn.getByRole('button', { name: /依据/ }).count(), 0, 'the evidence button is gone once computed');
});

test('crisis view follows the open dataset: A → crisis → 8-class → B → crisis shows and exports the rows of B', async ({
  page,
  origin,
}) => {
  await importSample(page, origin);
  await openCrisis(page);
  await page
    .getByRole('article', { name: /^条目 / })
    .filter({ hasText: RISKY })
    .waitFor();
  await page.getByRole('tab', { name: /安全分类/ }).click();

  // B: another file, opened from the list (its replies share nothing with the sample's).
  await chooseFile(page, `${FIXTURES}/dialoguesafety.json`);
  await confirmImport(page);
  const b = dataset(page, 'dialoguesafety.json');
  await b.getByRole('button', { name: 'dialoguesafety.json', exact: true }).click();
  await page.getByRole('heading', { name: /dialoguesafety\.json/ }).waitFor();
  await openCrisis(page);
  await page.getByLabel(/列出所有回复/).check();
  const records = JSON.parse(readFileSync(`${FIXTURES}/dialoguesafety.json`, 'utf8')) as { id: string; response: string }[];
  const bReplies = records.map((r) => r.response.replace(/^\[supporter\]/, ''));
  const items = page.getByRole('article', { name: /^条目 / });
  // Every listed row is one of B's replies, and all of B's pairs are listed.
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid=crisis-panel] article.item').length === n, bReplies.length);
  const shown = await items.getByTestId('crisis-reply').allTextContents();
  assertEqual(shown.map((t) => t.replace(/^回复/, '')).sort(), [...bReplies].sort(), "the rows are B's replies");
  assert(!(await page.getByText(RISKY).count()), "no row of A's is shown");

  const csv = (await exportText(page, /导出 CSV/)).text;
  const lines = csv
    .replace(/^\uFEFF/, '')
    .trim()
    .split(/\r\n/)
    .slice(1);
  assertEqual(lines.length, bReplies.length, "B's export: one row per B pair");
  assert(!csv.includes(RISKY), "B's export holds none of A's rows");
});
