/**
 * Where models brought from disk live, shared by the page (which stores them) and the worker (which
 * reads them): in the origin private file system (OPFS) under `models/<sha256>/`, one folder per model,
 * with the model's own files and a manifest written last. The worker loads them through transformers.js
 * as if they were on our origin under OPFS_URL_PREFIX; its fetch hook (worker/opfs-fetch.ts) serves those
 * paths from OPFS, so nothing is fetched from anywhere.
 */
import type { LoadRequest } from './protocol';

export const OPFS_MODELS_DIR = 'models';
export const OPFS_URL_PREFIX = '/opfs-models/';
/** Written after every other file, so a folder without it is a write that did not finish. */
export const MANIFEST_FILE = 'xinan-model.json';

/** The model path the worker loads for a stored model (its folder is the weights' sha256). */
export function opfsModelPath(sha256: string): string {
  return `${OPFS_URL_PREFIX}${sha256}`;
}

/** How the worker loads a stored model: its OPFS path, and fp32 when its weights are onnx/model.onnx. */
export function storedModelRequest(model: { sha256: string; onnxFile: string }): LoadRequest {
  return { modelPath: opfsModelPath(model.sha256), dtype: model.onnxFile.endsWith('model.onnx') ? 'fp32' : 'q8' };
}
