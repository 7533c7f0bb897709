/**
 * Scoring: loads the model in the worker on first use, scores a dataset's missing items in
 * chunks, writes each chunk's scores to IndexedDB as it finishes (so a reload resumes with only
 * what is missing), reports progress, items/s and ETA, and cancels cooperatively.
 */
import { AbortError, completeScores, InferenceBridge } from '../inference/bridge';
import type { Device, FileProgressEvent, LoadResult, ProgressEvent } from '../inference/protocol';
import { isFileEvent } from '../inference/protocol';
import type { ItemScore, ScoreItem } from '../inference/types';
import { toTaxonomyScore } from '../inference/label-map';
import { storedModelRequest } from '../inference/model-paths';
import { countScores, getItems, missingItemIds, putScores, type StoredModel, type StoredScore } from '../storage';
import { toUiError, type UiError } from './errors';
import { cacheModelFiles, MODEL_PATH, modelIdentity, type ModelIdentity } from './model-files';

export type { ModelIdentity };
import type { Workspace } from './workspace.svelte';

export type ModelPhase = 'idle' | 'loading' | 'warming' | 'ready' | 'scoring' | 'error';

/** Items sent to the worker per job: small enough that a reload loses little, big enough to keep it busy. */
const CHUNK = 48;
/** Id of the dataset being scored, so a reload or crash can resume it (an id only, no transcript text). */
const RUNNING_KEY = 'xinan.scoring';
/** SHA-256 of the stored model chosen for scoring, so a reload keeps the choice (a hash only; '' = the bundled model). */
export const CHOSEN_KEY = 'xinan.model';

export type ModelInfo = LoadResult & ModelIdentity;

export interface ScoringProgress {
  datasetId: string;
  done: number;
  total: number;
  itemsPerSecond: number;
  etaSeconds: number;
}

export class Scorer {
  phase = $state<ModelPhase>('idle');
  model = $state.raw<ModelInfo | undefined>(undefined);
  /** Identity of the model chosen for scoring (the bundled one unless a stored model is chosen). */
  known = $state.raw<ModelIdentity | undefined>(undefined);
  /** The bundled model's identity, once read. */
  bundled = $state.raw<ModelIdentity | undefined>(undefined);
  /** The stored model (brought from disk) chosen for scoring; undefined: the bundled model. */
  chosen = $state.raw<StoredModel | undefined>(undefined);
  /** Called after the chosen model changed, so every view re-reads the scores of the new one. */
  onChosen?: () => Promise<void> | void;
  #identity?: Promise<ModelIdentity>;
  device = $state.raw<{ device: Device; threads: number; crossOriginIsolated: boolean } | undefined>(undefined);
  files = $state.raw<Record<string, FileProgressEvent>>({});
  progress = $state.raw<ScoringProgress | undefined>(undefined);
  error = $state.raw<UiError | undefined>(undefined);
  cancelled = $state(false);
  /** Stored scores of the default model per dataset id: "已评估 n/N" in the dataset list. */
  scoredCounts = $state.raw<Record<string, number>>({});
  /** Called after every stored chunk, so the results view merges new scores without re-reading the database. */
  onStored?: (datasetId: string, modelStorageId: string, scores: StoredScore[]) => void;
  #bridge = new InferenceBridge();
  #abort?: AbortController;
  #workspace: Workspace;

  constructor(workspace: Workspace) {
    this.#workspace = workspace;
  }

  #onProgress = (e: ProgressEvent): void => {
    if (isFileEvent(e)) this.files = { ...this.files, [e.file]: e };
    else if (e.type === 'device') this.device = { device: e.device, threads: e.threads, crossOriginIsolated: e.crossOriginIsolated };
    else if (e.type === 'warming') this.phase = 'warming';
  };

  /** The chosen model's id and weights hash: every view reads the scores stored under its `storageId`. */
  identity(): Promise<ModelIdentity> {
    const chosen = this.chosen;
    if (chosen) return Promise.resolve(storedIdentity(chosen));
    return this.bundledIdentity();
  }

  /** The bundled model's id and weights hash (memoized; a failure is forgotten so it can be retried). */
  bundledIdentity(): Promise<ModelIdentity> {
    this.#identity ??= modelIdentity(MODEL_PATH).then(
      (identity) => {
        this.bundled = identity;
        if (!this.chosen) this.known = identity;
        return identity;
      },
      (e: unknown) => {
        this.#identity = undefined;
        throw e;
      },
    );
    return this.#identity;
  }

  /**
   * Chooses the model the next scoring run uses, and that every view shows (undefined: the bundled one).
   * A model with a custom label set cannot feed the 8-class views and is refused here.
   */
  async choose(model: StoredModel | undefined): Promise<void> {
    if (this.busy || model?.sha256 === this.chosen?.sha256) return;
    if (model && !model.labelMap) return;
    this.chosen = model;
    this.known = model ? storedIdentity(model) : this.bundled;
    if (typeof localStorage !== 'undefined') localStorage.setItem(CHOSEN_KEY, model?.sha256 ?? '');
    if (!model) await this.bundledIdentity().catch(() => undefined);
    await this.onChosen?.();
    await this.refreshCounts();
  }

  /** Loads the chosen model once; later calls return the same info until another model is chosen. */
  async ensureModel(signal?: AbortSignal): Promise<ModelInfo> {
    const chosen = this.chosen;
    const identity = await this.identity();
    if (this.model?.storageId === identity.storageId) return this.model;
    this.model = undefined;
    this.phase = 'loading';
    const req = chosen ? storedModelRequest(chosen) : { modelPath: MODEL_PATH };
    const result = await this.#bridge.load(signal, req, this.#onProgress);
    if (!chosen) void cacheModelFiles(MODEL_PATH).catch(() => undefined);
    this.model = { ...result, ...identity };
    this.phase = 'ready';
    return this.model;
  }

  /** Scores in taxonomy order: a stored model whose labels are in another order is mapped (label-map.ts). */
  #toTaxonomy(scores: ItemScore[]): ItemScore[] {
    const map = this.chosen?.labelMap;
    return map ? scores.map((s) => toTaxonomyScore(s, map)) : scores;
  }

  /**
   * Scores a few items outside any dataset run (occlusion evidence). Shares the worker's job queue,
   * so during a dataset run it waits for the chunk in flight rather than racing it.
   */
  async scoreItems(items: ScoreItem[]): Promise<ItemScore[]> {
    const model = await this.ensureModel();
    return this.#toTaxonomy(completeScores(await this.#bridge.score(undefined, items), model.modelId));
  }

  /** Re-counts every listed dataset's stored scores for the default model. */
  async refreshCounts(): Promise<void> {
    try {
      const model = await this.identity();
      const db = await this.#workspace.db();
      const entries = await Promise.all(
        this.#workspace.datasets.map(async (d) => [d.id, await countScores(db, d.id, model.storageId)] as const),
      );
      this.scoredCounts = Object.fromEntries(entries);
    } catch (e) {
      this.error = toUiError(e);
    }
  }

  get busy(): boolean {
    return this.phase === 'loading' || this.phase === 'warming' || this.phase === 'scoring';
  }

  async scoreDataset(datasetId: string): Promise<void> {
    if (this.busy) return;
    this.#abort = new AbortController();
    const signal = this.#abort.signal;
    this.error = undefined;
    this.cancelled = false;
    localStorage.setItem(RUNNING_KEY, datasetId);
    try {
      const model = await this.ensureModel(signal);
      await this.#run(datasetId, model, signal);
      localStorage.removeItem(RUNNING_KEY);
    } catch (e) {
      if (e instanceof AbortError) {
        this.cancelled = true;
        localStorage.removeItem(RUNNING_KEY);
      } else {
        // A full disk stops the run; every chunk stored before it stays (one transaction per chunk), and
        // the message says how many, how to make room and that 继续评估 resumes with only the missing items.
        const total = this.#workspace.datasets.find((d) => d.id === datasetId)?.itemCount ?? 0;
        this.error = toUiError(e, { action: 'scoring', scored: this.scoredCounts[datasetId] ?? 0, total });
      }
    } finally {
      this.phase = this.model ? 'ready' : this.error ? 'error' : 'idle';
      this.#abort = undefined;
      await this.#workspace.refresh();
    }
  }

  async #run(datasetId: string, model: ModelInfo, outer: AbortSignal): Promise<void> {
    // Our own controller too, so a failed write also stops the look-ahead job.
    const inner = new AbortController();
    const signal = inner.signal;
    outer.addEventListener('abort', () => inner.abort(), { once: true });
    try {
      await this.#chunks(datasetId, model, signal);
    } finally {
      inner.abort();
    }
  }

  async #chunks(datasetId: string, model: ModelInfo, signal: AbortSignal): Promise<void> {
    const db = await this.#workspace.db();
    const [items, missing] = await Promise.all([getItems(db, datasetId), missingItemIds(db, datasetId, model.storageId)]);
    const byId = new Map(items.map((it) => [it.id, it]));
    const total = items.length;
    const startDone = total - missing.length;
    this.scoredCounts = { ...this.scoredCounts, [datasetId]: startDone };
    const started = performance.now();
    this.phase = 'scoring';
    this.#report(datasetId, startDone, total, 0, started);
    // One chunk ahead: the worker scores the next chunk while this one is written to IndexedDB.
    const send = (start: number) => {
      const chunk = missing.slice(start, start + CHUNK).map((id) => byId.get(id)!);
      const job = this.#bridge.score(
        signal,
        chunk.map((it) => ({ context: it.context, response: it.response })),
        8,
        (e) => {
          if (e.type === 'scoring') this.#report(datasetId, startDone + start + e.done, total, start + e.done, started);
        },
      );
      job.catch(() => undefined); // handled where awaited; this only keeps an abandoned look-ahead quiet
      return { start, chunk, job };
    };
    for (let next = missing.length ? send(0) : undefined; next;) {
      const { start, chunk, job } = next;
      const res = await job;
      next = start + CHUNK < missing.length && !res.cancelled ? send(start + CHUNK) : undefined;
      const map = this.chosen?.sha256 === model.sha256 ? this.chosen.labelMap : null;
      const done = res.scores.flatMap((score, i) =>
        score ? [{ itemId: chunk[i].id, score: map ? toTaxonomyScore(score, map) : score }] : [],
      );
      const scoredAt = Date.now();
      await putScores(db, datasetId, model.storageId, done, scoredAt);
      this.onStored?.(
        datasetId,
        model.storageId,
        done.map(({ itemId, score }) => ({ ...score, itemId, modelId: model.storageId, datasetId, scoredAt })),
      );
      this.scoredCounts = { ...this.scoredCounts, [datasetId]: (this.scoredCounts[datasetId] ?? startDone) + done.length };
      if (res.cancelled) throw new AbortError();
    }
  }

  #report(datasetId: string, done: number, total: number, doneHere: number, started: number): void {
    const seconds = (performance.now() - started) / 1000;
    const rate = seconds > 0 ? doneHere / seconds : 0;
    this.progress = { datasetId, done, total, itemsPerSecond: rate, etaSeconds: rate > 0 ? (total - done) / rate : NaN };
  }

  /** Resumes a scoring run that a reload or crash interrupted; returns its dataset id, if any. */
  async resumeInterrupted(): Promise<string | undefined> {
    const id = localStorage.getItem(RUNNING_KEY);
    if (!id) return undefined;
    if (!(await (await this.#workspace.db()).getKey('datasets', id))) {
      localStorage.removeItem(RUNNING_KEY);
      return undefined;
    }
    void this.scoreDataset(id);
    return id;
  }

  cancel(): void {
    this.#abort?.abort();
  }

  terminate(): void {
    this.#bridge.terminate();
  }
}

/** A stored model's identity: its scores live under its id, as the bundled model's under name@sha. */
export function storedIdentity(m: StoredModel): ModelIdentity {
  return { modelId: m.name, sha256: m.sha256, storageId: m.id, placeholder: false };
}
