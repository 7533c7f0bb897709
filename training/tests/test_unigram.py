"""training/unigram.py must give the ids pinned in test/fixtures/unigram-parity.json (which the TS test
checks against transformers.js), and behave as transformers.js' Unigram on small hand-made vocabularies."""
import json
import unittest
from pathlib import Path

from training.tokenizer import SPECIAL_TOKENS
from training.unigram import UnigramTokenizer, load_any, normalize

ROOT = Path(__file__).resolve().parents[2]


def small(extra: list[tuple[str, float]]) -> UnigramTokenizer:
    return UnigramTokenizer([(t, 0.0) for t in SPECIAL_TOKENS] + extra, 1)


class UnigramTest(unittest.TestCase):
    def test_fixture_parity(self):
        tok = load_any(ROOT / "test/fixtures/unigram/tokenizer.json")
        self.assertIsInstance(tok, UnigramTokenizer)
        cases = json.loads((ROOT / "test/fixtures/unigram-parity.json").read_text(encoding="utf-8"))["cases"]
        self.assertGreater(len(cases), 20)
        for c in cases:
            self.assertEqual(tok.encode(c["text"]), c["ids"], c["text"])

    def test_viterbi_prefers_the_best_total_score(self):
        tok = small([("▁", -2.0), ("▁你", -3.0), ("你好", -2.5), ("好", -3.0), ("▁你好", -9.0)])
        # ▁ + 你好 = -4.5 beats ▁你 + 好 = -6.0 and ▁你好 = -9.0
        self.assertEqual(tok.encode("你好"), [7, 9])

    def test_unknown_runs_fuse(self):
        tok = small([("▁", -1.0), ("a", -2.0)])
        self.assertEqual(tok.encode("a龘靐a"), [7, 8, 1, 8])
        self.assertEqual(tok.encode("[seeker]a"), [5, 7, 8])

    def test_normalizer(self):
        self.assertEqual(normalize("ＡＢＣ\u3000１２３"), "ABC 123")
        self.assertEqual(normalize("～好～"), "～好～")  # the full-width tilde survives, as in XLM-R
        self.assertEqual(normalize("a\x07b   c"), "ab c")

    def test_json_roundtrip(self):
        tok = small([("▁", -1.0), ("a", -2.0)])
        again = UnigramTokenizer.from_json(tok.to_json())
        self.assertEqual(again.vocab, tok.vocab)
        self.assertEqual(again.encode("a a"), tok.encode("a a"))


if __name__ == "__main__":
    unittest.main()
