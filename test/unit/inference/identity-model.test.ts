import { InferenceSession, Tensor } from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { IDENTITY_MODEL } from '../../../src/lib/inference/worker/identity-model.ts';

/** The bytes the worker uses to start onnxruntime early must be a model onnxruntime accepts and runs. */
describe('identity model', () => {
  it('loads in onnxruntime and returns its input', async () => {
    const session = await InferenceSession.create(IDENTITY_MODEL);
    expect(session.inputNames).toEqual(['x']);
    expect(session.outputNames).toEqual(['y']);
    const out = await session.run({ x: new Tensor('float32', Float32Array.from([0.25]), [1]) });
    expect(Array.from(out.y.data as Float32Array)).toEqual([0.25]);
    await session.release();
  });
});
