"""The crisis-points / seeker-risk model: sigmoid outputs over n-gram presence, keyword rules and
(optionally) mean-pooled features of the frozen pretrained encoder, fitted as L2 logistic regression.

Why a frozen encoder and linear heads instead of fine-tuning: 450 labeled items, a 2-core CPU shared
with other jobs, and a 25-minute CPU budget; the heads fit in seconds, so nested CV (λ chosen inside
each training fold) stays affordable. CrisisNet packs everything into one graph for ONNX export.
"""
from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from .crisis_features import Featurizer, NgramPresence
from .finetune import collate
from .model import BertConfig, BertModel, load_hf_state_dict

LAMBDAS = [1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 1e-1]


@torch.no_grad()
def encoder_features(bert: BertModel, items: list[dict], tok, max_len: int, batch: int = 32) -> np.ndarray:
    """Mean of the last layer over attended tokens, per item."""
    bert.eval()
    out = []
    for i in range(0, len(items), batch):
        ids, att, types = collate(items[i:i + batch], tok, max_len)
        seq, _ = bert(ids, att, types)
        out.append(mean_pool(seq, att).numpy())
    return np.concatenate(out)


def mean_pool(seq, att):
    m = att.unsqueeze(-1).to(seq.dtype)
    return (seq * m).sum(1) / m.sum(1).clamp(min=1.0)


def fit_logreg(x: np.ndarray, y: np.ndarray, lam: np.ndarray, iters: int = 200):
    """Independent L2 logistic regressions, one per column of y; lam: one strength per column."""
    xt, yt = torch.from_numpy(x.astype(np.float32)), torch.from_numpy(y.astype(np.float32))
    w = torch.zeros(x.shape[1], y.shape[1], requires_grad=True)
    b = torch.zeros(y.shape[1], requires_grad=True)
    lam_t = torch.as_tensor(lam, dtype=torch.float32)
    opt = torch.optim.LBFGS([w, b], lr=1.0, max_iter=iters, line_search_fn="strong_wolfe")

    def closure():
        opt.zero_grad()
        loss = F.binary_cross_entropy_with_logits(xt @ w + b, yt, reduction="none").mean(0).sum()
        loss = loss + (lam_t * (w * w).sum(0)).sum()
        loss.backward()
        return loss

    opt.step(closure)
    return w.detach().numpy(), b.detach().numpy()


def predict_logreg(x: np.ndarray, wb) -> np.ndarray:
    w, b = wb
    return 1.0 / (1.0 + np.exp(-(x @ w + b)))


def choose_lambda(x: np.ndarray, y: np.ndarray, folds: list[np.ndarray]) -> np.ndarray:
    """Per column, the λ with the lowest inner-CV log-loss."""
    losses = np.zeros((len(LAMBDAS), y.shape[1]))
    for li, lam in enumerate(LAMBDAS):
        for val in folds:
            tr = np.setdiff1d(np.arange(len(y)), val)
            p = np.clip(predict_logreg(x[val], fit_logreg(x[tr], y[tr], np.full(y.shape[1], lam))), 1e-6, 1 - 1e-6)
            losses[li] -= (y[val] * np.log(p) + (1 - y[val]) * np.log(1 - p)).sum(0)
    return np.asarray(LAMBDAS)[losses.argmin(0)]


class Standardize:
    def __init__(self, x: np.ndarray):
        self.mu, self.sd = x.mean(0), x.std(0) + 1e-6

    def __call__(self, x: np.ndarray) -> np.ndarray:
        return (x - self.mu) / self.sd


class CrisisNet(nn.Module):
    """(input_ids, attention_mask, token_type_ids) → (logits [batch, D], features)."""

    def __init__(self, feat: Featurizer, segment: int, w: np.ndarray, b: np.ndarray,
                 bert: BertModel | None = None, std: Standardize | None = None):
        super().__init__()
        self.feats = NgramPresence(feat, segment)
        n_bag = feat.K + len(feat.rule_names)
        self.head_bag = nn.Linear(n_bag, w.shape[1])
        self.head_bag.weight.data = torch.from_numpy(w[:n_bag].T.copy()).float()
        self.head_bag.bias.data = torch.from_numpy(b).float()
        self.bert = bert
        if bert is not None:
            self.register_buffer("mu", torch.from_numpy(std.mu).float())
            self.register_buffer("sd", torch.from_numpy(std.sd).float())
            self.head_enc = nn.Linear(w.shape[0] - n_bag, w.shape[1], bias=False)
            self.head_enc.weight.data = torch.from_numpy(w[n_bag:].T.copy()).float()

    def forward(self, input_ids, attention_mask, token_type_ids):
        x = self.feats(input_ids, attention_mask, token_type_ids)
        logits = self.head_bag(x)
        if self.bert is None:
            return logits, x
        seq, _ = self.bert(input_ids, attention_mask, token_type_ids)
        z = (mean_pool(seq, attention_mask) - self.mu) / self.sd
        return logits + self.head_enc(z), z


def load_bert(cfg: BertConfig, sd: dict) -> BertModel:
    holder = nn.Module()  # load_hf_state_dict expects the encoder under `.bert`
    holder.bert = BertModel(cfg)
    load_hf_state_dict(holder, sd)
    return holder.bert.eval()
