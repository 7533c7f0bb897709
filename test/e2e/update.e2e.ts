/**
 * "Update available": after the app is installed, a new build is published (dist/ rebuilt with a new
 * build id); the next visit finds the waiting service worker, shows the notice, and "reload" activates it.
 */
import { spawnSync } from 'node:child_process';
import { assert, assertEqual, test } from './harness.ts';
import { openApp } from './app.ts';

const buildId = () =>
  spawnSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'error'], {
    env: { ...process.env, XINAN_BUILD_ID: `update-${Date.now()}` },
    encoding: 'utf8',
  });

test('update: a new build shows "update available" and reload switches to it', async ({ page, origin }) => {
  await openApp(page, origin);
  await page.getByText('已可离线使用。').waitFor({ timeout: 60_000 });
  const before = await page.locator('meta[name=xinan-build]').getAttribute('content');

  const r = buildId();
  assertEqual(r.status, 0, `rebuild succeeded (${r.stderr})`);
  await page.reload();
  await page.getByText('有新版本可用。').waitFor({ timeout: 60_000 });
  await page.getByRole('button', { name: '刷新' }).click();
  await page.waitForFunction((old) => document.querySelector('meta[name=xinan-build]')?.getAttribute('content') !== old, before, {
    timeout: 60_000,
  });
  const after = await page.locator('meta[name=xinan-build]').getAttribute('content');
  assert(after?.startsWith('update-'), `the new build is live after reload (${after})`);
});
