"""Frozen e5 features for the crisis heads (`crisis --encoder e5`): issue 10 asks whether the encoder that lifted the
8-class model helps the five crisis points too, empathy above all.

Each record goes through the first N layers of the imported e5 (`import-e5`; segment attention, as the 8-class
model: the reply is encoded as if alone, the earlier turns + the seeker's message likewise) with e5's own tokenizer,
and is mean-pooled per segment: `r` the reply, `r+c` the reply and the context. The n-gram and rule features keep the
crisis tokenizer; these features are appended and standardized on the training folds (crisis.py's Design).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import torch

from .e5_seg import load_encoder, padded
from .unigram import load_any


class E5Features:
    def __init__(self, path: Path, layer: int, use: str, max_len: int, batch: int = 32):
        if use not in ("r", "r+c"):
            raise SystemExit(f"--e5-use must be r or r+c, got {use}")
        self.tok = load_any(path / "tokenizer.json")
        self.model = load_encoder(path, layer)
        self.layer, self.use, self.max_len, self.batch = layer, use, max_len, batch

    @torch.no_grad()
    def __call__(self, recs: list[dict]) -> np.ndarray:
        from .crisis import encode_reply  # crisis imports this module

        hd = self.model.config.hidden_size
        out = np.zeros((len(recs), hd * (1 if self.use == "r" else 2)), np.float32)
        if not recs:  # a probe set can be empty on a small slice
            return out
        items = [encode_reply(r, self.tok) for r in recs]
        ids, mask, types = padded(items, self.tok, self.max_len)
        order = np.argsort(mask.sum(1), kind="stable")  # similar lengths together: less padding
        for s in range(0, len(order), self.batch):
            idx = order[s:s + self.batch]
            w = int(mask[idx].sum(1).max())
            bi, bm, bt = (torch.from_numpy(x[idx, :w]) for x in (ids, mask, types))
            *_, (_, h) = self.model.hidden_states(bi, bm, bt, self.layer)
            p = self.model.pool(h, bm, bt).numpy()
            out[idx] = p[:, :hd] if self.use == "r" else p[:, :2 * hd]
        return out
