"""One entry point: `python3 -m training <step> [options]`. See training/README.md."""
from __future__ import annotations

import argparse
from pathlib import Path

from .runlog import RunLog, seed_everything

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


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

    from .pretrain import add_args as pretrain_args
    p = sub.add_parser("pretrain", help="masked-LM + response-matching pretraining")
    _common(p, "pretrain")
    pretrain_args(p)

    from .finetune import add_args as finetune_args
    p = sub.add_parser("finetune", help="5-fold CV on dev.json, then the final model on all items")
    _common(p, "finetune")
    finetune_args(p)

    from .export import add_args as export_args
    p = sub.add_parser("export", help="ONNX export, int8 quantization, parity check, model folder")
    _common(p, "export")
    export_args(p)

    from .report import add_args as report_args
    p = sub.add_parser("report", help="markdown CV tables for the model card")
    _common(p, "report")
    report_args(p)

    from .crisis import add_args as crisis_args
    p = sub.add_parser("crisis", help="PsyCrisis five points (--task reply) or seeker risk (--task seeker)")
    _common(p, "crisis")
    crisis_args(p)

    from .reference import add_args as ref_args
    p = sub.add_parser("reference-model", help="random-weight int8 model of bert-base-chinese's shape (bench only)")
    _common(p, "reference-model")
    ref_args(p)
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
    elif args.step == "pretrain":
        from .pretrain import run
        run(args)
    elif args.step == "finetune":
        from .finetune import run
        run(args)
    elif args.step == "export":
        from .export import run
        run(args)
    elif args.step == "report":
        from .report import run
        run(args)
    elif args.step == "crisis":
        from .crisis import run
        run(args)
    elif args.step == "reference-model":
        from .reference import run
        run(args)
