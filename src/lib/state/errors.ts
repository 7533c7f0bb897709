/** Turns any thrown value into the message the UI shows; storage-full gets its own translated text. */
import { enText, msg, type Msg } from '../i18n/msg';
import { ModelFolderError } from '../inference/model-folder';
import { isQuotaError, ModelStoreError, RestoreError, StorageFullError, VaultLockedError, WrongPassphraseError } from '../storage';
import { ImportError, type ImportErrorCode } from '../transcripts';

/**
 * `msg`: the specific message (file, row, what is wrong) for the UI to render in its language;
 * `message` is its English text (or the raw text of an unexpected error). `code` adds a title.
 * Encryption at rest: 'wrong-passphrase' and 'locked' are translated by the UI (vaultWrongPassphrase / vaultLockedError).
 * 'storage-full' carries its message: what the full disk did to this action's data, and how to make room.
 */
export type UiError =
  | { kind: 'storage-full'; msg: Msg }
  | { kind: 'wrong-passphrase' }
  | { kind: 'locked' }
  | { kind: 'message'; message: string; msg?: Msg; code?: ImportErrorCode };

/** What was being written when the disk filled up: the message says what became of it. */
export type FullDuring =
  | { action: 'import' }
  | { action: 'restore' }
  /** `scored`: the dataset's items whose scores are stored (every finished chunk is kept). */
  | { action: 'scoring'; scored: number; total: number }
  | { action: 'other' };

/** The storage-full message for one action, with the ways to make room (naming the app's own buttons). */
export function storageFullMsg(during: FullDuring): Msg {
  const howTo = msg('storageFullHowTo', { backup: msg('backup'), wipe: msg('wipe') });
  switch (during.action) {
    case 'import':
      return msg('storageFullImport', { howTo, button: msg('confirmImport') });
    case 'scoring':
      return msg('storageFullScoring', { howTo, button: msg('resume'), n: during.scored, total: during.total });
    case 'restore':
      return msg('storageFullRestore', { howTo });
    case 'other':
      return msg('storageFullOther', { howTo });
  }
}

export function isStorageFull(e: unknown): boolean {
  return e instanceof StorageFullError || isQuotaError(e);
}

export function toUiError(e: unknown, during: FullDuring = { action: 'other' }): UiError {
  if (isStorageFull(e)) return { kind: 'storage-full', msg: storageFullMsg(during) };
  if (e instanceof WrongPassphraseError) return { kind: 'wrong-passphrase' };
  if (e instanceof VaultLockedError) return { kind: 'locked' };
  if (e instanceof ImportError) return { kind: 'message', message: e.message, msg: e.msg, code: e.code };
  if (e instanceof RestoreError) return { kind: 'message', message: e.message, msg: e.msg };
  if (e instanceof ModelFolderError || e instanceof ModelStoreError) return { kind: 'message', message: enText(e.msg), msg: e.msg };
  return { kind: 'message', message: e instanceof Error ? e.message : String(e) };
}
