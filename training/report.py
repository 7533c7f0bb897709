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


def _ms(d: dict | None) -> str:
    return "—" if d is None else f"{100 * d['mean']:.1f} ± {100 * d['std']:.1f}"


def _pct(x) -> str:
    return "—" if x is None else f"{100 * x:.0f}"


HARMFUL = [1, 3, 4, 5, 6]


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
    out += ["", f"Weighted precision {_ms(s['weighted_precision'])}, weighted recall {_ms(s['weighted_recall'])}, "
            f"macro F1 over the 8 classes {_ms(s.get('macro_f1'))}.", "",
            "Per class (mean ± std over folds; support summed over folds):", "",
            "| id | class | precision | recall | F1 | support |", "|---|---|---|---|---|---|"]
    for i, (label, c) in enumerate(zip(LABELS, s["per_class"])):
        out.append(f"| {i} | {label} | {_ms(c['precision'])} | {_ms(c['recall'])} | {_ms(c['f1'])} | {c['support']} |")
    conf = main["pooled"]["confusion"]
    out += ["", "Pooled out-of-fold confusion matrix (rows gold, columns predicted):", "",
            "| | " + " | ".join(str(i) for i in range(len(LABELS))) + " |", "|---" * (len(LABELS) + 1) + "|"]
    out += [f"| **{i}** | " + " | ".join(str(n) for n in row) + " |" for i, row in enumerate(conf)]
    if main.get("extra"):
        out += ["", f"Held-out recall on the extra data ({main['extra_protocol']}; pooled over folds):", "",
                "| file | weight | items | " + " | ".join(f"{i} {LABELS[i]}" for i in range(len(LABELS)))
                + " | unsafe found |", "|---" * (len(LABELS) + 4) + "|"]
        for e in main["extra"]:
            pr = e["pooled"]
            out.append(f"| `{Path(e['path']).name}` | {e['weight']} | {e['items']} | "
                       + " | ".join(_pct(r) for r in pr["recall"]) + f" | {_pct(pr['binary_recall_unsafe'])} |")
    out += ["", "Ablation (same protocol, each row one run; held-out recall per harmful class 1/3/4/5/6 on each "
            "extra file's held-out groups):", "",
            "| run | weak labels | extra | accuracy | weighted F1 | macro F1 | binary accuracy | binary F1 (unsafe) "
            "| held-out recall 1/3/4/5/6 |", "|---|---|---|---|---|---|---|---|---|"]
    for p, r in runs:
        ss = r["summary"]
        weak = r["settings"].get("weak") or "none"
        extra = ", ".join(f"{Path(e['path']).name}:{e['weight']}" for e in r.get("extra", [])) or "none"
        held = "; ".join("/".join(_pct(e["pooled"]["recall"][c]) for c in HARMFUL) for e in r.get("extra", [])) or "—"
        out.append(f"| `{p.name}` | {weak} | {extra} | {_ms(ss['accuracy'])} | {_ms(ss['weighted_f1'])} | "
                   f"{_ms(ss.get('macro_f1'))} | {_ms(ss['binary_accuracy'])} | {_ms(ss['binary_f1'])} | {held} |")
    print("\n".join(out))
