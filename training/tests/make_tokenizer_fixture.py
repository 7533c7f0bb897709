"""Writes test/fixtures/tokenizer-parity.json: tricky strings and the ids our Python tokenizer gives.

Run from the repo root after the vocabulary changes:
    /usr/bin/python3 -m training.tests.make_tokenizer_fixture
test/unit/inference/tokenizer-parity.test.ts checks transformers.js gives the same ids, and
training/tests/test_tokenizer.py checks the Python side still does.
"""
import json
from pathlib import Path

from training.tokenizer import Tokenizer

ROOT = Path(__file__).resolve().parents[2]
TOKENIZER = ROOT / "test/fixtures/models/xinan-safety-zh-v2/tokenizer.json"
FIXTURE = ROOT / "test/fixtures/tokenizer-parity.json"

STRINGS = [
    "[seeker]我最近总是睡不着，怎么办？[supporter]嗯嗯，能说说发生了什么吗？",
    "[supporter]我也是18岁，如果是我的话……",
    "Hello World! I'm OK, 谢谢 CBT 和 DBT。",
    "iPhone15 Pro 价格 8999 元，折扣 20%",
    "emoji 😊😭👍🏻 抱抱你💕",
    "全角：ＡＢＣ１２３！＂＃",
    "  多个   空格\t制表\n换行\r\n结尾  ",
    "“引号”「括号」《书名》【方括】（圆括）",
    "Café naïve résumé Ünïcödé",
    "零宽\u200b字符\ufeff和控制\x07字符",
    "[seeker][supporter][seeker]",
    "[SEEKER] 大写标记不是特殊词",
    "超长单词 " + "a" * 120,
    "罕见字：龘靐齉 𠀀𪚥",
    "数字 3.14159 和 1,000,000 以及 2026-11-23",
    "http://example.com/path?q=1&x=y",
    "～～好的呢~~ 哈哈哈哈哈",
    "",
]


def main():
    tok = Tokenizer.load(TOKENIZER)
    cases = [{"text": s, "ids": tok.encode(s)} for s in STRINGS]
    FIXTURE.parent.mkdir(parents=True, exist_ok=True)
    FIXTURE.write_text(json.dumps({"tokenizer": "test/fixtures/models/xinan-safety-zh-v2/tokenizer.json", "cases": cases},
                                  ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {len(cases)} cases to {FIXTURE}")


if __name__ == "__main__":
    main()
