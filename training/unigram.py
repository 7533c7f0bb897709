"""A SentencePiece-Unigram tokenizer that reproduces transformers.js (@huggingface/tokenizers) exactly.

Used for the pretrained multilingual-e5-small encoder (training/e5.py), whose vocabulary is XLM-R's.
The tokenizer.json it writes has: the added tokens (our special tokens and speaker markers, split off
the raw text first, longest match), the Precompiled normalizer (transformers.js applies a fixed
control-char removal, whitespace mapping and NFKC, with U+FF5E kept), a Replace of runs of spaces,
the Metaspace pre-tokenizer (prepend "▁" always) and a Unigram model with the piece scores.
This module mirrors each of those steps as transformers.js implements them, quirks included (the
unknown-piece score is min score − 10; runs of unknown pieces fuse into one [UNK]).
`test/fixtures/unigram-parity.json` pins both sides to the same ids.
"""
from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

from .tokenizer import CLS, MARKERS, MASK, PAD, SEEKER, SEP, SPECIAL_TOKENS, SUPPORTER, UNK, tokenizer_config

META = "\u2581"
# transformers.js' PrecompiledNormalizer, verbatim: strip these control chars, map these spaces to " ".
_CONTROL = re.compile("[\u0001-\u0008\u000B\u000E-\u001F\u007F\u008F\u009F]")
_SPACES = re.compile("[\u0009\u000A\u000C\u000D\u00A0\u1680\u2000-\u200F\u2028\u2029\u202F\u205F\u2581\u3000\uFEFF\uFFFD]")
_MULTI_SPACE = re.compile(" {2,}")


def normalize(text: str) -> str:
    text = _SPACES.sub(" ", _CONTROL.sub("", text))
    # NFKC would turn the full-width tilde into "~"; XLM-R's charsmap keeps it, and so does transformers.js.
    text = "\uFF5E".join(unicodedata.normalize("NFKC", part) for part in text.split("\uFF5E"))
    return _MULTI_SPACE.sub(" ", text)


def metaspace(text: str) -> str:
    text = text.replace(" ", META)
    return text if text.startswith(META) else META + text


class UnigramTokenizer:
    """Same interface as tokenizer.Tokenizer (ids of the special tokens, encode, encode_turn)."""

    kind = "unigram"

    def __init__(self, pieces: list[tuple[str, float]], unk_id: int, added: list[str] | None = None):
        self.vocab = [p for p, _ in pieces]
        self.scores = [s for _, s in pieces]
        self.ids = {t: i for i, t in enumerate(self.vocab)}
        self.unk_id = unk_id
        self.min_score = min(self.scores)
        self.unk_score = self.min_score - 10
        self.scores[unk_id] = self.unk_score
        self.added = added if added is not None else [t for t in SPECIAL_TOKENS if t in self.ids]
        self.max_piece = max(len(p) for p in self.vocab)
        # (None for a raw XLM-R vocabulary, which names them <s>, </s>…: the decoding checks use one.)
        for name in (PAD, CLS, SEP, MASK, SEEKER, SUPPORTER):
            setattr(self, name.strip("[]").lower() + "_id", self.ids.get(name))
        self._cache: dict[str, list[int]] = {}

    def __len__(self) -> int:
        return len(self.vocab)

    def _viterbi(self, s: str) -> list[int]:
        """transformers.js' TokenLattice: best path; on ties the earliest-starting (longest) piece wins."""
        n = len(s)
        best = [float("-inf")] * (n + 1)
        back: list[tuple[int, int]] = [(0, 0)] * (n + 1)
        best[0] = 0.0
        ids, scores, maxp = self.ids, self.scores, self.max_piece
        for i in range(n):
            base = best[i]
            has_single = False
            for e in range(i + 1, min(n, i + maxp) + 1):
                idx = ids.get(s[i:e])
                if idx is None:
                    continue
                if e == i + 1:
                    has_single = True
                sc = base + scores[idx]
                if sc > best[e]:
                    best[e], back[e] = sc, (i, idx)
            if not has_single:  # the lattice only gets an unknown node where no 1-char piece exists
                sc = base + self.unk_score
                if sc > best[i + 1]:
                    best[i + 1], back[i + 1] = sc, (i, self.unk_id)
        out: list[int] = []
        e = n
        while e > 0:
            i, idx = back[e]
            out.append(idx)
            e = i
        out.reverse()
        # fuse_unk: a run of unknown pieces becomes one [UNK].
        fused: list[int] = []
        for idx in out:
            if idx == self.unk_id and fused and fused[-1] == self.unk_id:
                continue
            fused.append(idx)
        return fused

    def _split_added(self, text: str) -> list[str]:
        # transformers.js' DictionarySplitter: the longest added token starting at each position.
        parts, start, i = [], 0, 0
        while i < len(text):
            match = None
            for tok in self.added:
                if text.startswith(tok, i) and (match is None or len(tok) > len(match)):
                    match = tok
            if match:
                if i > start:
                    parts.append(text[start:i])
                parts.append(match)
                i += len(match)
                start = i
            else:
                i += 1
        if start < len(text):
            parts.append(text[start:])
        return parts

    def encode(self, text: str) -> list[int]:
        """Ids of `text` without [CLS]/[SEP]."""
        ids: list[int] = []
        for part in self._split_added(text):
            if part in self.added:
                ids.append(self.ids[part])
                continue
            norm = normalize(part)
            if not norm:
                continue
            hit = self._cache.get(norm)
            if hit is None:
                hit = self._viterbi(metaspace(norm))
                if len(self._cache) < 100_000:
                    self._cache[norm] = hit
            ids.extend(hit)
        return ids

    def encode_turn(self, speaker: str, text: str) -> list[int]:
        return self.encode(MARKERS[speaker] + text)

    def to_json(self) -> dict:
        return unigram_tokenizer_json([(p, s) for p, s in zip(self.vocab, self.scores)], self.unk_id, self.added)

    @classmethod
    def from_json(cls, data: dict) -> "UnigramTokenizer":
        m = data["model"]
        added = [t["content"] for t in data.get("added_tokens", [])]
        return cls([(p, float(s)) for p, s in m["vocab"]], m["unk_id"], added)

    @classmethod
    def load(cls, path: str | Path) -> "UnigramTokenizer":
        return cls.from_json(json.loads(Path(path).read_text(encoding="utf-8")))


def unigram_tokenizer_json(pieces: list[tuple[str, float]], unk_id: int, added: list[str]) -> dict:
    ids = {p: i for i, (p, _) in enumerate(pieces)}
    added_tokens = [{"id": ids[t], "content": t, "single_word": False, "lstrip": False, "rstrip": False,
                     "normalized": False, "special": True} for t in added]
    cls_, sep = {"SpecialToken": {"id": CLS, "type_id": 0}}, {"SpecialToken": {"id": SEP, "type_id": 0}}
    return {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": added_tokens,
        "normalizer": {"type": "Sequence", "normalizers": [
            {"type": "Precompiled", "precompiled_charsmap": None},
            {"type": "Replace", "pattern": {"Regex": " {2,}"}, "content": " "}]},
        "pre_tokenizer": {"type": "Metaspace", "replacement": META, "prepend_scheme": "always", "split": True},
        # XLM-R's pair template (<s> A </s></s> B </s>) is not used: input.ts builds [CLS] ctx [SEP] resp [SEP].
        "post_processor": {
            "type": "TemplateProcessing",
            "single": [cls_, {"Sequence": {"id": "A", "type_id": 0}}, sep],
            "pair": [cls_, {"Sequence": {"id": "A", "type_id": 0}}, sep,
                     {"Sequence": {"id": "B", "type_id": 1}}, {"SpecialToken": {"id": SEP, "type_id": 1}}],
            "special_tokens": {t: {"id": t, "ids": [ids[t]], "tokens": [t]} for t in (CLS, SEP)},
        },
        "decoder": {"type": "Metaspace", "replacement": META, "prepend_scheme": "always", "split": True},
        "model": {"type": "Unigram", "unk_id": unk_id, "byte_fallback": False,
                  "vocab": [[p, s] for p, s in pieces]},
    }


def unigram_tokenizer_config(max_length: int) -> dict:
    cfg = tokenizer_config(max_length)
    cfg.pop("do_lower_case", None)
    cfg.pop("tokenize_chinese_chars", None)
    return {**cfg, "tokenizer_class": "XLMRobertaTokenizer"}


def load_any(path: str | Path):
    """The tokenizer a tokenizer.json describes: our char/WordPiece one or the e5 Unigram one."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if data["model"]["type"] == "Unigram":
        return UnigramTokenizer.from_json(data)
    from .tokenizer import Tokenizer

    return Tokenizer.load(path)


__all__ = ["UnigramTokenizer", "load_any", "normalize", "metaspace", "unigram_tokenizer_json",
           "unigram_tokenizer_config", "UNK", "PAD"]
