"""Fast probe of the wide n-gram part alone (no encoder): 5-fold CV on dev.json in about 15 s per seed.

The shipped model adds the encoder's logits to the wide part's; this probe trains only the wide part
(the same `WideNgrams` module, inputs and class-weighted loss as `finetune`), so feature and length
choices can be compared over several training seeds before spending ~25 min on a full CV run.

    /usr/bin/python3 -m training.wide_probe --ngrams 2 3 --max-len 128 256 --seeds 3

Prints one line per setting: CV accuracy (folds fixed by --seed, as in finetune) per training seed and
their mean. Settings are compared on the same folds; the mean over seeds smooths training noise.
With `--extra PATH[:WEIGHT]` (as finetune's) the extra items join the training folds, split by group,
and a second line gives macro F1, binary F1 (unsafe) and the recall per class on each file's held-out
groups, pooled over folds and seeds.
"""
from __future__ import annotations

import argparse
import itertools
import math
import time
from pathlib import Path

import numpy as np
import torch

from .corpus import load_dev
from .extra import cv_plan, load_extra, prior_shift_bias
from .finetune import CLASS_WEIGHTS, class_weights, collate, encode_dev, weighted_ce
from .metrics import mean_std, report
from .model import WideNgrams
from .tokenizer import Tokenizer


def train(items, tok, ngrams: int, max_len: int, a, seed: int) -> WideNgrams:
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    model = WideNgrams(a.buckets, len(CLASS_WEIGHTS), ngrams)
    steps = a.epochs * math.ceil(len(items) / a.batch)
    opt = torch.optim.AdamW(model.parameters(), lr=a.lr, weight_decay=0.0)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min((s + 1) / max(1, 0.1 * steps), max(0.0, (steps - s) / (0.9 * steps))))
    weights = class_weights(a.class_weights)
    for _ in range(a.epochs):
        order = rng.permutation(len(items))
        for i in range(0, len(order), a.batch):
            b = [items[j] for j in order[i:i + a.batch]]
            ids, att, types = collate(b, tok, max_len)
            loss = weighted_ce(model(ids, att, types), b, weights)
            loss = loss + a.decay * model.table.weight.pow(2).sum()
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            sched.step()
    return model


@torch.no_grad()
def predict(model, items, tok, max_len: int, bias=None) -> np.ndarray:
    b = torch.zeros(len(CLASS_WEIGHTS)) if bias is None else torch.tensor(bias, dtype=torch.float)
    out = [(model(*collate(items[i:i + 64], tok, max_len)) + b).argmax(-1).numpy() for i in range(0, len(items), 64)]
    return np.concatenate(out)


def main() -> None:
    here = Path(__file__).resolve().parent.parent
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--dev", type=Path, default=here.parent / "shared/data/dialoguesafety/dev.json")
    p.add_argument("--tokenizer", type=Path, default=here / "test/fixtures/models/xinan-safety-zh-v2/tokenizer.json")
    p.add_argument("--ngrams", type=int, nargs="+", default=[2, 3])
    p.add_argument("--max-len", type=int, nargs="+", default=[128, 256])
    p.add_argument("--seeds", type=int, default=3, help="training seeds per setting")
    p.add_argument("--seed", type=int, default=0, help="fold seed (as finetune's --seed)")
    p.add_argument("--buckets", type=int, default=65536)
    p.add_argument("--epochs", type=int, default=5)
    p.add_argument("--batch", type=int, default=16)
    p.add_argument("--lr", type=float, default=2e-2)
    p.add_argument("--decay", type=float, default=1e-4)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--extra", action="append", default=[], metavar="PATH[:WEIGHT]", help="as finetune's --extra")
    p.add_argument("--class-weights", default=None, help="as finetune's --class-weights")
    p.add_argument("--prior-adjust", type=float, default=0.0, help="as finetune's --prior-adjust")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    tok = Tokenizer.load(a.tokenizer)
    items = encode_dev(load_dev(a.dev), tok)
    labels = [it["label"] for it in items]
    extras = [load_extra(spec) for spec in a.extra]
    ex_items = [encode_dev([{**it, "weight": e.weight} for it in e.items], tok) for e in extras]
    plan = cv_plan(labels, [[it["group"] for it in e.items] for e in extras], 5, a.seed)
    for ngrams, max_len in itertools.product(a.ngrams, a.max_len):
        t0, accs, reps = time.time(), [], []
        ex_gold, ex_pred = [[] for _ in extras], [[] for _ in extras]
        for s in range(a.seeds):
            seed_reps = []
            for f, fold in enumerate(plan):
                tr = [items[i] for i in fold.dev_train]
                for x, idx in zip(ex_items, fold.extra_train):
                    tr += [x[i] for i in idx]
                model = train(tr, tok, ngrams, max_len, a, f + 100 * s)
                bias = prior_shift_bias([items[i] for i in fold.dev_train], tr, class_weights(a.class_weights).tolist(),
                                        a.prior_adjust)
                pred = predict(model, [items[i] for i in fold.dev_val], tok, max_len, bias)
                seed_reps.append(report([labels[i] for i in fold.dev_val], pred, len(CLASS_WEIGHTS)))
                for j, (x, idx) in enumerate(zip(ex_items, fold.extra_val)):
                    ex_pred[j].append(predict(model, [x[i] for i in idx], tok, max_len, bias))
                    ex_gold[j].append(np.asarray([x[i]["label"] for i in idx]))
            accs.append(mean_std(seed_reps)["accuracy"]["mean"] * 100)
            reps += seed_reps
        print(f"wide only, ngrams {ngrams}, max len {max_len}: CV accuracy per training seed "
              f"{' '.join(f'{x:.1f}' for x in accs)}, mean {np.mean(accs):.2f} ({time.time() - t0:.0f} s)", flush=True)
        ms = mean_std(reps)
        line = (f"  extra {' '.join(a.extra) or 'none'} cw {a.class_weights or 'paper'} prior-adjust {a.prior_adjust}: "
                f"macro F1 {100 * ms['macro_f1']['mean']:.1f} binary F1 {100 * ms['binary_f1']['mean']:.1f} "
                f"wF1 {100 * ms['weighted_f1']['mean']:.1f}; dev recall/class "
                + " ".join(f"{100 * c['recall']['mean']:.0f}" for c in ms["per_class"]))
        for e, g, pr in zip(extras, ex_gold, ex_pred):
            g, pr = np.concatenate(g), np.concatenate(pr)
            rec = [f"{100 * (pr[g == c] == c).mean():.0f}" if (g == c).any() else "-" for c in range(8)]
            line += f"; held-out {e.name} recall/class {' '.join(rec)}"
        print(line, flush=True)

if __name__ == "__main__":
    main()
