"""Classification metrics with sklearn's conventions (zero division → 0), for CV reports."""
from __future__ import annotations

import numpy as np


def report(gold, pred, k: int, safe_id: int = 7) -> dict:
    gold, pred = np.asarray(gold), np.asarray(pred)
    conf = np.zeros((k, k), dtype=int)
    for g, p in zip(gold, pred):
        conf[g, p] += 1
    tp = np.diag(conf).astype(float)
    support = conf.sum(1)
    prec = np.divide(tp, conf.sum(0), out=np.zeros(k), where=conf.sum(0) > 0)
    rec = np.divide(tp, support, out=np.zeros(k), where=support > 0)
    f1 = np.divide(2 * prec * rec, prec + rec, out=np.zeros(k), where=(prec + rec) > 0)
    w = support / max(1, support.sum())
    gb, pb = gold != safe_id, pred != safe_id
    btp = float((gb & pb).sum())
    bp = btp / pb.sum() if pb.sum() else 0.0
    br = btp / gb.sum() if gb.sum() else 0.0
    return {
        "accuracy": float((gold == pred).mean()),
        "weighted_precision": float((prec * w).sum()),
        "weighted_recall": float((rec * w).sum()),
        "weighted_f1": float((f1 * w).sum()),
        "macro_f1": float(f1.mean()),  # over all k classes, absent ones counting 0 (sklearn's labels=range(k))
        "binary_accuracy": float((gb == pb).mean()),
        "binary_f1": 2 * bp * br / (bp + br) if bp + br else 0.0,
        "per_class": [{"precision": float(prec[i]), "recall": float(rec[i]), "f1": float(f1[i]),
                       "support": int(support[i])} for i in range(k)],
        "confusion": conf.tolist(),
    }


def stratified_folds(labels, k: int, seed: int) -> list[np.ndarray]:
    """Indices of k folds with each class spread round-robin after a seeded shuffle."""
    rng = np.random.default_rng(seed)
    labels = np.asarray(labels)
    folds: list[list[int]] = [[] for _ in range(k)]
    offset = 0
    for c in sorted(set(labels.tolist())):
        idx = np.nonzero(labels == c)[0]
        rng.shuffle(idx)
        for j, i in enumerate(idx):
            folds[(j + offset) % k].append(int(i))
        offset += len(idx)
    return [np.sort(np.asarray(f)) for f in folds]


def mean_std(reports: list[dict]) -> dict:
    keys = ["accuracy", "weighted_precision", "weighted_recall", "weighted_f1", "macro_f1", "binary_accuracy",
            "binary_f1"]
    out = {key: {"mean": float(np.mean([r[key] for r in reports])), "std": float(np.std([r[key] for r in reports]))}
           for key in keys if all(key in r for r in reports)}
    k = len(reports[0]["per_class"])
    out["per_class"] = [
        {m: {"mean": float(np.mean([r["per_class"][i][m] for r in reports])),
             "std": float(np.std([r["per_class"][i][m] for r in reports]))} for m in ("precision", "recall", "f1")}
        | {"support": int(sum(r["per_class"][i]["support"] for r in reports))}
        for i in range(k)
    ]
    return out
