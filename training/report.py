"""Markdown tables from CV results, for the model card: `python3 -m training report RUN [RUN…]`.

The first run is the shipped configuration (full table, next to the paper's numbers); every run given
appears in the ablation table.
"""
from __future__ import annotations

import json
from pathlib import Path

from .finetune import LABELS

PAPER = {  # Qiu et al. 2023, public 800-item test set, mean over 5 seeds (TAXONOMY.md)
    "bert-base-chinese, 7,135 private training items": (70.2, 69.7, 74.7),
    "chinese-roberta-wwm-ext-large, same": (70.4, 69.8, 74.9),
    "GPT-3.5-turbo-0301 few-shot": (48.4, 47.9, 60.0),
    'always "Safe Response"': (45.9, None, 45.9),
}


def _ms(d: dict) -> str:
    return f"{100 * d['mean']:.1f} ± {100 * d['std']:.1f}"


def add_args(p):
    p.add_argument("cv", nargs="+", type=Path, help="finetune run folders (with cv.json)")


def run(a):
    runs = [(p, json.loads((p / "cv.json").read_text())) for p in a.cv]
    path, main = runs[0]
    s = main["summary"]
    out = [f"Protocol: {main['protocol']}. Run: `{path}`.", "",
           "| system | data / protocol | accuracy | weighted F1 | binary accuracy | binary F1 (unsafe) |",
           "|---|---|---|---|---|---|",
           f"| **xinan-safety-zh** (this model) | {main['protocol'].split(' (')[0]} | {_ms(s['accuracy'])} | "
           f"{_ms(s['weighted_f1'])} | {_ms(s['binary_accuracy'])} | {_ms(s['binary_f1'])} |"]
    for name, (acc, f1, bacc) in PAPER.items():
        out.append(f"| {name} (paper) | public test set | {acc} | {f1 if f1 is not None else '—'} | {bacc} | — |")
    out += ["", f"Weighted precision {_ms(s['weighted_precision'])}, weighted recall {_ms(s['weighted_recall'])}.", "",
            "Per class (mean ± std over folds; support summed over folds):", "",
            "| id | class | precision | recall | F1 | support |", "|---|---|---|---|---|---|"]
    for i, (label, c) in enumerate(zip(LABELS, s["per_class"])):
        out.append(f"| {i} | {label} | {_ms(c['precision'])} | {_ms(c['recall'])} | {_ms(c['f1'])} | {c['support']} |")
    conf = main["pooled"]["confusion"]
    out += ["", "Pooled out-of-fold confusion matrix (rows gold, columns predicted):", "",
            "| | " + " | ".join(str(i) for i in range(len(LABELS))) + " |", "|---" * (len(LABELS) + 1) + "|"]
    out += [f"| **{i}** | " + " | ".join(str(n) for n in row) + " |" for i, row in enumerate(conf)]
    out += ["", "Ablation (same protocol, each row one run):", "",
            "| run | weak labels | accuracy | weighted F1 | binary accuracy |", "|---|---|---|---|---|"]
    for p, r in runs:
        ss = r["summary"]
        weak = r["settings"].get("weak") or "none"
        out.append(f"| `{p.name}` | {weak} | {_ms(ss['accuracy'])} | {_ms(ss['weighted_f1'])} | "
                   f"{_ms(ss['binary_accuracy'])} |")
    print("\n".join(out))
