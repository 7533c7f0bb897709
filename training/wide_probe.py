"""Fast probe of the wide n-gram part alone (no encoder): 5-fold CV on dev.json in about 15 s per seed.

The shipped model adds the encoder's logits to the wide part's; this probe trains only the wide part
(the same `WideNgrams` module, inputs and class-weighted loss as `finetune`), so feature and length
choices can be compared over several training seeds before spending ~25 min on a full CV run.

    /usr/bin/python3 -m training.wide_probe --ngrams 2 3 --max-len 128 256 --seeds 3

Prints one line per setting: CV accuracy (folds fixed by --seed, as in finetune) per training seed and
their mean. Settings are compared on the same folds; the mean over seeds smooths training noise.
"""
from __future__ import annotations

import argparse
import itertools
import math
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from .corpus import load_dev
from .finetune import CLASS_WEIGHTS, collate, encode_dev
from .metrics import mean_std, report, stratified_folds
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
    weights = torch.tensor(CLASS_WEIGHTS, dtype=torch.float)
    for _ in range(a.epochs):
        order = rng.permutation(len(items))
        for i in range(0, len(order), a.batch):
            b = [items[j] for j in order[i:i + a.batch]]
            ids, att, types = collate(b, tok, max_len)
            loss = F.cross_entropy(model(ids, att, types), torch.tensor([x["label"] for x in b]), weight=weights)
            loss = loss + a.decay * model.table.weight.pow(2).sum()
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            sched.step()
    return model


@torch.no_grad()
def predict(model, items, tok, max_len: int) -> np.ndarray:
    out = [model(*collate(items[i:i + 64], tok, max_len)).argmax(-1).numpy() for i in range(0, len(items), 64)]
    return np.concatenate(out)


def main() -> None:
    here = Path(__file__).resolve().parent.parent
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--dev", type=Path, default=here.parent / "shared/data/dialoguesafety/dev.json")
    p.add_argument("--tokenizer", type=Path, default=here / "runs/vocab/tokenizer.json")
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
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    tok = Tokenizer.load(a.tokenizer)
    items = encode_dev(load_dev(a.dev), tok)
    labels = [it["label"] for it in items]
    folds = stratified_folds(labels, 5, a.seed)
    for ngrams, max_len in itertools.product(a.ngrams, a.max_len):
        t0, accs = time.time(), []
        for s in range(a.seeds):
            reps = []
            for f, val_idx in enumerate(folds):
                val = set(val_idx.tolist())
                model = train([it for i, it in enumerate(items) if i not in val], tok, ngrams, max_len, a, f + 100 * s)
                pred = predict(model, [items[i] for i in val_idx], tok, max_len)
                reps.append(report([labels[i] for i in val_idx], pred, len(CLASS_WEIGHTS)))
            accs.append(mean_std(reps)["accuracy"]["mean"] * 100)
        print(f"wide only, ngrams {ngrams}, max len {max_len}: CV accuracy per training seed "
              f"{' '.join(f'{x:.1f}' for x in accs)}, mean {np.mean(accs):.2f} ({time.time() - t0:.0f} s)", flush=True)


if __name__ == "__main__":
    main()
