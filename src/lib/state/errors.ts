/** Turns any thrown value into the message the UI shows; storage-full gets its own translated text. */
import { isQuotaError, StorageFullError } from '../storage';

export type UiError = { kind: 'storage-full' } | { kind: 'message'; message: string };

export function toUiError(e: unknown): UiError {
  if (e instanceof StorageFullError || isQuotaError(e)) return { kind: 'storage-full' };
  return { kind: 'message', message: e instanceof Error ? e.message : String(e) };
}
