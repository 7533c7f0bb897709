/**
 * Encryption at rest, as the UI sees it: off, locked, or unlocked; turning it on (with progress), unlock, lock
 * (also after an idle time), change of passphrase, settings, and the wipe for a forgotten passphrase.
 * Locking forgets the key and reloads the page, so no decrypted transcript stays in memory anywhere (results,
 * crisis view, workers); after the reload the app shows the locked screen. The key never goes to a worker:
 * storage opens records on the main thread and the scorer sends plain texts, as without encryption.
 */
import type { MessageKey } from '../i18n/messages';
import {
  clearModels,
  changePassphrase,
  DEFAULT_VAULT_OPTIONS,
  enableEncryption,
  listLockedDatasets,
  lock,
  protection,
  readVault,
  setVaultOptions,
  unlock,
  wipeEncrypted,
  type LockedDataset,
  type VaultMeta,
  type VaultOptions,
} from '../storage';
import { toUiError, type UiError } from './errors';
import type { Workspace } from './workspace.svelte';

export type VaultMode = 'loading' | 'plain' | 'locked' | 'unlocked';
export const MIN_PASSPHRASE = 8;

/** A form problem, shown translated. */
export type VaultFormError = { key: MessageKey; params?: Record<string, number> };

const ACTIVITY = ['pointerdown', 'keydown', 'wheel', 'touchstart'] as const;

export class Vault {
  mode = $state<VaultMode>('loading');
  meta = $state.raw<VaultMeta | undefined>(undefined);
  /** What the locked screen lists (no names unless allowed). */
  lockedDatasets = $state.raw<LockedDataset[]>([]);
  busy = $state(false);
  progress = $state.raw<{ done: number; total: number } | undefined>(undefined);
  error = $state.raw<UiError | undefined>(undefined);
  formError = $state.raw<VaultFormError | undefined>(undefined);
  notice = $state<MessageKey | undefined>(undefined);
  #idleTimer?: ReturnType<typeof setTimeout>;
  #onActivity = () => this.#armIdle();

  /** `reload` is what locking does after forgetting the key (tests pass their own). */
  constructor(
    private readonly workspace: Workspace,
    private readonly reload: () => void = () => location.reload(),
  ) {}

  async init(): Promise<void> {
    try {
      const db = await this.workspace.db();
      this.meta = await readVault(db);
      this.mode = protection(db).mode;
      if (this.mode === 'locked') this.lockedDatasets = await listLockedDatasets(db);
      this.#watchIdle();
    } catch (e) {
      this.error = toUiError(e);
      this.mode = 'plain';
    }
  }

  /** Checks the form; returns false (and a translated reason) when it cannot go on. */
  #check(passphrase: string, again: string): boolean {
    if (passphrase.length < MIN_PASSPHRASE) this.formError = { key: 'vaultTooShort', params: { n: MIN_PASSPHRASE } };
    else if (passphrase !== again) this.formError = { key: 'vaultMismatch' };
    else this.formError = undefined;
    return !this.formError;
  }

  #checkOptions(o: VaultOptions): boolean {
    if (!Number.isInteger(o.autoLockMinutes) || o.autoLockMinutes < 0 || o.autoLockMinutes > 1440) {
      this.formError = { key: 'vaultBadMinutes' };
      return false;
    }
    return true;
  }

  async enable(passphrase: string, again: string, acknowledged: boolean, options: VaultOptions = DEFAULT_VAULT_OPTIONS): Promise<boolean> {
    this.notice = undefined;
    if (!this.#check(passphrase, again) || !this.#checkOptions(options)) return false;
    if (!acknowledged) {
      this.formError = { key: 'vaultMustAcknowledge' };
      return false;
    }
    return this.#run(async () => {
      const db = await this.workspace.db();
      this.meta = await enableEncryption(db, passphrase, options, { onProgress: (done, total) => (this.progress = { done, total }) });
      this.mode = 'unlocked';
      this.notice = 'vaultEnabled';
      this.#watchIdle();
    });
  }

  /** Unlocks, and finishes an encryption that was interrupted. A wrong passphrase changes nothing. */
  async unlock(passphrase: string): Promise<boolean> {
    return this.#run(async () => {
      const db = await this.workspace.db();
      this.meta = await unlock(db, passphrase, { onProgress: (done, total) => (this.progress = { done, total }) });
      this.mode = 'unlocked';
      this.lockedDatasets = [];
      this.#watchIdle();
    });
  }

  async lock(): Promise<void> {
    lock(await this.workspace.db());
    this.mode = 'locked';
    this.reload();
  }

  async changePassphrase(old: string, next: string, again: string): Promise<boolean> {
    this.notice = undefined;
    if (!this.#check(next, again)) return false;
    return this.#run(async () => {
      this.meta = await changePassphrase(await this.workspace.db(), old, next);
      this.notice = 'vaultChanged';
    });
  }

  async setOptions(options: VaultOptions): Promise<boolean> {
    this.notice = undefined;
    if (!this.#checkOptions(options)) return false;
    return this.#run(async () => {
      this.meta = await setVaultOptions(await this.workspace.db(), options);
      this.notice = 'vaultOptionsSaved';
      this.#watchIdle();
    });
  }

  /** Forgotten passphrase: everything encrypted is deleted; the app starts again, plain and empty. */
  async wipeForgotten(): Promise<void> {
    await this.#run(async () => {
      await wipeEncrypted(await this.workspace.db());
      // Models brought from disk live in OPFS, outside the vault: "everything is deleted" includes them.
      const root = await this.workspace.modelsRoot();
      if (root) await clearModels(root);
      this.reload();
    });
  }

  async #run(action: () => Promise<void>): Promise<boolean> {
    this.busy = true;
    this.error = undefined;
    this.formError = undefined;
    try {
      await action();
      return true;
    } catch (e) {
      this.error = toUiError(e);
      return false;
    } finally {
      this.busy = false;
      this.progress = undefined;
    }
  }

  /** Auto-lock: any input resets the timer; none for `autoLockMinutes` locks. */
  #watchIdle(): void {
    if (typeof window === 'undefined') return;
    for (const ev of ACTIVITY) window.removeEventListener(ev, this.#onActivity);
    clearTimeout(this.#idleTimer);
    if (this.mode !== 'unlocked' || !this.meta?.autoLockMinutes) return;
    for (const ev of ACTIVITY) window.addEventListener(ev, this.#onActivity, { passive: true });
    this.#armIdle();
  }

  #armIdle(): void {
    clearTimeout(this.#idleTimer);
    const minutes = this.meta?.autoLockMinutes ?? 0;
    if (this.mode === 'unlocked' && minutes > 0) this.#idleTimer = setTimeout(() => void this.lock(), minutes * 60_000);
  }
}
