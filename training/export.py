"""Export a fine-tuned model to ONNX, quantize to int8, check parity, and assemble a model folder.

The folder is what transformers.js loads: config.json, tokenizer.json, tokenizer_config.json,
onnx/model_quantized.onnx (and onnx/model.onnx with --keep-fp32). Parity is checked with the real
runtime (onnxruntime-node through the TS engine): scripts/parity.ts.
"""
from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from pathlib import Path

import onnx
import torch

from .finetune import LABELS
from .model import BertConfig, BertForSequenceClassification
from .quantize import quantize
from .runlog import RunLog
from .tokenizer import tokenizer_config
from .unigram import unigram_tokenizer_config

ROOT = Path(__file__).resolve().parent.parent


def add_args(p):
    p.add_argument("--from", dest="src", type=Path, default=None,
                   help="fine-tuned folder with model.pt + config.json (default: RUNS/finetune/base/final)")
    p.add_argument("--out", type=Path, default=None, help="model folder to write (default: RUNS/export/model)")
    p.add_argument("--opset", type=int, default=14)
    p.add_argument("--keep-fp32", action="store_true", help="also write onnx/model.onnx into the folder")
    p.add_argument("--no-parity", action="store_true")
    p.add_argument("--weight-only-int8", action="store_true",
                   help="int8 weights dequantized at run time, fp32 arithmetic (training/quantize.py weight_only); "
                        "default: the folder's config xinan.weight_only_int8")
    p.add_argument("--dev", type=Path, default=ROOT.parent / "shared/data/dialoguesafety/dev.json")


class Exported(torch.nn.Module):
    def __init__(self, model: BertForSequenceClassification):
        super().__init__()
        self.model = model

    def forward(self, input_ids, attention_mask, token_type_ids):
        return self.model(input_ids, attention_mask, token_type_ids)


def export_onnx(model: BertForSequenceClassification, path: Path, opset: int):
    model.eval()
    ids = torch.tensor([[2, 5, 100, 200, 3, 6, 300, 3]])
    dyn = {0: "batch", 1: "sequence"}
    torch.onnx.export(
        # Token types as inputs.py builds them (the reply is type 1): a reply_only model gathers that segment.
        Exported(model), (ids, torch.ones_like(ids), torch.tensor([[0, 0, 0, 0, 0, 1, 1, 1]])), str(path),
        input_names=["input_ids", "attention_mask", "token_type_ids"],
        output_names=["logits", "pooler_output"],
        dynamic_axes={"input_ids": dyn, "attention_mask": dyn, "token_type_ids": dyn,
                      "logits": {0: "batch"}, "pooler_output": {0: "batch"}},
        opset_version=opset, do_constant_folding=True,
    )


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_folder(src: Path, out: Path, fp32: Path, q8: Path, keep_fp32: bool, meta: dict):
    (out / "onnx").mkdir(parents=True, exist_ok=True)
    cfg = json.loads((src / "config.json").read_text())
    max_len = cfg.get("xinan", {}).get("max_len", 256)
    config = {k: v for k, v in cfg.items() if k != "xinan"}
    config |= {"architectures": ["BertForSequenceClassification"], "model_type": "bert",
               "id2label": {str(i): l for i, l in enumerate(LABELS)},
               "label2id": {l: i for i, l in enumerate(LABELS)}, "problem_type": "single_label_classification",
               "xinan": {**cfg.get("xinan", {}), **meta}}
    (out / "config.json").write_text(json.dumps(config, indent=1, ensure_ascii=False))
    shutil.copy(src / "tokenizer.json", out / "tokenizer.json")
    unigram = json.loads((src / "tokenizer.json").read_text(encoding="utf-8"))["model"]["type"] == "Unigram"
    tcfg = unigram_tokenizer_config(max_len) if unigram else tokenizer_config(max_len)
    (out / "tokenizer_config.json").write_text(json.dumps(tcfg, indent=1))
    shutil.copy(q8, out / "onnx/model_quantized.onnx")
    if keep_fp32:
        shutil.copy(fp32, out / "onnx/model.onnx")


def run(a):
    src = a.src or a.runs / "finetune/base/final"
    work = a.runs / "export"
    out = a.out or work / "model"
    log = RunLog(work, "export", vars(a))
    cfg_json = json.loads((src / "config.json").read_text())
    wide = cfg_json.get("xinan", {}).get("wide_buckets", 0)
    ngrams = cfg_json.get("xinan", {}).get("wide_ngrams", 2)
    model = BertForSequenceClassification(BertConfig.from_dict(cfg_json), len(LABELS), wide, ngrams)
    model.load_state_dict(torch.load(src / "model.pt", map_location="cpu"))
    fp32, q8 = work / "model.onnx", work / "model_quantized.onnx"
    export_onnx(model, fp32, a.opset)
    weight_only = a.weight_only_int8 or cfg_json.get("xinan", {}).get("weight_only_int8", False)
    onnx.save(quantize(onnx.load(str(fp32)), weight_only=weight_only), str(q8))
    n_params = sum(p.numel() for p in model.parameters())
    meta = {"parameters": n_params, "weight_only_int8": weight_only, "onnx_int8_bytes": q8.stat().st_size, "onnx_fp32_bytes": fp32.stat().st_size}
    log(f"exported: {meta}")
    write_folder(src, out, fp32, q8, a.keep_fp32, meta)
    # A parity folder holding both precisions, so the TS engine can score dev.json with each.
    both = work / "parity-model"
    write_folder(src, both, fp32, q8, True, meta)
    log(f"model folder {out}; sha256(model_quantized.onnx) {sha256(out / 'onnx/model_quantized.onnx')}")
    if not a.no_parity and a.dev.exists():
        cmd = ["npx", "tsx", str(ROOT / "scripts/parity.ts"), "--model", str(both), "--data", str(a.dev),
               "--out", str(work / "parity.json")]
        log("parity: " + " ".join(cmd))
        res = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
        log(res.stdout.strip() + res.stderr.strip()[-2000:])
        if res.returncode != 0:
            raise SystemExit(f"parity check failed (exit {res.returncode})")
