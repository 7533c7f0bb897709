"""Model folder for the crisis / seeker-risk models, in the layout transformers.js loads.

Reuses the 8-class export path (export_onnx, quantize) and adds what a multi-label model needs:
problem_type multi_label_classification, so the TS engine applies a sigmoid per output instead of
a softmax. With --fixture, the fp32 torch model's probabilities for a small file are written next to
it, so a vitest test can check the int8 ONNX against them through the real runtime.
"""
from __future__ import annotations

import json
from pathlib import Path

import onnx
import torch

from .export import export_onnx, sha256
from .quantize import quantize
from .tokenizer import tokenizer_config, tokenizer_json


def write_model_folder(net, tok, dims: list[str], a, log):
    out: Path = a.out
    work = a.runs / "crisis" / "export"
    work.mkdir(parents=True, exist_ok=True)
    (out / "onnx").mkdir(parents=True, exist_ok=True)
    fp32, q8 = work / "model.onnx", work / "model_quantized.onnx"
    export_onnx(net, fp32, 14)
    onnx.save(quantize(onnx.load(str(fp32))), str(q8))
    (out / "onnx/model_quantized.onnx").write_bytes(q8.read_bytes())
    enc_cfg = net.bert.config.to_dict() if net.bert is not None else {"vocab_size": len(tok)}
    config = {"model_type": "bert", **enc_cfg, "architectures": ["BertForSequenceClassification"],
              "id2label": {str(i): d for i, d in enumerate(dims)}, "label2id": {d: i for i, d in enumerate(dims)},
              "problem_type": "multi_label_classification",
              "xinan": {"task": a.task, "max_len": a.max_len, "encoder": a.encoder, "rules": not a.no_rules,
                        "ngram_slots": net.feats.K, "seed": a.seed, "threshold": 0.5,
                        "onnx_int8_bytes": q8.stat().st_size}}
    (out / "config.json").write_text(json.dumps(config, indent=1, ensure_ascii=False))
    (out / "tokenizer.json").write_text(json.dumps(tokenizer_json(tok.vocab), ensure_ascii=False))
    (out / "tokenizer_config.json").write_text(json.dumps(tokenizer_config(a.max_len), indent=1))
    log(f"model folder {out}; sha256(model_quantized.onnx) {sha256(out / 'onnx/model_quantized.onnx')}")
    if a.fixture:
        write_expected(net, tok, a, out)
        log(f"expected probabilities for {a.fixture}")


@torch.no_grad()
def write_expected(net, tok, a, out: Path):
    from .crisis import load_items
    from .finetune import collate

    items, _, _ = load_items(a.task, a.fixture, tok, None)
    probs = []
    for it in items:  # one at a time: no padding, so the check does not depend on batch composition
        ids, att, types = collate([it], tok, a.max_len)
        probs.append(torch.sigmoid(net(ids, att, types)[0][0]).tolist())
    target = a.fixture.with_suffix(".expected.json")
    target.write_text(json.dumps({"model_sha256": sha256(out / "onnx/model_quantized.onnx"),
                                  "source": "fp32 torch model, training/crisis_export.py",
                                  "probs": probs}, indent=1))
