/**
 * Encrypted backup files: the whole backup text sealed (AES-256-GCM) with a key derived from a passphrase
 * (kdf.ts, fresh salt per file), written as JSON with base64 fields. The passphrase may differ from the
 * workspace's: the file has to open on another device, where this workspace's vault does not exist.
 */
import { RestoreError } from '../errors.ts';
import { defaultKdf, deriveFileKey, type KdfParams } from './kdf.ts';
import { sealBytes, unsealBytes } from './seal.ts';

export const ENCRYPTED_BACKUP_TYPE = 'xinan-backup-encrypted';
const AAD = ENCRYPTED_BACKUP_TYPE;

interface EncryptedBackupFile {
  type: typeof ENCRYPTED_BACKUP_TYPE;
  version: 1;
  kdf: Record<string, string | number>;
  iv: string;
  data: string;
}

function b64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

function unb64(text: string, what: string): Uint8Array<ArrayBuffer> {
  try {
    return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  } catch {
    throw new RestoreError('not base64', what);
  }
}

export async function encryptBackupText(text: string, passphrase: string, kdf: KdfParams = defaultKdf()): Promise<string> {
  if (!passphrase) throw new Error('empty passphrase');
  const key = await deriveFileKey(passphrase, kdf);
  const blob = await sealBytes(key, new TextEncoder().encode(text), AAD);
  const file: EncryptedBackupFile = {
    type: ENCRYPTED_BACKUP_TYPE,
    version: 1,
    kdf: { ...kdf, salt: b64(kdf.salt) },
    iv: b64(blob.iv),
    data: b64(new Uint8Array(blob.ct)),
  };
  return JSON.stringify(file);
}

/** Cheap check before asking for a passphrase. */
export function isEncryptedBackup(text: string): boolean {
  return text.trimStart().startsWith('{') && text.includes(`"${ENCRYPTED_BACKUP_TYPE}"`) && parseEnvelope(text) !== undefined;
}

function parseEnvelope(text: string): EncryptedBackupFile | undefined {
  try {
    const f = JSON.parse(text) as Partial<EncryptedBackupFile>;
    return f?.type === ENCRYPTED_BACKUP_TYPE ? (f as EncryptedBackupFile) : undefined;
  } catch {
    return undefined;
  }
}

function kdfOf(raw: Record<string, string | number>): KdfParams {
  const salt = unb64(String(raw.salt), 'kdf.salt');
  const num = (k: string) => {
    const v = raw[k];
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 1) throw new RestoreError('expected a positive whole number', `kdf.${k}`);
    return v;
  };
  if (raw.alg === 'argon2id') {
    // Bounds keep a crafted file from asking for gigabytes of memory or hours of work.
    const memoryKiB = num('memoryKiB');
    if (memoryKiB > 1 << 20) throw new RestoreError('more than 1 GiB', 'kdf.memoryKiB');
    return { alg: 'argon2id', salt, memoryKiB, iterations: Math.min(num('iterations'), 64), parallelism: Math.min(num('parallelism'), 16) };
  }
  if (raw.alg === 'pbkdf2-sha256') return { alg: 'pbkdf2-sha256', salt, iterations: Math.min(num('iterations'), 10_000_000) };
  throw new RestoreError(`unknown key derivation ${JSON.stringify(raw.alg)}`, 'kdf.alg');
}

/** The backup text inside; WrongPassphraseError if the passphrase does not open it (or the file was changed). */
export async function decryptBackupText(fileText: string, passphrase: string): Promise<string> {
  const f = parseEnvelope(fileText);
  if (!f) throw new RestoreError(`"type" is not "${ENCRYPTED_BACKUP_TYPE}"`);
  if (f.version !== 1) throw new RestoreError(`encrypted backup version ${String(f.version)} is newer than this app understands (1)`);
  if (!f.kdf || typeof f.kdf !== 'object') throw new RestoreError('missing', 'kdf');
  const key = await deriveFileKey(passphrase, kdfOf(f.kdf));
  const bytes = await unsealBytes(key, { v: 1, iv: unb64(f.iv, 'iv'), ct: unb64(f.data, 'data').buffer }, AAD);
  return new TextDecoder().decode(bytes);
}
