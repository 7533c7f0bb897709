"""Masked-LM + response-matching pretraining on corpus dialogues in the task's input format.

Samples are (context turns, supporter turn) pairs built from the packed corpus exactly like the task
input (training/inputs.py). Response matching: the true next supporter turn (label 1) versus a
supporter turn from another dialogue or from elsewhere in the same dialogue (label 0) — the latter is
on-topic but not an answer to what was just said, which is what Linguistic Neglect looks like.
Every batch is drawn from an RNG seeded by (seed, step), so a resumed run sees the same data.
"""
from __future__ import annotations

import json
import math
import shutil
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from .inputs import build_input
from .model import BertConfig, BertForPreTraining
from .runlog import RunLog, set_threads
from .tokenizer import Tokenizer

N_SPECIAL = 7  # ids below this are special tokens and speaker markers, never masked or sampled


def add_args(p):
    p.add_argument("--layers", type=int, default=4)
    p.add_argument("--hidden", type=int, default=256)
    p.add_argument("--heads", type=int, default=4)
    p.add_argument("--intermediate", type=int, default=1024)
    p.add_argument("--max-len", type=int, default=256)
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--steps", type=int, default=1000)
    p.add_argument("--lr", type=float, default=3e-4)
    p.add_argument("--warmup-steps", type=int, default=50)
    p.add_argument("--decay-steps", type=int, default=100,
                   help="linear decay to 0 over the last N steps; the rate before does not depend on --steps")
    p.add_argument("--mask-prob", type=float, default=0.15)
    p.add_argument("--text-frac", type=float, default=0.15, help="share of single-text MLM samples")
    p.add_argument("--short-frac", type=float, default=0.3, help="share of responses cut to 1–2 sentences")
    p.add_argument("--save-every", type=int, default=50)
    p.add_argument("--out", type=Path, default=None, help="default: RUNS/pretrain")


class Packed:
    """Index over runs/pack/corpus.npz."""

    def __init__(self, path: Path, tok: Tokenizer):
        z = np.load(path)
        self.ids, self.ts, self.role = z["ids"], z["turn_start"], z["turn_role"]
        self.ds = z["dlg_start"]
        self.dlg_src = z["dlg_src"]
        self.dlg_label = z["dlg_label"] if "dlg_label" in z else np.full(len(self.dlg_src), -1, np.int8)
        self.sources = json.loads(str(z["sources"]))
        n_turns = self.ds[1:] - self.ds[:-1]
        first = self.ds[:-1]
        # Supporter turns that have at least one turn before them in their dialogue.
        sup = np.nonzero(self.role == 1)[0]
        dlg_of_turn = np.repeat(np.arange(len(n_turns)), n_turns)
        self.turn_dlg = dlg_of_turn
        self.pairs = sup[sup > first[dlg_of_turn[sup]]]
        self.supporter_turns = sup
        self.singles = first[n_turns == 1]
        self.marker = {0: tok.seeker_id, 1: tok.supporter_id}
        self.stops = {tok.ids[c] for c in "。！？!?～~" if c in tok.ids}

    def turn(self, t: int) -> list[int]:
        return self.ids[self.ts[t]:self.ts[t + 1]].astype(np.int64).tolist()

    def marked(self, t: int) -> list[int]:
        role = int(self.role[t])
        return ([self.marker[role]] if role in self.marker else []) + self.turn(t)

    def first_sentences(self, ids: list[int], rng) -> list[int]:
        ends = [i + 1 for i, x in enumerate(ids) if x in self.stops]
        if len(ends) < 2:
            return ids
        return ids[:ends[min(len(ends) - 2, int(rng.integers(0, 2)))]]


def make_sample(pk: Packed, tok: Tokenizer, rng, a) -> tuple[list[int], list[int], int]:
    if rng.random() < a.text_frac:
        t = int(pk.singles[rng.integers(len(pk.singles))])
        b = build_input([], pk.marked(t)[: a.max_len - 3], a.max_len, tok.cls_id, tok.sep_id)
        return b.input_ids, b.token_type_ids, -100
    r = int(pk.pairs[rng.integers(len(pk.pairs))])
    d = pk.turn_dlg[r]
    context = [pk.marked(t) for t in range(int(pk.ds[d]), r)]
    label, u = 1, rng.random()
    if u < 0.25:
        label, r = 0, int(pk.supporter_turns[rng.integers(len(pk.supporter_turns))])
    elif u < 0.5:
        others = [t for t in range(int(pk.ds[d]), int(pk.ds[d + 1])) if pk.role[t] == 1 and abs(t - r) >= 2]
        if others:
            label, r = 0, others[int(rng.integers(len(others)))]
    resp = pk.turn(r)
    if rng.random() < a.short_frac:
        resp = pk.first_sentences(resp, rng)
    b = build_input(context, [tok.supporter_id] + resp, a.max_len, tok.cls_id, tok.sep_id)
    return b.input_ids, b.token_type_ids, label


def mask_tokens(ids: torch.Tensor, rng: torch.Generator, prob: float, vocab: int, mask_id: int):
    labels = ids.clone()
    maskable = ids >= N_SPECIAL
    chosen = (torch.rand(ids.shape, generator=rng) < prob) & maskable
    labels[~chosen] = -100
    roll = torch.rand(ids.shape, generator=rng)
    ids = ids.clone()
    ids[chosen & (roll < 0.8)] = mask_id
    rand = chosen & (roll >= 0.8) & (roll < 0.9)
    ids[rand] = torch.randint(N_SPECIAL, vocab, ids.shape, generator=rng)[rand]
    return ids, labels


def make_batch(pk, tok, step: int, a):
    rng = np.random.default_rng([a.seed, step])
    samples = [make_sample(pk, tok, rng, a) for _ in range(a.batch)]
    width = max(len(s[0]) for s in samples)
    ids = torch.zeros(len(samples), width, dtype=torch.long)
    types = torch.zeros_like(ids)
    for i, (x, t, _) in enumerate(samples):
        ids[i, :len(x)] = torch.tensor(x)
        types[i, :len(t)] = torch.tensor(t)
    att = (ids != tok.pad_id).long()
    g = torch.Generator().manual_seed(a.seed * 1_000_003 + step)
    masked, mlm_labels = mask_tokens(ids, g, a.mask_prob, len(tok), tok.mask_id)
    match = torch.tensor([s[2] for s in samples])
    return masked, att, types, mlm_labels, match


def losses(model: BertForPreTraining, batch, device):
    ids, att, types, mlm_labels, match = (x.to(device) for x in batch)
    seq, pooled = model.bert(ids, att, types)
    sel = mlm_labels != -100
    mlm_logits = model.cls.predictions(seq[sel])
    mlm = F.cross_entropy(mlm_logits, mlm_labels[sel])
    mlm_acc = (mlm_logits.argmax(-1) == mlm_labels[sel]).float().mean()
    m_logits = model.cls.seq_relationship(pooled)
    valid = match != -100
    nsp = F.cross_entropy(m_logits[valid], match[valid]) if valid.any() else mlm * 0
    nsp_acc = (m_logits[valid].argmax(-1) == match[valid]).float().mean() if valid.any() else mlm * 0
    return mlm, nsp, mlm_acc, nsp_acc, int(att.sum())


def lr_at(step: int, a) -> float:
    """Warmup, constant, then linear decay over the last --decay-steps (warmup-stable-decay).

    Because the stable phase does not depend on --steps, a run stopped at a checkpoint S and resumed
    with `--steps S+D` ends exactly where a fresh run with `--steps S+D` would.
    """
    if step < a.warmup_steps:
        return a.lr * (step + 1) / a.warmup_steps
    return a.lr * min(1.0, max(0.0, (a.steps - step) / max(1, a.decay_steps)))


def save_folder(model: BertForPreTraining, cfg: BertConfig, out: Path, vocab_dir: Path, meta: dict):
    """An HF-layout checkpoint folder: config.json, pytorch_model.bin, tokenizer files."""
    out.mkdir(parents=True, exist_ok=True)
    torch.save(model.state_dict_hf(), out / "pytorch_model.bin")
    (out / "config.json").write_text(json.dumps({"model_type": "bert", **cfg.to_dict(), "xinan": meta}, indent=1))
    for f in ("tokenizer.json", "tokenizer_config.json", "vocab.txt"):
        shutil.copy(vocab_dir / f, out / f)


def run(a):
    set_threads(a.threads)
    out = a.out or a.runs / "pretrain"
    log = RunLog(out, "pretrain", vars(a))
    tok = Tokenizer.load(a.runs / "vocab/tokenizer.json")
    pk = Packed(a.runs / "pack/corpus.npz", tok)
    log(f"pairs {len(pk.pairs)} singles {len(pk.singles)} tokens {len(pk.ids)}")
    device = "cuda" if torch.cuda.is_available() else "cpu"
    cfg = BertConfig(vocab_size=len(tok), hidden_size=a.hidden, num_hidden_layers=a.layers,
                     num_attention_heads=a.heads, intermediate_size=a.intermediate)
    model = BertForPreTraining(cfg).to(device)
    opt = torch.optim.AdamW(model.parameters(), lr=a.lr, weight_decay=0.01)
    start, ckpt = 0, out / "ckpt.pt"
    if ckpt.exists():
        state = torch.load(ckpt, map_location=device, weights_only=False)
        model.load_state_dict(state["model"])
        opt.load_state_dict(state["opt"])
        start = state["step"]
        log(f"resumed at step {start}")
    n_params = sum(p.numel() for p in model.bert.parameters())
    log(f"device {device} threads {torch.get_num_threads()} encoder params {n_params}")
    model.train()
    t0, tokens, hist = time.time(), 0, []
    for step in range(start, a.steps):
        for g in opt.param_groups:
            g["lr"] = lr_at(step, a)
        with torch.autocast(device, dtype=torch.bfloat16, enabled=device == "cuda"):
            mlm, nsp, mlm_acc, nsp_acc, ntok = losses(model, make_batch(pk, tok, step, a), device)
        loss = mlm + nsp
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        tokens += ntok
        hist.append([mlm.item(), nsp.item(), mlm_acc.item(), nsp_acc.item()])
        if (step + 1) % 50 == 0 or step + 1 == a.steps:
            m = np.mean(hist, axis=0)
            hist = []
            el = time.time() - t0
            log(f"step {step + 1}/{a.steps} mlm {m[0]:.3f} match {m[1]:.3f} mlm_acc {m[2]:.3f} "
                f"match_acc {m[3]:.3f} lr {lr_at(step, a):.2e} tok/s {tokens / el:.0f} "
                f"eta {el / (step + 1 - start) * (a.steps - step - 1) / 60:.1f}min")
        if (step + 1) % a.save_every == 0 or step + 1 == a.steps:
            torch.save({"model": model.state_dict(), "opt": opt.state_dict(), "step": step + 1}, ckpt)
    meta = {"steps": a.steps, "seed": a.seed, "max_len": a.max_len, "encoder_params": n_params}
    save_folder(model, cfg, out / "model", a.runs / "vocab", meta)
    log(f"saved {out / 'model'}")
