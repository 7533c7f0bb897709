/**
 * Messages between the main thread and the inference worker. Everything here is plain,
 * structured-cloneable data: it crosses the comlink boundary by copy.
 */
import type { ItemScore, ScoreItem } from './types';

export type Device = 'webgpu' | 'wasm' | 'cpu';

/** transformers.js' own per-file events (utils/hub.js), passed through keyed by `file`. */
export type FileProgressEvent =
  | { type: 'initiate'; file: string; name?: string }
  | { type: 'download'; file: string; name?: string }
  | { type: 'progress'; file: string; progress: number; loaded: number; total: number }
  | { type: 'done'; file: string };

/** Our own phases, after (and around) the file events. */
export type PhaseEvent =
  | { type: 'device'; device: Device; threads: number; crossOriginIsolated: boolean }
  | { type: 'warming' }
  | { type: 'ready'; modelId: string; labels: string[]; maxLength: number; loadMs: number }
  | { type: 'scoring'; jobId: number; done: number; total: number };

export type ProgressEvent = FileProgressEvent | PhaseEvent;

export interface LoadRequest {
  /** URL path of the model folder on our own origin, e.g. `/models/xinan-safety-zh`. */
  modelPath: string;
  /** Force a device; by default WebGPU when an adapter exists, else WASM. */
  device?: Device;
  /** 'q8' loads onnx/model_quantized.onnx (default), 'fp32' onnx/model.onnx (a model folder may hold either). */
  dtype?: 'q8' | 'fp32';
  /** Force a WASM thread count (bench); by default min(hardwareConcurrency, 4) when isolated, else 1. */
  threads?: number;
}

export interface LoadResult {
  modelId: string;
  labels: string[];
  maxLength: number;
  device: Device;
  threads: number;
  /** Milliseconds from the start of load until the warm-up batch finished. */
  loadMs: number;
  /** Of which the warm-up batch took this long. */
  warmMs: number;
}

export interface ScoreRequest {
  /** Chosen by the bridge; `cancel(jobId)` makes the worker drop the rest of the job. */
  jobId: number;
  items: ScoreItem[];
  /** Items per forward pass (the engine sorts by length within the request). */
  batchSize?: number;
}

export interface ScoreResult {
  jobId: number;
  /** One per request item, in request order; null for items a cancelled job did not reach. */
  scores: (ItemScore | null)[];
  cancelled: boolean;
}

export function isFileEvent(e: ProgressEvent): e is FileProgressEvent {
  return e.type === 'initiate' || e.type === 'download' || e.type === 'progress' || e.type === 'done';
}
