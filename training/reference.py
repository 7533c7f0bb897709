"""A random-weight int8 model of bert-base-chinese's shape, for the speed benchmark only (never committed).

12 layers, hidden 768, 12 heads, FFN 3072, vocab 21128 — exported and quantized by the same code as
our model, so `npm run bench` compares shapes, not tooling. It reuses our tokenizer: our ids are all
below 21128, and random weights do not care which token an id names.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import onnx
import torch

from .export import LABELS, export_onnx
from .model import BertConfig, BertForSequenceClassification
from .quantize import quantize
from .runlog import RunLog
from .tokenizer import tokenizer_config

ROOT = Path(__file__).resolve().parent.parent


def add_args(p):
    p.add_argument("--out", type=Path, required=True, help="model folder to write")
    p.add_argument("--tokenizer", type=Path, default=ROOT / "test/fixtures/models/xinan-safety-zh-v2/tokenizer.json")
    p.add_argument("--max-length", type=int, default=None,
                   help="default: the shipped model's model_max_length, so both see the same inputs")


def run(a):
    if a.max_length is None:
        shipped = json.loads((a.tokenizer.parent / "tokenizer_config.json").read_text())
        a.max_length = shipped["model_max_length"]
    log = RunLog(a.out.parent / (a.out.name + "-log"), "reference-model", vars(a))
    cfg = BertConfig(vocab_size=21128, hidden_size=768, num_hidden_layers=12, num_attention_heads=12,
                     intermediate_size=3072)
    model = BertForSequenceClassification(cfg, len(LABELS))
    (a.out / "onnx").mkdir(parents=True, exist_ok=True)
    tmp = a.out / "fp32.onnx"
    export_onnx(model, tmp, 14)
    onnx.save(quantize(onnx.load(str(tmp))), str(a.out / "onnx/model_quantized.onnx"))
    tmp.unlink()
    config = {"model_type": "bert", "architectures": ["BertForSequenceClassification"], **cfg.to_dict(),
              "id2label": {str(i): l for i, l in enumerate(LABELS)},
              "label2id": {l: i for i, l in enumerate(LABELS)}, "xinan": {"reference": "random weights"}}
    (a.out / "config.json").write_text(json.dumps(config, indent=1))
    shutil.copy(a.tokenizer, a.out / "tokenizer.json")
    (a.out / "tokenizer_config.json").write_text(json.dumps(tokenizer_config(a.max_length), indent=1))
    log(f"wrote {a.out} ({(a.out / 'onnx/model_quantized.onnx').stat().st_size} bytes)")
