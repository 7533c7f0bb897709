import { describe, expect, it } from 'vitest';
import { enText } from '../../../src/lib/i18n/msg.ts';
import { runtimeLoadMsg } from '../../../src/lib/inference/load-error.ts';

/**
 * onnxruntime's own texts: the first as onnxruntime-web 1.31 gave it for the v1 fixture with its MatMulInteger
 * nodes renamed (the byom e2e does the same in the browser); the second is the form of its kernel lookup error.
 */
describe('runtimeLoadMsg', () => {
  const file = 'onnx/model_quantized.onnx';

  it('names an operator no schema knows', () => {
    const e = new Error(
      "Can't create a session. ERROR_CODE: 6, ERROR_MESSAGE: No Op registered for MatMulIntegex with domain_version of 14",
    );
    expect(runtimeLoadMsg(file, e)).toEqual({ key: 'modelRunOp', params: { file, op: 'MatMulIntegex', opset: 14 } });
  });

  it('names a known operator the build has no kernel for', () => {
    const e = new Error("Could not find an implementation for ConvInteger(10) node with name 'conv'");
    expect(runtimeLoadMsg(file, e)).toEqual({ key: 'modelRunOp', params: { file, op: 'ConvInteger', opset: 10 } });
  });

  it('anything else: the file, without the runtime’s English text', () => {
    const m = runtimeLoadMsg(file, 'ERROR_CODE: 1, ERROR_MESSAGE: out of memory');
    expect(m).toEqual({ key: 'modelRunFailed', params: { file } });
    expect(enText(m)).toBe(`${file} passed every check, but the runtime could not load or run it; the model was not stored.`);
  });
});
