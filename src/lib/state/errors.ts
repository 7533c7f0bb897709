/** Turns any thrown value into the message the UI shows; storage-full gets its own translated text. */
import { isQuotaError, StorageFullError } from '../storage';
import { ImportError, type ImportErrorCode } from '../transcripts';

/** `code` lets the UI put a translated title over the (English, specific) message of an import error. */
export type UiError = { kind: 'storage-full' } | { kind: 'message'; message: string; code?: ImportErrorCode };

export function toUiError(e: unknown): UiError {
  if (e instanceof StorageFullError || isQuotaError(e)) return { kind: 'storage-full' };
  if (e instanceof ImportError) return { kind: 'message', message: e.message, code: e.code };
  return { kind: 'message', message: e instanceof Error ? e.message : String(e) };
}
