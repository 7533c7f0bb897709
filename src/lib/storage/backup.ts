/**
 * Whole-workspace backup as one JSON file, and restore. Restore validates the
 * entire file before writing anything, then replaces all stores in a single
 * transaction: a bad file or a full disk leaves the existing data as it was.
 */
import { msg } from '../i18n/msg.ts';
import type { ReviewEvent } from '../review/types.ts';
import { eventsFromLegacyReview } from './legacy-reviews.ts';
import { DB_VERSION, type Review, type Setting, type StoredDialogue, type StoredItem, type StoredScore, type XinanDatabase } from './db.ts';
import { RestoreError } from './errors.ts';
import { issueAll, writeTx } from './tx.ts';
import { validateBackupRecords } from './backup-validate.ts';
import { validateBackupModels, type BackupModel } from './backup-models.ts';
import { quoteValue } from '../transcripts/describe.ts';
import { openStores, sealStores } from './vault/records.ts';
import type { Dataset } from '../transcripts/model.ts';

export const BACKUP_TYPE = 'xinan-backup';
/** Version of the backup file format (not of the database schema). */
/** 2 added the review audit log (`events`) and `settings`; a version-1 file's `reviews` become events on restore. */
export const BACKUP_VERSION = 2;
export const BACKUP_SOURCE = 'xinan';

export interface Backup {
  type: typeof BACKUP_TYPE;
  version: number;
  source: string;
  appVersion: string;
  /** ISO 8601. */
  createdAt: string;
  /** DB schema version the data was read from. */
  schemaVersion: number;
  datasets: Dataset[];
  dialogues: StoredDialogue[];
  items: StoredItem[];
  scores: StoredScore[];
  /** Only in version-1 files (v2 reviews); converted to events on restore. */
  reviews?: Review[];
  events: ReviewEvent[];
  settings: Setting[];
  /** Models brought from disk (OPFS), files included; added by the workspace, restored by backup-models.ts. */
  models?: BackupModel[];
}

/** Reads every store in one snapshot. `createdAt` is passed in so output is deterministic in tests. */
export async function createBackup(db: XinanDatabase, appVersion: string, createdAt: string): Promise<Backup> {
  const tx = db.transaction(['datasets', 'dialogues', 'items', 'scores', 'events', 'settings'], 'readonly');
  const [datasets, dialogues, items, scores, events, settings] = await Promise.all([
    tx.objectStore('datasets').getAll(),
    tx.objectStore('dialogues').getAll(),
    tx.objectStore('items').getAll(),
    tx.objectStore('scores').getAll(),
    tx.objectStore('events').getAll(),
    tx.objectStore('settings').getAll(),
    tx.done,
  ]);
  // An encrypted workspace's records are opened here: the file itself is sealed whole (vault/backup-file.ts).
  return openStores(db, {
    type: BACKUP_TYPE,
    version: BACKUP_VERSION,
    source: BACKUP_SOURCE,
    appVersion,
    createdAt,
    schemaVersion: DB_VERSION,
    datasets,
    dialogues,
    items,
    scores,
    events,
    settings,
  });
}

/** The backup as file text. */
export function serializeBackup(backup: Backup): string {
  return JSON.stringify(backup);
}

/** Parses and validates backup file text; throws RestoreError saying what is wrong. */
export function parseBackup(text: string): Backup {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new RestoreError(msg('restoreNotJson'));
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) throw new RestoreError(msg('restoreNotObject'));
  const b = data as Record<string, unknown>;
  if (b.type !== BACKUP_TYPE) throw new RestoreError(msg('restoreWrongType', { type: quoteValue(b.type), expected: BACKUP_TYPE }));
  if (typeof b.version !== 'number' || !Number.isInteger(b.version) || b.version < 1) {
    throw new RestoreError(msg('restoreBadVersion', { version: quoteValue(b.version) }));
  }
  if (b.version > BACKUP_VERSION) {
    throw new RestoreError(msg('restoreTooNew', { version: b.version, supported: BACKUP_VERSION }));
  }
  return { ...(b as unknown as Backup), ...validateBackupRecords(b), models: validateBackupModels(b.models) };
}

/** Every store restore replaces ('reviews' is emptied: its records live on as events since v3). */
const STORES = ['datasets', 'dialogues', 'items', 'scores', 'reviews', 'events', 'settings'] as const;
/** The stores a backup file carries, checked record for record by verifyBackup. */
const CARRIED = ['datasets', 'dialogues', 'items', 'scores', 'events', 'settings'] as const;

/**
 * Reads the backup file text back as restore would, and checks it holds every record that was
 * written: a backup that could not be restored must never be the only copy left (wipe relies on it).
 */
export function verifyBackup(text: string, written: Backup): void {
  const read = parseBackup(text);
  for (const store of CARRIED) {
    if (read[store].length !== written[store].length) {
      throw new RestoreError(msg('restoreReadBack', { store, written: written[store].length, read: read[store].length }));
    }
  }
  const models = written.models?.length ?? 0;
  if ((read.models?.length ?? 0) !== models) {
    throw new RestoreError(msg('restoreReadBack', { store: 'models', written: models, read: read.models?.length ?? 0 }));
  }
}

/** Replaces the whole workspace with the backup, in one transaction. Validate with parseBackup first. */
export async function restoreBackup(db: XinanDatabase, text: string): Promise<Backup> {
  const backup = parseBackup(text);
  // A version-1 backup's reviews become events, as the v3 upgrade does; events already in the file win.
  const events = new Map(backup.events.map((e) => [e.id, e]));
  for (const e of (backup.reviews ?? []).flatMap(eventsFromLegacyReview)) if (!events.has(e.id)) events.set(e.id, e);
  // Sealed before the transaction (WebCrypto would let it commit half-way); plain workspaces get them as they are.
  // Settings stay readable (reviewer name, thresholds: see SECURITY.md).
  const { datasets, dialogues, items, scores } = backup;
  const sealed = await sealStores(db, { datasets, dialogues, items, scores, events: [...events.values()] });
  await writeTx(db, [...STORES], async (tx) => {
    await Promise.all(STORES.map((s) => tx.objectStore(s).clear()));
    await Promise.all([
      issueAll(sealed.datasets, (r) => tx.objectStore('datasets').put(r)),
      issueAll(sealed.dialogues, (r) => tx.objectStore('dialogues').put(r)),
      issueAll(sealed.items, (r) => tx.objectStore('items').put(r)),
      issueAll(sealed.scores, (r) => tx.objectStore('scores').put(r)),
      issueAll(sealed.events, (r) => tx.objectStore('events').put(r)),
      issueAll(backup.settings, (r) => tx.objectStore('settings').put(r)),
    ]);
  });
  return backup;
}
