"""Pretraining data and folders: batch workers change nothing, half-precision folders load as float32."""
import argparse
import json
import tempfile
import unittest
from pathlib import Path

import torch

from training.corpus import pack
from training.model import BertConfig, BertForPreTraining, read_checkpoint_dir
from training.pretrain import Packed, batches, lr_at, save_folder
from training.tests.test_model import CFG
from training.tokenizer import SPECIAL_TOKENS, Tokenizer

CHARS = list("我你他她们很难过今天工作压力大睡不着觉听起来真的辛苦想聊聊吗嗯。？！")
DIALOGUES = [
    [("seeker", "我今天很难过。"), ("supporter", "听起来真的辛苦。"), ("seeker", "工作压力大，睡不着觉！"),
     ("supporter", "想聊聊吗？")],
    [("seeker", "他们不听我。"), ("supporter", "嗯。你很难过吗？"), ("seeker", "很难过。")],
    [("seeker", "睡不着觉。"), ("supporter", "今天工作压力大吗？"), ("seeker", "大。"), ("supporter", "嗯，我听。")],
]


def args(**kw):
    base = dict(seed=3, batch=4, max_len=24, text_frac=0.0, short_frac=0.5, mask_prob=0.3, workers=0,
                steps=100, warmup_steps=10, decay_steps=20, lr=1e-3)
    return argparse.Namespace(**{**base, **kw})


class PretrainDataTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        root = Path(cls.tmp.name)
        (root / "corpus/smilechat").mkdir(parents=True)
        with (root / "corpus/smilechat/smilechat_00.jsonl").open("w", encoding="utf-8") as f:
            for d in DIALOGUES:
                f.write(json.dumps({"turns": [{"role": r, "text": t} for r, t in d]}, ensure_ascii=False) + "\n")
        cls.tok = Tokenizer(SPECIAL_TOKENS + CHARS)
        pack(cls.tok, root / "corpus", root / "corpus.npz", log=lambda _: None)
        cls.pk = Packed(root / "corpus.npz", cls.tok)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_worker_processes_build_the_same_batches(self):
        """Batch i depends on (seed, step) only, so a GPU run with --workers sees the CPU run's data."""
        one = list(batches(self.pk, self.tok, args(), 5, 11))
        many = list(batches(self.pk, self.tok, args(workers=2), 5, 11))
        self.assertEqual(len(one), 6)
        self.assertEqual(len(many), 6)
        for a, b in zip(one, many):
            for x, y in zip(a, b):
                self.assertTrue(torch.equal(x, y))
        # and a different seed gives different data
        other = list(batches(self.pk, self.tok, args(seed=4), 5, 6))[0]
        self.assertFalse(all(torch.equal(x, y) for x, y in zip(one[0], other)))

    def test_batches_hold_masked_pairs_in_the_task_layout(self):
        ids, att, types, mlm, match = next(batches(self.pk, self.tok, args(), 0, 1))
        self.assertTrue((ids[:, 0] == self.tok.cls_id).all())
        self.assertTrue(((mlm == -100) | (mlm >= 7)).all(), "markers and specials are never masked")
        self.assertTrue(set(match.tolist()) <= {0, 1})
        self.assertTrue((types[att == 0] == 0).all())

    def test_warmup_stable_decay_does_not_depend_on_steps_before_the_decay(self):
        a, b = args(steps=100), args(steps=1000)
        self.assertEqual([lr_at(s, a) for s in range(80)], [lr_at(s, b) for s in range(80)])
        self.assertAlmostEqual(lr_at(99, a), 1e-3 / 20)


class HalfFolderTest(unittest.TestCase):
    def test_float16_folder_loads_as_float32(self):
        cfg = BertConfig(**CFG)
        model = BertForPreTraining(cfg)
        with tempfile.TemporaryDirectory() as d:
            vocab = Path(d) / "vocab"
            vocab.mkdir()
            for f in ("tokenizer.json", "tokenizer_config.json", "vocab.txt"):
                (vocab / f).write_text("{}")
            save_folder(model, cfg, Path(d) / "half", vocab, {}, "float16")
            raw = torch.load(Path(d) / "half/pytorch_model.bin", weights_only=True)
            self.assertEqual(raw["bert.embeddings.word_embeddings.weight"].dtype, torch.float16)
            _, sd = read_checkpoint_dir(Path(d) / "half")
        ref = model.state_dict_hf()
        for k, v in sd.items():
            if v.is_floating_point():
                self.assertEqual(v.dtype, torch.float32, k)
                torch.testing.assert_close(v, ref[k].float(), atol=2e-3, rtol=1e-3)


if __name__ == "__main__":
    unittest.main()
