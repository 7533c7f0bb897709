/**
 * The worker's API: load a model once (memoized, cleared on failure so a retry works), score
 * jobs in small batches with progress, drop cancelled jobs between batches, dispose.
 * Environment specifics (device detection, wasm settings) are injected, so the same API runs
 * in the browser worker and, for tests, in Node over a MessageChannel.
 * The worker computes and never stores.
 */
import type { SafetyEngine } from '../engine';
import type { EngineOptions, ItemScore, ScoreItem } from '../types';
import { type Device, type LoadRequest, type LoadResult, type ProgressEvent, type ScoreRequest, type ScoreResult } from '../protocol';

export interface ApiDeps {
  loadEngine: (opts: EngineOptions) => Promise<SafetyEngine>;
  /** Picks the device and configures the runtime for it; returns what was chosen. */
  prepareDevice: (req: LoadRequest) => Promise<{ device: Device; threads: number; crossOriginIsolated: boolean }>;
}

type Progress = (event: ProgressEvent) => void | Promise<void>;

/** Items per forward pass unless the request says otherwise. */
export const DEFAULT_BATCH = 8;

/**
 * A short dialogue to warm the runtime up: the first inferences after start are 2–5× slower. One item
 * does it; a full batch of 8 added about 0.4 s to every cold start
 * (models/xinan-safety-zh/README.md, Speed).
 */
const WARM_ITEM: ScoreItem = {
  context: [{ speaker: 'seeker', text: '最近总是睡不着，心里很乱，不知道该怎么办。' }],
  response: '听起来你最近压力很大，能多说说是什么让你心里这么乱吗？',
};

interface Loaded {
  engine: SafetyEngine;
  result: LoadResult;
}

export function createInferenceApi(deps: ApiDeps) {
  let loading: Promise<Loaded> | undefined;
  let loadedPath: string | undefined;
  const cancelled = new Set<number>();

  async function doLoad(req: LoadRequest, onProgress?: Progress): Promise<Loaded> {
    const started = performance.now();
    const prepared = await deps.prepareDevice(req);
    await onProgress?.({ type: 'device', ...prepared });
    const engine = await deps.loadEngine({
      modelPath: req.modelPath,
      device: prepared.device,
      dtype: req.dtype,
      progressCallback: (e) => onProgress?.(toFileEvent(e)),
    });
    await onProgress?.({ type: 'warming' });
    const warmStart = performance.now();
    await engine.scoreBatch([WARM_ITEM], 1);
    const result: LoadResult = {
      modelId: engine.modelId,
      labels: engine.labels,
      maxLength: engine.maxLength,
      device: prepared.device,
      threads: prepared.threads,
      loadMs: performance.now() - started,
      warmMs: performance.now() - warmStart,
    };
    await onProgress?.({
      type: 'ready',
      modelId: result.modelId,
      labels: result.labels,
      maxLength: result.maxLength,
      loadMs: result.loadMs,
    });
    return { engine, result };
  }

  async function engineFor(modelPath?: string): Promise<SafetyEngine> {
    if (!loading) throw new Error('no model loaded: call load() first');
    if (modelPath && modelPath !== loadedPath) throw new Error(`model ${modelPath} is not the loaded one (${loadedPath})`);
    return (await loading).engine;
  }

  return {
    /** Loads (once) the model folder; a second call with the same path returns the same result. */
    async load(req: LoadRequest, onProgress?: Progress): Promise<LoadResult> {
      if (loading && loadedPath !== req.modelPath) await this.dispose();
      loadedPath = req.modelPath;
      loading ??= doLoad(req, onProgress).catch((e: unknown) => {
        loading = undefined;
        loadedPath = undefined;
        throw e;
      });
      return (await loading).result;
    },

    /** Scores a job batch by batch; stops early (cancelled: true) once `cancel(jobId)` was called. */
    async score(req: ScoreRequest, onProgress?: Progress): Promise<ScoreResult> {
      const engine = await engineFor();
      const batch = req.batchSize ?? DEFAULT_BATCH;
      if (!Number.isInteger(batch) || batch < 1) throw new Error(`batchSize must be a positive integer, got ${batch}`);
      // Length-sorted batches waste less on padding; results go back in request order.
      const order = sortByLength(engine, req.items);
      const scores = new Array<ItemScore | null>(req.items.length).fill(null);
      let done = 0;
      try {
        for (let start = 0; start < order.length; start += batch) {
          if (cancelled.has(req.jobId)) return { jobId: req.jobId, scores, cancelled: true };
          const idx = order.slice(start, start + batch);
          const out = await engine.scoreBatch(
            idx.map((i) => req.items[i]),
            batch,
          );
          idx.forEach((i, j) => (scores[i] = out[j]));
          done += idx.length;
          // Awaited so progress arrives before the result (comlink callbacks are otherwise fire-and-forget).
          await onProgress?.({ type: 'scoring', jobId: req.jobId, done, total: req.items.length });
        }
        return { jobId: req.jobId, scores, cancelled: false };
      } finally {
        cancelled.delete(req.jobId);
      }
    },

    /** Cooperative cancel: comlink cannot carry an AbortSignal, so the job id is checked between batches. */
    cancel(jobId: number): void {
      cancelled.add(jobId);
    },

    async dispose(): Promise<void> {
      const current = loading;
      loading = undefined;
      loadedPath = undefined;
      if (current) await (await current.catch(() => undefined))?.engine.dispose();
    },
  };
}

function toFileEvent(e: unknown): ProgressEvent {
  const ev = e as { status?: string; file?: string; name?: string; progress?: number; loaded?: number; total?: number };
  const file = ev.file ?? '';
  if (ev.status === 'progress') return { type: 'progress', file, progress: ev.progress ?? 0, loaded: ev.loaded ?? 0, total: ev.total ?? 0 };
  if (ev.status === 'done') return { type: 'done', file };
  if (ev.status === 'download') return { type: 'download', file, name: ev.name };
  return { type: 'initiate', file, name: ev.name };
}

/** Request indices ordered by input length in tokens (stable for equal lengths). */
function sortByLength(engine: SafetyEngine, items: ScoreItem[]): number[] {
  const len = items.map((it) => engine.encodeItem(it).inputIds.length);
  return items.map((_, i) => i).sort((a, b) => len[a] - len[b] || a - b);
}
