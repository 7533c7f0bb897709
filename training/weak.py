"""Weak labels from the corpus, each kept only if 5-fold CV on dev.json shows it helps.

- neglect: a seeker turn answered by a short supporter turn from *another* dialogue → Linguistic Neglect (2)
- safe: the same contexts answered by the true next supporter turn, cut to 1–2 sentences → Safe (7);
  added together with `neglect` so the pair teaches the contrast rather than a prior shift
- nonsense: a true supporter turn corrupted — pronouns 我/你 swapped (answering as if the supporter had
  the seeker's problem), a clause repeated, or clauses shuffled → Nonsense (0)
- toxic: COLD comments labeled offensive, used as the reply → Toxic Language (4)
"""
from __future__ import annotations

import numpy as np

from .pretrain import Packed

KINDS = ("neglect", "safe", "nonsense", "toxic")


def _context(pk: Packed, r: int, max_turns: int = 6) -> list[list[int]]:
    d = pk.turn_dlg[r]
    return [pk.marked(t) for t in range(max(int(pk.ds[d]), r - max_turns), r)]


def _short(pk: Packed, ids: list[int], rng, cap: int = 40) -> list[int]:
    return pk.first_sentences(ids, rng)[:cap]


def _corrupt(ids: list[int], rng, wo: int, ni: int, comma: int) -> list[int]:
    kind = int(rng.integers(3))
    if kind == 0 and (wo in ids or ni in ids):
        return [ni if x == wo else wo if x == ni else x for x in ids]
    clauses, cur = [], []
    for x in ids:
        cur.append(x)
        if x == comma:
            clauses.append(cur)
            cur = []
    if cur:
        clauses.append(cur)
    if kind == 1 or len(clauses) < 2:
        c = clauses[int(rng.integers(len(clauses)))]
        return ids + c + c
    order = rng.permutation(len(clauses))
    return [x for i in order for x in clauses[i]]


def generate(pk: Packed, tok, kind: str, n: int, seed: int) -> list[dict]:
    """n weak items of one kind, as {context: [ids], response: ids (with marker), label}."""
    rng = np.random.default_rng([seed, KINDS.index(kind)])
    sup = tok.supporter_id
    out = []
    if kind == "toxic":
        cold = np.nonzero(pk.dlg_src == pk.sources.get("cold.jsonl", -1))[0]
        pool = [int(pk.ds[d]) for d in cold if pk.dlg_label[d] == 1]
        for t in rng.choice(pool, size=min(n, len(pool)), replace=False):
            r = int(pk.pairs[rng.integers(len(pk.pairs))])
            out.append({"context": _context(pk, r), "response": [sup] + pk.turn(int(t))[:60], "label": 4})
        return out
    wo, ni, comma = tok.ids.get("我"), tok.ids.get("你"), tok.ids.get("，")
    for _ in range(n):
        r = int(pk.pairs[rng.integers(len(pk.pairs))])
        ctx = _context(pk, r)
        if kind == "neglect":
            other = int(pk.supporter_turns[rng.integers(len(pk.supporter_turns))])
            out.append({"context": ctx, "response": [sup] + _short(pk, pk.turn(other), rng), "label": 2})
        elif kind == "safe":
            out.append({"context": ctx, "response": [sup] + _short(pk, pk.turn(r), rng), "label": 7})
        elif kind == "nonsense":
            resp = _corrupt(_short(pk, pk.turn(r), rng), rng, wo, ni, comma)
            out.append({"context": ctx, "response": [sup] + resp, "label": 0})
    return out
