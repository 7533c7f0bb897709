/** Public API of the storage layer (main thread only; the worker never stores). */
export * from './db';
export * from './errors';
export * from './datasets';
export * from './scores';
export * from './backup';
export * from './quota';
export { writeTx } from './tx';
