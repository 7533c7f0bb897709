"""A BERT encoder whose parameter names are HuggingFace BertModel's state-dict keys.

Keeping HF's names means a real bert-base-chinese checkpoint (pytorch_model.bin with `bert.*` keys)
loads into the same classes with `load_hf_state_dict`, and the finetune/export scripts work unchanged.
"""
from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn


@dataclass
class BertConfig:
    vocab_size: int
    hidden_size: int = 256
    num_hidden_layers: int = 4
    num_attention_heads: int = 4
    intermediate_size: int = 1024
    max_position_embeddings: int = 512
    type_vocab_size: int = 2
    hidden_dropout_prob: float = 0.1
    attention_probs_dropout_prob: float = 0.1
    layer_norm_eps: float = 1e-12
    initializer_range: float = 0.02
    pad_token_id: int = 0
    # "cls": tanh(dense([CLS])) as BERT; "mean": the mean of the last hidden states over the attended
    # tokens, as e5 was trained (no pooler weights); "segments": [mean(reply), mean(context),
    # mean(reply)·mean(context)] over the token-type-1 and token-type-0 tokens (3 × hidden).
    pooling: str = "cls"
    # True: each token attends only to tokens of its own segment (token type) and positions restart at 0
    # in each segment, so the reply is encoded as if alone and the context likewise (see BertModel).
    segment_attention: bool = False
    # True: only the reply segment (token type 1: `[supporter]reply [SEP]`) is gathered and encoded, as if alone
    # (positions from 0), and pooling "mean" averages it; the context reaches the logits only through the wide
    # part. Same reply states as segment_attention, at the cost of the reply's tokens only.
    reply_only: bool = False

    @classmethod
    def from_dict(cls, d: dict) -> "BertConfig":
        return cls(**{k: d[k] for k in cls.__dataclass_fields__ if k in d})

    def to_dict(self) -> dict:
        return asdict(self)


class Embeddings(nn.Module):
    def __init__(self, c: BertConfig):
        super().__init__()
        self.word_embeddings = nn.Embedding(c.vocab_size, c.hidden_size, padding_idx=c.pad_token_id)
        self.position_embeddings = nn.Embedding(c.max_position_embeddings, c.hidden_size)
        self.token_type_embeddings = nn.Embedding(c.type_vocab_size, c.hidden_size)
        self.LayerNorm = nn.LayerNorm(c.hidden_size, eps=c.layer_norm_eps)
        self.dropout = nn.Dropout(c.hidden_dropout_prob)

    def forward(self, input_ids, token_type_ids, pos=None):
        if pos is None:
            pos = torch.arange(input_ids.shape[1], device=input_ids.device).unsqueeze(0)
        x = self.word_embeddings(input_ids) + self.position_embeddings(pos) + self.token_type_embeddings(token_type_ids)
        return self.dropout(self.LayerNorm(x))


class SelfAttention(nn.Module):
    def __init__(self, c: BertConfig):
        super().__init__()
        self.heads = c.num_attention_heads
        self.head_dim = c.hidden_size // c.num_attention_heads
        self.query = nn.Linear(c.hidden_size, c.hidden_size)
        self.key = nn.Linear(c.hidden_size, c.hidden_size)
        self.value = nn.Linear(c.hidden_size, c.hidden_size)
        self.dropout_p = c.attention_probs_dropout_prob

    def _split(self, x):
        b, s, _ = x.shape
        return x.view(b, s, self.heads, self.head_dim).transpose(1, 2)

    def forward(self, x, bias):
        q, k, v = self._split(self.query(x)), self._split(self.key(x)), self._split(self.value(x))
        # Explicit matmul/softmax rather than SDPA: it exports to plain ONNX ops that every runtime has.
        scores = q @ k.transpose(-1, -2) / math.sqrt(self.head_dim) + bias
        probs = F.dropout(scores.softmax(-1), self.dropout_p, self.training)
        out = (probs @ v).transpose(1, 2)
        return out.reshape(out.shape[0], out.shape[1], -1)


class DenseNorm(nn.Module):
    """HF's BertSelfOutput / BertOutput: dense → dropout → residual LayerNorm."""

    def __init__(self, c: BertConfig, d_in: int):
        super().__init__()
        self.dense = nn.Linear(d_in, c.hidden_size)
        self.LayerNorm = nn.LayerNorm(c.hidden_size, eps=c.layer_norm_eps)
        self.dropout = nn.Dropout(c.hidden_dropout_prob)

    def forward(self, x, residual):
        return self.LayerNorm(self.dropout(self.dense(x)) + residual)


class Attention(nn.Module):
    def __init__(self, c: BertConfig):
        super().__init__()
        self.self = SelfAttention(c)
        self.output = DenseNorm(c, c.hidden_size)

    def forward(self, x, bias):
        return self.output(self.self(x, bias), x)


class Intermediate(nn.Module):
    def __init__(self, c: BertConfig):
        super().__init__()
        self.dense = nn.Linear(c.hidden_size, c.intermediate_size)

    def forward(self, x):
        return F.gelu(self.dense(x))


class Layer(nn.Module):
    def __init__(self, c: BertConfig):
        super().__init__()
        self.attention = Attention(c)
        self.intermediate = Intermediate(c)
        self.output = DenseNorm(c, c.intermediate_size)

    def forward(self, x, bias):
        a = self.attention(x, bias)
        return self.output(self.intermediate(a), a)


class Encoder(nn.Module):
    def __init__(self, c: BertConfig):
        super().__init__()
        self.layer = nn.ModuleList(Layer(c) for _ in range(c.num_hidden_layers))

    def forward(self, x, bias):
        for layer in self.layer:
            x = layer(x, bias)
        return x


class Pooler(nn.Module):
    def __init__(self, c: BertConfig):
        super().__init__()
        self.dense = nn.Linear(c.hidden_size, c.hidden_size)

    def forward(self, x):
        return torch.tanh(self.dense(x[:, 0]))


class BertModel(nn.Module):
    def __init__(self, c: BertConfig):
        super().__init__()
        self.config = c
        self.embeddings = Embeddings(c)
        self.encoder = Encoder(c)
        if c.pooling not in ("cls", "mean", "segments"):
            raise ValueError(f"pooling must be cls, mean or segments, got {c.pooling}")
        self.pooler = Pooler(c) if c.pooling == "cls" else None

    @property
    def pooled_size(self) -> int:
        return self.config.hidden_size * (3 if self.config.pooling == "segments" else 1)

    def segment_inputs(self, attention_mask, token_type_ids):
        """(additive attention bias [b,1,s,s], position ids [b,s]) for segment_attention: a token sees only its own
        segment, and each segment counts positions from 0 — [CLS] context [SEP] and [supporter]reply [SEP] are
        encoded as two separate texts in one pass (e5 mean-pools a reply alone far better than the pair: model card)."""
        m = attention_mask.to(torch.float32)
        t = token_type_ids.to(torch.float32)
        same = (t[:, :, None] == t[:, None, :]).to(torch.float32) * m[:, None, :]
        bias = ((1.0 - same) * -10000.0).unsqueeze(1)
        resp, ctx = m * t, m * (1.0 - t)
        pos = torch.where(token_type_ids == 1, resp.cumsum(1), ctx.cumsum(1)) - 1.0
        return bias, pos.clamp(min=0.0).long()

    @staticmethod
    def gather_reply(input_ids, attention_mask, token_type_ids):
        """The reply segment of each row, left-aligned and padded to the longest reply in the batch: (ids, mask, types).
        The reply is the last segment of the input (inputs.py), so it starts at (tokens − reply tokens)."""
        n = (token_type_ids * attention_mask).sum(1)
        start = attention_mask.sum(1) - n
        ar = torch.arange(input_ids.shape[1], device=input_ids.device).unsqueeze(0)[:, : n.max()]  # traced: dynamic
        valid = ar < n.unsqueeze(1)
        idx = torch.where(valid, start.unsqueeze(1) + ar, torch.zeros_like(ar))
        mask = valid.to(attention_mask.dtype)
        return torch.gather(input_ids, 1, idx) * mask, mask, mask.to(token_type_ids.dtype)

    def hidden_states(self, input_ids, attention_mask, token_type_ids, layers: int | None = None):
        """Yields (layer number, hidden states) after each of the first `layers` layers (all by default)."""
        if self.config.segment_attention:
            bias, pos = self.segment_inputs(attention_mask, token_type_ids)
        else:  # additive mask: 0 where attended, a large negative where padded
            bias, pos = (1.0 - attention_mask[:, None, None, :].to(torch.float32)) * -10000.0, None
        x = self.embeddings(input_ids, token_type_ids, pos)
        for i, layer in enumerate(self.encoder.layer[:layers], start=1):
            x = layer(x, bias)
            yield i, x

    def pool(self, seq, attention_mask, token_type_ids):
        m = attention_mask.to(seq.dtype).unsqueeze(-1)
        if self.config.pooling == "mean":
            return (seq * m).sum(1) / m.sum(1).clamp(min=1.0)
        t = token_type_ids.to(seq.dtype).unsqueeze(-1)
        r = (seq * m * t).sum(1) / (m * t).sum(1).clamp(min=1.0)
        c = (seq * m * (1.0 - t)).sum(1) / (m * (1.0 - t)).sum(1).clamp(min=1.0)
        return torch.cat([r, c, r * c], -1)

    def forward(self, input_ids, attention_mask, token_type_ids):
        if self.config.reply_only:
            input_ids, attention_mask, token_type_ids = self.gather_reply(input_ids, attention_mask, token_type_ids)
        seq = None
        for _, seq in self.hidden_states(input_ids, attention_mask, token_type_ids):
            pass
        if self.pooler is None:
            return seq, self.pool(seq, attention_mask, token_type_ids)
        return seq, self.pooler(seq)


def init_weights(module: nn.Module, std: float):
    for m in module.modules():
        if isinstance(m, nn.Linear):
            nn.init.normal_(m.weight, std=std)
            nn.init.zeros_(m.bias)
        elif isinstance(m, nn.Embedding):
            nn.init.normal_(m.weight, std=std)
            if m.padding_idx is not None:
                m.weight.data[m.padding_idx].zero_()
        elif isinstance(m, nn.LayerNorm):
            nn.init.ones_(m.weight)
            nn.init.zeros_(m.bias)


class PredictionHead(nn.Module):
    """HF's cls.predictions: transform (dense, gelu, LayerNorm) then the tied decoder + bias."""

    def __init__(self, c: BertConfig, embedding: nn.Embedding):
        super().__init__()
        self.transform = nn.Module()
        self.transform.dense = nn.Linear(c.hidden_size, c.hidden_size)
        self.transform.LayerNorm = nn.LayerNorm(c.hidden_size, eps=c.layer_norm_eps)
        self.bias = nn.Parameter(torch.zeros(c.vocab_size))
        self.embedding = embedding

    def forward(self, h):
        h = self.transform.LayerNorm(F.gelu(self.transform.dense(h)))
        return h @ self.embedding.weight.t() + self.bias


class BertForPreTraining(nn.Module):
    """Masked-LM + a binary response-matching head (HF's cls.seq_relationship slot)."""

    def __init__(self, c: BertConfig):
        super().__init__()
        self.bert = BertModel(c)
        self.cls = nn.Module()
        self.cls.predictions = PredictionHead(c, self.bert.embeddings.word_embeddings)
        self.cls.seq_relationship = nn.Linear(c.hidden_size, 2)
        init_weights(self, c.initializer_range)

    def state_dict_hf(self) -> dict:
        sd = {k: v for k, v in self.state_dict().items() if not k.startswith("cls.predictions.embedding")}
        sd["cls.predictions.decoder.weight"] = self.bert.embeddings.word_embeddings.weight.detach()
        return sd


class WideNgrams(nn.Module):
    """A linear model over hashed character n-grams (uni/bi, and tri with ngrams=3), per segment (context / response).

    Added to the encoder's logits ("wide & deep"): with 599 labeled items, a bag of n-grams learns
    surface cues (greeting formulas, echoed questions) that a small encoder pretrained on a CPU budget
    may not. Plain integer ops and Gathers, so it exports to ONNX inside the same graph. The vocab
    offset is folded into the hash so no lookup table is needed at inference.
    """

    def __init__(self, buckets: int, num_labels: int, ngrams: int = 2):
        super().__init__()
        if ngrams not in (2, 3):
            raise ValueError(f"wide ngrams must be 2 or 3, got {ngrams}")
        self.buckets = buckets
        self.ngrams = ngrams
        self.table = nn.Embedding(buckets, num_labels)
        nn.init.zeros_(self.table.weight)

    def _mean(self, idx, weight):
        emb = self.table(idx) * weight.unsqueeze(-1)
        return emb.sum(1) / weight.sum(1, keepdim=True).clamp(min=1.0)

    def forward(self, input_ids, attention_mask, token_type_ids):
        ids, types = input_ids.long(), token_type_ids.long()
        mask = attention_mask.to(torch.float32)
        resp = mask * types.to(torch.float32)
        uni = (ids * 2 + types) % self.buckets
        cur, nxt = ids[:, :-1], ids[:, 1:]
        same = (types[:, :-1] == types[:, 1:]).to(torch.float32) * mask[:, :-1] * mask[:, 1:]
        bi = (cur * 1000003 + nxt * 7919 + types[:, 1:] * 104729 + 17) % self.buckets
        resp_bi = same * types[:, 1:].to(torch.float32)
        out = (self._mean(uni, resp) + self._mean(uni, mask - resp)
               + self._mean(bi, resp_bi) + self._mean(bi, same - resp_bi))
        if self.ngrams >= 3:  # 5-fold CV on dev.json: +1.2 points accuracy at max length 256 (training/README.md)
            same3 = same[:, :-1] * same[:, 1:]
            tri = (ids[:, :-2] * 1000003 + ids[:, 1:-1] * 7919 + ids[:, 2:] * 31 + types[:, 2:] * 104729 + 91) % self.buckets
            resp_tri = same3 * types[:, 2:].to(torch.float32)
            out = out + self._mean(tri, resp_tri) + self._mean(tri, same3 - resp_tri)
        return out


class BertForSequenceClassification(nn.Module):
    def __init__(self, c: BertConfig, num_labels: int, wide_buckets: int = 0, wide_ngrams: int = 2):
        super().__init__()
        self.bert = BertModel(c)
        self.dropout = nn.Dropout(c.hidden_dropout_prob)
        self.classifier = nn.Linear(self.bert.pooled_size, num_labels)
        init_weights(self, c.initializer_range)
        self.wide = WideNgrams(wide_buckets, num_labels, wide_ngrams) if wide_buckets else None

    def forward(self, input_ids, attention_mask, token_type_ids):
        _, pooled = self.bert(input_ids, attention_mask, token_type_ids)
        logits = self.classifier(self.dropout(pooled))
        if self.wide is not None:
            logits = logits + self.wide(input_ids, attention_mask, token_type_ids)
        return logits, pooled


def load_hf_state_dict(model: nn.Module, sd: dict) -> list[str]:
    """Load `bert.*` weights from an HF-layout state dict into `model.bert`; returns keys left unused.

    Accepts both `bert.encoder…` (BertForPreTraining / …ForSequenceClassification checkpoints) and bare
    `encoder…` (BertModel checkpoints). Old TF-converted checkpoints name LayerNorm params gamma/beta.
    """
    own = model.bert.state_dict()
    loaded, unused = {}, []
    for key, val in sd.items():
        k = key[5:] if key.startswith("bert.") else key
        k = k.replace("LayerNorm.gamma", "LayerNorm.weight").replace("LayerNorm.beta", "LayerNorm.bias")
        if k in own and own[k].shape == val.shape:
            loaded[k] = val
        else:
            unused.append(key)
    missing = [k for k in own if k not in loaded and not k.endswith("position_ids")]
    if missing:
        raise ValueError(f"checkpoint lacks {len(missing)} encoder weights, e.g. {missing[:3]}")
    model.bert.load_state_dict(loaded, strict=False)
    return unused


def read_checkpoint_dir(path: Path) -> tuple[BertConfig, dict]:
    """An HF-style folder: config.json + pytorch_model.bin (or our pretrain's model.pt)."""
    cfg = BertConfig.from_dict(json.loads((path / "config.json").read_text()))
    for name in ("pytorch_model.bin", "model.pt"):
        if (path / name).exists():
            sd = torch.load(path / name, map_location="cpu", weights_only=True)
            sd = sd.get("model", sd) if isinstance(sd, dict) and "model" in sd else sd
            # A folder saved with --save-dtype float16 (or a half-precision HF checkpoint) trains in float32.
            return cfg, {k: v.float() if v.is_floating_point() else v for k, v in sd.items()}
    raise FileNotFoundError(f"{path}: no pytorch_model.bin or model.pt")
