/** The workshop path: one click on the built-in sample, score, see results, agreement metrics. */
import { assert, assertEqual, test } from './harness.ts';
import { confirmImport, openApp, waitAllScored } from './app.ts';

test('sample: one click imports, scores with the real worker and shows results', async ({ page, origin }) => {
  await openApp(page, origin);
  await page.getByRole('button', { name: /试用内置示例/ }).click();
  assertEqual(await page.getByTestId('preview-items').textContent(), '9', 'sample items in the preview');
  await confirmImport(page);
  await page.getByRole('button', { name: /开始评估/ }).click();
  await waitAllScored(page);
  const device = (await page.getByTestId('device').textContent()) ?? '';
  assert(/wasm|webgpu/.test(device), `device shown (${device})`);
  assert(/是|yes/.test(device), `cross-origin isolated (${device})`);
  assert(/线程: [2-4]/.test(device.replace(/\s+/g, ' ')), `more than one WASM thread (${device})`);
  assertEqual(await page.getByTestId('dialogue-row').count(), 9, 'one row per dialogue');
  await page.getByTestId('agreement').waitFor();
  await page.getByRole('button', { name: 'English' }).click();
  await page.getByRole('heading', { name: /Results/ }).waitFor();
});

test(
  'webgpu: with a WebGPU adapter (SwiftShader here) the worker picks WebGPU and scores',
  async ({ page, origin }) => {
    await openApp(page, origin);
    assert(await page.evaluate(async () => Boolean(await (navigator as { gpu?: { requestAdapter(): Promise<unknown> } }).gpu?.requestAdapter())), 'adapter available');
    await page.getByRole('button', { name: /试用内置示例/ }).click();
    await confirmImport(page);
    await page.getByRole('button', { name: /开始评估/ }).click();
    await waitAllScored(page);
    const device = (await page.getByTestId('device').textContent()) ?? '';
    assert(/webgpu/.test(device), `WebGPU chosen (${device})`);
  },
  { chromiumArgs: ['--enable-unsafe-webgpu', '--use-webgpu-adapter=swiftshader', '--enable-features=Vulkan'] },
);
