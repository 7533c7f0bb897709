/**
 * Browser-only runtime setup for the worker: which onnxruntime wasm build (from our own origin,
 * never the CDN transformers.js defaults to), how many threads, and WebGPU detection.
 */
import { env } from '@huggingface/transformers';
import asyncifyWasm from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url';
import asyncifyMjs from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.mjs?url';
import plainWasm from 'onnxruntime-web/ort-wasm-simd-threaded.wasm?url';
import plainMjs from 'onnxruntime-web/ort-wasm-simd-threaded.mjs?url';
import type { Device, LoadRequest } from '../protocol';
import { opfsFetch } from './opfs-fetch';
import { afterRuntimeStart, startWasmRuntime } from './runtime-start';

/** More threads than this gave no gain for a model of our size and wastes memory. */
const MAX_THREADS = 4;

/**
 * WebGPU needs the asyncify build (27 MB; the one transformers.js imports). WASM alone runs on the
 * plain build (14 MB), which is fetched and compiled in about half the time: that is most of a cold
 * start on the machines we measured (models/xinan-safety-zh/README.md, Speed).
 */
const BUILDS = {
  webgpu: { wasm: asyncifyWasm, mjs: asyncifyMjs },
  wasm: { wasm: plainWasm, mjs: plainMjs },
} as const;

type Build = keyof typeof BUILDS;

export interface Runtime {
  build: Build;
  threads: number;
}

/** onnxruntime reads its wasm settings once, at the first session: later calls return the first choice. */
let runtime: Runtime | undefined;

/** Must run before the first session is created. */
export function configureRuntime(device: Device, threads: number): Runtime {
  if (runtime) return runtime;
  // transformers.js would otherwise keep a second copy of the wasm in Cache Storage; the service worker caches it.
  env.useWasmCache = false;
  env.useBrowserCache = false;
  const build: Build = device === 'webgpu' ? 'webgpu' : 'wasm';
  const wasm = env.backends.onnx.wasm as { wasmPaths?: unknown; numThreads?: number; proxy?: boolean };
  const base = self.location.href;
  wasm.wasmPaths = { wasm: new URL(BUILDS[build].wasm, base).href, mjs: new URL(BUILDS[build].mjs, base).href };
  wasm.numThreads = threads;
  wasm.proxy = false;
  // Models brought from disk are read from OPFS (model-paths.ts); a model's bytes end only after the early
  // runtime start (runtime-start.ts). Wrapped once, not per load.
  env.fetch = afterRuntimeStart(opfsFetch(env.fetch as Parameters<typeof opfsFetch>[0]));
  runtime = { build, threads };
  return runtime;
}

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
  const wanted: Device = req.device ?? ((await hasWebGpu()) ? 'webgpu' : 'wasm');
  // Threads matter for WASM and for the ops WebGPU leaves on the CPU (int8 MatMulInteger).
  const { build, threads } = configureRuntime(wanted, req.threads ?? defaultThreads());
  // A worker started on the plain build cannot run WebGPU later: say so rather than fail at the first run.
  const device: Device = build === 'wasm' ? 'wasm' : wanted;
  // Fetching and compiling the wasm now overlaps it with the model's download (it used to wait for it).
  if (device === 'wasm') startWasmRuntime();
  return { device, threads, crossOriginIsolated: self.crossOriginIsolated };
}
