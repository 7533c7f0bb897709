/**
 * Starts onnxruntime's WASM runtime early. transformers.js only creates the first session once the
 * model's bytes are in, so fetching and compiling the wasm (about a second here) used to wait for the
 * download. Creating a session for a tiny model as soon as the device is known runs the two side by
 * side; the real session then finds the runtime ready.
 */
import { InferenceSession } from 'onnxruntime-web/webgpu';
import { IDENTITY_MODEL } from './identity-model';

export function startWasmRuntime(): void {
  // The same module instance transformers.js imports (onnxruntime-web/webgpu), so one runtime serves both.
  // WASM only: the WebGPU EP refuses a second session being created at the same time, and asking for any
  // other EP than the real session's makes onnxruntime initialise its wasm twice ("multiple calls to initWasm()").
  InferenceSession.create(IDENTITY_MODEL, { executionProviders: ['wasm'] }).then(
    (session) => void session.release(),
    // A failure here is not the user's: the real session reports its own error, with the model's name.
    () => undefined,
  );
}
