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
 * When to kill is chosen from what can be observed, at four points per flow: the app shows that it is saving
 * (the transaction may not have started yet); a second tab's read of the store waits (the write transaction is
 * running: reads queue behind it), once closing the browser and once killing its process (SIGKILL, a crash);
 * and the result is listed (committed: it must survive). The assertions are the same whichever moment the kill
 * lands; each outcome is printed.
 */
import { execFileSync } from 'node:child_process';
import type { Page } from 'playwright-core';
import { assert, assertEqual, openSession, test, type Session } from './harness.ts';
import { allStores, chooseFile, dataset, openApp } from './app.ts';
import { auditWhole, backupFile, recordsOf, tempFile, transcriptText, whenStoreBusy } from './storage.ts';

/** 'crash': as 'writing', but the browser process is killed (SIGKILL) instead of closed. */
type KillPoint = 'saving' | 'writing' | 'crash' | 'listed';
const POINTS: KillPoint[] = ['saving', 'writing', 'crash', 'listed'];

/** The browser process of a profile (the one without --type=: not a renderer or helper), started by this test. */
function browserPid(profileDir: string): number {
  const mine = execFileSync('ps', ['-ww', '-eo', 'pid=,args='], { encoding: 'utf8' })
    .split('\n')
    .filter((l) => l.includes(`--user-data-dir=${profileDir}`) && !l.includes('--type='));
  assertEqual(mine.length, 1, `one browser process for ${profileDir}`);
  return Number(mine[0].trim().split(/\s+/)[0]);
}

/** The workspace a kill must not lose: two datasets, scored, with settings (restored from a file). */
const OLD = backupFile('old.json', [
  { name: 'old-a.json', records: 40 },
  { name: 'old-b.json', records: 25 },
]);

async function restoreFile(page: Page, path: string): Promise<void> {
  await page.getByLabel(/从备份恢复/).setInputFiles(path);
}

/** The test's profile filled with OLD, a probe tab on the origin (no app code), and the stores as they are. */
async function oldWorkspace(s: Session, origin: string): Promise<{ probe: Page; before: Record<string, unknown[]> }> {
  await openApp(s.page, origin);
  await restoreFile(s.page, OLD.path);
  await s.page.getByText(`已恢复 ${OLD.backup.datasets.length} 个数据集。`).waitFor();
  await s.page
    .locator('[data-testid=dataset]')
    .nth(OLD.backup.datasets.length - 1)
    .waitFor();
  const probe = await s.context.newPage();
  await probe.goto(`${origin}/manifest.webmanifest`);
  return { probe, before: await allStores(s.page) };
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
  else if (point === 'writing' || point === 'crash') seen = `${point} (${(await writing()) ? 'read blocked' : 'no blocked read seen'})`;
  else await listed();
  if (point === 'crash') {
    const pid = browserPid(s.profileDir);
    const closed = new Promise((resolve) => s.context.once('close', resolve));
    process.kill(pid, 'SIGKILL');
    await closed;
  } else await s.context.close();
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

const IMPORT_N = 20_000;
const bigImport = (): string => tempFile('big-import.json', transcriptText(IMPORT_N, 'imp'));

for (const point of POINTS) {
  test(`kill (${point}): closing the browser mid-import leaves the new dataset whole or absent, and the old data as it was`, async (s) => {
    const { origin } = s;
    const N = IMPORT_N;
    const { probe, before } = await oldWorkspace(s, origin);
    let again: Session | undefined;
    try {
      await chooseFile(s.page, bigImport());
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
      assertEqual(again.violations, [], 'no request left the origin after reopening');
      console.log(`    kill mid-import (${N} records), ${reopened.seen}: ${added.length ? 'whole' : 'absent'}`);
    } finally {
      await again?.close();
    }
  });
}

const RESTORE_N = 12_000;
let bigRestore: ReturnType<typeof backupFile> | undefined;

for (const point of POINTS) {
  test(`kill (${point}): closing the browser mid-restore leaves either the old workspace or the restored one, never a mix`, async (s) => {
    const { origin } = s;
    bigRestore ??= backupFile('big-restore.json', [
      { name: 'new-a.json', records: RESTORE_N },
      { name: 'new-b.json', records: 50 },
    ]);
    const NEW = bigRestore;
    const { probe, before } = await oldWorkspace(s, origin);
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
      assertEqual(again.violations, [], 'no request left the origin after reopening');
      console.log(`    kill mid-restore (${RESTORE_N + 50} records per store), ${reopened.seen}: ${outcome}`);
    } finally {
      await again?.close();
    }
  });
}
