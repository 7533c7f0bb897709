"""Run folders: every step writes into runs/<step>/ and logs its settings, so each is auditable."""
from __future__ import annotations

import json
import random
import sys
import time
from pathlib import Path

import numpy as np


class RunLog:
    def __init__(self, folder: Path, step: str, settings: dict):
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self.path = folder / "log.txt"
        self.t0 = time.time()
        (folder / "settings.json").write_text(json.dumps(settings, indent=1, ensure_ascii=False, default=str))
        self(f"== {step} {json.dumps(settings, ensure_ascii=False, default=str)}")

    def __call__(self, msg: str):
        line = f"[{time.time() - self.t0:7.1f}s] {msg}"
        print(line, flush=True)
        with self.path.open("a", encoding="utf-8") as f:
            f.write(line + "\n")


def seed_everything(seed: int):
    random.seed(seed)
    np.random.seed(seed)
    try:
        import torch

        torch.manual_seed(seed)
    except ImportError:  # the vocab step does not need torch
        pass


def set_threads(n: int | None):
    import torch

    if n:
        torch.set_num_threads(n)


def die(msg: str, code: int = 2):
    print(f"error: {msg}", file=sys.stderr)
    sys.exit(code)
