/**
 * The workspace vault: a random AES-256-GCM data key seals the records; a key derived from the passphrase
 * (kdf.ts) wraps it with AES-KW. Changing the passphrase re-wraps only the data key; a wrong passphrase fails
 * AES-KW's integrity check, so it is told apart from a right one without storing anything derived from it.
 *
 * The vault record lives in its own small database (`<name>-vault`): it is not part of the workspace's data,
 * so backups never carry it and a restore never overwrites it, and no schema version of 'xinan' changes.
 * It is written before the first record is sealed, and says 'migrating' until every record is, so a tab that
 * dies half-way leaves a vault that resumes on the next unlock. There is no copy of the key anywhere else:
 * a forgotten passphrase means the data is gone.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { XinanDatabase } from '../db.ts';
import { wipeAll } from '../datasets.ts';
import { defaultKdf, deriveWrappingKey, type KdfParams } from './kdf.ts';
import { protection, setProtection } from './keyring.ts';
import { sealWorkspace, type MigrateOptions } from './migrate.ts';
import { newDataKey, WrongPassphraseError } from './seal.ts';
import { resealDatasets } from './migrate.ts';
import { convertSealedReviews } from '../events.ts';

export interface VaultMeta {
  id: 'vault';
  version: 1;
  kdf: KdfParams;
  /** The data key, AES-KW-wrapped with the passphrase-derived key. */
  wrappedKey: ArrayBuffer;
  /** 'migrating' until every record has been sealed once. */
  state: 'migrating' | 'sealed';
  /** Minutes without input before the app locks itself; 0 = never. */
  autoLockMinutes: number;
  /** Dataset names readable on the locked screen (the user's choice; off by default). */
  showNames: boolean;
}

export interface VaultOptions {
  autoLockMinutes: number;
  showNames: boolean;
}

export const DEFAULT_VAULT_OPTIONS: VaultOptions = { autoLockMinutes: 15, showNames: false };

interface VaultDB extends DBSchema {
  vault: { key: string; value: VaultMeta };
}

function openVaultDb(db: XinanDatabase): Promise<IDBPDatabase<VaultDB>> {
  return openDB<VaultDB>(`${db.name}-vault`, 1, {
    upgrade(v) {
      v.createObjectStore('vault', { keyPath: 'id' });
    },
  });
}

export async function readVault(db: XinanDatabase): Promise<VaultMeta | undefined> {
  const v = await openVaultDb(db);
  try {
    return await v.get('vault', 'vault');
  } finally {
    v.close();
  }
}

async function writeVault(db: XinanDatabase, meta: VaultMeta): Promise<void> {
  const v = await openVaultDb(db);
  try {
    await v.put('vault', meta);
  } finally {
    v.close();
  }
}

/** Reads the vault and registers the connection: plain, or locked. Call once after opening the database. */
export async function openVault(db: XinanDatabase): Promise<VaultMeta | undefined> {
  const meta = await readVault(db);
  if (protection(db).mode === 'unlocked' && meta) return meta;
  setProtection(db, meta ? { mode: 'locked' } : { mode: 'plain' });
  return meta;
}

async function unwrap(meta: VaultMeta, passphrase: string | CryptoKey, extractable: boolean): Promise<CryptoKey> {
  const kek = typeof passphrase === 'string' ? await deriveWrappingKey(passphrase, meta.kdf) : passphrase;
  try {
    return await crypto.subtle.unwrapKey('raw', meta.wrappedKey, kek, 'AES-KW', 'AES-GCM', extractable, ['encrypt', 'decrypt']);
  } catch {
    throw new WrongPassphraseError();
  }
}

/**
 * Turns encryption on: a new data key, wrapped and stored first; then every record is sealed in place
 * (migrate.ts). Resumable: if this stops half-way, `unlock` finishes the job.
 */
export async function enableEncryption(
  db: XinanDatabase,
  passphrase: string,
  options: VaultOptions = DEFAULT_VAULT_OPTIONS,
  migrate: MigrateOptions = {},
  kdf: KdfParams = defaultKdf(),
): Promise<VaultMeta> {
  if (await readVault(db)) throw new Error('encryption is already on');
  if (!passphrase) throw new Error('empty passphrase');
  const dataKey = await newDataKey();
  const kek = await deriveWrappingKey(passphrase, kdf);
  const wrappedKey = await crypto.subtle.wrapKey('raw', dataKey, kek, 'AES-KW');
  const meta: VaultMeta = { id: 'vault', version: 1, kdf, wrappedKey, state: 'migrating', ...options };
  await writeVault(db, meta);
  // The key kept in memory cannot be exported; the extractable one is dropped here.
  const key = await unwrap(meta, kek, false);
  setProtection(db, { mode: 'unlocked', key, showNames: meta.showNames });
  return finishMigration(db, meta, migrate);
}

async function finishMigration(db: XinanDatabase, meta: VaultMeta, migrate: MigrateOptions): Promise<VaultMeta> {
  if (meta.state === 'sealed') return meta;
  const p = protection(db);
  if (p.mode !== 'unlocked') throw new Error('unlock first');
  const done = await sealWorkspace(db, p.key, p.showNames, migrate);
  if (!done) return meta;
  const sealed: VaultMeta = { ...meta, state: 'sealed' };
  await writeVault(db, sealed);
  return sealed;
}

/** Unlocks with the passphrase (WrongPassphraseError changes nothing) and finishes an interrupted migration. */
export async function unlock(db: XinanDatabase, passphrase: string, migrate: MigrateOptions = {}): Promise<VaultMeta> {
  const meta = await readVault(db);
  if (!meta) throw new Error('encryption is off');
  const key = await unwrap(meta, passphrase, false);
  setProtection(db, { mode: 'unlocked', key, showNames: meta.showNames });
  // Sealed v2 reviews the v3 upgrade had to leave (no key then) become events now.
  await convertSealedReviews(db);
  return finishMigration(db, meta, migrate);
}

/** Forgets the data key. The app also reloads, so no decrypted record stays in memory. */
export function lock(db: XinanDatabase): void {
  if (protection(db).mode === 'unlocked') setProtection(db, { mode: 'locked' });
}

/** Re-wraps the data key under a new passphrase (new salt); the records are not touched. */
export async function changePassphrase(
  db: XinanDatabase,
  oldPassphrase: string,
  newPassphrase: string,
  kdf: KdfParams = defaultKdf(),
): Promise<VaultMeta> {
  const meta = await readVault(db);
  if (!meta) throw new Error('encryption is off');
  if (!newPassphrase) throw new Error('empty passphrase');
  const dataKey = await unwrap(meta, oldPassphrase, true);
  const wrappedKey = await crypto.subtle.wrapKey('raw', dataKey, await deriveWrappingKey(newPassphrase, kdf), 'AES-KW');
  const next: VaultMeta = { ...meta, kdf, wrappedKey };
  await writeVault(db, next);
  return next;
}

/** Auto-lock time and whether names show when locked; names are re-sealed (or unsealed) to match. */
export async function setVaultOptions(db: XinanDatabase, options: VaultOptions): Promise<VaultMeta> {
  const meta = await readVault(db);
  const p = protection(db);
  if (!meta || p.mode !== 'unlocked') throw new Error('unlock first');
  const next: VaultMeta = { ...meta, ...options };
  await writeVault(db, next);
  if (options.showNames !== meta.showNames) {
    setProtection(db, { ...p, showNames: options.showNames });
    await resealDatasets(db, p.key, options.showNames);
  }
  return next;
}

/** The way out of a forgotten passphrase: every record and the vault are deleted; the workspace is plain and empty. */
export async function wipeEncrypted(db: XinanDatabase): Promise<void> {
  await wipeAll(db);
  const v = await openVaultDb(db);
  try {
    await v.delete('vault', 'vault');
  } finally {
    v.close();
  }
  setProtection(db, { mode: 'plain' });
}

/** What the locked screen may show of a dataset: counts and date, the name only if the user allowed it. */
export interface LockedDataset {
  id: string;
  createdAt: number;
  dialogueCount: number;
  itemCount: number;
  name?: string;
}

/** Read without the key: only the fields records.ts leaves readable. */
export async function listLockedDatasets(db: XinanDatabase): Promise<LockedDataset[]> {
  const all = await db.getAll('datasets');
  return all
    .map(({ id, createdAt, dialogueCount, itemCount, name }) => ({
      id,
      createdAt,
      dialogueCount,
      itemCount,
      ...(typeof name === 'string' ? { name } : {}),
    }))
    .sort((a, b) => b.createdAt - a.createdAt);
}
