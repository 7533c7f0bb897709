"""Character vocabulary from the corpus plus the unlabeled text of dev.json."""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from .corpus import MARKER_RE, iter_dialogues, iter_texts
from .tokenizer import SPECIAL_TOKENS, normalize, pre_tokenize, tokenizer_config, tokenizer_json


def _cjk(ch: str) -> bool:
    cp = ord(ch)
    return 0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF or 0xF900 <= cp <= 0xFAFF


def count_words(texts) -> tuple[Counter, Counter, Counter]:
    """Counts of single chars, continuation chars (inside non-CJK words) and multi-char words."""
    chars, conts, words = Counter(), Counter(), Counter()
    for text in texts:
        for w in pre_tokenize(normalize(text)):
            if len(w) == 1:
                chars[w] += 1
                continue
            words[w] += 1
            chars[w[0]] += 1
            for ch in w[1:]:
                conts[ch] += 1
    return chars, conts, words


def build_vocab(chars: Counter, conts: Counter, words: Counter, min_char: int, min_word: int,
                max_words: int) -> list[str]:
    vocab = list(SPECIAL_TOKENS)
    # Latin letters and digits must always survive, as word starts and as word pieces.
    basics = [chr(c) for c in range(ord("a"), ord("z") + 1)] + [str(d) for d in range(10)]
    seen = set(vocab)

    def add(tok: str):
        if tok not in seen:
            seen.add(tok)
            vocab.append(tok)

    for b in basics:
        add(b)
    for b in basics:
        add("##" + b)
    for ch, n in sorted(chars.items(), key=lambda kv: (-kv[1], kv[0])):
        if n >= min_char:
            add(ch)
    for ch, n in sorted(conts.items(), key=lambda kv: (-kv[1], kv[0])):
        if n >= min_char and not _cjk(ch):
            add("##" + ch)
    ascii_words = [(w, n) for w, n in words.items() if n >= min_word and w.isascii() and w.isalnum()]
    for w, _ in sorted(ascii_words, key=lambda kv: (-kv[1], kv[0]))[:max_words]:
        add(w)
    return vocab


def run_vocab(corpus: Path, dev: Path | None, out: Path, min_char: int, min_word: int, max_words: int,
              max_length: int, limit: int | None, log=print) -> dict:
    def texts():
        for _, turns in iter_dialogues(corpus, limit):
            for _, t in turns:
                yield t
        for _, _, t, _ in iter_texts(corpus, limit):
            yield t
        if dev is not None and dev.exists():
            for it in json.loads(dev.read_text(encoding="utf-8")):
                yield MARKER_RE.sub("\n", it["context"])
                yield MARKER_RE.sub("\n", it["response"])

    chars, conts, words = count_words(texts())
    vocab = build_vocab(chars, conts, words, min_char, min_word, max_words)
    out.mkdir(parents=True, exist_ok=True)
    (out / "tokenizer.json").write_text(json.dumps(tokenizer_json(vocab), ensure_ascii=False), encoding="utf-8")
    (out / "tokenizer_config.json").write_text(json.dumps(tokenizer_config(max_length), indent=1), encoding="utf-8")
    (out / "vocab.txt").write_text("\n".join(vocab) + "\n", encoding="utf-8")
    covered = sum(n for c, n in chars.items() if c in set(vocab))
    stats = {"vocab_size": len(vocab), "distinct_chars": len(chars),
             "char_coverage": covered / max(1, sum(chars.values()))}
    log(f"vocab: {stats}")
    return stats
