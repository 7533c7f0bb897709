"""A character/WordPiece tokenizer that reproduces transformers.js' BERT tokenizer exactly.

The browser and the Node engine tokenize with transformers.js (@huggingface/tokenizers). Training must
see the same ids, so this module re-implements that library's BertNormalizer, BertPreTokenizer,
WordPiece and added-token splitting, quirks included (UTF-16 code-unit CJK test, JS `\\s`, JS `trim`).
`test/fixtures/tokenizer-parity.json` pins both sides to the same ids.
"""
from __future__ import annotations

import json
import unicodedata
from pathlib import Path

PAD, UNK, CLS, SEP, MASK = "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"
SEEKER, SUPPORTER = "[seeker]", "[supporter]"
SPECIAL_TOKENS = [PAD, UNK, CLS, SEP, MASK, SEEKER, SUPPORTER]
MARKERS = {"seeker": SEEKER, "supporter": SUPPORTER}

# JavaScript's \s (ECMAScript WhiteSpace + LineTerminator), which differs from str.isspace().
JS_WHITESPACE = set("\t\n\v\f\r \u00a0\u1680\u2028\u2029\u202f\u205f\u3000\ufeff") | {
    chr(c) for c in range(0x2000, 0x200B)
}


def _is_cjk_unit(cp: int) -> bool:
    # transformers.js tests UTF-16 code units, so only the BMP ranges can ever match.
    return 0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF or 0xF900 <= cp <= 0xFAFF


def _is_control(ch: str) -> bool:
    if ch in "\t\n\r":
        return False
    return unicodedata.category(ch) in ("Cc", "Cf", "Co", "Cs")


def is_punct(ch: str) -> bool:
    cp = ord(ch)
    if 0x21 <= cp <= 0x2F or 0x3A <= cp <= 0x40 or 0x5B <= cp <= 0x60 or 0x7B <= cp <= 0x7E:
        return True
    return unicodedata.category(ch).startswith("P")


_NORM_CACHE: dict[str, str] = {}


def _normalize_char(ch: str) -> str:
    cp = ord(ch)
    if cp == 0 or cp == 0xFFFD or _is_control(ch):
        return ""
    if ch in JS_WHITESPACE:
        return " "
    if _is_cjk_unit(cp):
        return " " + ch + " "
    low = unicodedata.normalize("NFD", ch.lower())
    return "".join(c for c in low if unicodedata.category(c) != "Mn")


def normalize(text: str) -> str:
    """BertNormalizer(clean_text, handle_chinese_chars, lowercase, strip_accents=None).

    Applied per code point through a cache (the corpus has ~60 M of them). The only context-dependent
    step JS has, the Greek final sigma of toLowerCase, is not reproduced; Greek is not in our data.
    """
    cache = _NORM_CACHE
    out = []
    for ch in text:
        piece = cache.get(ch)
        if piece is None:
            piece = cache[ch] = _normalize_char(ch)
        out.append(piece)
    return "".join(out)


_CLASS_CACHE: dict[str, int] = {}  # 0 whitespace, 1 punctuation, 2 word character


def _char_class(ch: str) -> int:
    c = _CLASS_CACHE.get(ch)
    if c is None:
        c = _CLASS_CACHE[ch] = 0 if ch in JS_WHITESPACE else 1 if is_punct(ch) else 2
    return c


def pre_tokenize(text: str) -> list[str]:
    """BertPreTokenizer: runs of non-space non-punctuation, or single punctuation marks."""
    words: list[str] = []
    cur: list[str] = []
    for ch in text:
        c = _char_class(ch)
        if c == 2:
            cur.append(ch)
            continue
        if cur:
            words.append("".join(cur))
            cur = []
        if c == 1:
            words.append(ch)
    if cur:
        words.append("".join(cur))
    return words


class Tokenizer:
    """Encodes text to ids the way transformers.js does with our tokenizer.json."""

    def __init__(self, vocab: list[str], max_input_chars_per_word: int = 100):
        self.vocab = vocab
        self.ids = {t: i for i, t in enumerate(vocab)}
        self.max_chars = max_input_chars_per_word
        self.added = [t for t in SPECIAL_TOKENS if t in self.ids]
        for name in (PAD, UNK, CLS, SEP, MASK):
            setattr(self, name.strip("[]").lower() + "_id", self.ids[name])
        self.seeker_id = self.ids[SEEKER]
        self.supporter_id = self.ids[SUPPORTER]
        self._cache: dict[str, list[int]] = {}

    def __len__(self) -> int:
        return len(self.vocab)

    def _wordpiece(self, word: str) -> list[int]:
        hit = self._cache.get(word)
        if hit is not None:
            return hit
        chars = list(word)
        if len(chars) > self.max_chars:
            return [self.unk_id]
        out, start = [], 0
        while start < len(chars):
            end, found = len(chars), None
            while start < end:
                sub = "".join(chars[start:end])
                if start > 0:
                    sub = "##" + sub
                if sub in self.ids:
                    found = self.ids[sub]
                    break
                end -= 1
            if found is None:
                out = [self.unk_id]
                break
            out.append(found)
            start = end
        if len(self._cache) < 200_000:
            self._cache[word] = out
        return out

    def _split_added(self, text: str) -> list[str]:
        # Longest added token starting at each position, as transformers.js' DictionarySplitter does.
        parts, start, i = [], 0, 0
        while i < len(text):
            match = None
            if text[i] == "[":
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
            if part in self.ids and part in self.added:
                ids.append(self.ids[part])
                continue
            for word in pre_tokenize(normalize(part)):
                ids.extend(self._wordpiece(word))
        return ids

    def encode_turn(self, speaker: str, text: str) -> list[int]:
        """A turn with its speaker marker, e.g. `[seeker]你好`."""
        return self.encode(MARKERS[speaker] + text)

    @classmethod
    def load(cls, path: str | Path) -> "Tokenizer":
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        vocab_map = data["model"]["vocab"]
        vocab = [""] * len(vocab_map)
        for tok, i in vocab_map.items():
            vocab[i] = tok
        return cls(vocab, data["model"].get("max_input_chars_per_word", 100))


def tokenizer_json(vocab: list[str]) -> dict:
    """The HF tokenizers JSON that transformers.js loads as a BERT/WordPiece tokenizer."""
    ids = {t: i for i, t in enumerate(vocab)}
    added = [
        {"id": ids[t], "content": t, "single_word": False, "lstrip": False, "rstrip": False,
         "normalized": False, "special": True}
        for t in SPECIAL_TOKENS
    ]
    cls_, sep = {"SpecialToken": {"id": CLS, "type_id": 0}}, {"SpecialToken": {"id": SEP, "type_id": 0}}
    return {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": added,
        "normalizer": {"type": "BertNormalizer", "clean_text": True, "handle_chinese_chars": True,
                       "strip_accents": None, "lowercase": True},
        "pre_tokenizer": {"type": "BertPreTokenizer"},
        "post_processor": {
            "type": "TemplateProcessing",
            "single": [cls_, {"Sequence": {"id": "A", "type_id": 0}}, sep],
            "pair": [cls_, {"Sequence": {"id": "A", "type_id": 0}}, sep,
                     {"Sequence": {"id": "B", "type_id": 1}}, {"SpecialToken": {"id": SEP, "type_id": 1}}],
            "special_tokens": {t: {"id": t, "ids": [ids[t]], "tokens": [t]} for t in (CLS, SEP)},
        },
        "decoder": {"type": "WordPiece", "prefix": "##", "cleanup": True},
        "model": {"type": "WordPiece", "unk_token": UNK, "continuing_subword_prefix": "##",
                  "max_input_chars_per_word": 100, "vocab": ids},
    }


def tokenizer_config(max_length: int) -> dict:
    return {
        "tokenizer_class": "BertTokenizer",
        "model_max_length": max_length,
        "do_lower_case": True,
        "tokenize_chinese_chars": True,
        "unk_token": UNK, "sep_token": SEP, "pad_token": PAD, "cls_token": CLS, "mask_token": MASK,
        "additional_special_tokens": [SEEKER, SUPPORTER],
        "clean_up_tokenization_spaces": True,
    }
