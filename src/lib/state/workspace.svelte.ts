/**
 * The workspace: the database connection, the list of datasets, storage use and persistence,
 * delete / wipe, backup / restore. Every IndexedDB call the app makes goes through state/.
 */
import {
  clearModels,
  modelsForBackup,
  parseBackup,
  restoreModels,
  createBackup,
  decryptBackupText,
  deleteDataset,
  encryptBackupText,
  isEncryptedBackup,
  openVault,
  protection,
  listDatasets,
  openXinanDb,
  persistenceState,
  requestPersistence,
  restoreBackup,
  serializeBackup,
  storageUsage,
  verifyBackup,
  wipeAll,
  type PersistResult,
  type StorageUsage,
  type Backup,
  type XinanDatabase,
} from '../storage';
import type { Dataset } from '../transcripts';
import { downloadText } from './download';
import { toUiError, type FullDuring, type UiError } from './errors';
import { opfsRoot, type OpfsRoot } from './opfs';

export const APP_VERSION: string = __APP_VERSION__;
/** A restore that hits a full disk wrote nothing (one transaction): its message says so. */
const RESTORE: FullDuring = { action: 'restore' };

export class Workspace {
  datasets = $state.raw<Dataset[]>([]);
  usage = $state.raw<StorageUsage | undefined>(undefined);
  persist = $state<PersistResult | 'not-asked' | 'unknown'>('unknown');
  error = $state.raw<UiError | undefined>(undefined);
  notice = $state<string | undefined>(undefined);
  /** Called after every refresh of the list (import, delete, restore, a finished run): e.g. to re-count scores. */
  onRefresh?: () => Promise<void> | void;
  /** The last wipe was refused because its backup could not be made or read back: the data is kept. */
  wipeRefused = $state(false);
  /** Encrypted workspace: a backup waits for the file's passphrase (a plain file would undo the encryption). */
  backupNeedsPassphrase = $state(false);
  /** An encrypted backup file waiting for its passphrase before restore. */
  pendingRestore = $state.raw<{ name: string; text: string } | undefined>(undefined);
  /** A restore is reading, checking or writing its file (one transaction: see storage/backup.ts). */
  restoring = $state(false);
  #db?: Promise<XinanDatabase>;
  /** Where models brought from disk are stored (OPFS); backup, restore and wipe include them. */
  readonly modelsRoot: OpfsRoot;

  constructor(modelsRoot: OpfsRoot = opfsRoot) {
    this.modelsRoot = modelsRoot;
  }

  /** Opens the database once; a failed open is forgotten so the next call retries. */
  db(): Promise<XinanDatabase> {
    // The vault is read before anyone uses the connection, so an encrypted workspace is never written in plain.
    this.#db ??= openXinanDb()
      .then(async (db) => {
        await openVault(db);
        return db;
      })
      .catch((e: unknown) => {
        this.#db = undefined;
        throw e;
      });
    return this.#db;
  }

  async init(): Promise<void> {
    await this.refresh();
    const state = await persistenceState();
    // A first import may have asked (askPersistence) while this was reading: its answer stands. Overwriting a
    // 'denied' with the later 'not-asked' made the panel say "not asked yet" after the user had been asked.
    if (this.persist === 'unknown') this.persist = state;
  }

  /** Asks for persistent storage once, at the first import (see quota.ts); the result shows in the storage panel. */
  async askPersistence(): Promise<void> {
    if (this.persist !== 'not-asked' && this.persist !== 'unknown') return;
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

  /**
   * Wipes everything. With `backupFirst` (what the UI offers first) it downloads a backup, checks that
   * the file reads back whole, and only then wipes; when it does not, nothing is wiped, `wipeRefused`
   * is set and the error says why. Without it (a shared computer, where no copy should be left) it just
   * wipes. Returns whether the workspace was wiped.
   */
  async wipe(options: { backupFirst: boolean }): Promise<boolean> {
    let wiped = false;
    await this.#guard(async () => {
      const db = await this.db();
      if (options.backupFirst) {
        try {
          await this.#backupFile(db);
        } catch (e) {
          this.wipeRefused = true;
          throw e;
        }
      }
      await wipeAll(db);
      const root = await this.modelsRoot();
      if (root) await clearModels(root);
      wiped = true;
    });
    return wiped;
  }

  /** Downloads a backup of everything, once it is known to read back whole (else throws, downloading nothing). */
  async backup(): Promise<void> {
    if (protection(await this.db()).mode !== 'plain') {
      this.backupNeedsPassphrase = true;
      return;
    }
    await this.#guard(async () => this.#backupFile(await this.db()));
  }

  async #backupFile(db: XinanDatabase): Promise<void> {
    // An encrypted workspace never writes a plain backup file: the wipe is refused (data kept) and the
    // encrypted-backup prompt opens; back up there, then wipe without the automatic backup.
    if (protection(db).mode !== 'plain') {
      this.backupNeedsPassphrase = true;
      throw new Error('encrypted workspace: make an encrypted backup first');
    }
    const now = new Date().toISOString();
    const backup = await this.#fullBackup(db, now);
    const text = serializeBackup(backup);
    verifyBackup(text, backup);
    downloadText(`xinan-backup-${now.slice(0, 10)}.json`, text, 'application/json');
  }

  /** The database's records plus the models brought from disk (OPFS), files included. */
  async #fullBackup(db: XinanDatabase, now: string): Promise<Backup> {
    const backup = await createBackup(db, APP_VERSION, now);
    const root = await this.modelsRoot();
    if (root) backup.models = await modelsForBackup(root);
    return backup;
  }

  /** Models first (checked whole, hashed, added; never removed), then the database in one transaction. */
  async #restoreText(text: string): Promise<Backup> {
    this.restoring = true;
    try {
      const models = parseBackup(text).models ?? [];
      const root = await this.modelsRoot();
      if (root && models.length) await restoreModels(root, models);
      return await restoreBackup(await this.db(), text);
    } finally {
      this.restoring = false;
    }
  }

  /** The whole backup file sealed with a key derived from `passphrase` (vault/backup-file.ts). */
  async backupEncrypted(passphrase: string): Promise<void> {
    await this.#guard(async () => {
      const now = new Date().toISOString();
      const text = await encryptBackupText(serializeBackup(await this.#fullBackup(await this.db(), now)), passphrase);
      downloadText(`xinan-backup-${now.slice(0, 10)}.encrypted.json`, text, 'application/json');
      this.backupNeedsPassphrase = false;
    });
  }

  /** Validates the whole file first; a bad file leaves the workspace unchanged. Returns datasets restored. */
  async restore(file: File): Promise<number | undefined> {
    let count: number | undefined;
    await this.#guard(async () => {
      const text = await file.text();
      if (isEncryptedBackup(text)) {
        this.pendingRestore = { name: file.name, text };
        return;
      }
      const backup = await this.#restoreText(text);
      count = backup.datasets.length;
    }, RESTORE);
    return count;
  }

  /** Restores the pending encrypted file; a wrong passphrase changes nothing and keeps the file pending. */
  async restoreEncrypted(passphrase: string): Promise<number | undefined> {
    const pending = this.pendingRestore;
    if (!pending) return undefined;
    let count: number | undefined;
    await this.#guard(async () => {
      const backup = await this.#restoreText(await decryptBackupText(pending.text, passphrase));
      count = backup.datasets.length;
      this.pendingRestore = undefined;
    }, RESTORE);
    return count;
  }

  async #guard(action: () => Promise<void>, during: FullDuring = { action: 'other' }): Promise<void> {
    this.error = undefined;
    this.notice = undefined;
    this.wipeRefused = false;
    try {
      await action();
    } catch (e) {
      this.error = toUiError(e, during);
    } finally {
      await this.refresh();
    }
  }
}
