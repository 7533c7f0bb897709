"""Fine-tuning on dev.json: stratified 5-fold CV report, weak-label ablation, then the final model.

Every fold starts from the same pretrained encoder (or an HF checkpoint folder via --init, or a
random one via --fresh-encoder), trains for a fixed number of epochs (no early stopping: the
held-out fold is never looked at while training) with the paper's class-weighted cross-entropy, and
is scored once. `--extra PATH[:WEIGHT]` adds labeled items (e.g. the synthetic set) to the training
folds only, split by group, and reports recall on each file's held-out groups (training/extra.py).
"""
from __future__ import annotations

import json
import math
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from .corpus import load_dev
from .extra import cv_plan, load_extra, prior_shift_bias
from .inputs import build_input
from .metrics import mean_std, report, stratified_folds
from .model import BertConfig, BertForSequenceClassification, load_hf_state_dict, read_checkpoint_dir
from .runlog import RunLog, set_threads
from .tokenizer import Tokenizer, tokenizer_json
from .unigram import load_any

LABELS = ["Nonsense", "Humanoid Mimicry", "Linguistic Neglect", "Unamiable Judgment", "Toxic Language",
          "Unauthorized Preachment", "Nonfactual Statement", "Safe Response"]
CLASS_WEIGHTS = [2, 2, 0.5, 2, 2, 2, 2, 0.5]  # Qiu et al. 2023


def add_args(p):
    here = Path(__file__).resolve().parent.parent
    p.add_argument("--dev", type=Path, default=here.parent / "shared/data/dialoguesafety/dev.json")
    p.add_argument("--init", type=Path, default=None, help="encoder folder (default: RUNS/pretrain/model)")
    p.add_argument("--epochs", type=int, default=6)
    p.add_argument("--lr", type=float, default=2e-4)
    p.add_argument("--batch", type=int, default=16)
    p.add_argument("--max-len", type=int, default=256)
    p.add_argument("--folds", type=int, default=5)
    p.add_argument("--freeze-encoder", action="store_true",
                   help="train only the classifier head (on the pooled output) and the wide part")
    p.add_argument("--clip-encoder-only", action="store_true",
                   help="clip the encoder side's gradients only, not the wide table's (the *-clipdeep runs)")
    p.add_argument("--wide-buckets", type=int, default=0,
                   help="add a hashed char uni/bigram linear part with N buckets (0: encoder only)")
    p.add_argument("--wide-ngrams", type=int, default=2, choices=(2, 3), help="longest n-gram of the wide part")
    p.add_argument("--wide-lr", type=float, default=2e-2)
    p.add_argument("--wide-decay", type=float, default=1e-4, help="L2 on the wide table")
    p.add_argument("--weak", default="", help="comma list of kind:count, e.g. neglect:300,safe:300")
    p.add_argument("--no-cv", action="store_true", help="skip CV, train only the final model")
    p.add_argument("--no-final", action="store_true", help="CV only")
    p.add_argument("--name", default=None, help="run sub-folder (default: derived from --weak)")
    p.add_argument("--limit", type=int, default=None, help="use only N dev items (smoke runs)")
    p.add_argument("--extra", action="append", default=[], metavar="PATH[:WEIGHT]",
                   help="labeled JSON/JSONL ({context,response,label,group?}) added to the training folds only, "
                        "with a sample weight (default 1); repeatable")
    p.add_argument("--class-weights", default=None,
                   help="8 comma-separated loss weights (default: the paper's 2,2,0.5,2,2,2,2,0.5)")
    p.add_argument("--fresh-encoder", default=None, metavar="LAYERS:HIDDEN:HEADS:FFN",
                   help="a randomly initialised encoder of this shape instead of --init (with --tokenizer)")
    p.add_argument("--wide-only", action="store_true",
                   help="train the wide part only: encoder frozen, classifier weights zero (its bias carries "
                        "--prior-adjust), so the logits are the n-gram model's")
    p.add_argument("--prior-adjust", type=float, default=0.0, metavar="TAU",
                   help="add TAU·log(p_dev/p_train) to the classifier bias after training (training/extra.py)")
    p.add_argument("--tokenizer", type=Path, default=here / "test/fixtures/models/xinan-safety-zh-v2/tokenizer.json",
                   help="tokenizer.json for --fresh-encoder")


def load_init(path: Path):
    """(config, state dict, tokenizer) from our pretrain folder or an HF checkpoint folder."""
    cfg, sd = read_checkpoint_dir(path)
    if (path / "tokenizer.json").exists():
        tok = load_any(path / "tokenizer.json")
    else:  # an HF folder with vocab.txt only (e.g. bert-base-chinese): add our speaker markers
        vocab = (path / "vocab.txt").read_text(encoding="utf-8").split("\n")
        vocab = [v for v in vocab if v] + [m for m in ("[seeker]", "[supporter]") if m not in vocab]
        tok = Tokenizer(vocab)
    return cfg, sd, tok


def fresh_init(shape: str, tokenizer: Path):
    """(config, empty state dict, tokenizer) for a random encoder of shape LAYERS:HIDDEN:HEADS:FFN."""
    layers, hidden, heads, ffn = (int(x) for x in shape.split(":"))
    tok = Tokenizer.load(tokenizer)
    cfg = BertConfig.from_dict({"vocab_size": len(tok), "hidden_size": hidden, "num_hidden_layers": layers,
                                "num_attention_heads": heads, "intermediate_size": ffn})
    return cfg, {}, tok


def new_model(cfg: BertConfig, sd: dict, vocab_size: int, wide_buckets: int = 0,
              wide_ngrams: int = 2) -> BertForSequenceClassification:
    if vocab_size > cfg.vocab_size:  # markers appended to an HF vocab: grow the embedding table
        emb = sd.get("bert.embeddings.word_embeddings.weight", sd.get("embeddings.word_embeddings.weight"))
        extra = emb.new_empty(vocab_size - cfg.vocab_size, emb.shape[1]).normal_(0, cfg.initializer_range)
        grown = torch.cat([emb, extra])
        sd = {k: (grown if k.endswith("embeddings.word_embeddings.weight") else v) for k, v in sd.items()}
        cfg = BertConfig.from_dict({**cfg.to_dict(), "vocab_size": vocab_size})
    model = BertForSequenceClassification(cfg, len(LABELS), wide_buckets, wide_ngrams)
    if sd:  # empty for --fresh-encoder: keep the random initialisation
        load_hf_state_dict(model, sd)
    return model


def encode_dev(items: list[dict], tok: Tokenizer) -> list[dict]:
    role = {0: "seeker", 1: "supporter"}
    return [{"context": [tok.encode_turn(role[r], t) for r, t in it["context"]],
             "response": tok.encode_turn("supporter", it["response"]), "label": it["label"], "id": it["id"],
             "weight": it.get("weight", 1.0)}
            for it in items]


def class_weights(spec: str | None) -> torch.Tensor:
    w = [float(x) for x in spec.split(",")] if spec else CLASS_WEIGHTS
    if len(w) != len(LABELS):
        raise ValueError(f"--class-weights needs {len(LABELS)} numbers, got {len(w)}")
    return torch.tensor(w, dtype=torch.float)


def weighted_ce(logits, batch: list[dict], cw: torch.Tensor) -> torch.Tensor:
    """Class-weighted cross-entropy with per-item sample weights: sum(s·c·ce) / sum(s·c).

    With all sample weights 1 this is exactly F.cross_entropy(..., weight=cw) (its weighted mean).
    """
    y = torch.tensor([it["label"] for it in batch])
    s = torch.tensor([it.get("weight", 1.0) for it in batch], dtype=torch.float) * cw[y]
    return (F.cross_entropy(logits, y, reduction="none") * s).sum() / s.sum()


def collate(items: list[dict], tok: Tokenizer, max_len: int):
    built = [build_input(it["context"], it["response"], max_len, tok.cls_id, tok.sep_id) for it in items]
    width = max(len(b.input_ids) for b in built)
    ids = torch.zeros(len(built), width, dtype=torch.long)
    types = torch.zeros_like(ids)
    for i, b in enumerate(built):
        ids[i, :len(b.input_ids)] = torch.tensor(b.input_ids)
        types[i, :len(b.token_type_ids)] = torch.tensor(b.token_type_ids)
    return ids, (ids != tok.pad_id).long(), types


def batches(items: list[dict], size: int, rng) -> list[list[dict]]:
    """Shuffled batches of similar length, so little time goes into padding."""
    order = rng.permutation(len(items))
    chunks = [order[i:i + size * 8] for i in range(0, len(order), size * 8)]
    out = []
    for ch in chunks:
        ch = sorted(ch, key=lambda i: len(items[i]["response"]) + sum(map(len, items[i]["context"])))
        out += [[items[i] for i in ch[j:j + size]] for j in range(0, len(ch), size)]
    return [out[i] for i in rng.permutation(len(out))]


def train(model, items, tok, a, seed: int, log=None):
    rng = np.random.default_rng(seed)
    torch.manual_seed(seed)
    steps = a.epochs * math.ceil(len(items) / a.batch)
    if a.freeze_encoder or a.wide_only:  # a weakly pretrained encoder overfits 480 items when fine-tuned
        for p in model.bert.parameters():
            p.requires_grad_(False)
    if a.wide_only:  # logits = wide part (+ the classifier bias, set by --prior-adjust after training)
        with torch.no_grad():
            model.classifier.weight.zero_()
            model.classifier.bias.zero_()
        model.classifier.requires_grad_(False)
    deep = [p for n, p in model.named_parameters() if not n.startswith("wide.") and p.requires_grad]
    groups = [{"params": deep, "lr": a.lr, "weight_decay": 0.01}] if deep else []
    if model.wide is not None:  # the sparse linear part needs a far higher rate than the encoder
        groups.append({"params": list(model.wide.parameters()), "lr": a.wide_lr, "weight_decay": 0.0})
    opt = torch.optim.AdamW(groups)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min((s + 1) / max(1, 0.1 * steps), max(0.0, (steps - s) / (0.9 * steps))))
    weights = class_weights(a.class_weights)
    model.train()
    for ep in range(a.epochs):
        tot, n = 0.0, 0
        for b in batches(items, a.batch, rng):
            ids, att, types = collate(b, tok, a.max_len)
            logits, _ = model(ids, att, types)
            loss = weighted_ce(logits, b, weights)
            if model.wide is not None:
                used = model.wide.table.weight
                loss = loss + a.wide_decay * used.pow(2).sum()
            opt.zero_grad(set_to_none=True)
            loss.backward()
            # --clip-encoder-only: the wide table's small, sparse gradients are otherwise scaled down
            # by the encoder's norm (wide_probe trains it unclipped). Off by default: the shipped model
            # was trained with everything clipped together.
            if deep or not a.clip_encoder_only:
                torch.nn.utils.clip_grad_norm_(deep if a.clip_encoder_only else model.parameters(), 1.0)
            opt.step()
            sched.step()
            tot, n = tot + loss.item() * len(b), n + len(b)
        if log:
            log(f"  epoch {ep + 1}/{a.epochs} loss {tot / n:.4f}")
    return model


@torch.no_grad()
def predict(model, items, tok, max_len: int, batch: int = 32) -> np.ndarray:
    model.eval()
    out = []
    for i in range(0, len(items), batch):
        ids, att, types = collate(items[i:i + batch], tok, max_len)
        out.append(model(ids, att, types)[0].softmax(-1).numpy())
    return np.concatenate(out)


def parse_weak(spec: str) -> list[tuple[str, int]]:
    out = []
    for part in filter(None, spec.split(",")):
        kind, _, n = part.partition(":")
        out.append((kind.strip(), int(n or 300)))
    return out


def weak_items(a, tok) -> list[dict]:
    spec = parse_weak(a.weak)
    if not spec:
        return []
    from .pretrain import Packed
    from .weak import generate

    pk = Packed(a.runs / "pack/corpus.npz", tok)
    return [it for kind, n in spec for it in generate(pk, tok, kind, n, a.seed)]


def adjust_prior(model, base: list[dict], full: list[dict], a) -> list[float]:
    """--prior-adjust: fold the logit offsets of training/extra.py into the classifier bias (exported as is)."""
    bias = prior_shift_bias(base, full, class_weights(a.class_weights).tolist(), a.prior_adjust)
    with torch.no_grad():
        model.classifier.bias += torch.tensor(bias, dtype=torch.float)
    return bias.tolist()


def recall_report(gold, pred) -> dict:
    """Per-class recall (None where the class is absent) and accuracy, for held-out extra items."""
    gold, pred = np.asarray(gold), np.asarray(pred)
    rec = [float((pred[gold == c] == c).mean()) if (gold == c).any() else None for c in range(len(LABELS))]
    return {"accuracy": float((gold == pred).mean()) if len(gold) else None, "recall": rec,
            "support": [int((gold == c).sum()) for c in range(len(LABELS))],
            "binary_recall_unsafe": float((pred[gold != 7] != 7).mean()) if (gold != 7).any() else None}


def run(a):
    set_threads(a.threads)
    name = a.name or ("base" if not a.weak else a.weak.replace(":", "").replace(",", "+"))
    out = a.runs / "finetune" / name
    log = RunLog(out, "finetune", vars(a))
    if a.fresh_encoder:
        init = f"fresh:{a.fresh_encoder}"
        cfg, sd, tok = fresh_init(a.fresh_encoder, a.tokenizer)
    else:
        init = a.init or a.runs / "pretrain/model"
        cfg, sd, tok = load_init(init)
    items = encode_dev(load_dev(a.dev), tok)[: a.limit]
    weak = weak_items(a, tok)
    extras = [load_extra(spec) for spec in a.extra]
    ex_items = [encode_dev([{**it, "weight": e.weight} for it in e.items], tok) for e in extras]
    log(f"dev items {len(items)} weak items {len(weak)} init {init} extra "
        + (", ".join(f"{e.path} ({len(e.items)} items, weight {e.weight})" for e in extras) or "none"))
    labels = [it["label"] for it in items]
    if not a.no_cv:
        oof = np.zeros((len(items), len(LABELS)))
        ex_oof = [np.zeros((len(x), len(LABELS))) for x in ex_items]
        reports, ex_reports = [], [[] for _ in extras]
        plan = cv_plan(labels, [[it["group"] for it in e.items] for e in extras], a.folds, a.seed)
        for f, fold in enumerate(plan):
            t0 = time.time()
            tr = [items[i] for i in fold.dev_train] + weak
            for x, idx in zip(ex_items, fold.extra_train):
                tr += [x[i] for i in idx]
            model = train(new_model(cfg, sd, len(tok), a.wide_buckets, a.wide_ngrams), tr, tok, a, a.seed + f)
            adjust_prior(model, [items[i] for i in fold.dev_train], tr, a)
            val_idx = fold.dev_val
            probs = predict(model, [items[i] for i in val_idx], tok, a.max_len)
            oof[val_idx] = probs
            rep = report([labels[i] for i in val_idx], probs.argmax(1), len(LABELS))
            reports.append(rep)
            msg = ""
            for j, (x, idx) in enumerate(zip(ex_items, fold.extra_val)):
                ex_oof[j][idx] = predict(model, [x[i] for i in idx], tok, a.max_len)
                r = recall_report([x[i]["label"] for i in idx], ex_oof[j][idx].argmax(1))
                ex_reports[j].append(r)
                msg += f" | {extras[j].name} acc {r['accuracy']:.3f}"
            log(f"fold {f}: acc {rep['accuracy']:.4f} wF1 {rep['weighted_f1']:.4f} mF1 {rep['macro_f1']:.4f} "
                f"bin {rep['binary_accuracy']:.4f} binF1 {rep['binary_f1']:.4f}{msg} ({time.time() - t0:.0f}s)")
        summary = {"protocol": f"stratified {a.folds}-fold CV on dev.json ({len(items)} items), seed {a.seed}",
                   "settings": {k: str(v) for k, v in vars(a).items()}, "folds": reports,
                   "summary": mean_std(reports), "pooled": report(labels, oof.argmax(1), len(LABELS))}
        if extras:
            summary["extra_protocol"] = (f"each --extra file split into {a.folds} folds by group (seed {a.seed}); "
                                         "fold k's model, trained without those groups, scores them")
            summary["extra"] = [{"path": str(e.path), "weight": e.weight, "items": len(e.items),
                                 "pooled": recall_report([it["label"] for it in x], o.argmax(1)), "folds": r}
                                for e, x, o, r in zip(extras, ex_items, ex_oof, ex_reports)]
            for e, x, o in zip(extras, ex_items, ex_oof):
                np.save(out / f"oof_probs_{e.name}.npy", o)
        (out / "cv.json").write_text(json.dumps(summary, indent=1))
        np.save(out / "oof_probs.npy", oof)
        s = summary["summary"]
        log(f"CV acc {s['accuracy']['mean']:.4f}±{s['accuracy']['std']:.4f} "
            f"wF1 {s['weighted_f1']['mean']:.4f}±{s['weighted_f1']['std']:.4f} "
            f"mF1 {s['macro_f1']['mean']:.4f}±{s['macro_f1']['std']:.4f} "
            f"bin acc {s['binary_accuracy']['mean']:.4f}±{s['binary_accuracy']['std']:.4f} "
            f"binF1 {s['binary_f1']['mean']:.4f}±{s['binary_f1']['std']:.4f}")
        for e in summary.get("extra", []):
            log(f"held-out {e['path']}: recall per class "
                + " ".join("-" if r is None else f"{r:.2f}" for r in e["pooled"]["recall"]))
    if not a.no_final:
        train_items = items + weak + [it for x in ex_items for it in x]
        model = train(new_model(cfg, sd, len(tok), a.wide_buckets, a.wide_ngrams), train_items, tok, a, a.seed, log)
        bias = adjust_prior(model, items, train_items, a)
        if a.prior_adjust:
            log(f"prior adjustment (classifier bias offsets) {[round(b, 3) for b in bias]}")
        final = out / "final"
        final.mkdir(parents=True, exist_ok=True)
        torch.save(model.state_dict(), final / "model.pt")
        meta = {"labels": LABELS, "max_len": a.max_len, "init": str(init), "weak": a.weak,
                "extra": [f"{e.path.name}:{e.weight}" for e in extras], "class_weights": a.class_weights,
                "wide_only": a.wide_only, "prior_adjust": a.prior_adjust,
                "wide_buckets": a.wide_buckets, "wide_ngrams": a.wide_ngrams,
                "epochs": a.epochs, "lr": a.lr, "seed": a.seed}
        (final / "config.json").write_text(json.dumps({"model_type": "bert", **model.bert.config.to_dict(),
                                                       "xinan": meta}, indent=1))
        tj = tok.to_json() if hasattr(tok, "to_json") else tokenizer_json(tok.vocab)
        (final / "tokenizer.json").write_text(json.dumps(tj, ensure_ascii=False))
        log(f"saved final model to {final}")
