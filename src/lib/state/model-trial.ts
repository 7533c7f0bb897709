/**
 * A model folder can pass every static check (inference/model-folder.ts) and still not run: an operator
 * the runtime has no kernel for, or a graph that fails at its first inference. Loading it once, in a worker
 * of its own (the scorer's keeps its model loaded), before it is kept, reports that at import with the
 * file's name, instead of at the first scoring run. The worker's load includes one warm-up inference.
 */
import { InferenceBridge, type WorkerFactory } from '../inference/bridge';
import { runtimeLoadMsg } from '../inference/load-error';
import { ModelFolderError } from '../inference/model-folder';
import { storedModelRequest } from '../inference/model-paths';
import type { StoredModel } from '../storage';

export type TrialLoad = (model: StoredModel) => Promise<void>;

export function trialLoader(factory?: WorkerFactory): TrialLoad {
  return async (model) => {
    const bridge = new InferenceBridge(factory);
    try {
      await bridge.load(undefined, storedModelRequest(model));
    } catch (e) {
      throw new ModelFolderError(runtimeLoadMsg(model.onnxFile, e), model.onnxFile);
    } finally {
      bridge.terminate();
    }
  };
}
