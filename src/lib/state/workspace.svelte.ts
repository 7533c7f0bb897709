/**
 * The workspace: the database connection, the list of datasets, storage use and persistence,
 * delete / wipe, backup / restore. Every IndexedDB call the app makes goes through state/.
 */
import {
  createBackup,
  deleteDataset,
  listDatasets,
  openXinanDb,
  requestPersistence,
  restoreBackup,
  serializeBackup,
  storageUsage,
  wipeAll,
  type PersistResult,
  type StorageUsage,
  type XinanDatabase,
} from '../storage';
import type { Dataset } from '../transcripts';
import { downloadText } from './download';
import { toUiError, type UiError } from './errors';

export const APP_VERSION: string = __APP_VERSION__;

export class Workspace {
  datasets = $state.raw<Dataset[]>([]);
  usage = $state.raw<StorageUsage | undefined>(undefined);
  persist = $state<PersistResult | 'unknown'>('unknown');
  error = $state.raw<UiError | undefined>(undefined);
  notice = $state<string | undefined>(undefined);
  /** Called after every refresh of the list (import, delete, restore, a finished run): e.g. to re-count scores. */
  onRefresh?: () => Promise<void> | void;
  #db?: Promise<XinanDatabase>;

  /** Opens the database once; a failed open is forgotten so the next call retries. */
  db(): Promise<XinanDatabase> {
    this.#db ??= openXinanDb().catch((e: unknown) => {
      this.#db = undefined;
      throw e;
    });
    return this.#db;
  }

  async init(): Promise<void> {
    await this.refresh();
    this.persist = await requestPersistence();
  }

  async refresh(): Promise<void> {
    try {
      this.datasets = await listDatasets(await this.db());
      this.usage = await storageUsage();
      await this.onRefresh?.();
    } catch (e) {
      this.error = toUiError(e);
    }
  }

  async remove(datasetId: string): Promise<void> {
    await this.#guard(async () => deleteDataset(await this.db(), datasetId));
  }

  async wipe(): Promise<void> {
    await this.#guard(async () => wipeAll(await this.db()));
  }

  async backup(): Promise<void> {
    await this.#guard(async () => {
      const now = new Date().toISOString();
      const text = serializeBackup(await createBackup(await this.db(), APP_VERSION, now));
      downloadText(`xinan-backup-${now.slice(0, 10)}.json`, text, 'application/json');
    });
  }

  /** Validates the whole file first; a bad file leaves the workspace unchanged. Returns datasets restored. */
  async restore(file: File): Promise<number | undefined> {
    let count: number | undefined;
    await this.#guard(async () => {
      const backup = await restoreBackup(await this.db(), await file.text());
      count = backup.datasets.length;
    });
    return count;
  }

  async #guard(action: () => Promise<void>): Promise<void> {
    this.error = undefined;
    try {
      await action();
    } catch (e) {
      this.error = toUiError(e);
    } finally {
      await this.refresh();
    }
  }
}
