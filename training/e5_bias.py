"""A bias on the Safe logit, chosen by nested CV: does the app's rule flag fewer warm replies, and at what cost?

The class weights (Safe and Linguistic Neglect at 0.5, the rest at 2, as in the paper) and the synthetic set (70%
harmful) pull P(Safe) down, so the app's rule (unsafe when 1 − P(Safe) ≥ 0.5) flags fluent Safe replies (model card,
Known weaknesses). Adding b to the Safe logit moves that line. b is chosen without looking at the fold it is scored on:

- outer: the 5 folds of `e5_seg cv` (stratified on dev.json, seed 0; synthetic by group), the same heads and seeds;
- inner: for outer fold k, four heads, each trained without fold k and one other fold j, score fold j; b is the grid
  value that maximises accuracy + binary F1 (unsafe) under the app's rule on those inner out-of-fold scores (the
  objective was fixed before any result was seen); fold k is then scored with that b.

    python3 -m training.e5_bias --layer 5 --use r --wide 1 --syn-weight 0.1 --decay 3 --epochs 10

Prints the nested-CV metrics with and without the bias, the b chosen per fold, and the b chosen on all five folds'
out-of-fold scores (what `final --safe-bias` would ship). Writes runs/e5-seg/bias-…/results.json.
"""
from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np
import torch

from .e5_seg import ROOT, SAFE, SYN, HeadFit, decided, feature_matrix, load_items
from .extra import cv_plan
from .finetune import LABELS
from .metrics import mean_std, report

GRID = np.round(np.arange(-0.5, 2.01, 0.1), 2)


def shifted(p: np.ndarray, b: float) -> np.ndarray:
    """Softmax of (log p + b on Safe): the probabilities a head with b added to its Safe bias gives."""
    z = np.log(np.clip(p, 1e-12, 1.0))
    z[:, SAFE] += b
    z -= z.max(1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(1, keepdims=True)


def objective(gold: np.ndarray, p: np.ndarray, threshold: float) -> float:
    r = report(gold, decided(p, threshold), len(LABELS))
    return r["accuracy"] + r["binary_f1"]


def choose(gold: np.ndarray, p: np.ndarray, threshold: float) -> float:
    scores = [objective(gold, shifted(p, b), threshold) for b in GRID]
    return float(GRID[int(np.argmax(scores))])  # first of equals: the smallest shift


def rows_of(plan, folds: list[int], starts: list[int], sw: float) -> np.ndarray:
    """Training rows made of the given folds: their dev items, and (sw > 0) their synthetic groups."""
    tr = [plan[m].dev_val for m in folds]
    if sw > 0:
        tr += [st + plan[m].extra_val[j] for m in folds for j, st in enumerate(starts)]
    return np.sort(np.concatenate(tr)).astype(int)


def summary(reps: list[dict]) -> dict:
    s = mean_std(reps)
    return {m: [round(s[m]["mean"] * 100, 1), round(s[m]["std"] * 100, 1)]
            for m in ("accuracy", "weighted_f1", "macro_f1", "binary_accuracy", "binary_f1")}


def run(a) -> dict:
    torch.set_num_threads(a.threads)
    f = dict(np.load(a.out / "features.npz"))
    _, a._extras = load_items(a)
    labels, n_dev = f["labels"], int(f["n_dev"])
    sizes = f["extra_sizes"].tolist()
    starts = np.cumsum([n_dev] + sizes[:-1]).tolist()
    plan = cv_plan(labels[:n_dev].tolist(), [[it["group"] for it in e.items] for e in a._extras], 5, a.seed)
    x_all = feature_matrix(f, a.layer, a.use)
    wide_all = tuple(torch.from_numpy(f[k]) for k in ("ids", "mask", "types")) if a.wide else None

    def fit(tr: np.ndarray, seed: int) -> HeadFit:
        return HeadFit(x_all, wide_all, labels, n_dev, tr, a.syn_weight, a, seed)
    gold = labels[:n_dev]
    oof = np.zeros((n_dev, len(LABELS)))
    ex_oof = [np.zeros((n, len(LABELS))) for n in sizes]
    chosen, plain, biased = [], {"argmax": [], "app": []}, {"argmax": [], "app": []}
    for k, fold in enumerate(plan):
        t0 = time.time()
        others = [m for m in range(5) if m != k]
        ex_val = [st + idx for st, idx in zip(starts, fold.extra_val)]
        # The outer head: the same rows, in the same order, and the same seed as e5_seg cv's fold k.
        tr = fold.dev_train.tolist()
        if a.syn_weight > 0:
            for st, idx in zip(starts, fold.extra_train):
                tr += (st + idx).tolist()
        outer = fit(np.array(tr), a.seed + k)
        p, pe = outer.score(fold.dev_val), [outer.score(e) for e in ex_val]
        oof[fold.dev_val] = p
        for j, q in enumerate(pe):
            ex_oof[j][fold.extra_val[j]] = q
        inner_p = np.zeros((n_dev, len(LABELS)))
        for j in others:
            tr = rows_of(plan, [m for m in others if m != j], starts, a.syn_weight)
            inner_p[plan[j].dev_val] = fit(tr, a.seed + 100 + 10 * k + j).score(plan[j].dev_val)
        inner = np.concatenate([plan[j].dev_val for j in others])
        b = choose(gold[inner], inner_p[inner], a.threshold)
        chosen.append(b)
        g = gold[fold.dev_val]
        for name, q in (("plain", p), ("biased", shifted(p, b))):
            d = plain if name == "plain" else biased
            d["argmax"].append(report(g, q.argmax(1), len(LABELS)))
            d["app"].append(report(g, decided(q, a.threshold), len(LABELS)))
        print(f"fold {k}: b {b:+.1f}; app-rule accuracy {d['app'][-1]['accuracy'] * 100:.1f} "
              f"(without b {plain['app'][-1]['accuracy'] * 100:.1f}) ({time.time() - t0:.0f}s)", flush=True)
    b_all = choose(gold, oof, a.threshold)
    out = {"layer": a.layer, "use": a.use, "wide": a.wide, "syn_weight": a.syn_weight, "decay": a.decay,
           "epochs": a.epochs, "threshold": a.threshold, "objective": "accuracy + binary F1 under the app's rule",
           "grid": [float(GRID[0]), float(GRID[-1]), 0.1], "b_per_fold": chosen, "b_all_folds": b_all,
           "without_bias": {m: summary(plain[m]) for m in plain}, "nested_bias": {m: summary(biased[m]) for m in biased}}
    out["synthetic_recall"] = {}
    for e, st, n, o in zip(a._extras, starts, sizes, ex_oof):
        gs = labels[st:st + n]
        out["synthetic_recall"][e.name] = {
            name: [round(float((decided(q, a.threshold)[gs == c] == c).mean()), 2) if (gs == c).any() else None
                   for c in range(8)]
            for name, q in (("app", o), ("app_with_b_all", shifted(o, b_all)))}
    path = a.out / f"bias-L{a.layer}-{a.use}-w{a.wide}-s{a.syn_weight}"
    path.mkdir(parents=True, exist_ok=True)
    np.save(path / "oof.npy", oof)
    (path / "results.json").write_text(json.dumps(out, indent=1))
    print(json.dumps({k: v for k, v in out.items() if k != "grid"}, indent=1))
    return out


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--dev", type=Path, default=ROOT.parent / "shared/data/dialoguesafety/dev.json")
    p.add_argument("--extra", action="append", default=None, metavar="PATH")
    p.add_argument("--out", type=Path, default=ROOT / "runs/e5-seg")
    p.add_argument("--limit", type=int, default=None)
    p.add_argument("--max-len", type=int, default=128)
    p.add_argument("--layer", type=int, default=5)
    p.add_argument("--use", default="r")
    p.add_argument("--wide", type=int, default=1)
    p.add_argument("--syn-weight", type=float, default=0.1)
    p.add_argument("--threshold", type=float, default=0.5)
    p.add_argument("--epochs", type=int, default=10)
    p.add_argument("--head-batch", dest="batch", type=int, default=16)
    p.add_argument("--lr", type=float, default=3e-3)
    p.add_argument("--decay", type=float, default=3.0)
    p.add_argument("--wide-buckets", type=int, default=65536)
    p.add_argument("--wide-ngrams", type=int, default=3)
    p.add_argument("--wide-lr", type=float, default=2e-2)
    p.add_argument("--wide-decay", type=float, default=1e-4)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--threads", type=int, default=2)
    a = p.parse_args()
    a.extra = a.extra or [str(SYN / "train.jsonl"), str(SYN / "train-chatbot.jsonl")]
    run(a)


if __name__ == "__main__":
    main()
