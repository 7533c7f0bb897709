"""int8 dynamic quantization of an ONNX BERT with `onnx` and `numpy` only (Debian has no onnxruntime).

Each MatMul whose weight is a constant becomes DynamicQuantizeLinear(x) → MatMulInteger(x_q, W_q) →
Cast → Mul(x_scale · w_scale[col]): the graph onnxruntime's own dynamic quantization produces, with
symmetric int8 weights and one scale per output column. The word-embedding table is stored as int8
with one scale per row and dequantized once per run before the Gather. Small Gemms (pooler,
classifier) stay fp32: they are a fraction of a percent of the work.
"""
from __future__ import annotations

import numpy as np
import onnx
from onnx import helper, numpy_helper, TensorProto


def _per_column_int8(w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    scale = np.abs(w).max(axis=0) / 127.0
    scale[scale == 0] = 1.0
    return np.clip(np.round(w / scale), -127, 127).astype(np.int8), scale.astype(np.float32)


def _per_row_int8(w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    q, s = _per_column_int8(w.T)
    return q.T.copy(), s


def _is_table(init: onnx.TensorProto, embedding_name_hint: str, weight_only: bool) -> bool:
    """The word-embedding table; in weight-only mode also the wide n-gram part's table (65,536 × 8: 2 MB in fp32,
    0.5 MB + scales in int8). Position and token-type tables are small and stay fp32."""
    return embedding_name_hint in init.name or (weight_only and "wide.table" in init.name)


def quantize(model: onnx.ModelProto, embedding_name_hint: str = "word_embeddings", weight_only: bool = False) -> onnx.ModelProto:
    """weight_only: int8 storage only — each MatMul weight and lookup table is dequantized and multiplied in
    fp32, with no activation quantization. Tables are dequantized after their Gather, row by row (see below). For encoders whose activations have outlier channels (e5: FFN inputs up
    to 30× their median), where per-tensor uint8 activations move labels (model card: 94% int8/fp32 agreement,
    against ≥ 99%). The dequantization is Cast + Mul of initializers, not DequantizeLinear: onnxruntime folds such
    constant subgraphs into fp32 weights once when the session is created (checked on onnxruntime-node 1.30's
    optimized graph), whereas it never constant-folds DequantizeLinear: it fuses DequantizeLinear → MatMul into
    MatMulNBits where it can and dequantizes the embedding table on every run. Tables are not folded: Gather of the
    int8 rows and of their scales, then Cast + Mul of just those rows, so the session never builds the fp32 table
    (7.9 M entries for v3's vocabulary) and the per-run cost is the gathered rows."""
    graph = model.graph
    inits = {i.name: i for i in graph.initializer}
    new_nodes, drop = [], set()
    for node in graph.node:
        if node.op_type == "MatMul" and node.input[1] in inits and len(inits[node.input[1]].dims) == 2:
            w = numpy_helper.to_array(inits[node.input[1]])
            q, scale = _per_column_int8(w)
            base = node.input[1]
            drop.add(base)
            x, y = node.input[0], node.output[0]
            if weight_only:
                graph.initializer.extend([numpy_helper.from_array(q, base + "_q"), numpy_helper.from_array(scale, base + "_scale")])
                new_nodes += [
                    helper.make_node("Cast", [base + "_q"], [base + "_qf"], to=TensorProto.FLOAT),
                    helper.make_node("Mul", [base + "_qf", base + "_scale"], [base + "_deq"]),
                    helper.make_node("MatMul", [x, base + "_deq"], [y]),
                ]
                continue
            graph.initializer.extend([numpy_helper.from_array(q, base + "_q"),
                                      numpy_helper.from_array(scale, base + "_scale"),
                                      numpy_helper.from_array(np.zeros(q.shape[1], np.int8), base + "_zp")])
            new_nodes += [
                helper.make_node("DynamicQuantizeLinear", [x], [y + "_xq", y + "_xs", y + "_xzp"]),
                helper.make_node("MatMulInteger", [y + "_xq", base + "_q", y + "_xzp", base + "_zp"], [y + "_i32"]),
                helper.make_node("Cast", [y + "_i32"], [y + "_f"], to=TensorProto.FLOAT),
                helper.make_node("Mul", [y + "_xs", base + "_scale"], [y + "_s"]),
                helper.make_node("Mul", [y + "_f", y + "_s"], [y]),
            ]
        elif node.op_type == "Gather" and node.input[0] in inits and _is_table(inits[node.input[0]], embedding_name_hint, weight_only):
            w = numpy_helper.to_array(inits[node.input[0]])
            q, scale = _per_row_int8(w)
            base, ids, out = node.input[0], node.input[1], node.output[0]
            if weight_only:
                # Gather first, then dequantize only the rows gathered: nothing table-sized at session creation or per run.
                # A table read by several Gathers (the wide part's three n-gram orders) is stored once.
                if base not in drop:
                    graph.initializer.extend([numpy_helper.from_array(q, base + "_q"),
                                              numpy_helper.from_array(scale.reshape(-1, 1), base + "_scale")])
                drop.add(base)
                new_nodes += [helper.make_node("Gather", [base + "_q", ids], [out + "_q"], axis=0),
                              helper.make_node("Cast", [out + "_q"], [out + "_qf"], to=TensorProto.FLOAT),
                              helper.make_node("Gather", [base + "_scale", ids], [out + "_s"], axis=0),
                              helper.make_node("Mul", [out + "_qf", out + "_s"], list(node.output))]
                continue
            drop.add(base)
            graph.initializer.extend([numpy_helper.from_array(q, base + "_q"),
                                      numpy_helper.from_array(scale, base + "_scale")])
            new_nodes += [helper.make_node("DequantizeLinear", [base + "_q", base + "_scale"], [base + "_deq"], axis=0),
                          helper.make_node("Gather", [base + "_deq", ids], list(node.output), axis=0)]
        else:
            new_nodes.append(node)
    del graph.node[:]
    graph.node.extend(new_nodes)
    keep = [i for i in graph.initializer if i.name not in drop]
    del graph.initializer[:]
    graph.initializer.extend(keep)
    onnx.checker.check_model(model)
    return model
