/**
 * The browser closed in the middle of an import and of a restore (the context is closed: no reload, no
 * unload handlers), then the same profile opened again: every dataset is there whole or not at all, no
 * record hangs off a dataset that is not listed, and what was stored before is not lost.
 *
 * Why this holds: import (storage/datasets.ts) writes the dataset, its dialogues and items in ONE IndexedDB
 * transaction, and restore (storage/backup.ts) clears and refills every store in ONE transaction, after
 * validating the whole file. IndexedDB commits a transaction whole or rolls it back, crash included, so there is
 * no 'complete' flag or start-up cleanup to get wrong.
 *
 * When to kill is chosen from what can be observed, at three points per flow: the app shows that it is saving
 * (the transaction may not have started yet); a second tab's read of the store waits (the write transaction is
 * running: reads queue behind it); and the result is listed (committed: it must survive). The assertions are
 * the same whichever moment the kill lands; each outcome is printed.
 */
import { rmSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { assert, assertEqual, openSession, test, type Session } from './harness.ts';
import { allStores, chooseFile, dataset, openApp } from './app.ts';
import { auditWhole, backupFile, recordsOf, tempFile, transcriptText, whenStoreBusy } from './storage.ts';

type KillPoint = 'saving' | 'writing' | 'listed';
const POINTS: KillPoint[] = ['saving', 'writing', 'listed'];

/** The workspace a kill must not lose: two datasets, scored, with settings (restored from a file). */
const OLD = backupFile('old.json', [
  { name: 'old-a.json', records: 40 },
  { name: 'old-b.json', records: 25 },
]);

async function restoreFile(page: Page, path: string): Promise<void> {
  await page.getByLabel(/从备份恢复/).setInputFiles(path);
}

/** A fresh profile holding OLD, a probe tab on the origin (no app code), and the stores as they are. */
async function oldWorkspace(origin: string): Promise<{ s: Session; probe: Page; before: Record<string, unknown[]> }> {
  const s = await openSession(origin);
  await openApp(s.page, origin);
  await restoreFile(s.page, OLD.path);
  await s.page.getByText(`已恢复 ${OLD.backup.datasets.length} 个数据集。`).waitFor();
  await s.page
    .locator('[data-testid=dataset]')
    .nth(OLD.backup.datasets.length - 1)
    .waitFor();
  const probe = await s.context.newPage();
  await probe.goto(`${origin}/manifest.webmanifest`);
  return { s, probe, before: await allStores(s.page) };
}

/** Waits for the kill point, closes the browser, reopens the same profile and returns every store. */
async function killAndReopen(
  origin: string,
  s: Session,
  point: KillPoint,
  saving: () => Promise<void>,
  writing: () => Promise<boolean>,
  listed: () => Promise<void>,
): Promise<{ stores: Record<string, unknown[]>; again: Session; seen: string }> {
  let seen: string = point;
  if (point === 'saving') await saving();
  else if (point === 'writing') seen = (await writing()) ? 'writing (read blocked)' : 'writing (no blocked read seen)';
  else await listed();
  await s.context.close();
  assertEqual(s.violations, [], 'no request left the origin');
  const again = await openSession(origin, [], s.profileDir);
  await openApp(again.page, origin);
  return { stores: await allStores(again.page), again, seen };
}

/** The app lists exactly the datasets the stores hold. */
async function listsStored(page: Page, stores: Record<string, unknown[]>): Promise<void> {
  const n = stores.datasets.length;
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid=dataset]').length === n, n);
}

test('kill: closing the browser mid-import leaves the new dataset whole or absent, and the old data as it was', async ({ origin }) => {
  const N = 20_000;
  const big = tempFile('big-import.json', transcriptText(N, 'imp'));
  const outcomes: string[] = [];
  for (const point of POINTS) {
    const { s, probe, before } = await oldWorkspace(origin);
    let again: Session | undefined;
    try {
      await chooseFile(s.page, big);
      assertEqual(await s.page.getByTestId('preview-items').textContent(), String(N), 'preview item count');
      await s.page.getByRole('button', { name: /确认导入/ }).click();
      const shown = dataset(s.page, 'big-import.json');
      const reopened = await killAndReopen(
        origin,
        s,
        point,
        () => s.page.getByTestId('import-saving').or(shown).first().waitFor(),
        () => whenStoreBusy(probe, 'items'),
        () => shown.waitFor(),
      );
      again = reopened.again;
      const { stores } = reopened;
      const audit = auditWhole(stores);
      assertEqual(audit.problems, [], `whole datasets only (kill when ${point})`);
      const oldIds = new Set((before.datasets as { id: string }[]).map((d) => d.id));
      assertEqual(recordsOf(stores, oldIds), recordsOf(before, oldIds), `the old datasets are as they were (kill when ${point})`);
      const added = [...audit.datasets].filter(([id]) => !oldIds.has(id)).map(([, d]) => d);
      assert(added.length <= 1, `at most one new dataset (${added.length})`);
      if (added.length)
        assertEqual([added[0].name, added[0].dialogues, added[0].items], ['big-import.json', N, N], 'the new dataset is whole');
      if (point === 'listed') assertEqual(added.length, 1, 'an import the app had listed (committed) survives the kill');
      await listsStored(again.page, stores);
      outcomes.push(`${reopened.seen}: ${added.length ? 'whole' : 'absent'}`);
    } finally {
      await again?.close();
      await s.context.close().catch(() => undefined);
      rmSync(s.profileDir, { recursive: true, force: true });
    }
  }
  console.log(`    kill mid-import (${N} records): ${outcomes.join(', ')}`);
});

test('kill: closing the browser mid-restore leaves either the old workspace or the restored one, never a mix', async ({ origin }) => {
  const N = 12_000;
  const NEW = backupFile('big-restore.json', [
    { name: 'new-a.json', records: N },
    { name: 'new-b.json', records: 50 },
  ]);
  const outcomes: string[] = [];
  for (const point of POINTS) {
    const { s, probe, before } = await oldWorkspace(origin);
    let again: Session | undefined;
    try {
      await restoreFile(s.page, NEW.path);
      const done = s.page.getByText(`已恢复 ${NEW.backup.datasets.length} 个数据集。`);
      const reopened = await killAndReopen(
        origin,
        s,
        point,
        () => s.page.getByTestId('restoring').or(done).first().waitFor(),
        () => whenStoreBusy(probe, 'datasets'),
        () => done.waitFor(),
      );
      again = reopened.again;
      const { stores } = reopened;
      const audit = auditWhole(stores);
      assertEqual(audit.problems, [], `whole datasets only (kill when ${point})`);
      const ids = [...audit.datasets.keys()].sort();
      const oldIds = (before.datasets as { id: string }[]).map((d) => d.id).sort();
      const newIds = NEW.backup.datasets.map((d) => d.id).sort();
      let outcome: string;
      if (JSON.stringify(ids) === JSON.stringify(oldIds)) {
        assertEqual(stores, before, `the old workspace is exactly as it was (kill when ${point})`);
        outcome = 'old';
      } else {
        assertEqual(ids, newIds, `either the old datasets or the restored ones (kill when ${point})`);
        for (const store of ['dialogues', 'items', 'scores', 'settings'] as const) {
          assertEqual(stores[store].length, NEW.backup[store].length, `${store}: every record of the backup`);
        }
        assertEqual(stores.events.length, 0, 'no events left from the old workspace');
        outcome = 'restored';
      }
      if (point === 'listed') assertEqual(outcome, 'restored', 'a restore the app had reported done survives the kill');
      await listsStored(again.page, stores);
      outcomes.push(`${reopened.seen}: ${outcome}`);
    } finally {
      await again?.close();
      await s.context.close().catch(() => undefined);
      rmSync(s.profileDir, { recursive: true, force: true });
    }
  }
  console.log(`    kill mid-restore (${N + 50} records per store): ${outcomes.join(', ')}`);
});
