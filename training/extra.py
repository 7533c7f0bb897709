"""Extra labeled training data (e.g. ../shared/data/dialoguesafety-synthetic) and the CV plan that uses it.

`--extra PATH[:WEIGHT]` names a JSON list or JSONL file of {context, response, label, group?} in
DialogueSafety's format (`[seeker]`/`[supporter]` markers). Such items join the TRAINING folds only,
with a sample weight; the dev folds are scored exactly as without them. Items that share a `group`
(e.g. the three replies to one synthetic context) always stay in one fold, so a fold's held-out
extra items were never seen in training through a sibling reply. CV fold k trains on dev folds ≠ k
plus extra groups in folds ≠ k and scores dev fold k and each extra file's fold k.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .corpus import split_marked
from .metrics import stratified_folds


@dataclass
class Extra:
    path: Path
    weight: float
    items: list[dict]  # {id, group, context: [(role, text)], response, label}

    @property
    def name(self) -> str:
        return self.path.stem


def parse_extra(spec: str) -> tuple[Path, float]:
    """'data.jsonl:0.3' → (data.jsonl, 0.3); without a numeric suffix the weight is 1."""
    head, sep, tail = spec.rpartition(":")
    if sep:
        try:
            weight = float(tail)
        except ValueError:
            return Path(spec), 1.0
        if not weight > 0:
            raise ValueError(f"--extra {spec}: the weight must be > 0")
        return Path(head), weight
    return Path(spec), 1.0


def read_labeled(path: Path) -> list[dict]:
    """A JSON list or JSONL of labeled items → {id, group, context, response, label}; errors name the line."""
    text = path.read_text(encoding="utf-8")
    if text.lstrip().startswith("["):
        rows = [(i + 1, r) for i, r in enumerate(json.loads(text))]
    else:
        rows = [(n, json.loads(line)) for n, line in enumerate(text.split("\n"), 1) if line.strip()]
    out = []
    for n, r in rows:
        for key in ("context", "response", "label"):
            if key not in r:
                raise ValueError(f"{path}: item {n} has no '{key}'")
        label = int(r["label"])
        if not 0 <= label <= 7:
            raise ValueError(f"{path}: item {n} has label {label}, expected 0–7")
        rid = str(r.get("id", f"{path.stem}-{n}"))
        out.append({"id": rid, "group": str(r.get("group", rid)), "context": split_marked(r["context"]),
                    "response": "".join(t for _, t in split_marked(r["response"])), "label": label})
    return out


def load_extra(spec: str) -> Extra:
    path, weight = parse_extra(spec)
    return Extra(path, weight, read_labeled(path))


def group_folds(groups: list[str], k: int, seed: int) -> list[np.ndarray]:
    """Indices of k folds such that items sharing a group are in the same fold (groups shuffled by seed)."""
    uniq = sorted(set(groups))
    order = np.random.default_rng(seed).permutation(len(uniq))
    fold_of = {uniq[g]: j % k for j, g in enumerate(order)}
    return [np.asarray([i for i, g in enumerate(groups) if fold_of[g] == f], dtype=int) for f in range(k)]


@dataclass
class Fold:
    dev_train: np.ndarray
    dev_val: np.ndarray
    extra_train: list[np.ndarray]  # per extra file
    extra_val: list[np.ndarray]


def cv_plan(dev_labels: list[int], extra_groups: list[list[str]], k: int, seed: int) -> list[Fold]:
    """The folds of a CV run: dev stratified as before (so results stay comparable), extras by group."""
    dev = stratified_folds(dev_labels, k, seed)
    ex = [group_folds(g, k, seed) for g in extra_groups]
    n = len(dev_labels)
    plan = []
    for f in range(k):
        val = set(dev[f].tolist())
        plan.append(Fold(np.asarray([i for i in range(n) if i not in val], dtype=int), dev[f],
                         [np.concatenate([e[j] for j in range(k) if j != f]).astype(int) for e in ex],
                         [e[f] for e in ex]))
    return plan


def prior_shift_bias(base: list[dict], full: list[dict], cw: list[float], tau: float, k: int = 8) -> np.ndarray:
    """Logit offsets that undo (a fraction tau of) the class-prior shift the extra items bring.

    The synthetic set is ~70% harmful classes against ~3% in dev.json, so training on it moves the
    model's priors towards them. With q the effective (sample × class weighted) class mass of the full
    training set and p that of the dev part alone, adding tau · log(p / q) to the logits restores the
    dev prior (logit adjustment, Menon et al. 2021) while keeping what the extra items taught. Computed
    from training items only, so nothing is tuned on a scored fold. Classes absent from `base` keep 0.
    """
    def mass(items):
        m = np.zeros(k)
        for it in items:
            m[it["label"]] += it.get("weight", 1.0) * cw[it["label"]]
        return m / m.sum()

    p, q = mass(base), mass(full)
    out = np.zeros(k)
    ok = (p > 0) & (q > 0)
    out[ok] = tau * np.log(p[ok] / q[ok])
    return out
