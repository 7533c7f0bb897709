/**
 * Only for tsconfig.worker.json: engine.ts (shared with the page and Node) probes `typeof window`,
 * which the WebWorker lib does not declare. In a worker it is always undefined.
 */
declare const window: undefined;
