/** Turns any thrown value into the message the UI shows; storage-full gets its own translated text. */
import { isQuotaError, RestoreError, StorageFullError, type RestoreReason } from '../storage';
import { ImportError, type ImportErrorCode } from '../transcripts';

/** `code` lets the UI put a translated title over the (English, specific) message of an import error. */
export type UiError =
  | { kind: 'storage-full' }
  | { kind: 'message'; message: string; code?: ImportErrorCode }
  /** A backup that cannot be restored, or a fresh one that did not read back whole. */
  | { kind: 'restore'; path?: string; reason: RestoreReason };

export function toUiError(e: unknown): UiError {
  if (e instanceof StorageFullError || isQuotaError(e)) return { kind: 'storage-full' };
  if (e instanceof RestoreError) return { kind: 'restore', path: e.path, reason: e.reason };
  if (e instanceof ImportError) return { kind: 'message', message: e.message, code: e.code };
  return { kind: 'message', message: e instanceof Error ? e.message : String(e) };
}
