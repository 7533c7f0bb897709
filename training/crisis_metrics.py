"""Binary metrics for the crisis points: accuracy, F1 and ROC AUC (written here: no sklearn)."""
from __future__ import annotations

import numpy as np


def auc(y: np.ndarray, p: np.ndarray) -> float | None:
    """ROC AUC as the Mann–Whitney statistic with average ranks for ties; None with one class only."""
    y = np.asarray(y).astype(bool)
    n_pos, n_neg = int(y.sum()), int((~y).sum())
    if n_pos == 0 or n_neg == 0:
        return None
    order = np.argsort(p, kind="mergesort")
    ranks = np.empty(len(p))
    sp = np.asarray(p)[order]
    i = 0
    while i < len(sp):
        j = i
        while j + 1 < len(sp) and sp[j + 1] == sp[i]:
            j += 1
        ranks[order[i:j + 1]] = (i + j) / 2 + 1
        i = j + 1
    return float((ranks[y].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def binary_scores(y, p, threshold: float = 0.5) -> dict:
    y = np.asarray(y).astype(int)
    pred = (np.asarray(p) >= threshold).astype(int)
    tp = int(((pred == 1) & (y == 1)).sum())
    fp = int(((pred == 1) & (y == 0)).sum())
    fn = int(((pred == 0) & (y == 1)).sum())
    f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    return {"n": int(len(y)), "positives": int(y.sum()), "accuracy": float((pred == y).mean()), "f1": f1,
            "auc": auc(y, p), "false_positives": fp, "false_negatives": fn}


def _fmt(x) -> str:
    return "n/a" if x is None else f"{x:.3f}"


def summarize(y: np.ndarray, oof: np.ndarray, fold_of: np.ndarray, groups: list[str], dims: list[str]) -> dict:
    """Pooled out-of-fold scores overall and per group, plus the fold mean ± std of accuracy."""
    groups_arr = np.asarray(groups)
    out = {"dimensions": {}, "table": []}
    for j, d in enumerate(dims):
        folds = [binary_scores(y[fold_of == f, j], oof[fold_of == f, j])["accuracy"] for f in sorted(set(fold_of))]
        entry = {"overall": binary_scores(y[:, j], oof[:, j]),
                 "fold_accuracy": {"mean": float(np.mean(folds)), "std": float(np.std(folds))},
                 "groups": {g: binary_scores(y[groups_arr == g, j], oof[groups_arr == g, j])
                            for g in sorted(set(groups))}}
        out["dimensions"][d] = entry
        o = entry["overall"]
        per = " | ".join(f"{g}: acc {_fmt(s['accuracy'])} F1 {_fmt(s['f1'])} AUC {_fmt(s['auc'])} "
                         f"FP {s['false_positives']} FN {s['false_negatives']}" for g, s in entry["groups"].items())
        out["table"].append(f"{d:12s} acc {o['accuracy']:.3f} (folds {entry['fold_accuracy']['mean']:.3f}"
                            f"±{entry['fold_accuracy']['std']:.3f}) F1 {o['f1']:.3f} AUC {_fmt(o['auc'])} || {per}")
    accs = [out["dimensions"][d]["fold_accuracy"]["mean"] for d in dims]
    out["mean_fold_accuracy"] = float(np.mean(accs))
    totals = np.abs((oof >= 0.5).sum(1) - y.sum(1))
    out["total_mae"] = float(totals.mean())
    out["table"].append(f"mean per-dimension fold accuracy {out['mean_fold_accuracy']:.3f}; total MAE {out['total_mae']:.3f}")
    return out
