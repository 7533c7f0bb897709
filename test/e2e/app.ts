/** Page helpers for the xinan app, found by role, label and test id like a user would. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { SAMPLE_RECORDS } from '../../src/lib/sample/sample.ts';

export const FIXTURES = 'test/fixtures/transcripts';

/**
 * A deterministic DialogueSafety file of `n` records built from the built-in sample (each reply
 * numbered, so every item is distinct), written to a temporary `fileName`; returns its path.
 */
export function sampleFile(n: number, fileName: string, idPrefix: string): string {
  const records = Array.from({ length: n }, (_, i) => {
    const r = SAMPLE_RECORDS[i % SAMPLE_RECORDS.length];
    return { id: `${idPrefix}-${i}`, context: r.context, response: `${r.response}（${i}）`, label: r.label };
  });
  const path = join(mkdtempSync(join(tmpdir(), 'xinan-e2e-')), fileName);
  writeFileSync(path, JSON.stringify(records));
  return path;
}

export async function openApp(page: Page, origin: string): Promise<void> {
  await page.goto(origin + '/');
  await page.getByRole('heading', { level: 1 }).waitFor();
}

/** Opens the app and imports the built-in sample (the dataset is open afterwards). */
export async function importSample(page: Page, origin: string): Promise<void> {
  await openApp(page, origin);
  await page.getByRole('button', { name: /试用内置示例/ }).click();
  await confirmImport(page);
}

/** Waits until the crisis view's models are loaded and its rows listed; throws the view's error if it fails. */
export async function crisisReady(page: Page): Promise<void> {
  await page.waitForFunction(
    () => {
      const phase = document.querySelector('[data-testid=crisis-panel]')?.getAttribute('data-phase');
      if (phase === 'error') throw new Error(document.querySelector('[role=alert]')?.textContent ?? 'crisis error');
      return phase === 'ready';
    },
    undefined,
    { timeout: 180_000, polling: 250 },
  );
}

/** Switches to the crisis tab and waits until it is ready. */
export async function openCrisis(page: Page): Promise<void> {
  await page.getByRole('tab', { name: /危机回应/ }).click();
  await crisisReady(page);
}

/** Picks a file through the file input and waits for the preview (or the error / mapping step). */
export async function chooseFile(page: Page, path: string): Promise<void> {
  await page.getByLabel(/选择文件|Choose file/).setInputFiles(path);
  await page.locator('[data-testid=preview-items], [role=alert], [role=group]').first().waitFor();
}

export async function confirmImport(page: Page): Promise<void> {
  const before = await page.getByTestId('dataset').count();
  await page.getByRole('button', { name: /确认导入|^Import$/ }).click();
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid=dataset]').length > n, before);
}

export function dataset(page: Page, name: string) {
  return page.locator(`[data-testid=dataset][data-name="${name}"]`);
}

/** Clicks the dataset's score button and waits until the summary says every item is scored. */
export async function scoreAll(page: Page, name: string, timeout = 180_000): Promise<void> {
  await dataset(page, name)
    .getByRole('button', { name: /开始评估|^Score$/ })
    .click();
  await waitAllScored(page, timeout);
}

export async function waitAllScored(page: Page, timeout = 180_000): Promise<void> {
  await page.waitForFunction(
    () => {
      const phase = document.querySelector('[data-testid=model-phase]')?.getAttribute('data-phase');
      const m = /(\d+)\D+(\d+)\D+(\d+)/.exec(document.querySelector('[data-testid=summary-counts]')?.textContent ?? '');
      if (phase === 'error') throw new Error(document.querySelector('[role=alert]')?.textContent ?? 'model error');
      return phase === 'ready' && m !== null && m[2] === m[3] && Number(m[2]) > 0;
    },
    undefined,
    { timeout, polling: 250 },
  );
}

/** Clicks an export button (in `within` when given) and returns the downloaded file's name and bytes. */
export async function exportFile(page: Page, button: RegExp, within?: Locator): Promise<{ name: string; bytes: Uint8Array<ArrayBuffer> }> {
  const [download] = await Promise.all([page.waitForEvent('download'), (within ?? page).getByRole('button', { name: button }).click()]);
  const path = await download.path();
  // A copy with its own ArrayBuffer (a Buffer may be a view into a shared pool).
  return { name: download.suggestedFilename(), bytes: new Uint8Array(readFileSync(path)) };
}

/** Clicks an export button and returns the downloaded file's text. */
export async function exportText(page: Page, button: RegExp, within?: Locator): Promise<{ name: string; text: string }> {
  const { name, bytes } = await exportFile(page, button, within);
  return { name, text: Buffer.from(bytes).toString('utf8') };
}

/** Clicks an export button and returns the downloaded workbook's first sheet as rows (text untrimmed). */
export async function exportSheet(page: Page, button: RegExp): Promise<{ name: string; rows: unknown[][] }> {
  const { name, bytes } = await exportFile(page, button);
  const { readSheet } = await import('read-excel-file/universal');
  return { name, rows: await readSheet(bytes.buffer, { trim: false }) };
}

/** Waits until the results' matching count (after a filter change) is `n`. */
export async function matchingCount(page: Page, n: number): Promise<void> {
  await expectText(page.getByTestId('matching-count'), new RegExp(`(^|\\D)${n}(\\D|$)`));
}

/** Rows of an exported JSONL file (header line removed). */
export function jsonlRows(text: string): Record<string, unknown>[] {
  const lines = text
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  return lines.slice(1);
}

/**
 * Names of the .wasm files the page's workers fetched (resource timing, read in each worker), skipping
 * onnxruntime's own thread workers (started from its `ort-wasm…mjs`), which fetch nothing of their own.
 * Read after scoring, so the inference worker has loaded its runtime.
 */
export async function workerWasmFiles(page: Page): Promise<string[]> {
  const names: string[] = [];
  for (const worker of page.workers()) {
    if (/\/ort-wasm[^/]*\.mjs/.test(worker.url())) continue;
    const urls = await worker.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name));
    names.push(...urls.map((u) => new URL(u).pathname.split('/').pop() ?? '').filter((n) => n.endsWith('.wasm')));
  }
  return names;
}

/** All scores in the app's IndexedDB, read in the page. */
export async function storedScores(page: Page): Promise<{ itemId: string; modelId: string; scoredAt: number }[]> {
  return page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open('xinan');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const req = open.result.transaction('scores').objectStore('scores').getAll();
          req.onsuccess = () => {
            resolve(
              (req.result as { itemId: string; modelId: string; scoredAt: number }[]).map(({ itemId, modelId, scoredAt }) => ({
                itemId,
                modelId,
                scoredAt,
              })),
            );
            open.result.close();
          };
          req.onerror = () => reject(req.error);
        };
      }),
  );
}

/**
 * Waits until the locator's text matches (Playwright-core has no `expect`): UI state is read only
 * once it has settled, never in one shot right after an action. Throws with the last text seen.
 */
export async function expectText(locator: Locator, want: RegExp, timeout = 120_000): Promise<string> {
  const until = Date.now() + timeout;
  for (;;) {
    const last =
      (await locator
        .first()
        .textContent({ timeout: Math.max(1, until - Date.now()) })
        .catch((e: unknown) => `(${String(e).slice(0, 200)})`)) ?? '';
    if (want.test(last)) return last;
    if (Date.now() > until) throw new Error(`expected text ${want} within ${timeout} ms, last saw ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Waits until the summary counts ("N 段对话 · N 条回复 · 已评估 N") match, and returns them. */
export function summaryCounts(page: Page, want: RegExp, timeout = 120_000): Promise<string> {
  return expectText(page.getByTestId('summary-counts'), want, timeout);
}

/** Every record of every store in the app's IndexedDB, read in the page (NaN survives structured clone). */
export async function allStores(page: Page): Promise<Record<string, unknown[]>> {
  return page.evaluate(
    () =>
      new Promise<Record<string, unknown[]>>((resolve, reject) => {
        const open = indexedDB.open('xinan');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const names = [...db.objectStoreNames];
          const tx = db.transaction(names);
          const out: Record<string, unknown[]> = {};
          for (const n of names) {
            const req = tx.objectStore(n).getAll();
            req.onsuccess = () => (out[n] = req.result as unknown[]);
          }
          tx.oncomplete = () => (db.close(), resolve(out));
          tx.onerror = () => reject(tx.error);
        };
      }),
  );
}
