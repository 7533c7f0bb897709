/** Encryption at rest: passphrase → wrapped data key → sealed records; encrypted backup files. */
export { ARGON2_DEFAULTS, PBKDF2_ITERATIONS, defaultKdf, type KdfParams } from './kdf.ts';
export { WrongPassphraseError, SealedRecordError } from './seal.ts';
export { VaultLockedError, protection, type Protection } from './keyring.ts';
export { isSealed } from './records.ts';
export type { MigrateOptions } from './migrate.ts';
export {
  DEFAULT_VAULT_OPTIONS,
  changePassphrase,
  enableEncryption,
  listLockedDatasets,
  lock,
  openVault,
  readVault,
  setVaultOptions,
  unlock,
  wipeEncrypted,
  type LockedDataset,
  type VaultMeta,
  type VaultOptions,
} from './vault.ts';
export { ENCRYPTED_BACKUP_TYPE, decryptBackupText, encryptBackupText, isEncryptedBackup } from './backup-file.ts';
