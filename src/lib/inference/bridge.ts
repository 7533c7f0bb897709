/**
 * The main thread's handle on the inference worker. Owns its whole life: lazy start, one
 * serial job queue, AbortSignal → cooperative `api.cancel(jobId)`, dispose and terminate.
 * The worker is not killed when idle: reloading the model is the expensive part.
 */
import { proxy, wrap, type Remote } from 'comlink';
import type { InferenceApi } from './worker/index';
import type { LoadRequest, LoadResult, ProgressEvent, ScoreResult } from './protocol';
import type { ItemScore, ScoreItem } from './types';

export class AbortError extends Error {
  override name = 'AbortError';
  constructor() {
    super('aborted');
  }
}

export function assertSignal(signal?: AbortSignal): void {
  if (signal?.aborted) throw new AbortError();
}

/** Rejects with AbortError as soon as the signal aborts, whatever `promise` does. */
export function abortable<T>(signal: AbortSignal | undefined, promise: Promise<T>): Promise<T> {
  if (!signal) return promise;
  assertSignal(signal);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new AbortError());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** Every item's score of a finished job; a job cancelled part-way is an error naming `what` (a model path). */
export function completeScores(res: ScoreResult, what: string): ItemScore[] {
  if (res.cancelled || res.scores.some((x) => x === null)) throw new Error(`${what}: scoring was cancelled`);
  return res.scores as ItemScore[];
}

export type WorkerFactory = () => Worker;

const defaultFactory: WorkerFactory = () => new Worker(new URL('./worker/index.ts', import.meta.url), { type: 'module' });

export class InferenceBridge {
  #factory: WorkerFactory;
  #worker?: Worker;
  #api?: Remote<InferenceApi>;
  #queue: Promise<unknown> = Promise.resolve();
  #nextJob = 1;
  #loaded?: { path: string; result: Promise<LoadResult> };

  constructor(factory: WorkerFactory = defaultFactory) {
    this.#factory = factory;
  }

  #start(): Remote<InferenceApi> {
    if (!this.#api) {
      this.#worker = this.#factory();
      this.#api = wrap<InferenceApi>(this.#worker);
    }
    return this.#api;
  }

  /** Runs jobs one after another, so a score never races a load. */
  #enqueue<T>(job: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(job, job);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  /**
   * Loads the model (once per path). Aborting a load terminates the worker: a half-loaded
   * onnxruntime session cannot be stopped any other way.
   */
  load(signal: AbortSignal | undefined, req: LoadRequest, onProgress?: (e: ProgressEvent) => void): Promise<LoadResult> {
    if (signal?.aborted) return Promise.reject(new AbortError());
    if (this.#loaded?.path === req.modelPath) return abortable(signal, this.#loaded.result);
    const result = this.#enqueue(() => this.#start().load(req, onProgress ? proxy(onProgress) : undefined));
    this.#loaded = { path: req.modelPath, result };
    result.catch(() => {
      if (this.#loaded?.result === result) this.#loaded = undefined;
    });
    signal?.addEventListener('abort', () => this.#loaded?.result === result && this.terminate(), { once: true });
    return abortable(signal, result);
  }

  /** Scores items with the loaded model; on abort the worker drops the job between batches. */
  score(
    signal: AbortSignal | undefined,
    items: ScoreItem[],
    batchSize?: number,
    onProgress?: (e: ProgressEvent) => void,
  ): Promise<ScoreResult> {
    if (signal?.aborted) return Promise.reject(new AbortError());
    const jobId = this.#nextJob++;
    const onAbort = () => void this.#api?.cancel(jobId);
    signal?.addEventListener('abort', onAbort, { once: true });
    const run = this.#enqueue(async () => {
      assertSignal(signal);
      return this.#start().score({ jobId, items, batchSize }, onProgress ? proxy(onProgress) : undefined);
    });
    return abortable(
      signal,
      run.finally(() => signal?.removeEventListener('abort', onAbort)),
    );
  }

  /** Releases the model but keeps the worker. */
  async dispose(): Promise<void> {
    this.#loaded = undefined;
    if (this.#api) await this.#enqueue(() => this.#api!.dispose());
  }

  /** Kills the worker at once; the next call starts a fresh one. */
  terminate(): void {
    this.#worker?.terminate();
    this.#worker = undefined;
    this.#api = undefined;
    this.#loaded = undefined;
    this.#queue = Promise.resolve();
  }
}
