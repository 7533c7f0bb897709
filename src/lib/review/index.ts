/** Public API of the review layer: pure TypeScript, no Svelte, no storage. */
export * from './types.ts';
export * from './audit.ts';
export * from './agreement.ts';
export * from './queue.ts';
export * from './file.ts';
export * from './threshold.ts';
