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
    p.add_argument("--workers", type=int, default=0,
                   help="batch-building processes (0: in the training process; on a GPU the Python batch "
                        "building is the bottleneck, so use several)")
    p.add_argument("--minutes", type=float, default=None,
                   help="time budget (a lent GPU's time is fixed): after 200 steps, fix --steps from the "
                        "measured speed so the run ends in about this many minutes, with the last fifth (at "
                        "least --decay-steps) as the decay; the log records the steps, so --steps N reproduces it")
    p.add_argument("--save-dtype", choices=("float32", "float16"), default="float32",
                   help="dtype of the model folder's weights (float16 halves a copy brought back from a GPU "
                        "machine; loading casts back to float32)")
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


class StepBatches(torch.utils.data.Dataset):
    """Batch i is make_batch(start + i): each depends on its step alone, so worker processes
    build them in any order and the run stays identical to a single-process one."""

    def __init__(self, pk, tok, a, start: int, stop: int):
        self.pk, self.tok, self.a, self.start, self.stop = pk, tok, a, start, stop

    def __len__(self):
        return self.stop - self.start

    def __getitem__(self, i):
        return make_batch(self.pk, self.tok, self.start + i, self.a)


def batches(pk, tok, a, start: int, stop: int):
    ds = StepBatches(pk, tok, a, start, stop)
    if not a.workers:
        return (ds[i] for i in range(len(ds)))
    return iter(torch.utils.data.DataLoader(ds, batch_size=None, shuffle=False, num_workers=a.workers,
                                            prefetch_factor=8, persistent_workers=False))


def fix_steps(step: int, start: int, t_start: float, t0: float, a, log):
    """--minutes: steps so that the whole run (since t0) ends in about a.minutes."""
    per_step = (time.time() - t_start) / (step + 1 - start)
    left = a.minutes * 60 - (time.time() - t0)
    a.steps = step + 1 + max(0, int(left / per_step))
    a.decay_steps = max(a.decay_steps, a.steps // 5)
    log(f"time budget {a.minutes} min: {per_step * 1000:.1f} ms/step → --steps {a.steps} "
        f"--decay-steps {a.decay_steps}")


def save_folder(model: BertForPreTraining, cfg: BertConfig, out: Path, vocab_dir: Path, meta: dict,
                dtype: str = "float32"):
    """An HF-layout checkpoint folder: config.json, pytorch_model.bin, tokenizer files."""
    out.mkdir(parents=True, exist_ok=True)
    sd = {k: v.detach().to("cpu", getattr(torch, dtype) if v.is_floating_point() else v.dtype)
          for k, v in model.state_dict_hf().items()}
    torch.save(sd, out / "pytorch_model.bin")
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
    cuda = device == "cuda"
    if cuda:
        torch.backends.cuda.matmul.allow_tf32 = True
    opt = torch.optim.AdamW(model.parameters(), lr=a.lr, weight_decay=0.01, **({"fused": True} if cuda else {}))
    start, ckpt = 0, out / "ckpt.pt"
    if ckpt.exists():
        state = torch.load(ckpt, map_location=device, weights_only=False)
        model.load_state_dict(state["model"])
        opt.load_state_dict(state["opt"])
        start = state["step"]
        if a.minutes and "steps" in state:  # a budgeted run resumes with the steps it fixed
            a.steps, a.decay_steps = state["steps"], state["decay_steps"]
        log(f"resumed at step {start}")
    n_params = sum(p.numel() for p in model.bert.parameters())
    log(f"device {device} threads {torch.get_num_threads()} workers {a.workers} encoder params {n_params}")
    model.train()
    budget_open = bool(a.minutes) and start == 0
    stop = start + 10_000_000 if budget_open else a.steps  # open-ended until fix_steps sets a.steps
    t0, tokens, hist = time.time(), 0, []
    t_measure = t0

    def meta(done: int) -> dict:  # the steps these weights have seen, not the schedule's length
        return {"steps": done, "seed": a.seed, "max_len": a.max_len, "encoder_params": n_params}

    done = start
    for step, batch in enumerate(batches(pk, tok, a, start, stop), start):
        if step == start + 100:
            t_measure = time.time()  # measure after warm-up (workers started, kernels tuned)
        if budget_open and step == start + 200:
            fix_steps(step - 1, start + 100, t_measure, t0, a, log)
            budget_open = False
        if not budget_open and step >= a.steps:
            break
        for g in opt.param_groups:
            g["lr"] = lr_at(step, a)
        with torch.autocast(device, dtype=torch.bfloat16, enabled=cuda):
            mlm, nsp, mlm_acc, nsp_acc, ntok = losses(model, batch, device)
        loss = mlm + nsp
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        tokens, done = tokens + ntok, step + 1
        hist.append(torch.stack([mlm.detach(), nsp.detach(), mlm_acc.detach(), nsp_acc.detach()]))
        if (step + 1) % 50 == 0 or step + 1 == a.steps:
            m = torch.stack(hist).float().mean(0).tolist()
            hist = []
            el = time.time() - t0
            log(f"step {step + 1}/{a.steps} mlm {m[0]:.3f} match {m[1]:.3f} mlm_acc {m[2]:.3f} "
                f"match_acc {m[3]:.3f} lr {lr_at(step, a):.2e} tok/s {tokens / el:.0f} "
                f"eta {el / (step + 1 - start) * (a.steps - step - 1) / 60:.1f}min")
        if (step + 1) % a.save_every == 0 or step + 1 == a.steps:
            torch.save({"model": model.state_dict(), "opt": opt.state_dict(), "step": step + 1,
                        "steps": a.steps, "decay_steps": a.decay_steps}, ckpt)
            save_folder(model, cfg, out / "model", a.runs / "vocab", meta(done), a.save_dtype)
    if done == start:  # nothing left to train (resumed at the end): still leave the folder
        save_folder(model, cfg, out / "model", a.runs / "vocab", meta(done), a.save_dtype)
    log(f"saved {out / 'model'}")
