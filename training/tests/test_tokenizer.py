"""The Python tokenizer must give the ids pinned in test/fixtures/tokenizer-parity.json (which the TS test
checks against transformers.js), and the tokenizer.json we write must round-trip."""
import json
import unittest
from pathlib import Path

from training.tokenizer import SPECIAL_TOKENS, Tokenizer, tokenizer_json

ROOT = Path(__file__).resolve().parents[2]


class TokenizerTest(unittest.TestCase):
    def test_fixture_parity(self):
        tok = Tokenizer.load(ROOT / "test/fixtures/models/xinan-safety-zh-v2/tokenizer.json")
        cases = json.loads((ROOT / "test/fixtures/tokenizer-parity.json").read_text(encoding="utf-8"))["cases"]
        self.assertGreater(len(cases), 10)
        for c in cases:
            self.assertEqual(tok.encode(c["text"]), c["ids"], c["text"])

    def test_small_vocab_behaviour(self):
        vocab = SPECIAL_TOKENS + ["你", "好", "a", "b", "##b", "ab", "，"]
        tok = Tokenizer(vocab)
        self.assertEqual(tok.encode("[seeker]你好，AB"), [5, 7, 8, 13, 12])
        self.assertEqual(tok.encode("abb"), [12, 11])  # longest-match-first word pieces
        self.assertEqual(tok.encode("c"), [1])  # unknown char → [UNK]
        self.assertEqual(tok.encode("你\u3000好"), [7, 8])  # ideographic space is whitespace

    def test_tokenizer_json_roundtrip(self):
        vocab = SPECIAL_TOKENS + ["你", "好"]
        data = tokenizer_json(vocab)
        self.assertEqual(data["normalizer"]["handle_chinese_chars"], True)
        self.assertEqual([t["content"] for t in data["added_tokens"]], SPECIAL_TOKENS)
        self.assertEqual(Tokenizer(vocab).vocab, vocab)


if __name__ == "__main__":
    unittest.main()
