/** Turns any thrown value into the message the UI shows; storage-full gets its own translated text. */
import { enText, type Msg } from '../i18n/msg';
import { ModelFolderError } from '../inference/model-folder';
import { isQuotaError, ModelStoreError, RestoreError, StorageFullError, VaultLockedError, WrongPassphraseError } from '../storage';
import { ImportError, type ImportErrorCode } from '../transcripts';

/**
 * `msg`: the specific message (file, row, what is wrong) for the UI to render in its language;
 * `message` is its English text (or the raw text of an unexpected error). `code` adds a title.
 * Encryption at rest: 'wrong-passphrase' and 'locked' are translated by the UI (vaultWrongPassphrase / vaultLockedError).
 */
export type UiError =
  | { kind: 'storage-full' }
  | { kind: 'wrong-passphrase' }
  | { kind: 'locked' }
  | { kind: 'message'; message: string; msg?: Msg; code?: ImportErrorCode };

export function toUiError(e: unknown): UiError {
  if (e instanceof StorageFullError || isQuotaError(e)) return { kind: 'storage-full' };
  if (e instanceof WrongPassphraseError) return { kind: 'wrong-passphrase' };
  if (e instanceof VaultLockedError) return { kind: 'locked' };
  if (e instanceof ImportError) return { kind: 'message', message: e.message, msg: e.msg, code: e.code };
  if (e instanceof RestoreError) return { kind: 'message', message: e.message, msg: e.msg };
  if (e instanceof ModelFolderError || e instanceof ModelStoreError) return { kind: 'message', message: enText(e.msg), msg: e.msg };
  return { kind: 'message', message: e instanceof Error ? e.message : String(e) };
}
