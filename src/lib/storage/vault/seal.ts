/**
 * AES-256-GCM sealing of JSON values. Every call draws a fresh random 96-bit IV (never a counter: two tabs could
 * share a key). The additional data binds a sealed value to where it is stored (store and primary key), so a
 * blob copied into another record does not open there.
 */
export interface SealedBlob {
  /** Format of the blob, for future changes. */
  v: 1;
  iv: Uint8Array<ArrayBuffer>;
  ct: ArrayBuffer;
}

/** The passphrase (or the file's) is wrong: nothing was changed. */
export class WrongPassphraseError extends Error {
  override name = 'WrongPassphraseError';
  constructor() {
    super('Wrong passphrase: nothing was changed.');
  }
}

/** A sealed record could not be opened (tampered with, or another key): never shown as if it were empty. */
export class SealedRecordError extends Error {
  override name = 'SealedRecordError';
}

const enc = new TextEncoder();
const dec = new TextDecoder();

export function newDataKey(): Promise<CryptoKey> {
  // Extractable only so it can be wrapped; the copy kept in memory after unlock is not (see vault.ts).
  return crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, true, ['encrypt', 'decrypt']);
}

export async function sealBytes(key: CryptoKey, bytes: Uint8Array<ArrayBuffer>, aad: string): Promise<SealedBlob> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const ct = await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: enc.encode(aad) }, key, bytes);
  return { v: 1, iv, ct };
}

/** Throws WrongPassphraseError when the tag does not match (wrong key, or changed bytes). */
export async function unsealBytes(key: CryptoKey, blob: SealedBlob, aad: string): Promise<Uint8Array<ArrayBuffer>> {
  try {
    return new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-GCM', iv: blob.iv, additionalData: enc.encode(aad) }, key, blob.ct));
  } catch {
    throw new WrongPassphraseError();
  }
}

/** JSON would turn NaN and ±Infinity into null; records must come back exactly as they were stored. */
const NUM = '\u0000num';
const replacer = (_k: string, v: unknown): unknown => (typeof v === 'number' && !Number.isFinite(v) ? { [NUM]: String(v) } : v);
const reviver = (_k: string, v: unknown): unknown =>
  v && typeof v === 'object' && NUM in v && Object.keys(v).length === 1 ? Number((v as Record<string, string>)[NUM]) : v;

export function sealJson(key: CryptoKey, value: unknown, aad: string): Promise<SealedBlob> {
  return sealBytes(key, enc.encode(JSON.stringify(value, replacer)), aad);
}

export async function unsealJson<T>(key: CryptoKey, blob: SealedBlob, aad: string): Promise<T> {
  return JSON.parse(dec.decode(await unsealBytes(key, blob, aad)), reviver) as T;
}

export function isSealedBlob(x: unknown): x is SealedBlob {
  if (!x || typeof x !== 'object') return false;
  const b = x as Partial<SealedBlob>;
  return b.v === 1 && b.iv instanceof Uint8Array && b.ct instanceof ArrayBuffer;
}
