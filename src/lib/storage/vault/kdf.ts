/**
 * Passphrase → key-encryption key. Argon2id (RFC 9106) through hash-wasm's WebAssembly build: memory-hard, so a
 * stolen disk cannot be brute-forced on GPUs as cheaply as with PBKDF2. hash-wasm runs under the app's CSP
 * (`wasm-unsafe-eval`, no `unsafe-eval`): it instantiates embedded WASM bytes, no eval, no fetch.
 * PBKDF2-SHA-256 (WebCrypto, 600 000 iterations, OWASP 2023) is kept for files/vaults made where WASM is refused.
 * The parameters are stored with each vault and backup file, so they can be raised later without breaking old data.
 */
import { argon2id } from 'hash-wasm';

export type KdfParams =
  | { alg: 'argon2id'; salt: Uint8Array; memoryKiB: number; iterations: number; parallelism: number }
  | { alg: 'pbkdf2-sha256'; salt: Uint8Array; iterations: number };

/**
 * 64 MiB, 12 passes, 1 lane: about 1 s for one unlock on the 2-core development machine when idle
 * (`npx tsx scripts/bench-unlock.ts`: 7 passes took 570 ms median wall = CPU; wall time is longer under load).
 * 64 MiB follows RFC 9106's second recommendation (memory-constrained), low enough for phones and a tab;
 * the pass count is the knob that brings one unlock to about a second, well above OWASP's minimum
 * (19 MiB, 2 passes). One lane: hash-wasm computes single-threaded, more lanes would only cost memory.
 */
export const ARGON2_DEFAULTS = { memoryKiB: 65536, iterations: 12, parallelism: 1 } as const;
export const PBKDF2_ITERATIONS = 600_000;

export function newSalt(): Uint8Array<ArrayBuffer> {
  return crypto.getRandomValues(new Uint8Array(16));
}

export function defaultKdf(alg: KdfParams['alg'] = 'argon2id'): KdfParams {
  return alg === 'argon2id' ? { alg, salt: newSalt(), ...ARGON2_DEFAULTS } : { alg, salt: newSalt(), iterations: PBKDF2_ITERATIONS };
}

/** 32 bytes derived from the passphrase (NFC-normalized, so the same passphrase typed on another system matches). */
export async function deriveBits(passphrase: string, params: KdfParams): Promise<Uint8Array<ArrayBuffer>> {
  const password = new TextEncoder().encode(passphrase.normalize('NFC'));
  if (params.alg === 'argon2id') {
    const out = await argon2id({
      password,
      salt: params.salt,
      memorySize: params.memoryKiB,
      iterations: params.iterations,
      parallelism: params.parallelism,
      hashLength: 32,
      outputType: 'binary',
    });
    return new Uint8Array(out);
  }
  const base = await crypto.subtle.importKey('raw', password, 'PBKDF2', false, ['deriveBits']);
  const bits = await crypto.subtle.deriveBits(
    { name: 'PBKDF2', hash: 'SHA-256', salt: params.salt as BufferSource, iterations: params.iterations },
    base,
    256,
  );
  return new Uint8Array(bits);
}

/** The key that wraps (AES-KW) the workspace's data key. */
export async function deriveWrappingKey(passphrase: string, params: KdfParams): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', await deriveBits(passphrase, params), 'AES-KW', false, ['wrapKey', 'unwrapKey']);
}

/** A key that seals one whole file (encrypted backups). */
export async function deriveFileKey(passphrase: string, params: KdfParams): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', await deriveBits(passphrase, params), 'AES-GCM', false, ['encrypt', 'decrypt']);
}
