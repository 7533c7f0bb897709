"""The e5 head's graph: segment attention and reply-only encoding give the reply the states it has alone, and the
weight-only int8 graph is valid ONNX whose weights dequantize to within int8 rounding of the originals."""
import tempfile
import unittest
from pathlib import Path

import numpy as np
import onnx
import torch
from onnx import numpy_helper

from training.export import export_onnx
from training.inputs import build_input
from training.model import BertConfig, BertForSequenceClassification, BertModel
from training.quantize import quantize

# vocab ≥ 301: export_onnx traces ids up to 300.
CFG = dict(vocab_size=400, hidden_size=16, num_hidden_layers=2, num_attention_heads=2, intermediate_size=32,
           max_position_embeddings=64, hidden_dropout_prob=0.0, attention_probs_dropout_prob=0.0)


def batch(rows):
    """Padded (ids, mask, types) of inputs built as inputs.py builds them: (context turns, reply) per row."""
    built = [build_input(ctx, resp, 32, 2, 3) for ctx, resp in rows]
    w = max(len(b.input_ids) for b in built)
    ids = torch.zeros(len(built), w, dtype=torch.long)
    types = torch.zeros_like(ids)
    for i, b in enumerate(built):
        ids[i, :len(b.input_ids)] = torch.tensor(b.input_ids)
        types[i, :len(b.token_type_ids)] = torch.tensor(b.token_type_ids)
    return ids, (ids != 0).long(), types


ROWS = [([[5, 10, 11, 12], [6, 13]], [6, 20, 21, 22]), ([], [6, 30]), ([[5, 14, 15, 16, 17, 18]], [6, 23, 24, 25, 26, 27, 28])]


class SegmentTest(unittest.TestCase):
    def setUp(self):
        torch.manual_seed(0)

    def alone(self, model, resp):
        """Mean hidden state of `[supporter]reply [SEP]` encoded by itself (type 1, positions from 0)."""
        ids = torch.tensor([resp + [3]])
        seq, _ = model(ids, torch.ones_like(ids), torch.ones_like(ids))
        return seq.mean(1)[0]

    def test_segment_attention_encodes_the_reply_as_if_alone(self):
        seg = BertModel(BertConfig(**CFG, pooling="segments", segment_attention=True)).eval()
        plain = BertModel(BertConfig(**CFG, pooling="mean")).eval()
        plain.load_state_dict(seg.state_dict())
        with torch.no_grad():
            _, pooled = seg(*batch(ROWS))
            for i, (_, resp) in enumerate(ROWS):
                torch.testing.assert_close(pooled[i, :16], self.alone(plain, resp), atol=1e-5, rtol=1e-5)

    def test_reply_only_equals_segment_attention_reply_features(self):
        seg = BertModel(BertConfig(**CFG, pooling="segments", segment_attention=True)).eval()
        rep = BertModel(BertConfig(**CFG, pooling="mean", reply_only=True)).eval()
        rep.load_state_dict(seg.state_dict())
        with torch.no_grad():
            a = seg(*batch(ROWS))[1][:, :16]
            b = rep(*batch(ROWS))[1]
        torch.testing.assert_close(a, b, atol=1e-5, rtol=1e-5)
        self.assertEqual(b.shape, (3, 16))

    def test_weight_only_int8_graph(self):
        model = BertForSequenceClassification(BertConfig(**CFG, pooling="mean", reply_only=True), 8, 64, 3).eval()
        with tempfile.TemporaryDirectory() as d:
            path = Path(d) / "m.onnx"
            export_onnx(model, path, 14)
            fp32 = onnx.load(str(path))
            weights = {i.name: numpy_helper.to_array(i) for i in fp32.graph.initializer}
            q = quantize(onnx.load(str(path)), weight_only=True)
        ops = [n.op_type for n in q.graph.node]
        self.assertNotIn("MatMulInteger", ops)
        self.assertNotIn("DynamicQuantizeLinear", ops)
        self.assertNotIn("DequantizeLinear", ops)  # Cast + Mul of initializers: folded once by onnxruntime
        inits = {i.name: numpy_helper.to_array(i) for i in q.graph.initializer}
        self.assertTrue(all(v.dtype != np.float32 for k, v in inits.items() if k.endswith("_q")))
        # Weight matrices: Cast + Mul of initializers (folded once by onnxruntime).
        mats = [n.input[0] for n in q.graph.node if n.op_type == "Cast" and n.input[0] in inits]
        self.assertEqual(len(mats), 6 * CFG["num_hidden_layers"])  # Q, K, V, attention out, FFN in, FFN out
        # Tables (word embeddings, the wide part's n-grams): int8 rows gathered, then dequantized row by row.
        tables = sorted({n.input[0] for n in q.graph.node if n.op_type == "Gather" and n.input[0].endswith("_q")})
        self.assertEqual([t for t in tables if "word_embeddings" in t or "wide.table" in t], tables)
        self.assertEqual(len(tables), 2)
        self.assertNotIn("model.wide.table.weight", inits)  # stored once, as int8, though three Gathers read it
        self.assertEqual(sum(1 for n in q.graph.node if n.op_type == "Gather" and n.input[0] == "model.wide.table.weight_q"), 3)
        for name in mats + tables:
            w = weights[name[:-2]]
            back = inits[name].astype(np.float32) * inits[name[:-2] + "_scale"]
            self.assertEqual(back.shape, w.shape)
            bound = np.abs(w).max(axis=1 if name in tables else 0, keepdims=True) / 127 / 2 + 1e-7
            self.assertTrue(bool((np.abs(back - w) <= bound).all()), name)

if __name__ == "__main__":
    unittest.main()
