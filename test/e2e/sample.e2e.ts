/** The workshop path: one click on the built-in sample, score, see results, agreement metrics. */
import { readFileSync } from 'node:fs';
import { assert, assertEqual, test } from './harness.ts';
import { confirmImport, expectText, openApp, waitAllScored, workerWasmFiles } from './app.ts';

test('sample: one click imports, scores with the real worker and shows results', async ({ page, origin }) => {
  await openApp(page, origin);
  await page.getByRole('button', { name: /试用内置示例/ }).click();
  await expectText(page.getByTestId('preview-items'), /^9$/); // sample items in the preview
  await confirmImport(page);
  await page.getByRole('button', { name: /开始评估/ }).click();
  await waitAllScored(page);
  const device = await expectText(page.getByTestId('device'), /wasm|webgpu/); // device shown once the worker reports it
  assert(/是|yes/.test(device), `cross-origin isolated (${device})`);
  assert(/线程: [2-4]/.test(device.replace(/\s+/g, ' ')), `more than one WASM thread (${device})`);
  assertEqual(await page.getByTestId('dialogue-row').count(), 9, 'one row per dialogue');
  if (/wasm/.test(device)) {
    // WASM alone loads onnxruntime's plain build (14 MB), not the asyncify one WebGPU needs (27 MB).
    const wasm = await workerWasmFiles(page);
    assert(wasm.length === 1 && /^ort-wasm-simd-threaded-[^.]+\.wasm$/.test(wasm[0]), `plain wasm build only (${wasm.join(', ')})`);
  }
  const note =
    (JSON.parse(readFileSync('dist/models/xinan-safety-zh/config.json', 'utf8')) as { xinan?: { note?: string } }).xinan?.note ?? '';
  const placeholder = /random|preliminary|not for use/i.test(note);
  assertEqual(
    await page.getByTestId('placeholder-model').isVisible(),
    placeholder,
    `placeholder warning shown iff the model card says so ("${note}")`,
  );
  await page.getByTestId('agreement').waitFor();
  await page.getByRole('button', { name: 'English' }).click();
  await page.getByRole('heading', { name: /Results/ }).waitFor();
});

test(
  'webgpu: with a WebGPU adapter (SwiftShader here) the worker picks WebGPU and scores',
  async ({ page, origin }) => {
    await openApp(page, origin);
    assert(
      await page.evaluate(async () => Boolean(await (navigator as { gpu?: { requestAdapter(): Promise<unknown> } }).gpu?.requestAdapter())),
      'adapter available',
    );
    await page.getByRole('button', { name: /试用内置示例/ }).click();
    await confirmImport(page);
    await page.getByRole('button', { name: /开始评估/ }).click();
    await waitAllScored(page);
    await expectText(page.getByTestId('device'), /webgpu/); // WebGPU chosen
    const wasm = await workerWasmFiles(page);
    assert(
      wasm.length === 1 && /^ort-wasm-simd-threaded\.asyncify-[^.]+\.wasm$/.test(wasm[0]),
      `asyncify wasm build only, which WebGPU needs (${wasm.join(', ')})`,
    );
  },
  { chromiumArgs: ['--enable-unsafe-webgpu', '--use-webgpu-adapter=swiftshader', '--enable-features=Vulkan'] },
);

test('dialogue view: turns in order with label chip, probability bar and truncation mark', async ({ page, origin }) => {
  await openApp(page, origin);
  const long = '我最近每天晚上都睡不着，脑子里一直在想工作和家里的事情。'.repeat(20);
  const transcript = `来访者：我不知道该怎么办。\n咨询师：听起来你真的很累。\n来访者：${long}\n咨询师：${'我们可以一起慢慢理一理。'.repeat(40)}`;
  await page.getByText(/粘贴对话文本/).click();
  await page.getByLabel(/粘贴对话文本/).fill(transcript);
  await page.getByRole('button', { name: /读取粘贴内容/ }).click();
  await confirmImport(page);
  await page.getByRole('button', { name: /开始评估/ }).click();
  await waitAllScored(page);
  await page.getByTestId('dialogue-row').first().getByRole('button').click();
  const turns = page.getByTestId('turn');
  assertEqual(await turns.count(), 4, 'all four turns shown');
  const texts = await turns.locator('p').allTextContents();
  assert(
    texts[0] === '我不知道该怎么办。' && texts[1] === '听起来你真的很累。' && texts[2].startsWith('我最近每天晚上'),
    'turns in file order',
  );
  assertEqual(await turns.nth(0).locator('[data-label]').count(), 0, 'seeker turns carry no label');
  assertEqual(await turns.nth(1).locator('[data-label]').count(), 1, 'supporter turn has a label chip');
  assertEqual(await turns.nth(1).getByRole('meter').count(), 1, 'supporter turn has a probability bar');
  assert((await turns.nth(3).textContent())?.includes('已截断'), 'the over-long last reply is marked truncated');
  assert(!(await turns.nth(1).textContent())?.includes('已截断'), 'a short reply with short context is not marked');
});
