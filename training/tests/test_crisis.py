"""Crisis-points model: AUC, the numpy/graph feature parity, the fitted heads and the ONNX export."""
import json
import tempfile
import unittest
from itertools import product
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import onnx
import torch

from training.crisis import DIMS, load_items, segments, strat_key
from training.crisis_features import Featurizer, NgramPresence
from training.crisis_metrics import auc, binary_scores
from training.crisis_model import CrisisNet, Standardize, fit_logreg, predict_logreg
from training.finetune import collate
from training.model import BertConfig, BertModel
from training.tokenizer import Tokenizer

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
CHARS = list("你好想死自杀吗？。，热线医生呼吸慢一点说说感觉怎么样朋友家人心理咨询") + ["1", "2"]
# Padded past id 300: export_onnx traces with fixed dummy ids up to 300.
VOCAB = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "[seeker]", "[supporter]"] + CHARS + [f"[unused{i}]" for i in range(300)]
TOK = Tokenizer(VOCAB)
REPLIES = ["你想自杀吗？", "你好。", "慢一点呼吸。", "打热线，找医生。", "说说你的感觉？", "找朋友和家人。",
           "你好，想死吗？", "心理咨询怎么样？"]


def items_of(replies, seeker="我想死"):
    return [{"context": [TOK.encode_turn("seeker", seeker)], "response": TOK.encode_turn("supporter", r)}
            for r in replies]


class AucTest(unittest.TestCase):
    def test_matches_pairwise_definition_with_ties(self):
        rng = np.random.default_rng(0)
        y = rng.integers(0, 2, 60)
        p = rng.integers(0, 5, 60) / 4  # many ties
        pos, neg = p[y == 1], p[y == 0]
        want = np.mean([1.0 if a > b else 0.5 if a == b else 0.0 for a, b in product(pos, neg)])
        self.assertAlmostEqual(auc(y, p), want, places=12)

    def test_perfect_reversed_and_undefined(self):
        self.assertEqual(auc([0, 0, 1, 1], [0.1, 0.2, 0.8, 0.9]), 1.0)
        self.assertEqual(auc([0, 0, 1, 1], [0.9, 0.8, 0.2, 0.1]), 0.0)
        self.assertIsNone(auc([0, 0, 0], [0.1, 0.5, 0.9]))

    def test_binary_scores(self):
        s = binary_scores([1, 1, 0, 0], [0.9, 0.4, 0.6, 0.1])
        self.assertEqual((s["accuracy"], s["f1"], s["false_positives"], s["false_negatives"]), (0.5, 0.5, 1, 1))


class FeatureParityTest(unittest.TestCase):
    def test_graph_features_equal_numpy_features(self):
        items = items_of(REPLIES)
        segs = segments(items, TOK, 32, 1)
        feat = Featurizer(TOK, segs, min_df=1)
        want = feat.transform(segs)
        ids, att, types = collate(items, TOK, 32)  # padded batch: padding must not light any slot
        got = NgramPresence(feat, 1)(ids, att, types).numpy()
        np.testing.assert_array_equal(got, want)

    def test_rule_fires_only_on_suicide_question(self):
        segs = segments(items_of(REPLIES), TOK, 32, 1)
        feat = Featurizer(TOK, segs, min_df=1)
        rule = feat.rule_names.index("asks_suicide_selfharm")
        x = feat.transform(segs)[:, feat.K + rule]
        self.assertEqual(x.tolist(), [1, 0, 0, 0, 0, 0, 1, 0])

    def test_unit_rules_need_the_question_in_the_same_sentence_or_clause(self):
        replies = ["你想死吗？", "你想死。你好吗？", "想死，你好吗？", "你好。"]
        segs = segments(items_of(replies), TOK, 32, 1)
        feat = Featurizer(TOK, segs, min_df=1)
        x = feat.transform(segs)
        col = {n: feat.K + i for i, n in enumerate(feat.rule_names)}
        self.assertEqual(x[:, col["asks_suicide_selfharm"]].tolist(), [1, 1, 1, 0])
        self.assertEqual(x[:, col["asks_suicide_same_sentence"]].tolist(), [1, 0, 1, 0])
        self.assertEqual(x[:, col["asks_suicide_same_clause"]].tolist(), [1, 0, 0, 0])
        ids, att, types = collate(items_of(replies), TOK, 32)
        np.testing.assert_array_equal(NgramPresence(feat, 1)(ids, att, types).numpy(), x)

    def test_seeker_words_do_not_count_for_the_reply(self):
        feat = Featurizer(TOK, segments(items_of(REPLIES), TOK, 32, 1), min_df=1)
        a = feat.transform(segments(items_of(["你好。"], seeker="我想死"), TOK, 32, 1))
        b = feat.transform(segments(items_of(["你好。"], seeker="你好"), TOK, 32, 1))
        np.testing.assert_array_equal(a, b)


class HeadTest(unittest.TestCase):
    def test_logreg_learns_a_keyword(self):
        x = np.eye(4, dtype=np.float32)[[0, 1, 2, 3] * 10]
        y = (x[:, :1] + x[:, 2:3]).astype(np.float32)
        p = predict_logreg(x, fit_logreg(x, y, np.array([1e-3])))
        self.assertTrue(((p >= 0.5) == (y == 1)).all())

    def test_crisisnet_equals_numpy_pipeline_and_exports(self):
        items = items_of(REPLIES)
        segs = segments(items, TOK, 32, 1)
        feat = Featurizer(TOK, segs, min_df=1)
        bert = BertModel(BertConfig(vocab_size=len(VOCAB), hidden_size=8, num_hidden_layers=1,
                                    num_attention_heads=2, intermediate_size=16)).eval()
        ids, att, types = collate(items, TOK, 32)
        with torch.no_grad():
            from training.crisis_model import mean_pool
            enc = mean_pool(bert(ids, att, types)[0], att).numpy()
        std = Standardize(enc)
        x = np.concatenate([feat.transform(segs), std(enc)], 1)
        y = np.array([[i % 2, (i // 2) % 2, 1, 0, i % 3 == 0] for i in range(len(items))], dtype=np.float32)
        w, b = fit_logreg(x, y, np.full(5, 1e-2))
        net = CrisisNet(feat, 1, w, b, bert, std).eval()
        with torch.no_grad():
            got = torch.sigmoid(net(ids, att, types)[0]).numpy()
        np.testing.assert_allclose(got, predict_logreg(x, (w, b)), atol=1e-5)
        from training.export import export_onnx
        from training.quantize import quantize
        with tempfile.TemporaryDirectory() as d:
            export_onnx(net, Path(d) / "m.onnx", 14)
            q = quantize(onnx.load(str(Path(d) / "m.onnx")))
            out = [o.name for o in q.graph.output]
            self.assertEqual(out[0], "logits")
            self.assertIn("MatMulInteger", {n.op_type for n in q.graph.node})


@unittest.skipUnless((SHARED / "data/psycrisis/train.jsonl").exists(), f"{SHARED} absent: skipping real-data checks")
class RealDataTest(unittest.TestCase):
    def test_train_jsonl_loads_with_five_labels_and_pools(self):
        items, y, groups = load_items("reply", SHARED / "data/psycrisis/train.jsonl", TOK, None)
        self.assertEqual((len(items), y.shape[1]), (450, len(DIMS)))
        self.assertEqual(set(groups), {"A", "B"})
        self.assertEqual(y[np.asarray(groups) == "A", DIMS.index("risk")].sum(), 0)  # the documented bias
        self.assertGreater(len(set(strat_key(y, groups))), 2)

    def test_psysuicide_loads_as_binary_risk(self):
        items, y, groups = load_items("seeker", SHARED / "corpus/psysuicide/psysuicide_valid_test.jsonl", TOK, None)
        self.assertEqual(len(items), len(y))
        self.assertTrue(0 < y.mean() < 0.5)
        self.assertIn("client_machine", groups)


if __name__ == "__main__":
    unittest.main()
