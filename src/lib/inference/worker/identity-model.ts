/**
 * The smallest ONNX model onnxruntime accepts: y = Identity(x), x and y float[1], opset 13, IR 7.
 * Creating a session for it makes onnxruntime fetch, compile and start its wasm (runtime-start.ts)
 * before the real model has arrived. Made with the `onnx` Python package:
 *   g = make_graph([make_node('Identity', ['x'], ['y'])], 'g', [x: FLOAT[1]], [y: FLOAT[1]])
 *   make_model(g, opset_imports=[make_opsetid('', 13)], ir_version=7).SerializeToString()
 * test/unit/inference/identity-model.test.ts runs it in onnxruntime-node.
 */
export const IDENTITY_MODEL = new Uint8Array([
  8, 7, 58, 55, 10, 16, 10, 1, 120, 18, 1, 121, 34, 8, 73, 100, 101, 110, 116, 105, 116, 121, 18, 1, 103, 90, 15, 10, 1, 120, 18, 10, 10, 8,
  8, 1, 18, 4, 10, 2, 8, 1, 98, 15, 10, 1, 121, 18, 10, 10, 8, 8, 1, 18, 4, 10, 2, 8, 1, 66, 4, 10, 0, 16, 13,
]);
