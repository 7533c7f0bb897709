/** Public API of the storage layer (main thread only; the worker never stores). */
export * from './db.ts';
export * from './errors.ts';
export * from './datasets.ts';
export * from './scores.ts';
export * from './backup.ts';
export * from './quota.ts';
export { writeTx } from './tx.ts';
export * from './vault/index.ts';
export * from './events.ts';
export { LEGACY_REVIEWER, eventsFromLegacyReview } from './legacy-reviews.ts';
export * from './models.ts';
export * from './backup-models.ts';
