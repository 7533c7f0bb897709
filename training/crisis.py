"""`python3 -m training crisis`: the five PsyCrisis points of a reply (--task reply, train.jsonl) or
risk in a seeker's message (--task seeker, PsySUICIDE). Nested 5-fold CV, reported overall and per
group (reply: pool A corpus vs B written replies; seeker: data_source), then the final model on all
items, exported to an int8 ONNX model folder the TS engine loads (problem_type multi_label).

Folds are stratified on group + the rarest labels, so every fold sees both pools and risk positives.
"""
from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np
import torch

from .crisis_features import RULES, Featurizer
from .crisis_metrics import binary_scores, summarize
from .crisis_model import CrisisNet, Standardize, choose_lambda, encoder_features, fit_logreg, load_bert, \
    predict_logreg
from .inputs import build_input
from .metrics import stratified_folds
from .model import read_checkpoint_dir
from .runlog import RunLog, set_threads
from .tokenizer import Tokenizer

ROOT = Path(__file__).resolve().parent.parent
DIMS = ["empathy", "regulation", "exploration", "risk", "referral"]
SEEKER_DIMS = ["seeker_risk"]
NO_RISK = "与自杀/自伤/攻击行为无关"  # PsySUICIDE's "unrelated" label; every other label counts as risk


def add_args(p):
    p.add_argument("--task", choices=["reply", "seeker"], default="reply")
    p.add_argument("--data", type=Path, default=None,
                   help="default: shared psycrisis/train.jsonl (reply) or psysuicide_valid_test.jsonl (seeker)")
    p.add_argument("--init", type=Path, default=None, help="pretrained encoder folder (default RUNS/pretrain/model)")
    p.add_argument("--encoder", choices=["none", "frozen", "e5"], default="frozen",
                   help="add mean-pooled frozen-encoder features to the n-gram features: the --init encoder (frozen) "
                        "or the imported e5 (e5: --e5, --e5-layer, --e5-use; training/crisis_e5.py)")
    p.add_argument("--e5", type=Path, default=None, help="imported e5 folder (default RUNS/e5/L12)")
    p.add_argument("--e5-layer", type=int, default=5, help="e5 features after this layer")
    p.add_argument("--e5-use", default="r", help="e5 features: r (the reply) or r+c (reply and context)")
    p.add_argument("--no-rules", action="store_true", help="drop the keyword-rule features (ablation)")
    p.add_argument("--augment", choices=["none", "add", "both"], default="none",
                   help="risk head: add counterfactual copies: A reply + risk question (add); and risk-1 replies "
                        "with their risk clauses removed (both)")
    p.add_argument("--risk-features", choices=["all", "rules"], default="all",
                   help="features the risk head may use: everything, or the keyword rules only")
    p.add_argument("--min-df", type=int, default=2)
    p.add_argument("--max-len", type=int, default=256)
    p.add_argument("--folds", type=int, default=5)
    p.add_argument("--limit", type=int, default=None, help="use only N items (smoke runs)")
    p.add_argument("--name", default=None, help="run sub-folder (default: task + feature set)")
    p.add_argument("--no-cv", action="store_true")
    p.add_argument("--out", type=Path, default=None, help="write the final model folder here (else no export)")
    p.add_argument("--fixture", type=Path, default=None,
                   help="train.jsonl-format file: write the exported model's expected probabilities next to it")


def encode_reply(rec: dict, tok: Tokenizer) -> dict:
    turns = [(c["role"], c["text"]) for c in rec["context"]] + [("seeker", rec["seeker"])]
    return {"context": [tok.encode_turn(r, t) for r, t in turns],
            "response": tok.encode_turn("supporter", rec["reply"])}


def read_jsonl(path: Path, limit: int | None = None) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()][:limit]


def load_items(task: str, path: Path, tok: Tokenizer, limit: int | None) -> tuple[list[dict], np.ndarray, list[str]]:
    recs = read_jsonl(path, limit)
    if task == "reply":
        items = [encode_reply(r, tok) for r in recs]
        y = np.array([[r["labels"][d] for d in DIMS] for r in recs], dtype=np.float32)
        return items, y, [r["pool"] for r in recs]
    # The seeker's message alone, scored through the same engine API: it is the one context turn
    # and the reply is empty, so the TS side needs no second input builder.
    items = [{"context": [tok.encode_turn("seeker", r["text"])], "response": tok.encode_turn("supporter", "")}
             for r in recs]
    y = np.array([[float(any(lab != NO_RISK for lab in r["labels"]))] for r in recs], dtype=np.float32)
    return items, y, [r["data_source"] for r in recs]


def segments(items: list[dict], tok: Tokenizer, max_len: int, segment: int) -> list[list[int]]:
    out = []
    for it in items:
        b = build_input(it["context"], it["response"], max_len, tok.cls_id, tok.sep_id)
        out.append([t for t, s in zip(b.input_ids, b.token_type_ids) if s == segment])
    return out


def strat_key(y: np.ndarray, groups: list[str]) -> list[int]:
    rare = [1, 3] if y.shape[1] == 5 else [0]  # regulation and risk are the rarest reply labels
    keys = [g + "".join(str(int(v)) for v in row[rare]) for g, row in zip(groups, y)]
    index = {k: i for i, k in enumerate(sorted(set(keys)))}
    return [index[k] for k in keys]


class Design:
    """Features for one training set: n-gram slots chosen on it, encoder features standardized on it."""

    def __init__(self, tok, segs, enc, tr, a):
        self.feat = Featurizer(tok, [segs[i] for i in tr], a.min_df, rules=[] if a.no_rules else RULES)
        self.std = Standardize(enc[tr]) if enc is not None else None

    def x(self, segs, enc, idx) -> np.ndarray:
        bag = self.feat.transform([segs[i] for i in idx])
        return bag if self.std is None else np.concatenate([bag, self.std(enc[idx])], 1)


def fit(tok, segs, enc, y, tr, a, seed, embed=None):
    d = Design(tok, segs, enc, tr, a)
    x = d.x(segs, enc, tr)
    inner = stratified_folds(strat_key(y[tr], [a._groups[i] for i in tr]), 3, seed)
    lam = choose_lambda(x, y[tr], inner)
    w, b = fit_logreg(x, y[tr], lam)
    if a.task == "reply" and a.risk_features == "rules":
        # Content by construction: the risk head sees only the keyword rules, no style n-grams.
        j = DIMS.index("risk")
        cols = np.arange(d.feat.K, d.feat.K + len(d.feat.rule_names))
        wj, bj = fit_logreg(x[:, cols], y[tr, j:j + 1], lam[j:j + 1])
        w[:, j], b[j] = 0.0, bj[0]
        w[cols, j] = wj[:, 0]
    if a.task == "reply" and a.augment != "none":  # refit the risk head with content-only counterfactuals added
        from .crisis_probe import augment_records

        j = DIMS.index("risk")
        recs, y_aug = augment_records(a._recs, tr, y[:, j], seed, removed=a.augment == "both")
        items = [encode_reply(r, tok) for r in recs]
        x_aug = d.feat.transform(segments(items, tok, a.max_len, 1))
        if d.std is not None:
            x_aug = np.concatenate([x_aug, d.std(embed(recs, items))], 1)
        wj, bj = fit_logreg(np.concatenate([x, x_aug]), np.concatenate([y[tr, j], y_aug])[:, None], lam[j:j + 1])
        w[:, j], b[j] = wj[:, 0], bj[0]
    return d, (w, b), lam


def probe(d, wb, tok, a, val, y, embed) -> list[int]:
    """[#A items with the probe added, #scored risk 1, #risk items with risk clauses cut, #still risk 1]."""
    from .crisis_probe import probe_items

    j = DIMS.index("risk")
    out = []
    for recs in probe_items(a._recs, val, y[:, j]):
        items = [encode_reply(r, tok) for r in recs]
        segs = segments(items, tok, a.max_len, 1)
        x = d.feat.transform(segs)
        if d.std is not None:
            x = np.concatenate([x, d.std(embed(recs, items))], 1)
        out += [len(items), int((predict_logreg(x, wb)[:, j] >= 0.5).sum())]
    return out


def cross_validate(tok, segs, enc, y, groups, a, log, dims, embed):
    probes = np.zeros(4, dtype=int)
    oof = np.zeros_like(y)
    fold_of = np.zeros(len(y), dtype=int)
    for f, val in enumerate(stratified_folds(strat_key(y, groups), a.folds, a.seed)):
        t0 = time.time()
        tr = np.setdiff1d(np.arange(len(y)), val)
        d, wb, lam = fit(tok, segs, enc, y, tr, a, a.seed + f, embed)
        oof[val] = predict_logreg(d.x(segs, enc, val), wb)
        fold_of[val] = f
        if a.task == "reply":
            probes += probe(d, wb, tok, a, val, y, embed)
        accs = " ".join(f"{k} {binary_scores(y[val, j], oof[val, j])['accuracy']:.3f}" for j, k in enumerate(dims))
        log(f"fold {f}: {accs} λ {lam.tolist()} features {d.feat.K} ({time.time() - t0:.1f}s)")
    if a.task == "reply":
        log(f"probe: pool-A replies + a suicide question scored risk 1: {probes[1]}/{probes[0]}; "
            f"risk-1 replies with suicide clauses cut still risk 1: {probes[3]}/{probes[2]}")
    return oof, fold_of, probes.tolist()


def run(a):
    set_threads(a.threads)
    dims = DIMS if a.task == "reply" else SEEKER_DIMS
    segment = 1 if a.task == "reply" else 0
    data = a.data or (ROOT.parent / "shared" / ("data/psycrisis/train.jsonl" if a.task == "reply"
                                                else "corpus/psysuicide/psysuicide_valid_test.jsonl"))
    enc_name = {"none": "bag", "frozen": "bag+enc", "e5": f"bag+e5-L{a.e5_layer}-{a.e5_use}"}[a.encoder]
    name = a.name or (f"{a.task}-{enc_name}{'' if a.no_rules else '+rules'}"
                      f"{'' if a.augment == 'none' else '+aug-' + a.augment}"
                      f"{'+risk-rules' if a.risk_features == 'rules' else ''}")
    out = a.runs / "crisis" / name
    log = RunLog(out, "crisis", vars(a))
    init = a.init or a.runs / "pretrain/model"
    tok = Tokenizer.load(init / "tokenizer.json")
    items, y, groups = load_items(a.task, data, tok, a.limit)
    a._groups, a._recs = groups, read_jsonl(data, a.limit)
    segs = segments(items, tok, a.max_len, segment)
    bert, enc, embed = None, None, None
    if a.encoder == "frozen":
        cfg, sd = read_checkpoint_dir(init)
        bert = load_bert(cfg, sd)
        embed = lambda recs, its: encoder_features(bert, its, tok, a.max_len)  # noqa: E731
    elif a.encoder == "e5":
        if a.task != "reply" or a.out:
            raise SystemExit("--encoder e5 is a CV experiment for --task reply (no export)")
        from .crisis_e5 import E5Features

        e5 = E5Features(a.e5 or a.runs / "e5/L12", a.e5_layer, a.e5_use, a.max_len)
        embed = lambda recs, its: e5(recs)  # noqa: E731
    if embed is not None:
        t0 = time.time()
        enc = embed(a._recs, items)
        log(f"encoder features {enc.shape} in {time.time() - t0:.1f}s")
    log(f"{len(items)} items from {data}; positives {y.sum(0).astype(int).tolist()}; init {init}")
    if not a.no_cv:
        oof, fold_of, probes = cross_validate(tok, segs, enc, y, groups, a, log, dims, embed)
        summary = summarize(y, oof, fold_of, groups, dims)
        summary["risk_probes"] = dict(zip(["added_n", "added_risk1", "removed_n", "removed_still_risk1"], probes))
        summary["protocol"] = (f"nested stratified {a.folds}-fold CV on {data.name} ({len(items)} items), seed {a.seed}; "
                               f"λ per dimension by inner 3-fold CV; threshold 0.5")
        (out / "cv.json").write_text(json.dumps(summary, indent=1, ensure_ascii=False))
        np.save(out / "oof_probs.npy", oof)
        for row in summary["table"]:
            log(row)
    if a.out:
        export(a, tok, segs, enc, y, bert, embed, dims, segment, log)


def export(a, tok, segs, enc, y, bert, embed, dims, segment, log):
    from .crisis_export import write_model_folder

    d, (w, b), lam = fit(tok, segs, enc, y, np.arange(len(y)), a, a.seed, embed)
    net = CrisisNet(d.feat, segment, w, b, bert, d.std).eval()
    log(f"final model: λ {lam.tolist()}, {d.feat.K} n-gram slots")
    write_model_folder(net, tok, dims, a, log)
