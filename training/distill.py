"""Distillation (issue 10, variant e): the shipped teacher (e5 layer 5 reply features + the wide part) into the fastest
student (the wide n-gram part alone, v2's shape over e5's pieces: no encoder in the graph), on a transfer set from the
corpus that the teacher labels softly.

Transfer set (`transfer`): counseling dialogues from ../shared/corpus; for a supporter turn with a seeker turn before
it, the context is up to six earlier turns and the reply is either the real turn or a supporter turn moved from
another dialogue (what "not engaging with the seeker" looks like). No gold labels: only the teacher's probabilities.

Protocol (`cv`): the e5_seg plan (stratified 5-fold CV on dev.json, seed 0; synthetic files in 5 group folds of their
own). For fold k the teacher is trained exactly as the shipped model on dev folds ≠ k and synthetic folds ≠ k, so it
never sees fold k; it labels every transfer item; the student trains on the same dev and synthetic rows (hard labels,
class-weighted as finetune) plus the transfer items (the teacher's probabilities, weight --transfer-weight) and scores
dev fold k and the synthetic folds k. `--transfer-weight 0` is the same student without distillation.

    python3 -m training.distill transfer --n 3000                        # runs/distill/transfer.jsonl
    python3 -m training.e5_seg features --layers 5 --out runs/distill \\
        --extra ../shared/data/dialoguesafety-synthetic/train.jsonl \\
        --extra ../shared/data/dialoguesafety-synthetic/train-chatbot.jsonl --extra runs/distill/transfer.jsonl
    python3 -m training.distill cv --transfer-weights 0 0.3 1
"""
from __future__ import annotations

import argparse
import json
import math
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from .corpus import ROLE_SEEKER, ROLE_SUPPORTER, iter_dialogues
from .e5_seg import HARMFUL, HeadFit, Head, decided, feature_matrix, load_items
from .extra import cv_plan
from .finetune import CLASS_WEIGHTS, LABELS
from .metrics import mean_std, report

ROOT = Path(__file__).resolve().parent.parent
SYN = ROOT.parent / "shared/data/dialoguesafety-synthetic"
MARK = {ROLE_SEEKER: "[seeker]", ROLE_SUPPORTER: "[supporter]"}


def first_sentences(text: str, rng, cap: int = 80) -> str:
    """One or two sentences of a turn, at most `cap` characters: replies in DialogueSafety are short."""
    cut, n = [], int(rng.integers(1, 3))
    for ch in text:
        cut.append(ch)
        if ch in "。！？!?" and (n := n - 1) == 0:
            break
    return "".join(cut)[:cap]


def transfer(a):
    rng = np.random.default_rng(a.seed)
    dialogues = [turns for _, turns in iter_dialogues(a.corpus, a.limit)]
    supporter_turns = [t for turns in dialogues for r, t in turns if r == ROLE_SUPPORTER]
    order = rng.permutation(len(dialogues))
    out = []
    for d in order:
        turns = dialogues[d]
        spots = [i for i in range(1, len(turns)) if turns[i][0] == ROLE_SUPPORTER and turns[i - 1][0] == ROLE_SEEKER]
        if not spots:
            continue
        r = spots[int(rng.integers(len(spots)))]
        context = "".join(MARK[role] + text for role, text in turns[max(0, r - 6):r])
        moved = len(out) % 2 == 1  # half real replies, half moved from another dialogue
        reply = supporter_turns[int(rng.integers(len(supporter_turns)))] if moved else turns[r][1]
        # `label` is a placeholder the readers require: distillation never reads it, only the teacher's output.
        out.append({"id": f"transfer-{len(out)}", "group": f"d{d}", "context": context,
                    "response": "[supporter]" + first_sentences(reply, rng), "label": 7,
                    "kind": "moved" if moved else "real"})
        if len(out) >= a.n:
            break
    a.out.mkdir(parents=True, exist_ok=True)
    path = a.out / "transfer.jsonl"
    path.write_text("".join(json.dumps(o, ensure_ascii=False) + "\n" for o in out), encoding="utf-8")
    print(f"transfer: {len(out)} items ({sum(o['kind'] == 'moved' for o in out)} moved) from {len(dialogues)} dialogues → {path}")


def train_student(wide_in, targets: torch.Tensor, w: torch.Tensor, a, seed: int) -> Head:
    """The wide part alone (a Head over zero encoder features), soft cross-entropy with per-row weights."""
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    head = Head(0, a.wide_buckets, a.wide_ngrams)
    opt = torch.optim.AdamW([{"params": head.linear.parameters(), "lr": a.lr, "weight_decay": 0.0},
                             {"params": head.wide.parameters(), "lr": a.wide_lr, "weight_decay": 0.0}])
    steps = a.student_epochs * math.ceil(len(w) / a.batch)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: max(0.0, (steps - s) / steps))
    x = torch.zeros(len(w), 0)
    for _ in range(a.student_epochs):
        order = torch.from_numpy(rng.permutation(len(w)))
        for i in range(0, len(order), a.batch):
            b = order[i:i + a.batch]
            logits = head(x[b], tuple(t[b] for t in wide_in))
            loss = -(targets[b] * F.log_softmax(logits, -1)).sum(1)
            loss = (loss * w[b]).sum() / w[b].sum() + a.wide_decay * head.wide.table.weight.pow(2).sum()
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            sched.step()
    return head


def cv(a):
    torch.set_num_threads(a.threads)
    f = dict(np.load(a.out / "features.npz"))
    _, extras = load_items(a)
    labels, n_dev = f["labels"], int(f["n_dev"])
    sizes = f["extra_sizes"].tolist()
    starts = np.cumsum([n_dev] + sizes[:-1]).tolist()
    if len(extras) != 3 or extras[2].name != "transfer":
        raise SystemExit("cv: give the two synthetic files and transfer.jsonl as --extra, in the order features used")
    syn_starts, tr_idx = starts[:2], np.arange(starts[2], starts[2] + sizes[2])
    plan = cv_plan(labels[:n_dev].tolist(), [[it["group"] for it in e.items] for e in extras[:2]], 5, a.seed)
    x_all = feature_matrix(f, a.layer, "r")
    wide_all = tuple(torch.from_numpy(f[k]) for k in ("ids", "mask", "types"))
    onehot = torch.eye(len(LABELS))[torch.from_numpy(labels).long()]
    cw = torch.tensor(CLASS_WEIGHTS)
    moved = np.arange(sizes[2]) % 2 == 1  # transfer(): every second item has a moved reply
    a.decay, a.epochs, a.batch = a.teacher_decay, a.teacher_epochs, a.head_batch  # what HeadFit's train_head reads
    rows = []
    for tw in a.transfer_weights:
        t0 = time.time()
        reps, app_reps, teacher_reps = [], [], []
        syn_hits = {e.name: np.zeros((8, 2)) for e in extras[:2]}
        moved_neglect = []
        for k, fold in enumerate(plan):
            tr = fold.dev_train.tolist() + [i for st, idx in zip(syn_starts, fold.extra_train) for i in (st + idx).tolist()]
            tr = np.array(tr)
            teacher = HeadFit(x_all, wide_all, labels, n_dev, tr, a.syn_weight, a, a.seed + k)
            vi = fold.dev_val
            teacher_reps.append(report(labels[vi], teacher.score(vi).argmax(1), 8))
            rows_k, targets, w = tr, onehot[tr], torch.tensor([1.0 if i < n_dev else a.syn_weight for i in tr])
            w = w * cw[torch.from_numpy(labels[tr]).long()]
            if tw > 0:
                soft = torch.from_numpy(teacher.score(tr_idx)).float()
                moved_neglect.append(float((soft[torch.from_numpy(moved)].argmax(1) == 2).float().mean()))
                rows_k = np.concatenate([tr, tr_idx])
                targets = torch.cat([targets, soft])
                w = torch.cat([w, torch.full((len(tr_idx),), tw)])
            sel = torch.from_numpy(rows_k)
            student = train_student(tuple(t[sel] for t in wide_all), targets, w, a, a.seed + k)
            with torch.no_grad():
                score = lambda idx: student(torch.zeros(len(idx), 0),  # noqa: E731
                                            tuple(t[torch.from_numpy(idx)] for t in wide_all)).softmax(-1).numpy()
                p = score(vi)
                reps.append(report(labels[vi], p.argmax(1), 8))
                app_reps.append(report(labels[vi], decided(p, a.threshold), 8))
                for e, st, idx in zip(extras[:2], syn_starts, fold.extra_val):
                    g, pred = labels[st + idx], score(st + idx).argmax(1)
                    for c in range(8):
                        syn_hits[e.name][c] += [int(((g == c) & (pred == c)).sum()), int((g == c).sum())]
        s, sa, st_ = mean_std(reps), mean_std(app_reps), mean_std(teacher_reps)
        row = {"transfer_weight": tw, "transfer_items": len(tr_idx) if tw > 0 else 0,
               "student": {m: [round(s[m]["mean"] * 100, 1), round(s[m]["std"] * 100, 1)]
                           for m in ("accuracy", "weighted_f1", "macro_f1", "binary_accuracy", "binary_f1")},
               "student_app_rule": {m: round(sa[m]["mean"] * 100, 1) for m in ("accuracy", "binary_f1")},
               "teacher": {m: round(st_[m]["mean"] * 100, 1) for m in ("accuracy", "binary_f1", "macro_f1")},
               "synthetic_recall": {n: [round(h[c, 0] / h[c, 1], 2) if h[c, 1] else None for c in HARMFUL]
                                     for n, h in syn_hits.items()},
               "moved_replies_teacher_neglect": round(float(np.mean(moved_neglect)), 3) if moved_neglect else None,
               "seconds": round(time.time() - t0)}
        rows.append(row)
        print(json.dumps(row, ensure_ascii=False), flush=True)
    path = a.out / (a.name or "cv")
    path.mkdir(parents=True, exist_ok=True)
    protocol = (f"stratified 5-fold CV on dev.json, seed {a.seed}; synthetic files in group folds (extra.py cv_plan); teacher "
                f"for fold k = e5 L{a.layer} reply + wide on dev/synthetic folds != k; student = wide part alone")
    (path / "results.json").write_text(json.dumps({"protocol": protocol, "rows": rows}, indent=1, ensure_ascii=False))


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("step", choices=["transfer", "cv"])
    p.add_argument("--corpus", type=Path, default=ROOT.parent / "shared/corpus")
    p.add_argument("--dev", type=Path, default=ROOT.parent / "shared/data/dialoguesafety/dev.json")
    p.add_argument("--extra", action="append", default=None, metavar="PATH",
                   help="cv: both synthetic files, then transfer.jsonl (default: those, transfer from --out)")
    p.add_argument("--out", type=Path, default=ROOT / "runs/distill")
    p.add_argument("--name", default=None)
    p.add_argument("--n", type=int, default=3000, help="transfer: items")
    p.add_argument("--limit", type=int, default=None, help="transfer: dialogues read; cv: dev items (smoke)")
    p.add_argument("--layer", type=int, default=5)
    p.add_argument("--syn-weight", type=float, default=0.1)
    p.add_argument("--transfer-weights", type=float, nargs="+", default=[0.0, 0.3, 1.0])
    p.add_argument("--teacher-epochs", type=int, default=10)
    p.add_argument("--teacher-decay", type=float, default=3.0)
    p.add_argument("--student-epochs", type=int, default=10)
    p.add_argument("--head-batch", type=int, default=16)
    p.add_argument("--lr", type=float, default=3e-3)
    p.add_argument("--wide-buckets", type=int, default=65536)
    p.add_argument("--wide-ngrams", type=int, default=3)
    p.add_argument("--wide-lr", type=float, default=2e-2)
    p.add_argument("--wide-decay", type=float, default=1e-4)
    p.add_argument("--threshold", type=float, default=0.5)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--threads", type=int, default=1)
    a = p.parse_args()
    if a.step == "transfer":
        transfer(a)
        return
    a.extra = a.extra or [str(SYN / "train.jsonl"), str(SYN / "train-chatbot.jsonl"), str(a.out / "transfer.jsonl")]
    cv(a)


if __name__ == "__main__":
    main()
