/**
 * Storage e2e helpers: the origin's quota through CDP, a backup file made with the app's own code, and the
 * check that IndexedDB holds only whole datasets (kill tests).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CDPSession, Page } from 'playwright-core';
import { SAMPLE_RECORDS } from '../../src/lib/sample/sample.ts';
import { BACKUP_SOURCE, BACKUP_TYPE, BACKUP_VERSION, parseBackup, type Backup } from '../../src/lib/storage/backup.ts';
import { DB_VERSION } from '../../src/lib/storage/db.ts';
import { buildDataset, parseTextInput } from '../../src/lib/transcripts/index.ts';

const MB = 1 << 20;

/**
 * The origin's quota, set with `Storage.overrideQuotaForOrigin`. Chromium's IndexedDB caches the space left
 * and lets a write that fits the cached amount through without asking again (seen here: after lowering the
 * quota, 20 kB writes went on succeeding for 20 s). So `limit()` is called before the app first writes, which
 * bounds that cache by `BASE`, and `squeeze()` follows the lower quota with a probe write of incompressible
 * bytes larger than `BASE`: it cannot fit the cache, so Chromium re-reads the quota, refuses the probe (which
 * stores nothing) and from then on counts from the new quota. Raising the quota needs no probe: a write the
 * small cached amount cannot hold makes Chromium ask again.
 */
export class Quota {
  static readonly BASE = 64 * MB;

  private constructor(
    private readonly page: Page,
    private readonly cdp: CDPSession,
    private readonly origin: string,
  ) {}

  /** Call before the app is opened (before its first IndexedDB write). */
  static async limit(page: Page, origin: string): Promise<Quota> {
    const quota = new Quota(page, await page.context().newCDPSession(page), origin);
    await quota.set(Quota.BASE);
    return quota;
  }

  async usage(): Promise<number> {
    return (await this.cdp.send('Storage.getUsageAndQuota', { origin: this.origin })).usage;
  }

  private async set(bytes: number): Promise<void> {
    await this.cdp.send('Storage.overrideQuotaForOrigin', { origin: this.origin, quotaSize: bytes });
  }

  /** Leaves `headroom` bytes free (0: the disk is full), effective for the very next write. */
  async squeeze(headroom: number): Promise<void> {
    await this.set((await this.usage()) + headroom);
    const outcome = await this.page.evaluate(
      async (bytes) => {
        const open = indexedDB.open('xinan-e2e-quota-probe', 1);
        open.onupgradeneeded = () => open.result.createObjectStore('probe');
        const db = await new Promise<IDBDatabase>((resolve, reject) => {
          open.onsuccess = () => resolve(open.result);
          open.onerror = () => reject(open.error);
        });
        const value = new Uint8Array(bytes);
        for (let i = 0; i < bytes; i += 65536) crypto.getRandomValues(value.subarray(i, Math.min(bytes, i + 65536)));
        try {
          return await new Promise<string>((resolve) => {
            const tx = db.transaction('probe', 'readwrite');
            tx.objectStore('probe').put(value, 'probe');
            tx.oncomplete = () => resolve('stored');
            tx.onabort = () => resolve(tx.error?.name ?? 'aborted');
          });
        } finally {
          db.close();
        }
      },
      Quota.BASE + 8 * MB,
    );
    if (outcome !== 'QuotaExceededError') throw new Error(`quota probe: expected QuotaExceededError, got ${outcome}`);
  }

  /** Back to `BASE`: room again. */
  async release(): Promise<void> {
    await this.set(Quota.BASE);
  }
}

/** A DialogueSafety-style transcript of `n` records (distinct replies), as file text. */
export function transcriptText(n: number, idPrefix: string): string {
  const records = Array.from({ length: n }, (_, i) => {
    const r = SAMPLE_RECORDS[i % SAMPLE_RECORDS.length];
    return { id: `${idPrefix}-${i}`, context: r.context, response: `${r.response}（${idPrefix} ${i}）`, label: r.label };
  });
  return JSON.stringify(records);
}

export function tempFile(name: string, text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'xinan-e2e-')), name);
  writeFileSync(path, text);
  return path;
}

export interface BackupSpec {
  name: string;
  records: number;
}

/**
 * A backup file as the app writes it, built with the app's own parser and dataset builder: one dataset per
 * spec, every item scored (made-up but valid probabilities) and a threshold setting per dataset. Checked with
 * the app's own `parseBackup` before use, so a failed restore is never the file's fault.
 */
export function backupFile(fileName: string, specs: BackupSpec[]): { path: string; backup: Backup } {
  const backup: Backup = {
    type: BACKUP_TYPE,
    version: BACKUP_VERSION,
    source: BACKUP_SOURCE,
    appVersion: 'e2e',
    createdAt: '2026-12-01T00:00:00.000Z',
    schemaVersion: DB_VERSION,
    datasets: [],
    dialogues: [],
    items: [],
    scores: [],
    events: [],
    settings: [],
  };
  specs.forEach((spec, k) => {
    const id = `e2e-${fileName.replace(/\W/g, '')}-${k}`;
    const result = parseTextInput(spec.name, transcriptText(spec.records, `${id}-r`));
    const records = buildDataset(result, { id, name: spec.name, sourceFile: spec.name, createdAt: 1_700_000_000_000 + k });
    backup.datasets.push(records.dataset);
    backup.dialogues.push(...records.dialogues.map((d, order) => ({ ...d, key: `${id}/${d.id}`, datasetId: id, order })));
    backup.items.push(...records.items.map((item, seq) => ({ ...item, seq })));
    backup.scores.push(
      ...records.items.map((item, i) => {
        const probs = Array.from({ length: 8 }, (_, c) => (c === i % 8 ? 0.65 : 0.05));
        return {
          itemId: item.id,
          modelId: 'xinan-safety-zh@e2e',
          datasetId: id,
          scoredAt: 1_700_000_000_000 + i,
          probs,
          label: i % 8,
          pUnsafe: i % 8 === 0 ? 0.35 : 0.95,
          truncated: false,
          droppedTurns: 0,
        };
      }),
    );
    backup.settings.push({ key: `threshold:${id}`, value: 0.5 });
  });
  const text = JSON.stringify(backup);
  parseBackup(text);
  return { path: tempFile(fileName, text), backup };
}

export interface StoredDatasetCount {
  name: string;
  dialogues: number;
  items: number;
  scores: number;
}

/**
 * Whole datasets only: every dialogue, item, score, event and reviews record belongs to a listed dataset, and
 * each listed dataset holds exactly the dialogues and items its record counts. Returns what is wrong (empty
 * when all is whole) and the counts per dataset id. Works on sealed records too (ids stay readable).
 */
export function auditWhole(stores: Record<string, unknown[]>): { problems: string[]; datasets: Map<string, StoredDatasetCount> } {
  const problems: string[] = [];
  const datasets = new Map<string, StoredDatasetCount & { want: { dialogues: number; items: number } }>();
  for (const d of stores.datasets as { id: string; name?: string; dialogueCount?: number; itemCount?: number }[]) {
    datasets.set(d.id, {
      name: d.name ?? '(sealed)',
      dialogues: 0,
      items: 0,
      scores: 0,
      want: { dialogues: d.dialogueCount ?? -1, items: d.itemCount ?? -1 },
    });
  }
  for (const store of ['dialogues', 'items', 'scores', 'events', 'reviews'] as const) {
    for (const r of (stores[store] ?? []) as { datasetId?: string }[]) {
      const d = r.datasetId === undefined ? undefined : datasets.get(r.datasetId);
      if (!d) {
        problems.push(`${store}: a record of dataset ${String(r.datasetId)}, which is not listed`);
        continue;
      }
      if (store === 'dialogues' || store === 'items' || store === 'scores') d[store]++;
    }
  }
  for (const [id, d] of datasets) {
    // A sealed dataset record hides its counts; the e2e workspaces here are plain.
    if (d.want.dialogues !== d.dialogues) problems.push(`${id}: ${d.dialogues} dialogues stored, the dataset says ${d.want.dialogues}`);
    if (d.want.items !== d.items) problems.push(`${id}: ${d.items} items stored, the dataset says ${d.want.items}`);
  }
  return {
    problems: [...new Set(problems)],
    datasets: new Map([...datasets].map(([id, { want: _want, ...count }]) => [id, count])),
  };
}

/** The records of `stores` that belong to the given datasets (plus their settings), for before/after comparison. */
export function recordsOf(stores: Record<string, unknown[]>, datasetIds: Set<string>): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const [store, records] of Object.entries(stores)) {
    out[store] = (records as { id?: string; datasetId?: string; key?: string }[]).filter((r) =>
      store === 'datasets'
        ? datasetIds.has(r.id ?? '')
        : store === 'settings'
          ? [...datasetIds].some((id) => r.key?.endsWith(id))
          : datasetIds.has(r.datasetId ?? ''),
    );
  }
  return out;
}

/**
 * Resolves once a read of `store` from a second tab on the origin waits longer than `ms`: a readwrite
 * transaction over that store is running (reads queue behind it). Used only to choose when to kill the
 * browser; the kill tests' assertions hold whenever the kill lands. Gives up (resolves false) after `tries`.
 */
export async function whenStoreBusy(probe: Page, store: string, ms = 250, tries = 400): Promise<boolean> {
  for (let i = 0; i < tries; i++) {
    const busy = await probe.evaluate(
      ({ store, ms }) =>
        new Promise<boolean>((resolve) => {
          const open = indexedDB.open('xinan');
          open.onsuccess = () => {
            const db = open.result;
            const timer = setTimeout(() => resolve(true), ms);
            const tx = db.transaction(store, 'readonly');
            tx.objectStore(store).count();
            tx.oncomplete = () => (clearTimeout(timer), db.close(), resolve(false));
            tx.onabort = () => (clearTimeout(timer), db.close(), resolve(false));
          };
          open.onerror = () => resolve(false);
          open.onblocked = () => resolve(false);
        }),
      { store, ms },
    );
    if (busy) return true;
  }
  return false;
}
