/**
 * For each import format: import → score → filter → export, and check the exported file:
 * one row per matching item, the provenance (model id, the weights' SHA-256, app version)
 * on every row, and the fixture's own text in it.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import Papa from 'papaparse';
import { assert, assertEqual, test, type TestContext } from './harness.ts';
import { chooseFile, confirmImport, exportSheet, exportText, FIXTURES, jsonlRows, matchingCount, openApp, scoreAll } from './app.ts';

const MODEL_SHA = createHash('sha256').update(readFileSync('dist/models/xinan-safety-zh/onnx/model_quantized.onnx')).digest('hex');
const APP_VERSION = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;

interface Case {
  file: string;
  format: string;
  /** A reply text that must appear in the export. */
  mustContain: string;
  /** PsyCrisis pairs open in the crisis view; the rest in the 8-class view. */
  opensIn?: 'crisis';
}

const CASES: Case[] = [
  { file: 'dialoguesafety.json', format: 'dialoguesafety-json', mustContain: '你妈妈说得也没错' },
  { file: 'chat.json', format: 'chat-json', mustContain: '工作做不完的时候，你一般会有什么感受' },
  { file: 'chat.jsonl', format: 'chat-jsonl', mustContain: '你和室友聊过这件事吗' },
  { file: 'dialogues.csv', format: 'csv', mustContain: '是发生了什么让你这样想吗' },
  { file: 'transcript.txt', format: 'text', mustContain: '你愿意说说躺下后会想些什么吗' },
  { file: 'psycrisis.xlsx', format: 'xlsx', mustContain: '考研失败一定让你很失落', opensIn: 'crisis' },
];

function checkProvenance(rows: Record<string, unknown>[]): void {
  for (const r of rows) {
    assertEqual(r.model_id, 'xinan-safety-zh', 'model id on every row');
    assertEqual(r.model_sha256, MODEL_SHA, 'model SHA-256 on every row (computed in the app)');
    assertEqual(r.app_version, APP_VERSION, 'app version on every row');
  }
}

/** CSV rows as objects, read with the same parser the app imports with (Papa Parse); the app writes a BOM and CRLF. */
function parseCsv(text: string): Record<string, string>[] {
  assert(text.startsWith('\uFEFF'), 'CSV starts with a UTF-8 BOM');
  const r = Papa.parse<Record<string, string>>(text.slice(1), { header: true, skipEmptyLines: true });
  assertEqual(r.errors.length, 0, `CSV parses cleanly: ${JSON.stringify(r.errors.slice(0, 3))}`);
  return r.data;
}

async function runCase(t: TestContext, c: Case): Promise<void> {
  const { page, origin } = t;
  await openApp(page, origin);
  await chooseFile(page, `${FIXTURES}/${c.file}`);
  assertEqual(await page.getByTestId('preview-format').textContent(), c.format, `${c.file}: detected format`);
  const previewItems = Number(await page.getByTestId('preview-items').textContent());
  assert(previewItems > 0, `${c.file}: items in the preview`);
  await confirmImport(page);
  // The dataset opens (asynchronously) in its view.
  await page.getByRole('tab', { name: c.opensIn === 'crisis' ? /危机回应/ : /安全分类/, selected: true }).waitFor();
  await page.getByRole('tab', { name: /安全分类/ }).click();
  await scoreAll(page, c.file);

  const all = await exportText(page, /^JSONL$/);
  const rows = jsonlRows(all.text);
  assertEqual(rows.length, previewItems, `${c.file}: unfiltered JSONL has every item`);
  assertEqual(new Set(rows.map((r) => r.item_id)).size, rows.length, `${c.file}: no duplicate items`);
  checkProvenance(rows);
  assert(
    rows.every((r) => Array.isArray(r.probs) && (r.probs as number[]).length === 8),
    `${c.file}: 8 probabilities per row`,
  );
  if (c.mustContain) assert(all.text.includes(c.mustContain), `${c.file}: export contains "${c.mustContain}"`);
  assert(all.name.endsWith('-xinan.jsonl') && !all.name.includes('filtered'), `${c.file}: full export file name (${all.name})`);
  // One definition of unsafe: P(unsafe) ≥ the threshold the file says it was decided at.
  assert(
    rows.every((r) => r.p_unsafe === null || r.unsafe === (r.p_unsafe as number) >= (r.unsafe_threshold as number)),
    `${c.file}: unsafe ⇔ p_unsafe ≥ unsafe_threshold`,
  );

  // Filter: unsafe only. The export must hold exactly the unsafe rows of the full export.
  await page.getByLabel(/只看不安全/).check();
  const expected = rows
    .filter((r) => r.unsafe === true)
    .map((r) => r.item_id as string)
    .sort();
  await matchingCount(page, expected.length); // matching count after the unsafe filter
  const filtered = await exportText(page, /^CSV$/);
  assert(filtered.name.endsWith('-filtered-xinan.csv'), `${c.file}: a filtered export has its own file name (${filtered.name})`);
  const csv = parseCsv(filtered.text);
  assertEqual(csv.map((r) => r.item_id).sort(), expected, `${c.file}: filtered CSV rows are the unsafe items`);
  assert(
    csv.every((r) => r.unsafe === 'true' && r.model_sha256 === MODEL_SHA && r.app_version === APP_VERSION),
    `${c.file}: CSV provenance`,
  );
  // The XLSX export follows the same filter, under its own file name, with the CSV's columns.
  const sheet = await exportSheet(page, /^XLSX$/);
  assert(sheet.name.endsWith('-filtered-xinan.xlsx'), `${c.file}: a filtered XLSX export has its own file name (${sheet.name})`);
  const csvHeader = Papa.parse<string[]>(filtered.text.replace(/^\uFEFF/, ''), { preview: 1 }).data[0];
  assertEqual(sheet.rows[0], csvHeader, `${c.file}: XLSX header is the CSV header`);
  const idCol = sheet.rows[0].indexOf('item_id');
  assertEqual(
    sheet.rows
      .slice(1)
      .map((r) => r[idCol] as string)
      .sort(),
    expected,
    `${c.file}: filtered XLSX rows are the unsafe items`,
  );
}

for (const c of CASES) test(`format ${c.format}: import → score → filter → export (${c.file})`, (t) => runCase(t, c));

test('format csv with unknown headers: column mapping, then HTML report', async ({ page, origin }) => {
  await openApp(page, origin);
  await chooseFile(page, `${FIXTURES}/unknown-headers.csv`);
  const mapping = page.getByRole('group', { name: /无法识别列名/ });
  await mapping.waitFor();
  const selects = mapping.locator('select');
  await selects.nth(0).selectOption({ label: '会话' });
  await selects.nth(1).selectOption({ label: '谁' });
  await selects.nth(2).selectOption({ label: '说了什么' });
  await mapping.getByRole('button', { name: /按此映射读取/ }).click();
  await page.getByTestId('preview-items').waitFor();
  await confirmImport(page);
  await scoreAll(page, 'unknown-headers.csv');
  const rows = jsonlRows((await exportText(page, /^JSONL$/)).text);
  // One definition of unsafe: moving the threshold moves "unsafe only" with it.
  await page.getByLabel(/只看不安全/).check();
  await page.getByLabel('不安全判定阈值').fill('0.6');
  const over = rows.filter((r) => (r.p_unsafe as number) >= 0.6).length;
  await matchingCount(page, over);
  await page.getByLabel('不安全判定阈值').fill('0.5');
  await page.getByLabel(/只看不安全/).uncheck();
  const html = (await exportText(page, /HTML/)).text;
  assert(html.includes('<meta name="xinan:') || html.includes('xinan-report'), 'HTML report identifies itself');
  assert(html.includes(MODEL_SHA), 'HTML report carries the model SHA-256');
  assert(html.includes('分手之后你过得怎么样'), 'HTML report holds the mapped dialogue text');
});
