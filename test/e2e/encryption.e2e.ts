/**
 * Encryption at rest through the UI: turn it on for a workspace with an imported file, score on the unlocked
 * data, then read the raw IndexedDB records in the page: none holds any imported text or the file name.
 * A reload shows the locked screen (no names); a wrong passphrase is refused; the right one shows the data again.
 */
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { assert, assertEqual, test } from './harness.ts';
import { chooseFile, confirmImport, dataset, exportText, openApp, sampleFile, scoreAll } from './app.ts';

const PASS = 'correct horse battery';

/** Every record of every store of the app's database, as JSON with binary fields (ciphertext) left out. */
async function rawRecords(page: Page): Promise<[string, string][]> {
  // No named helpers inside evaluate: tsx would wrap them in its `__name`, which the page lacks.
  return page.evaluate(
    () =>
      new Promise<[string, string][]>((resolve, reject) => {
        const open = indexedDB.open('xinan');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const names = [...db.objectStoreNames];
          const tx = db.transaction(names);
          const out: [string, string][] = [];
          for (const name of names) {
            const req = tx.objectStore(name).getAll();
            req.onsuccess = () => {
              for (const r of req.result as unknown[]) {
                out.push([name, JSON.stringify(r, (_k, v: unknown) => (v instanceof ArrayBuffer || ArrayBuffer.isView(v) ? null : v))]);
              }
            };
          }
          tx.oncomplete = () => {
            db.close();
            resolve(out);
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
  );
}

/** Every string anywhere in a parsed record. */
function strings(x: unknown, out: string[] = []): string[] {
  if (typeof x === 'string') out.push(x);
  else if (Array.isArray(x)) x.forEach((v) => strings(v, out));
  else if (x && typeof x === 'object') {
    for (const [k, v] of Object.entries(x)) {
      out.push(k);
      strings(v, out);
    }
  }
  return out;
}

test('encryption: enable, score, raw records hold no plaintext, reload asks for the passphrase, unlock', async ({ page, origin }) => {
  page.on('dialog', (d) => void d.accept());
  await openApp(page, origin);
  const path = sampleFile(8, 'secret-notes.json', 'enc');
  const turns = (JSON.parse(readFileSync(path, 'utf8')) as { context: string; response: string }[]).flatMap((r) => [
    r.response,
    ...r.context.split(/\[(?:seeker|supporter)\]/).map((s) => s.trim()),
  ]);
  await chooseFile(page, path);
  await confirmImport(page);

  // The warning is shown before anything is encrypted, and must be confirmed.
  const panel = page.getByTestId('vault-panel');
  await panel.getByText(/忘记口令 = 数据永久丢失/).waitFor();
  await page.getByTestId('vault-pass').fill(PASS);
  await page.getByTestId('vault-pass-again').fill(PASS);
  await panel.getByRole('button', { name: '开启加密' }).click();
  await panel
    .getByRole('alert')
    .getByText(/请先勾选确认/)
    .waitFor();
  await page.getByTestId('vault-ack').check();
  await panel.getByRole('button', { name: '开启加密' }).click();
  await page.getByTestId('vault-on').waitFor();

  // Scoring runs on the unlocked data (the worker gets plain texts; the key stays on the main thread).
  await scoreAll(page, 'secret-notes.json');

  // A review mark and a note: review events, sealed like the rest (the reviewer name is a setting: readable).
  await page.getByRole('tab', { name: '审阅' }).click();
  await page.getByTestId('review-progress').filter({ hasText: '已审阅 0 / 8' }).waitFor();
  await page.getByLabel('审阅者', { exact: true }).fill('reviewer-a');
  await page.keyboard.press('Enter');
  await page.getByTestId('reviewer-current').filter({ hasText: 'reviewer-a' }).waitFor();
  const queue = page.getByTestId('review-queue');
  await queue.focus();
  await page.keyboard.press('3');
  await page.waitForFunction(
    () => document.querySelector('[data-testid=review-queue] [data-testid=review-controls]')?.getAttribute('data-value') === '3',
  );
  await page.keyboard.press('n');
  await page.keyboard.type('共情不足');
  await page.keyboard.press('Control+Enter');
  await queue.getByTestId('review-note').filter({ hasText: '共情不足' }).waitFor();
  await page.getByTestId('review-progress').filter({ hasText: '已审阅 1 / 8' }).waitFor();
  await page.getByRole('tab', { name: /安全分类/ }).click();
  await page.getByTestId('summary-counts').waitFor();

  const raw = await rawRecords(page);
  const records = raw.map(([, r]) => JSON.parse(r) as Record<string, unknown>);
  // Settings (reviewer name, thresholds) are not transcript data and stay readable; everything else is sealed.
  const data = raw.filter(([store]) => store !== 'settings').map(([, r]) => JSON.parse(r) as Record<string, unknown>);
  assert(raw.filter(([store]) => store === 'events').length >= 2, 'the label and the note are stored as events');
  const sealed = data.filter((r) => r.sealed).length;
  assert(data.length > 0 && sealed === data.length, `every record sealed (${sealed}/${data.length})`);
  const all = records.flatMap((r) => strings(r)).join('\n');
  const leaked = turns.filter((t) => t.length > 1 && all.includes(t));
  assertEqual(leaked, [], 'no imported turn in any raw record');
  assert(!all.includes('secret-notes'), 'file name not readable');
  assert(!/[\u4e00-\u9fff]/.test(all), 'no Chinese text at all in the raw records');

  // The workspace's backup is an encrypted file.
  await page.getByRole('button', { name: /备份全部数据/ }).click();
  const prompt = page.getByTestId('backup-passphrase');
  await prompt.getByLabel('口令', { exact: true }).fill('backup pass 1');
  await prompt.getByLabel('再次输入口令').fill('backup pass 1');
  const file = await exportText(page, /下载加密备份/);
  assertEqual((JSON.parse(file.text) as { type: string }).type, 'xinan-backup-encrypted', 'backup file is encrypted');
  assert(!/[\u4e00-\u9fff]/.test(file.text) && !file.text.includes('secret-notes'), 'no plaintext in the backup file');

  await page.reload();
  const lock = page.getByTestId('lock-screen');
  await lock.waitFor();
  await lock.getByText('数据集 1').waitFor();
  assertEqual(await page.getByTestId('dataset').count(), 0, 'nothing listed before unlock');
  assert(!((await lock.textContent()) ?? '').includes('secret-notes'), 'locked screen shows no file name');

  await page.getByTestId('unlock-passphrase').fill('wrong passphrase');
  await lock.getByRole('button', { name: '解锁' }).click();
  await lock.getByRole('alert').getByText('口令不正确，什么都没有改动。').waitFor();

  await page.getByTestId('unlock-passphrase').fill(PASS);
  await lock.getByRole('button', { name: '解锁' }).click();
  await dataset(page, 'secret-notes.json').waitFor();
  await dataset(page, 'secret-notes.json').getByRole('button', { name: 'secret-notes.json', exact: true }).click();
  await page.waitForFunction(() => /已评估 8/.test(document.querySelector('[data-testid=summary-counts]')?.textContent ?? ''), undefined, {
    timeout: 30_000,
  });
  await page.getByRole('tab', { name: '审阅' }).click();
  await page.getByTestId('review-progress').filter({ hasText: '已审阅 1 / 8' }).waitFor();
  await page.getByTestId('reviewer-current').filter({ hasText: 'reviewer-a' }).waitFor();
});
