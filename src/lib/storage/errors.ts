/** The device is out of storage. The transaction was aborted, so nothing of it was written. */
export class StorageFullError extends Error {
  override name = 'StorageFullError';
  constructor(options?: { cause?: unknown }) {
    super('Storage is full: nothing was saved. Free some space (or delete a dataset) and try again.', options);
  }
}

/** What a record field should have been, for translated messages (see backup-validate.ts). */
export type RestoreExpected =
  | 'string' | 'number' | 'number-or-null' | 'numbers' | 'boolean' | 'array' | 'object'
  | 'label?' | 'string?' | 'verdicts?' | 'speaker';

/** Why a backup cannot be restored, as data, so the UI can say it in the user's language. */
export type RestoreReason =
  | { code: 'not-json'; detail: string }
  | { code: 'not-object' }
  | { code: 'wrong-type'; found: string }
  | { code: 'too-new'; version: string }
  | { code: 'expected'; expected: RestoreExpected }
  | { code: 'unknown-dataset'; id: string }
  | { code: 'unknown-item'; id: string }
  | { code: 'read-back'; store: string; written: number; read: number };

/** A backup file that cannot be restored; the existing data was not touched. */
export class RestoreError extends Error {
  override name = 'RestoreError';
  /** Where in the file, e.g. 'items[3].response'; undefined for the whole file. */
  readonly path?: string;
  readonly reason: RestoreReason;
  constructor(detail: string, path: string | undefined, reason: RestoreReason) {
    super(path ? `Invalid backup: ${path}: ${detail}` : `Invalid backup: ${detail}`);
    this.path = path;
    this.reason = reason;
  }
}

/** QuotaExceededError as thrown by puts, or as the error of an aborted transaction. */
export function isQuotaError(e: unknown): boolean {
  if (!e || typeof e !== 'object') return false;
  const err = e as { name?: unknown; code?: unknown; inner?: unknown };
  // code 22 is the legacy DOMException.QUOTA_EXCEEDED_ERR (old Safari/Firefox names differ).
  return err.name === 'QuotaExceededError' || err.name === 'NS_ERROR_DOM_QUOTA_REACHED' || err.code === 22;
}
