/**
 * Starts onnxruntime's WASM runtime early. transformers.js only creates the first session once the
 * model's bytes are in, so fetching and compiling the wasm (about a second here) used to wait for the
 * download. Creating a session for a tiny model as soon as the device is known runs the two side by
 * side; the real session then finds the runtime ready.
 */
import { InferenceSession } from 'onnxruntime-web/webgpu';
import { IDENTITY_MODEL } from './identity-model';

type Fetch = (input: string | URL, init?: RequestInit) => Promise<Response>;

/** Settles once the early start has finished, its session released (at once if there was none). */
let started: Promise<void> = Promise.resolve();

export function startWasmRuntime(): void {
  // The same module instance transformers.js imports (onnxruntime-web/webgpu), so one runtime serves both.
  // WASM only: the WebGPU EP refuses a second session being created at the same time, and asking for any
  // other EP than the real session's makes onnxruntime initialise its wasm twice ("multiple calls to initWasm()").
  started = InferenceSession.create(IDENTITY_MODEL, { executionProviders: ['wasm'] })
    .then((session) => session.release())
    // A failure here is not the user's: the real session reports its own error, with the model's name.
    .catch(() => undefined);
}

/**
 * onnxruntime keeps one "last error" for the whole runtime: a session created while the early one is still
 * being created can lose its error text (a model that does not load then says only "ERROR_CODE: 0"; the byom
 * e2e shows it). So a model's .onnx response does not end before the early start has: its bytes stream in as
 * they come (progress and Content-Length unchanged), only the end of the body waits. Other files pass as they are.
 */
export function afterRuntimeStart(fetch: Fetch): Fetch {
  return async (input, init) => {
    const res = await fetch(input, init);
    const path = typeof input === 'string' ? input.split(/[?#]/)[0] : input.pathname;
    if (!res.ok || !res.body || !path.endsWith('.onnx')) return res;
    const body = res.body.pipeThrough(new TransformStream<Uint8Array, Uint8Array>({ flush: () => started }));
    return new Response(body, { status: res.status, statusText: res.statusText, headers: res.headers });
  };
}
