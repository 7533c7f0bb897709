/**
 * Browser-only runtime setup for the worker: where onnxruntime's wasm lives (our own origin,
 * never the CDN transformers.js defaults to), how many threads, and WebGPU detection.
 */
import { env } from '@huggingface/transformers';
import wasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url';
import mjsUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.mjs?url';
import type { Device, LoadRequest } from '../protocol';
import { opfsFetch } from './opfs-fetch';

/** More threads than this gave no gain for a model of our size and wastes memory. */
const MAX_THREADS = 4;

/** Must run before the first session is created (onnxruntime reads these once). */
export function configureRuntime(threads: number): void {
  // transformers.js would otherwise keep a second copy of the wasm in Cache Storage; the service worker caches it.
  env.useWasmCache = false;
  env.useBrowserCache = false;
  const wasm = env.backends.onnx.wasm as { wasmPaths?: unknown; numThreads?: number; proxy?: boolean };
  wasm.wasmPaths = { wasm: new URL(wasmUrl, self.location.href).href, mjs: new URL(mjsUrl, self.location.href).href };
  wasm.numThreads = threads;
  wasm.proxy = false;
  // Models brought from disk are read from OPFS (model-paths.ts); wrapped once, not per load.
  if (!wrapped) env.fetch = opfsFetch(env.fetch as Parameters<typeof opfsFetch>[0]);
  wrapped = true;
}

let wrapped = false;

export function defaultThreads(): number {
  return self.crossOriginIsolated ? Math.max(1, Math.min(navigator.hardwareConcurrency || 1, MAX_THREADS)) : 1;
}

async function hasWebGpu(): Promise<boolean> {
  try {
    const gpu = (navigator as { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
    return Boolean(gpu && (await gpu.requestAdapter()));
  } catch {
    return false;
  }
}

export async function prepareDevice(req: LoadRequest): Promise<{ device: Device; threads: number; crossOriginIsolated: boolean }> {
  const device: Device = req.device ?? ((await hasWebGpu()) ? 'webgpu' : 'wasm');
  // Threads matter for WASM and for the ops WebGPU leaves on the CPU (int8 MatMulInteger).
  const threads = req.threads ?? defaultThreads();
  configureRuntime(threads);
  return { device, threads, crossOriginIsolated: self.crossOriginIsolated };
}
