/**
 * Which protection each open database has right now: plain, encrypted and locked, or encrypted and unlocked (with
 * the data key, in memory only). Kept per connection object so tests with fresh databases do not share state.
 * A connection never registered is plain: that is how every database starts, and how unit tests of other
 * storage code run. The workspace registers its connection (vault.ts `openVault`) before it reads anything.
 */
import type { XinanDatabase } from '../db.ts';

export type Protection = { mode: 'plain' } | { mode: 'locked' } | { mode: 'unlocked'; key: CryptoKey; showNames: boolean };

const states = new WeakMap<XinanDatabase, Protection>();

/** Encrypted and locked: reading sealed data or writing anything protected needs the passphrase first. */
export class VaultLockedError extends Error {
  override name = 'VaultLockedError';
  constructor() {
    super('The workspace is locked: unlock it with its passphrase.');
  }
}

export function protection(db: XinanDatabase): Protection {
  return states.get(db) ?? { mode: 'plain' };
}

export function setProtection(db: XinanDatabase, p: Protection): void {
  states.set(db, p);
}
