/** After the first load and first scoring, the app works offline: reload, import, score again. */
import { assert, test } from './harness.ts';
import { confirmImport, expectText, openApp, waitAllScored } from './app.ts';

const PASTED =
  '来访者：最近总是一个人哭，不想让家里人知道。\n咨询师：一个人扛着这些一定很累，愿意说说发生了什么吗？\n来访者：工作丢了。\n咨询师：失去工作确实是很大的打击。';

test('offline: after first use, going offline and reloading still scores', async ({ page, context, origin }) => {
  await openApp(page, origin);
  await page.getByRole('button', { name: /试用内置示例/ }).click();
  await confirmImport(page);
  await page.getByRole('button', { name: /开始评估/ }).click();
  await waitAllScored(page);
  // The service worker must be active and have precached the shell before we cut the network.
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await page.getByText('已可离线使用。').waitFor({ timeout: 60_000 });

  await context.setOffline(true);
  await page.reload();
  await page.getByRole('heading', { level: 1 }).waitFor();
  assert(await page.evaluate(() => navigator.serviceWorker.controller !== null), 'page served by the service worker');
  await page.getByText(/粘贴对话文本/).click();
  await page.getByLabel(/粘贴对话文本/).fill(PASTED);
  await page.getByRole('button', { name: /读取粘贴内容/ }).click();
  await confirmImport(page);
  await page
    .locator('[data-testid=dataset][data-name="pasted.txt"]')
    .getByRole('button', { name: /开始评估/ })
    .click();
  await waitAllScored(page);
  await expectText(page.getByTestId('device'), /是/); // still cross-origin isolated offline
});
