/**
 * Security e2e: the app is served with a strict CSP (header and <meta>); a transcript full of HTML/script
 * payloads is shown as text in the app and in the exported HTML report, where no script runs — with the
 * report's own CSP, and with that CSP removed (escaping alone must hold).
 */
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { cspProblems } from '../helpers/csp.ts';
import { assert, assertEqual, test } from './harness.ts';
import { chooseFile, confirmImport, exportText, scoreAll } from './app.ts';

const NAME = 'xss<img src=x onerror=window.__xss=1>.txt';
const TRANSCRIPT = [
  `来访者：<script>window.__xss='script'</script>我最近很难过，不想说话。`,
  `咨询师：<img src=x onerror="window.__xss='img'">听起来你很累，愿意说说发生了什么吗？`,
  `来访者："><svg onload="window.__xss='svg'"> 我不知道。`,
  `咨询师：</td></tr></table><script>window.__xss='break'</script>慢慢来，我在这里。`,
].join('\n');

/** Nothing any payload would set, and no element a payload would create. */
async function expectInert(page: Page, where: string): Promise<void> {
  assertEqual(await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss ?? null), null, `${where}: no payload ran`);
  assertEqual(await page.locator('img[src=x], svg[onload], [onerror]').count(), 0, `${where}: no payload element was created`);
}

test('security: strict CSP served; HTML/script in a transcript stays text in the app and the HTML report', async ({
  page,
  origin,
  context,
}) => {
  const response = await page.goto(origin + '/');
  await page.getByRole('heading', { level: 1 }).waitFor();
  const header = response?.headers()['content-security-policy'] ?? '';
  assertEqual(cspProblems(header), [], 'CSP header of the served app is strict');
  const meta = (await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content')) ?? '';
  assertEqual(cspProblems(meta, { meta: true }), [], 'CSP <meta> of the built index.html is strict');

  const path = join(mkdtempSync(join(tmpdir(), 'xinan-e2e-')), NAME);
  writeFileSync(path, TRANSCRIPT);
  await chooseFile(page, path);
  await confirmImport(page);
  await scoreAll(page, NAME);
  // The dialogue list shows the first turn's start; the dialogue view shows every turn whole.
  await page.getByText(`<script>window.__xss='script'</script>`, { exact: false }).first().waitFor();
  await page.getByRole('button', { name: 'dialogue-1' }).click();
  await page.getByText(`<img src=x onerror="window.__xss='img'">听起来你很累`, { exact: false }).first().waitFor();
  await page.getByText(`</td></tr></table><script>window.__xss='break'</script>慢慢来`, { exact: false }).first().waitFor();
  await expectInert(page, 'app');

  const html = (await exportText(page, /HTML/)).text;
  assert(!/<script|<img|<svg/i.test(html), 'report holds no script, img or svg element');
  assert(html.includes('&lt;script&gt;window.__xss=&#39;script&#39;&lt;/script&gt;'), 'report holds the script text escaped');

  const report = await context.newPage();
  for (const [label, doc] of [
    ['report', html],
    ['report without its CSP', html.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, '')],
  ] as const) {
    assert(label === 'report' || !doc.includes('Content-Security-Policy'), 'CSP removed for the second load');
    await report.setContent(doc, { waitUntil: 'load' });
    const replies = await report.locator('td.resp').allTextContents();
    assert(
      replies.some((r) => r.startsWith(`<img src=x onerror="window.__xss='img'">`)),
      `${label}: reply shown literally (${replies.join(' | ')})`,
    );
    assert(
      replies.some((r) => r.startsWith(`</td></tr></table><script>`)),
      `${label}: table-breaking reply shown literally`,
    );
    const contexts = (await report.locator('td.ctx').allTextContents()).join('\n');
    assert(contexts.includes(`<script>window.__xss='script'</script>`), `${label}: context shown literally`);
    assert((await report.title()).includes(NAME), `${label}: file name shown literally in the title`);
    await expectInert(report, label);
  }
  await report.close();
});

/**
 * The preview server (`npm start`) used to gzip the model on the fly and drop its Content-Length; transformers.js
 * then grew its buffer chunk by chunk (a quadratic copy: ~3 s of the cold start). Read the way the worker reads it.
 */
test('models are served as they are: Content-Length, no compression, the app origin headers', async ({ page, origin }) => {
  await page.goto(origin + '/');
  await page.getByRole('heading', { level: 1 }).waitFor();
  const file = 'models/xinan-safety-zh/onnx/model_quantized.onnx';
  const got = await page.evaluate(async (url) => {
    const r = await fetch(url, { cache: 'no-store' });
    const bytes = (await r.arrayBuffer()).byteLength;
    // No helper function in here: tsx's __name wrapper does not exist in the page.
    return {
      status: r.status,
      bytes,
      length: r.headers.get('content-length'),
      encoding: r.headers.get('content-encoding'),
      coep: r.headers.get('cross-origin-embedder-policy'),
    };
  }, `/${file}`);
  assertEqual(got.status, 200, 'model file served');
  assertEqual(got.bytes, statSync(file).size, 'the whole file, unchanged in size');
  assertEqual(got.length, String(statSync(file).size), 'with its Content-Length');
  assertEqual(got.encoding, null, 'not compressed on the fly');
  assertEqual(got.coep, 'require-corp', 'with the app origin headers');
});
