import { enText, msg, type Msg } from '../i18n/msg.ts';

/** The device is out of storage. The transaction was aborted, so nothing of it was written. */
export class StorageFullError extends Error {
  override name = 'StorageFullError';
  constructor(options?: { cause?: unknown }) {
    super('Storage is full: nothing was saved. Free some space (or delete a dataset) and try again.', options);
  }
}

/** A backup file that cannot be restored; the existing data was not touched. */
export class RestoreError extends Error {
  override name = 'RestoreError';
  /** Where in the file, e.g. 'items[3].response'; undefined for the whole file. */
  readonly path?: string;
  /** The message for the UI to render in its language (`message` is its English text). */
  readonly msg: Msg;
  /** `detail`: a message (translated in the UI), or plain text shown as is. */
  constructor(detail: Msg | string, path?: string) {
    const m = path ? msg('restoreInvalidAt', { path, detail }) : msg('restoreInvalid', { detail });
    super(enText(m));
    this.path = path;
    this.msg = m;
  }
}

/** QuotaExceededError as thrown by puts, or as the error of an aborted transaction. */
export function isQuotaError(e: unknown): boolean {
  if (!e || typeof e !== 'object') return false;
  const err = e as { name?: unknown; code?: unknown; inner?: unknown };
  // code 22 is the legacy DOMException.QUOTA_EXCEEDED_ERR (old Safari/Firefox names differ).
  return err.name === 'QuotaExceededError' || err.name === 'NS_ERROR_DOM_QUOTA_REACHED' || err.code === 22;
}
