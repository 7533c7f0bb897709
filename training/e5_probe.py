"""Frozen-feature probe of the e5 encoder: is it worth fine-tuning, and at which depth?

Features (e5's recipe: "query: " prefix, mean of the last hidden states, no fine-tuning), taken after
layers 4, 6 and 12 of the imported folder in one pass:
  reply — "query: " + the reply alone;
  pair — "query: " + the context's last tokens, a newline, then the reply (≤ 128 tokens);
  engine — the app's own input ([CLS] [seeker]…[supporter]… [SEP] [supporter]reply [SEP], max 128, token types
  0/1), the features a shipped model with a frozen encoder would see (no prefix).
pair and engine run layers ≤ 6 only by default (--pair-max-layer): the 25 MB int8 limit rules out 12 layers.
Heads: a linear layer on standardized features (class-weighted cross-entropy, the paper's weights),
optionally plus the wide n-gram part of `finetune` (WideNgrams over the shipped char tokenizer's ids,
max length 128) trained jointly. Synthetic items (../shared/data/dialoguesafety-synthetic/train.jsonl)
can be added to the training folds only, at a sample weight, split by `group` into 5 folds of their own:
fold k trains on dev folds ≠ k plus synthetic folds ≠ k, and scores dev fold k and synthetic fold k.
Protocol: stratified 5-fold CV on dev.json, seed 0 (training.metrics.stratified_folds, as finetune).

    /usr/bin/python3 -m training.e5_probe --e5 runs/e5/L12 --threads 1
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

from .corpus import load_dev, split_marked
from .finetune import CLASS_WEIGHTS, LABELS, collate, encode_dev
from .inputs import build_input
from .metrics import mean_std, report, stratified_folds
from .model import BertModel, WideNgrams, read_checkpoint_dir
from .tokenizer import Tokenizer
from .unigram import load_any

ROOT = Path(__file__).resolve().parent.parent
LAYERS = (4, 6, 12)
HARMFUL = [1, 3, 4, 5, 6]


def load_synthetic(path: Path) -> list[dict]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            r = json.loads(line)
            out.append({"id": r["id"], "group": r["group"], "context": split_marked(r["context"]),
                        "response": "".join(t for _, t in split_marked(r["response"])), "label": int(r["label"])})
    return out


def engine_ids(tok, item: dict, max_len: int) -> tuple[list[int], list[int]]:
    """The app's own input (input.ts / inputs.py): [CLS] marked context [SEP] [supporter]reply [SEP], with types."""
    role = {0: "seeker", 1: "supporter"}
    b = build_input([tok.encode_turn(role[r], t) for r, t in item["context"]], tok.encode_turn("supporter", item["response"]),
                    max_len, tok.cls_id, tok.sep_id)
    return b.input_ids, b.token_type_ids


def feature_ids(tok, item: dict, pair_len: int) -> tuple[list[int], list[int]]:
    prefix = tok.encode("query: ")
    reply = tok.encode(item["response"])
    one = [tok.cls_id] + prefix + reply[:pair_len - 2 - len(prefix)] + [tok.sep_id]
    ctx = tok.encode("\n".join(t for _, t in item["context"]) + "\n") if item["context"] else []
    resp = reply[:pair_len // 2]
    room = pair_len - 2 - len(prefix) - len(resp)
    two = [tok.cls_id] + prefix + (ctx[-room:] if room > 0 else []) + resp + [tok.sep_id]
    return one, two


@torch.no_grad()
def embed(model: BertModel, seqs: list[list[int]], pad: int, max_layer: int, types: list[list[int]] | None = None,
          batch: int = 16) -> dict[int, np.ndarray]:
    """Mean-pooled hidden states after each layer in LAYERS up to `max_layer` (the rest is not run)."""
    want = [l for l in LAYERS if l <= min(max_layer, model.config.num_hidden_layers)]
    out = {l: np.zeros((len(seqs), model.config.hidden_size), np.float32) for l in want}
    order = sorted(range(len(seqs)), key=lambda i: len(seqs[i]))
    for s in range(0, len(order), batch):
        idx = order[s:s + batch]
        width = max(len(seqs[i]) for i in idx)
        ids = torch.full((len(idx), width), pad, dtype=torch.long)
        att, tt = torch.zeros_like(ids), torch.zeros_like(ids)
        for r, i in enumerate(idx):
            ids[r, :len(seqs[i])] = torch.tensor(seqs[i])
            att[r, :len(seqs[i])] = 1
            if types is not None:
                tt[r, :len(seqs[i])] = torch.tensor(types[i])
        bias = (1.0 - att[:, None, None, :].float()) * -10000.0
        x = model.embeddings(ids, tt)
        m = att.float().unsqueeze(-1)
        for l, layer in enumerate(model.encoder.layer[:want[-1]], start=1):
            x = layer(x, bias)
            if l in out:
                out[l][idx] = ((x * m).sum(1) / m.sum(1)).numpy()
    return out


def features(a, items: list[dict], cache: Path) -> dict[str, np.ndarray]:
    """Cached per input kind (`cache`-reply.npz, `cache`-pair.npz), so a cut-off run keeps what it finished."""
    feats = {}
    todo = []
    for kind in a.kinds:
        path = cache.with_name(f"{cache.stem}-{kind}.npz")
        if path.exists():
            feats |= dict(np.load(path))
        else:
            todo.append((kind, path))
    if not todo:
        return feats
    cfg, sd = read_checkpoint_dir(a.e5)
    model = BertModel(cfg)
    model.load_state_dict(sd, strict=True)
    model.eval()
    tok = load_any(a.e5 / "tokenizer.json")
    t0 = time.time()
    pairs = [feature_ids(tok, it, a.pair_len) for it in items]
    engine = [engine_ids(tok, it, a.engine_len) for it in items]
    cache.parent.mkdir(parents=True, exist_ok=True)
    for kind, path in todo:
        max_layer = 12 if kind == "reply" else a.pair_max_layer
        if kind == "engine":
            seqs, types = [e[0] for e in engine], [e[1] for e in engine]
        else:
            seqs, types = [p[0 if kind == "reply" else 1] for p in pairs], None
        got = {f"{kind}{l}": v for l, v in embed(model, seqs, tok.pad_id, max_layer, types).items()}
        np.savez(path, **got)
        feats |= got
        print(f"features {kind} (layers ≤ {max_layer}): {time.time() - t0:.0f}s", flush=True)
    return feats


class Head(torch.nn.Module):
    def __init__(self, dim: int, wide: int):
        super().__init__()
        self.linear = torch.nn.Linear(dim, len(LABELS))
        self.wide = WideNgrams(wide, len(LABELS), 2) if wide else None

    def forward(self, x, wide_in):
        out = self.linear(x)
        if self.wide is not None:
            out = out + self.wide(*wide_in)
        return out


def train_head(x, wide_items, labels, weights, a, seed, char_tok) -> Head:
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    head = Head(x.shape[1], a.wide_buckets if wide_items is not None else 0)
    groups = [{"params": head.linear.parameters(), "lr": a.lr, "weight_decay": a.decay}]
    if head.wide is not None:
        groups.append({"params": head.wide.parameters(), "lr": a.wide_lr, "weight_decay": 0.0})
    opt = torch.optim.AdamW(groups)
    steps = a.epochs * math.ceil(len(labels) / a.batch)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: max(0.0, (steps - s) / steps))
    cw = torch.tensor(CLASS_WEIGHTS, dtype=torch.float)
    y, w = torch.tensor(labels), torch.tensor(weights, dtype=torch.float)
    for _ in range(a.epochs):
        order = rng.permutation(len(labels))
        for i in range(0, len(order), a.batch):
            b = order[i:i + a.batch]
            wide_in = collate([wide_items[j] for j in b], char_tok, 128) if wide_items is not None else None
            loss = F.cross_entropy(head(x[b], wide_in), y[b], weight=cw, reduction="none")
            loss = (loss * w[b]).sum() / (cw[y[b]] * w[b]).sum()
            if head.wide is not None:
                loss = loss + a.wide_decay * head.wide.table.weight.pow(2).sum()
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            sched.step()
    return head


@torch.no_grad()
def predict(head: Head, x, wide_items, char_tok) -> np.ndarray:
    out = []
    for i in range(0, len(x), 64):
        wide_in = collate(wide_items[i:i + 64], char_tok, 128) if wide_items is not None else None
        out.append(head(x[i:i + 64], wide_in).argmax(-1).numpy())
    return np.concatenate(out)


def write_final(a, head: Head, mu: np.ndarray, sd: np.ndarray, layer: int, wide_tok, out: Path, meta: dict):
    """A `finetune`-style final folder (model.pt, config.json, tokenizer.json) for `training export`: the e5
    encoder cut to `layer` layers (from --final-encoder, the full-vocabulary import), frozen, with the linear
    head on its mean-pooled output (standardization folded into the weights) and the wide part."""
    from .model import BertConfig, BertForSequenceClassification

    cfg, sd_enc = read_checkpoint_dir(a.final_encoder)
    cfg = BertConfig.from_dict({**cfg.to_dict(), "num_hidden_layers": layer})
    wide = head.wide.buckets if head.wide is not None else 0
    model = BertForSequenceClassification(cfg, len(LABELS), wide, 2)
    own = model.bert.state_dict()
    model.bert.load_state_dict({k: v for k, v in sd_enc.items() if k in own}, strict=True)
    w = head.linear.weight.detach() / torch.from_numpy(sd).float()
    model.classifier.weight.data = w
    model.classifier.bias.data = head.linear.bias.detach() - w @ torch.from_numpy(mu).float()
    if wide:
        model.wide.table.weight.data = head.wide.table.weight.detach().clone()
    out.mkdir(parents=True, exist_ok=True)
    torch.save(model.state_dict(), out / "model.pt")
    xinan = {"labels": LABELS, "max_len": a.engine_len, "init": str(a.final_encoder), "wide_buckets": wide,
             "wide_ngrams": 2, "frozen_encoder": True, **meta}
    (out / "config.json").write_text(json.dumps({"model_type": "bert", **cfg.to_dict(), "xinan": xinan}, indent=1))
    (out / "tokenizer.json").write_text(json.dumps(wide_tok.to_json(), ensure_ascii=False), encoding="utf-8")
    return model


def group_folds(groups: list[str], k: int, seed: int) -> list[np.ndarray]:
    uniq = sorted(set(groups))
    rng = np.random.default_rng(seed)
    rng.shuffle(uniq)
    fold_of = {g: i % k for i, g in enumerate(uniq)}
    return [np.array([i for i, g in enumerate(groups) if fold_of[g] == f]) for f in range(k)]


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--e5", type=Path, default=ROOT / "runs/e5/L12")
    p.add_argument("--dev", type=Path, default=ROOT.parent / "shared/data/dialoguesafety/dev.json")
    p.add_argument("--synthetic", type=Path, default=ROOT.parent / "shared/data/dialoguesafety-synthetic/train.jsonl")
    p.add_argument("--char-tokenizer", type=Path, default=ROOT / "test/fixtures/models/xinan-safety-zh-v2/tokenizer.json")
    p.add_argument("--out", type=Path, default=ROOT / "runs/e5-probe")
    p.add_argument("--pair-len", type=int, default=128)
    p.add_argument("--pair-max-layer", type=int, default=6,
                   help="context+reply features only up to this layer (12 costs 2× the CPU; the 25 MB int8 limit rules L12 out)")
    p.add_argument("--kinds", nargs="+", default=["reply", "engine"], choices=["reply", "pair", "engine"],
                   help="inputs to embed (engine: the app's own input format, which a shipped model would see)")
    p.add_argument("--engine-len", type=int, default=128)
    p.add_argument("--feats", nargs="*", default=["reply", "engine", "reply+engine"], help="(none: only --final)")
    p.add_argument("--layers", type=int, nargs="+", default=list(LAYERS))
    p.add_argument("--wide", type=int, nargs="+", default=[0, 1], help="0: e5 features only; 1: plus the wide part")
    p.add_argument("--syn-weights", type=float, nargs="+", default=[0.0, 0.3, 1.0])
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--epochs", type=int, default=10)
    p.add_argument("--batch", type=int, default=16)
    p.add_argument("--lr", type=float, default=3e-3)
    p.add_argument("--decay", type=float, default=1e-2)
    p.add_argument("--wide-buckets", type=int, default=65536)
    p.add_argument("--wide-lr", type=float, default=2e-2)
    p.add_argument("--wide-decay", type=float, default=1e-4)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--wide-tokenizer", choices=["char", "e5"], default="char",
                   help="ids the wide part hashes: the shipped char tokenizer's, or e5's pieces (what a shipped e5 model sees)")
    p.add_argument("--final", default=None, metavar="LAYER:WIDE:SYN_WEIGHT",
                   help="after CV, train the engine-feature head on all dev (+ synthetic) items and write a final folder")
    p.add_argument("--final-encoder", type=Path, default=ROOT / "runs/e5/L12",
                   help="the full-vocabulary import whose first LAYER layers the final folder keeps")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    dev, syn = load_dev(a.dev), load_synthetic(a.synthetic)
    feats = features(a, dev + syn, a.out / "features.npz")
    # The wide part's ids: with e5 pieces the final folder must use the same vocabulary (--final-encoder's).
    char_tok = Tokenizer.load(a.char_tokenizer) if a.wide_tokenizer == "char" else load_any(a.final_encoder / "tokenizer.json")
    wide_all = encode_dev(dev + syn, char_tok)
    labels = np.array([it["label"] for it in dev + syn])
    n_dev = len(dev)
    folds = stratified_folds(labels[:n_dev].tolist(), 5, a.seed)
    syn_folds = group_folds([it["group"] for it in syn], 5, a.seed)
    results = []
    for wide in a.wide:
        for kind in a.feats:
            for layer in a.layers:
                if any(f"{k}{layer}" not in feats for k in kind.split("+")):
                    continue
                cols = [feats[f"{k}{layer}"] for k in kind.split("+")]
                x_all = np.concatenate(cols, 1)
                for sw in a.syn_weights:
                    t0 = time.time()
                    reps, syn_pred = [], np.zeros(len(syn), int)
                    oof = np.zeros(n_dev, int)
                    for f in range(5):
                        val = set(folds[f].tolist())
                        tr = [i for i in range(n_dev) if i not in val]
                        if sw > 0:
                            tr += [n_dev + i for g in range(5) if g != f for i in syn_folds[g].tolist()]
                        mu, sd = x_all[tr].mean(0), x_all[tr].std(0) + 1e-6
                        x = torch.from_numpy((x_all - mu) / sd).float()
                        weights = [1.0 if i < n_dev else sw for i in tr]
                        head = train_head(x[tr], [wide_all[i] for i in tr] if wide else None, labels[tr].tolist(),
                                          weights, a, a.seed + f, char_tok)
                        vi = folds[f]
                        pred = predict(head, x[vi], [wide_all[i] for i in vi] if wide else None, char_tok)
                        oof[vi] = pred
                        reps.append(report(labels[vi], pred, len(LABELS)))
                        si = n_dev + syn_folds[f]
                        syn_pred[syn_folds[f]] = predict(head, x[si], [wide_all[i] for i in si] if wide else None, char_tok)
                    s = mean_std(reps)
                    pooled = report(labels[:n_dev], oof, len(LABELS))
                    macro = float(np.mean([c["f1"] for c in pooled["per_class"]]))
                    syn_rep = report(labels[n_dev:], syn_pred, len(LABELS))
                    row = {"feats": kind, "layer": layer, "wide": bool(wide), "syn_weight": sw,
                           "acc": s["accuracy"]["mean"], "acc_std": s["accuracy"]["std"],
                           "weighted_f1": s["weighted_f1"]["mean"], "macro_f1_pooled": macro,
                           "binary_f1": s["binary_f1"]["mean"], "binary_acc": s["binary_accuracy"]["mean"],
                           "dev_recall": [round(c["recall"], 3) for c in pooled["per_class"]],
                           "syn_recall_harmful": {LABELS[c]: round(syn_rep["per_class"][c]["recall"], 3) for c in HARMFUL}
                           if sw > 0 else None}
                    results.append(row)
                    print(f"{kind:10s} L{layer:<2d} wide {int(bool(wide))} syn {sw:.1f}: acc {row['acc'] * 100:.1f}"
                          f"±{row['acc_std'] * 100:.1f} wF1 {row['weighted_f1'] * 100:.1f} macroF1 {macro * 100:.1f} "
                          f"binF1 {row['binary_f1'] * 100:.1f} recall {row['dev_recall']} "
                          f"syn {row['syn_recall_harmful']} ({time.time() - t0:.0f}s)", flush=True)
                    (a.out / "results.json").write_text(json.dumps(results, indent=1))
    if a.final:
        layer, wide, sw = a.final.split(":")
        layer, wide, sw = int(layer), int(wide), float(sw)
        x_all = feats[f"engine{layer}"]
        tr = list(range(n_dev)) + ([n_dev + i for i in range(len(syn))] if sw > 0 else [])
        mu, sd = x_all[tr].mean(0), x_all[tr].std(0) + 1e-6
        x = torch.from_numpy((x_all - mu) / sd).float()
        head = train_head(x[tr], [wide_all[i] for i in tr] if wide else None, labels[tr].tolist(),
                          [1.0 if i < n_dev else sw for i in tr], a, a.seed, char_tok)
        out = a.out / f"final-L{layer}-wide{wide}-syn{sw}"
        model = write_final(a, head, mu, sd, layer, char_tok, out,
                            {"probe": f"engine L{layer} wide {wide} syn {sw}", "epochs": a.epochs, "lr": a.lr})
        # Check: the assembled model reproduces the head's predictions on dev from the raw input.
        model.eval()
        with torch.no_grad():
            ids, att, types = collate(wide_all[:64], char_tok, a.engine_len)
            full = model(ids, att, types)[0].argmax(-1).numpy()
        probe = predict(head, x[:64], wide_all[:64] if wide else None, char_tok)
        print(f"final folder {out}: agrees with the probe head on {int((full == probe).sum())}/64 dev items", flush=True)


if __name__ == "__main__":
    main()
