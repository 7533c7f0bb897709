/**
 * What a new user meets: the first screen's one-click sample, every UI string in the language
 * chosen (zh and en), reload returning to the open dataset and tab, the phone layout, and a
 * two-column 问题,回答 CSV.
 */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { SAMPLE_NAME, SAMPLE_RECORDS } from '../../src/lib/sample/sample.ts';
import { strayCjk, strayLatin } from '../helpers/i18n-text.ts';
import { assert, assertEqual, test } from './harness.ts';
import { chooseFile, confirmImport, dataset, openApp, waitAllScored } from './app.ts';

/** Visible text nodes and accessible names in the page (waited for by the callers). */
async function uiTexts(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (!el || el.closest('script, style, option, [hidden]') || !el.checkVisibility()) continue;
      const s = n.textContent?.trim();
      if (s) out.push(s);
    }
    for (const el of document.body.querySelectorAll('[aria-label], [title], [placeholder]')) {
      if (!(el as HTMLElement).checkVisibility()) continue;
      for (const a of ['aria-label', 'title', 'placeholder']) {
        const v = el.getAttribute(a)?.trim();
        if (v) out.push(v);
      }
    }
    return out;
  });
}

/** Transcript text, dataset/dialogue names and ids: user data, in whatever language it was written. */
function userData(): string[] {
  const turns = SAMPLE_RECORDS.flatMap((r) => `${r.context}${r.response}`.split(/\[(?:seeker|supporter)\]/));
  return [SAMPLE_NAME, ...turns.map((s) => s.trim()).filter(Boolean), ...turns.map((s) => s.trim().slice(0, 40))];
}

async function checkLanguage(page: Page, lang: 'zh' | 'en', where: string): Promise<void> {
  // A visible file input draws "Choose Files / No file chosen" in the browser's language, whatever the app's.
  const nativePickers = await page.evaluate(
    () =>
      [...document.querySelectorAll<HTMLInputElement>('input[type=file]')].filter((el) => {
        const r = el.getBoundingClientRect();
        return el.checkVisibility() && r.width > 2 && r.height > 2 && getComputedStyle(el).opacity !== '0';
      }).length,
  );
  assertEqual(nativePickers, 0, `${where}: no file input shows the browser's own text`);
  const texts = await uiTexts(page);
  // The check reads the page: it must see the panel headings of the language it checks.
  assert(texts.includes(lang === 'zh' ? '数据集' : 'Datasets'), `${where}: UI text was read (${texts.length} strings)`);
  const data = userData();
  const ids = SAMPLE_RECORDS.map((r) => r.id);
  if (lang === 'zh') {
    const bad = texts
      .filter((s) => !data.some((d) => d.includes(s) || s.includes(d)))
      .flatMap((s) => strayLatin(s, [...ids, SAMPLE_NAME]).map((w) => `${w} in "${s}"`));
    assertEqual(bad, [], `${where}: no Latin-only UI text in zh mode`);
  } else {
    const bad = texts.filter((s) => s !== '中文' && strayCjk(s, data));
    assertEqual(bad, [], `${where}: no Chinese UI text in en mode`);
  }
}

async function oneClickSample(page: Page): Promise<void> {
  await page.getByTestId('welcome').waitFor();
  await page.getByRole('button', { name: /一键试用示例|Try the sample in one click/ }).click();
  await waitAllScored(page);
}

test('ui: one click imports and scores the sample; zh and en show no string of the other language', async ({ page, origin }) => {
  await openApp(page, origin);
  // The side panels are drawn once the vault has said whether the workspace is locked: wait for them, then read.
  await page.getByTestId('welcome').waitFor();
  await page.getByText('数据集', { exact: true }).first().waitFor();
  await checkLanguage(page, 'zh', 'first screen');
  await oneClickSample(page);
  assertEqual(await page.getByTestId('dialogue-row').count(), 9, 'the sample is imported, open and scored');
  await page.getByTestId('row-status').first().filter({ hasText: '已评估 1/1' }).waitFor();
  await dataset(page, SAMPLE_NAME).getByTestId('dataset-status').filter({ hasText: '已评估 9/9' }).waitFor();
  assert(await dataset(page, SAMPLE_NAME).getByRole('button', { name: '已全部评估' }).isDisabled(), 'the score button says all are scored');
  await page.locator('summary', { hasText: '混淆矩阵' }).click();
  await page.getByTestId('model-card').locator('summary').click();
  await page.getByTestId('crisis-model-card').locator('summary').click();
  await page.getByTestId('rarely-predicted').waitFor();
  await checkLanguage(page, 'zh', 'results');
  await page.getByTestId('dialogue-row').first().getByRole('button').first().click();
  await page.getByTestId('turn').first().waitFor();
  await checkLanguage(page, 'zh', 'dialogue');
  await page.getByRole('button', { name: /返回列表/ }).click();
  await page.getByRole('tab', { name: /危机回应/ }).click();
  await page.locator('[data-testid=crisis-panel][data-phase=ready]').waitFor({ timeout: 180_000 });
  await page.getByLabel(/列出所有回复/).check();
  await page.getByRole('article').first().waitFor();
  await checkLanguage(page, 'zh', 'crisis view');

  await page.getByRole('button', { name: 'English' }).click();
  await page.getByRole('heading', { name: /Crisis response points/ }).waitFor();
  await checkLanguage(page, 'en', 'crisis view');
  await page.getByRole('tab', { name: /Safety/ }).click();
  await page.getByTestId('dialogue-row').first().waitFor();
  await checkLanguage(page, 'en', 'results');
  await page.getByTestId('dialogue-row').first().getByRole('button').first().click();
  await page.getByRole('button', { name: /Back to list/ }).waitFor();
  await checkLanguage(page, 'en', 'dialogue');
});

test('ui: a bad import in zh explains itself in Chinese, in en in English', async ({ page, origin }) => {
  await openApp(page, origin);
  const dir = mkdtempSync(join(tmpdir(), 'xinan-e2e-'));
  const bad = join(dir, 'speakers.csv');
  writeFileSync(bad, 'dialogue_id,speaker,text\nd1,来访者,你好\nd1,旁白,天黑了\nd1,咨询师,你好，想聊什么？\n');
  await chooseFile(page, bad);
  const skipped = page.getByTestId('skipped');
  await skipped.filter({ hasText: '第 3 行：无法识别的说话人 "旁白"' }).waitFor();
  await page.getByRole('button', { name: 'English' }).click();
  await skipped.filter({ hasText: 'row 3: unknown speaker "旁白"' }).waitFor();
  await page.getByRole('button', { name: '中文' }).click();
  const empty = join(dir, 'nul.txt');
  writeFileSync(empty, Buffer.from([0x41, 0x00, 0x42]));
  await chooseFile(page, empty);
  await page.getByRole('alert').filter({ hasText: 'nul.txt：含有 NUL 字节' }).waitFor();
});

test('ui: reload reopens the dataset and tab that were open', async ({ page, origin }) => {
  await openApp(page, origin);
  await oneClickSample(page);
  await page.getByRole('tab', { name: /危机回应/ }).click();
  await page.locator('[data-testid=crisis-panel][data-phase=ready]').waitFor({ timeout: 180_000 });
  await page.reload({ waitUntil: 'domcontentloaded' }); // then wait for UI state, not for every model file
  await page.getByRole('heading', { name: `结果: ${SAMPLE_NAME}` }).waitFor();
  await page.locator('[role=tab][aria-selected=true]', { hasText: '危机回应' }).waitFor();
  await page.locator('[data-testid=crisis-panel][data-phase=ready]').waitFor({ timeout: 180_000 });
  await page.getByRole('tab', { name: /安全分类/ }).click();
  await page.reload({ waitUntil: 'domcontentloaded' }); // then wait for UI state, not for every model file
  await page.locator('[role=tab][aria-selected=true]', { hasText: '安全分类' }).waitFor();
  await page.getByTestId('dialogue-row').nth(8).waitFor();
});

test('ui: at 390 px the results come before the side panels and an opened dialogue is in view', async ({ page, origin }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await openApp(page, origin);
  await oneClickSample(page);
  const top = async (sel: string) => (await page.locator(sel).first().boundingBox())?.y ?? NaN;
  const results = await top('section.results');
  assert(results < (await top('section.import')), 'results above the import panel');
  assert(results < (await top('section.model')), 'results above the model panel');
  const pageWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  assert(pageWidth <= 390, `nothing makes the page wider than the phone (${pageWidth} px)`);
  await page.locator('summary', { hasText: '混淆矩阵' }).click();
  await page.locator('table.confusion').waitFor();
  const after = await page.evaluate(() => document.documentElement.scrollWidth);
  assert(after <= 390, `the open confusion matrix does not widen the page (${after} px)`);
  await page.getByTestId('dialogue-row').nth(5).getByRole('button').first().click();
  const heading = page.getByRole('heading', { name: /^对话 / });
  await heading.waitFor();
  await page.waitForFunction(() => {
    const h = [...document.querySelectorAll('h3')].find((x) => x.textContent?.startsWith('对话 '));
    const r = h?.getBoundingClientRect();
    return r !== undefined && r.top >= 0 && r.bottom <= window.innerHeight;
  });
});

test('ui: a two-column 问题,回答 CSV imports as message/reply pairs', async ({ page, origin }) => {
  await openApp(page, origin);
  const dir = mkdtempSync(join(tmpdir(), 'xinan-e2e-'));
  const path = join(dir, 'qa.csv');
  writeFileSync(path, '问题,回答\n我最近总是失眠。,听起来你很辛苦，多久了？\n我觉得活着没意思。,你愿意多说说这种感觉吗？\n');
  await chooseFile(page, path);
  assertEqual(await page.getByTestId('preview-items').textContent(), '2', 'two pairs, two replies');
  await page.getByTestId('preview-turns').filter({ hasText: '我最近总是失眠。' }).waitFor();
  await confirmImport(page);
  await page.locator('[role=tab][aria-selected=true]', { hasText: '危机回应' }).waitFor();
});

const DEV = '../shared/data/dialoguesafety/dev.json';

test("ui: importing the 8-class model's training data (dev.json) warns that its accuracy there means nothing", async ({ page, origin }) => {
  if (!existsSync(DEV)) {
    console.log('    (skipped: ../shared/data/dialoguesafety/dev.json is absent)');
    return;
  }
  await openApp(page, origin);
  await chooseFile(page, DEV);
  await confirmImport(page);
  await page.getByTestId('training-overlap').filter({ hasText: '599/599' }).waitFor();
  await page.getByRole('button', { name: 'English' }).click();
  await page
    .getByTestId('training-overlap')
    .filter({ hasText: "599/599 replies of this dataset are in the 8-class model's training data" })
    .waitFor();
});
