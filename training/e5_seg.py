"""The e5 head: frozen e5 layers with segment attention, mean-pooled per segment, and a linear head (± the wide part).

The app's input ([CLS] context [SEP] [supporter]reply [SEP], token types 0/1) goes through the first N layers of
the imported e5 encoder with `segment_attention` (training/model.py): each token attends only to its own
segment and positions restart per segment, so the reply is encoded as if alone — what the frozen probe found
best (61.8 with the reply alone against 48.6 with the pair mean-pooled: model card) — and the context likewise,
in one pass of the shipped graph. The head sees [r, c, r·c] (reply mean, context mean, their product) or a
subset, standardized on the training folds (folded into the classifier at export), plus optionally the wide
n-gram part over the same e5 piece ids.

Steps (features are computed once and cached, so each CV setting takes seconds without the wide part):
    python3 -m training.e5_seg features --e5 runs/e5/L12 --layers 6            # runs/e5-seg/features.npz
    python3 -m training.e5_seg cv --layers 4 6 --use r r+c r+c+rc --wide 0 1 --syn-weights 0 0.1 0.3
    python3 -m training.e5_seg final --layer 5 --use r --wide 1 --syn-weight 0.1 --decay 3 --epochs 10   # the shipped v3.1

Protocol (cv): stratified 5-fold CV on dev.json, seed 0 (the folds of `finetune`), synthetic files split by group
into 5 folds of their own (training/extra.py cv_plan, as `finetune --extra`): fold k trains on dev folds ≠ k plus
synthetic folds ≠ k and scores dev fold k and each synthetic file's fold k. Synthetic items are never scored as dev.
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

from .corpus import load_dev
from .extra import cv_plan, load_extra
from .finetune import CLASS_WEIGHTS, LABELS, encode_dev
from .inputs import build_input
from .metrics import mean_std, report
from .model import BertConfig, BertForSequenceClassification, BertModel, WideNgrams, read_checkpoint_dir
from .unigram import load_any

ROOT = Path(__file__).resolve().parent.parent
SYN = ROOT.parent / "shared/data/dialoguesafety-synthetic"
HARMFUL = [1, 3, 4, 5, 6]
SAFE = 7


def load_encoder(path: Path, layers: int) -> BertModel:
    cfg, sd = read_checkpoint_dir(path)
    cfg = BertConfig.from_dict({**cfg.to_dict(), "num_hidden_layers": layers, "pooling": "segments",
                                "segment_attention": True})
    model = BertModel(cfg)
    own = model.state_dict()
    model.load_state_dict({k: v for k, v in sd.items() if k in own}, strict=True)
    return model.eval()


def padded(items: list[dict], tok, max_len: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The engine's input (input.ts twin) for every item, padded to the longest: ids, mask, types."""
    built = [build_input(it["context"], it["response"], max_len, tok.cls_id, tok.sep_id) for it in items]
    width = max(len(b.input_ids) for b in built)
    ids = np.full((len(built), width), tok.pad_id, np.int64)
    types = np.zeros_like(ids)
    mask = np.zeros_like(ids)
    for i, b in enumerate(built):
        ids[i, :len(b.input_ids)] = b.input_ids
        types[i, :len(b.token_type_ids)] = b.token_type_ids
        mask[i, :len(b.input_ids)] = 1
    return ids, mask, types


def load_items(a) -> tuple[list[dict], list]:
    dev = load_dev(a.dev)[: a.limit]
    extras = [load_extra(s) for s in a.extra]
    return dev, extras


class FakeInt8Linear(torch.nn.Module):
    """training/quantize.py's arithmetic in PyTorch: activations uint8 with one scale and zero point per tensor
    (ONNX DynamicQuantizeLinear), weights int8 symmetric per output column — to screen heads for int8 parity."""

    def __init__(self, lin: torch.nn.Linear):
        super().__init__()
        w = lin.weight.detach().t()  # [in, out], as the ONNX MatMul
        scale = w.abs().amax(0) / 127.0
        scale[scale == 0] = 1.0
        self.w = torch.clamp(torch.round(w / scale), -127, 127) * scale
        self.b = lin.bias.detach()

    def forward(self, x):
        lo, hi = min(float(x.min()), 0.0), max(float(x.max()), 0.0)
        s = (hi - lo) / 255.0 or 1.0
        zp = float(np.clip(np.round(-lo / s), 0, 255))
        xq = (torch.clamp(torch.round(x / s) + zp, 0, 255) - zp) * s
        return xq @ self.w + self.b


def fake_int8(model: BertModel) -> BertModel:
    for name, mod in list(model.named_modules()):
        for child_name, child in list(mod.named_children()):
            if isinstance(child, torch.nn.Linear):
                setattr(mod, child_name, FakeInt8Linear(child))
    emb = model.embeddings.word_embeddings.weight.data
    scale = emb.abs().amax(1, keepdim=True) / 127.0
    scale[scale == 0] = 1.0
    model.embeddings.word_embeddings.weight.data = torch.clamp(torch.round(emb / scale), -127, 127) * scale
    return model


@torch.no_grad()
def features(a):
    torch.set_num_threads(a.threads)
    dev, extras = load_items(a)
    tok = load_any(a.e5 / "tokenizer.json")
    items = encode_dev(dev + [it for e in extras for it in e.items], tok)
    ids, mask, types = padded(items, tok, a.max_len)
    model = load_encoder(a.e5, a.layers)
    if a.int8_sim:  # dev items only, batches of 8 as the engine runs them
        model, items = fake_int8(model), items[: len(dev)]
        ids, mask, types, a.batch = ids[: len(dev)], mask[: len(dev)], types[: len(dev)], 8
    out = {f"{s}{l}": np.zeros((len(items), model.config.hidden_size), np.float32)
           for l in range(1, a.layers + 1) for s in "rc"}
    order = np.argsort(mask.sum(1), kind="stable")
    t0 = time.time()
    for s in range(0, len(order), a.batch):
        idx = order[s:s + a.batch]
        w = int(mask[idx].sum(1).max())
        bi, bm, bt = (torch.from_numpy(x[idx, :w]) for x in (ids, mask, types))
        for l, h in model.hidden_states(bi, bm, bt, a.layers):
            p = model.pool(h, bm, bt).numpy()
            hd = model.config.hidden_size
            out[f"r{l}"][idx], out[f"c{l}"][idx] = p[:, :hd], p[:, hd:2 * hd]
        if (s // a.batch) % 20 == 0:
            print(f"  {s + len(idx)}/{len(items)} items ({time.time() - t0:.0f}s)", flush=True)
    a.out.mkdir(parents=True, exist_ok=True)
    if a.int8_sim:
        np.savez(a.out / "features-int8sim.npz", **out)
        print(f"int8-simulated dev features → {a.out / 'features-int8sim.npz'} ({time.time() - t0:.0f}s)")
        return
    np.savez(a.out / "features.npz", ids=ids, mask=mask, types=types,
             labels=np.array([it["label"] for it in items]), n_dev=len(dev),
             extra_sizes=np.array([len(e.items) for e in extras]), **out)
    print(f"features: {len(items)} items, layers 1–{a.layers}, {time.time() - t0:.0f}s → {a.out / 'features.npz'}")


def feature_matrix(f, layer: int, use: str) -> np.ndarray:
    r, c = f[f"r{layer}"], f[f"c{layer}"]
    parts = {"r": r, "c": c, "rc": r * c}
    return np.concatenate([parts[p] for p in use.split("+")], 1)


class Head(torch.nn.Module):
    def __init__(self, dim: int, wide: int, ngrams: int):
        super().__init__()
        self.linear = torch.nn.Linear(dim, len(LABELS))
        self.wide = WideNgrams(wide, len(LABELS), ngrams) if wide else None

    def forward(self, x, wide_in=None):
        out = self.linear(x)
        if self.wide is not None:
            out = out + self.wide(*wide_in)
        return out


def train_head(x, wide_in, y, w, a, seed: int) -> Head:
    """Class-weighted CE with sample weights (finetune's loss); AdamW, linear decay, fixed epochs."""
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    head = Head(x.shape[1], a.wide_buckets if wide_in is not None else 0, a.wide_ngrams)
    groups = [{"params": head.linear.parameters(), "lr": a.lr, "weight_decay": a.decay}]
    if head.wide is not None:
        groups.append({"params": head.wide.parameters(), "lr": a.wide_lr, "weight_decay": 0.0})
    opt = torch.optim.AdamW(groups)
    steps = a.epochs * math.ceil(len(y) / a.batch)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: max(0.0, (steps - s) / steps))
    cw = torch.tensor(CLASS_WEIGHTS, dtype=torch.float)
    for _ in range(a.epochs):
        order = torch.from_numpy(rng.permutation(len(y)))
        for i in range(0, len(order), a.batch):
            b = order[i:i + a.batch]
            wb = tuple(t[b] for t in wide_in) if wide_in is not None else None
            loss = F.cross_entropy(head(x[b], wb), y[b], weight=None, reduction="none")
            s = w[b] * cw[y[b]]
            loss = (loss * s).sum() / s.sum()
            if head.wide is not None:
                loss = loss + a.wide_decay * head.wide.table.weight.pow(2).sum()
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            sched.step()
    return head


@torch.no_grad()
def probs(head: Head, x, wide_in) -> np.ndarray:
    return head(x, wide_in).softmax(-1).numpy()


class HeadFit:
    """One head trained on rows `tr`, as every CV fold, `final` and `e5_bias` train it: features standardized with the
    training rows' mean and std, dev items at weight 1 and synthetic ones at `sw`."""

    def __init__(self, x_all: np.ndarray, wide_all, labels: np.ndarray, n_dev: int, tr: np.ndarray, sw: float, a, seed: int):
        self.wide_all = wide_all
        self.mu, self.sd = x_all[tr].mean(0), x_all[tr].std(0) + 1e-6
        self.x = torch.from_numpy((x_all - self.mu) / self.sd).float()
        w = torch.tensor([1.0 if i < n_dev else sw for i in tr])
        self.head = train_head(self.x[tr], self.wide(tr), torch.from_numpy(labels[tr]).long(), w, a, seed)

    def wide(self, idx: np.ndarray):
        return tuple(t[torch.from_numpy(idx)] for t in self.wide_all) if self.wide_all is not None else None

    def score(self, idx: np.ndarray) -> np.ndarray:
        return probs(self.head, self.x[idx], self.wide(idx))

    def score_raw(self, x_raw: np.ndarray, idx: np.ndarray) -> np.ndarray:
        """Rows of other (unstandardized) features, e.g. the int8-simulated ones, with the wide input of rows `idx`."""
        return probs(self.head, torch.from_numpy((x_raw - self.mu) / self.sd).float(), self.wide(idx))


def decided(p: np.ndarray, threshold: float) -> np.ndarray:
    """src/lib/decision.ts: unsafe when 1 − P(Safe) ≥ threshold, then the top unsafe class."""
    q = p.copy()
    q[:, SAFE] = -1
    return np.where(1 - p[:, SAFE] >= threshold, q.argmax(1), SAFE)


def setting_cv(f, a, layer: int, use: str, wide: int, sw: float, threshold: float) -> dict:
    labels = f["labels"]
    n_dev = int(f["n_dev"])
    sizes = f["extra_sizes"].tolist()
    starts = np.cumsum([n_dev] + sizes[:-1]).tolist()
    groups = [[it["group"] for it in e.items] for e in a._extras]
    plan = cv_plan(labels[:n_dev].tolist(), groups, 5, a.seed)
    x_all = feature_matrix(f, layer, use)
    wide_all = tuple(torch.from_numpy(f[k]) for k in ("ids", "mask", "types")) if wide else None
    oof = np.zeros((n_dev, len(LABELS)))
    ex_oof = [np.zeros((n, len(LABELS))) for n in sizes]
    f8 = a._f8
    x8_all = feature_matrix(f8, layer, use) if f8 is not None and f"r{layer}" in f8 else None
    agree = 0
    reps, app_reps = [], []
    for k, fold in enumerate(plan):
        tr = fold.dev_train.tolist()
        if sw > 0:
            for st, idx in zip(starts, fold.extra_train):
                tr += (st + idx).tolist()
        fit = HeadFit(x_all, wide_all, labels, n_dev, np.array(tr), sw, a, a.seed + k)
        vi = fold.dev_val
        p = fit.score(vi)
        oof[vi] = p
        if x8_all is not None:  # the same head on simulated-int8 encoder features: a screen for int8 parity
            p8 = fit.score_raw(x8_all[vi], vi)
            agree += int((p8.argmax(1) == p.argmax(1)).sum())
        reps.append(report(labels[vi], p.argmax(1), len(LABELS)))
        app_reps.append(report(labels[vi], decided(p, threshold), len(LABELS)))
        for j, (st, idx) in enumerate(zip(starts, fold.extra_val)):
            ex_oof[j][idx] = fit.score(st + idx)
    s, sa = mean_std(reps), mean_std(app_reps)
    row = {"layer": layer, "use": use, "wide": wide, "syn_weight": sw, "threshold": threshold}
    for name, summ in (("argmax", s), ("app", sa)):
        row[name] = {m: [round(summ[m]["mean"] * 100, 1), round(summ[m]["std"] * 100, 1)]
                     for m in ("accuracy", "weighted_f1", "macro_f1", "binary_accuracy", "binary_f1")}
    row["int8sim_agreement"] = round(agree / n_dev, 3) if x8_all is not None else None
    row["dev_recall_pooled"] = [round(c["recall"], 2) for c in report(labels[:n_dev], oof.argmax(1), 8)["per_class"]]
    row["synthetic_recall"] = {}
    for e, st, n, o in zip(a._extras, starts, sizes, ex_oof):
        g = labels[st:st + n]
        row["synthetic_recall"][e.name] = {
            "argmax": [round(float((o.argmax(1)[g == c] == c).mean()), 2) if (g == c).any() else None for c in range(8)],
            "app": [round(float((decided(o, threshold)[g == c] == c).mean()), 2) if (g == c).any() else None
                    for c in range(8)]}
    row["_oof"] = oof
    return row


def fmt(row: dict) -> str:
    m, ap = row["argmax"], row["app"]
    syn = "; ".join(f"{k} " + "/".join(f"{v['argmax'][c]:.2f}" for c in HARMFUL) for k, v in row["synthetic_recall"].items())
    return (f"L{row['layer']} {row['use']:8s} wide {row['wide']} syn {row['syn_weight']:.2f} | "
            f"acc {m['accuracy'][0]:.1f}±{m['accuracy'][1]:.1f} wF1 {m['weighted_f1'][0]:.1f} mF1 {m['macro_f1'][0]:.1f} "
            f"binAcc {m['binary_accuracy'][0]:.1f} binF1 {m['binary_f1'][0]:.1f} | app@{row['threshold']}: acc "
            f"{ap['accuracy'][0]:.1f} binF1 {ap['binary_f1'][0]:.1f} | int8sim {row['int8sim_agreement']} | dev recall {row['dev_recall_pooled']} | syn {syn}")


def cv(a):
    torch.set_num_threads(a.threads)
    f = dict(np.load(a.out / "features.npz"))
    sim = a.out / "features-int8sim.npz"
    a._f8 = dict(np.load(sim)) if sim.exists() else None
    _, a._extras = load_items(a)
    rows = []
    path = a.out / (a.name or "cv") 
    path.mkdir(parents=True, exist_ok=True)
    for wide in a.wide:
        for layer in a.layers:
            for use in a.use:
                for sw, decay, epochs in [(s, d, e) for s in a.syn_weights for d in a.decays for e in a.epoch_list]:
                    t0 = time.time()
                    a.decay, a.epochs = decay, epochs
                    row = setting_cv(f, a, layer, use, wide, sw, a.threshold)
                    row |= {"decay": decay, "epochs": epochs, "lr": a.lr}
                    tag = f"L{layer}-{use}-w{wide}-s{sw}-d{decay}-e{epochs}"
                    np.save(path / f"oof-{tag}.npy", row.pop("_oof"))
                    rows.append(row)
                    print(fmt(row) + f" decay {decay} epochs {epochs} ({time.time() - t0:.0f}s)", flush=True)
                    (path / "results.json").write_text(json.dumps(rows, indent=1))


def fold_report(a):
    """Per-class precision/recall/F1 (fold mean ± std), pooled confusion matrix and the app rule per threshold,
    from a CV setting's saved out-of-fold probabilities (`--oof runs/e5-seg/<name>/oof-….npy`): the model card's tables."""
    from .metrics import stratified_folds

    f = np.load(a.out / "features.npz")
    labels = f["labels"][: int(f["n_dev"])]
    oof = np.load(a.oof)
    folds = stratified_folds(labels.tolist(), 5, a.seed)
    reps = [report(labels[v], oof[v].argmax(1), len(LABELS)) for v in folds]
    s = mean_std(reps)
    print("| id | class | precision | recall | F1 | support |\n|---|---|---|---|---|---|")
    for i, c in enumerate(s["per_class"]):
        print(f"| {i} | {LABELS[i]} | " + " | ".join(f"{c[m]['mean'] * 100:.1f} ± {c[m]['std'] * 100:.1f}" for m in ("precision", "recall", "f1"))
              + f" | {c['support']} |")
    print("\n| | " + " | ".join(map(str, range(8))) + " |\n|" + "---|" * 9)
    for i, row in enumerate(report(labels, oof.argmax(1), len(LABELS))["confusion"]):
        print(f"| **{i}** | " + " | ".join(map(str, row)) + " |")
    print("\n| threshold | 8-class accuracy | binary F1 (unsafe) | same label as argmax |\n|---|---|---|---|")
    for t in (0.5, 0.6, 0.7):
        d = decided(oof, t)
        r = report(labels, d, len(LABELS))
        print(f"| {t} | {r['accuracy'] * 100:.1f} | {r['binary_f1'] * 100:.1f} | {(d == oof.argmax(1)).mean() * 100:.1f}% |")
    print("\nfold means: " + ", ".join(f"{k} {v['mean'] * 100:.1f} ± {v['std'] * 100:.1f}" for k, v in s.items() if k != "per_class"))


def final(a):
    """Train the chosen head on all dev items (+ all synthetic at the weight) and write a `finetune`-style folder
    (model.pt, config.json, tokenizer.json) that `training export` turns into the app's model folder."""
    torch.set_num_threads(a.threads)
    f = dict(np.load(a.out / "features.npz"))
    _, extras = load_items(a)
    labels, n_dev = f["labels"], int(f["n_dev"])
    tr = np.arange(n_dev if a.syn_weight == 0 else len(labels))
    wide_all = tuple(torch.from_numpy(f[k]) for k in ("ids", "mask", "types")) if a.wide else None
    fit = HeadFit(feature_matrix(f, a.layer, a.use), wide_all, labels, n_dev, tr, a.syn_weight, a, a.seed)
    mu, sd, x, head = fit.mu, fit.sd, fit.x, fit.head
    cfg, sd_enc = read_checkpoint_dir(a.e5)
    # Reply features only: the shipped graph encodes the reply segment alone (reply_only, the same states as
    # segment attention at a fraction of the cost); otherwise both segments with segment attention.
    reply_only = a.use == "r"
    cfg = BertConfig.from_dict({**cfg.to_dict(), "num_hidden_layers": a.layer, "pooling": "mean" if reply_only else "segments",
                                "segment_attention": not reply_only, "reply_only": reply_only})
    model = BertForSequenceClassification(cfg, len(LABELS), a.wide_buckets if a.wide else 0, a.wide_ngrams)
    own = model.bert.state_dict()
    model.bert.load_state_dict({k: v for k, v in sd_enc.items() if k in own}, strict=True)
    # The head's input is [r, c, r·c] restricted to `use`: scatter its (de-standardized) weights into the 3H columns.
    hdim = cfg.hidden_size
    wt = head.linear.weight.detach() / torch.from_numpy(sd).float()
    full = torch.zeros(len(LABELS), model.bert.pooled_size)
    slots = {"r": 0, "c": 1, "rc": 2}
    for j, part in enumerate(a.use.split("+")):
        full[:, slots[part] * hdim:(slots[part] + 1) * hdim] = wt[:, j * hdim:(j + 1) * hdim]
    with torch.no_grad():
        model.classifier.weight.copy_(full)
        model.classifier.bias.copy_(head.linear.bias.detach() - wt @ torch.from_numpy(mu).float())
        if a.wide:
            model.wide.table.weight.copy_(head.wide.table.weight.detach())
    model.eval()
    # Check: the assembled model reproduces the head's probabilities from the raw input.
    with torch.no_grad():
        idx = np.arange(min(64, n_dev))
        w_ = int(f["mask"][idx].sum(1).max())
        ins = [torch.from_numpy(f[k][idx, :w_]) for k in ("ids", "mask", "types")]
        got = model(*ins)[0].softmax(-1).numpy()
        want = probs(head, x[idx], tuple(t[:, :] for t in ins) if a.wide else None)
    diff = float(np.abs(got - want).max())
    print(f"assembled model vs head on {len(idx)} dev items: max |Δp| {diff:.2e}, same label "
          f"{int((got.argmax(1) == want.argmax(1)).sum())}/{len(idx)}")
    if diff > 1e-3:
        raise SystemExit("the assembled model does not reproduce the head")
    a.final_out.mkdir(parents=True, exist_ok=True)
    torch.save(model.state_dict(), a.final_out / "model.pt")
    e5_name = a.e5.resolve().relative_to(ROOT) if a.e5.resolve().is_relative_to(ROOT) else a.e5
    xinan = {"labels": LABELS, "max_len": a.max_len, "init": f"{e5_name} (import-e5, first {a.layer} layers, frozen)",
             "wide_buckets": a.wide_buckets if a.wide else 0, "wide_ngrams": a.wide_ngrams,
             "head": f"e5_seg L{a.layer} {a.use} wide {a.wide}", "frozen_encoder": True,
             "extra": [f"{Path(e.path).name}:{a.syn_weight}" for e in extras] if a.syn_weight else [],
             "epochs": a.epochs, "lr": a.lr, "decay": a.decay, "seed": a.seed, "weight_only_int8": True}
    (a.final_out / "config.json").write_text(json.dumps({"model_type": "bert", **cfg.to_dict(), "xinan": xinan}, indent=1))
    tok = load_any(a.e5 / "tokenizer.json")
    (a.final_out / "tokenizer.json").write_text(json.dumps(tok.to_json(), ensure_ascii=False), encoding="utf-8")
    print(f"final folder {a.final_out}")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("step", choices=["features", "cv", "final", "report"])
    p.add_argument("--oof", type=Path, default=None, help="report: a cv setting's oof-….npy")
    p.add_argument("--e5", type=Path, default=ROOT / "runs/e5/L12", help="import-e5 folder (full vocabulary)")
    p.add_argument("--dev", type=Path, default=ROOT.parent / "shared/data/dialoguesafety/dev.json")
    p.add_argument("--extra", action="append", default=None, metavar="PATH",
                   help="synthetic files (default: both dialoguesafety-synthetic files)")
    p.add_argument("--out", type=Path, default=ROOT / "runs/e5-seg")
    p.add_argument("--name", default=None, help="cv: results sub-folder")
    p.add_argument("--limit", type=int, default=None, help="only N dev items (smoke)")
    p.add_argument("--max-len", type=int, default=128)
    p.add_argument("--int8-sim", action="store_true", help="features: dev items through simulated int8 (quantize.py)")
    p.add_argument("--layers", type=int, nargs="+", default=[6], help="features: deepest layer; cv: layers to try")
    p.add_argument("--batch-embed", dest="batch", type=int, default=16)
    p.add_argument("--use", nargs="+", default=["r", "r+c", "r+c+rc"])
    p.add_argument("--wide", type=int, nargs="+", default=[0])
    p.add_argument("--syn-weights", type=float, nargs="+", default=[0.0, 0.1, 0.3])
    p.add_argument("--threshold", type=float, default=0.5, help="the app's P(unsafe) rule, reported beside argmax")
    p.add_argument("--epochs", dest="epoch_list", type=int, nargs="+", default=[10], help="cv: a list to try")
    p.add_argument("--head-batch", type=int, default=16)
    p.add_argument("--lr", type=float, default=3e-3)
    p.add_argument("--decay", dest="decays", type=float, nargs="+", default=[1e-2], help="AdamW weight decay (cv: a list)")
    p.add_argument("--wide-buckets", type=int, default=65536)
    p.add_argument("--wide-ngrams", type=int, default=3)
    p.add_argument("--wide-lr", type=float, default=2e-2)
    p.add_argument("--wide-decay", type=float, default=1e-4)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--layer", type=int, default=6, help="final: layers kept")
    p.add_argument("--syn-weight", type=float, default=0.1, help="final: sample weight of the synthetic items")
    p.add_argument("--final-out", type=Path, default=None)
    a = p.parse_args()
    a.extra = a.extra or [str(SYN / "train.jsonl"), str(SYN / "train-chatbot.jsonl")]
    if a.step == "features":
        a.layers = max(a.layers)
        features(a)
        return
    a.batch_embed, a.batch = a.batch, a.head_batch
    a.decay, a.epochs = a.decays[0], a.epoch_list[0]
    if a.step == "cv":
        cv(a)
    elif a.step == "report":
        fold_report(a)
    else:
        a.use = a.use[0]
        a.wide = a.wide[0]
        a.final_out = a.final_out or a.out / f"final-L{a.layer}-{a.use}-w{a.wide}-s{a.syn_weight}"
        final(a)


if __name__ == "__main__":
    main()
