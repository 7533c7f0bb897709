"""Readers for ../shared/corpus and dev.json, and packing of the corpus into token ids.

Packing tokenizes every turn once and stores flat uint16 ids, so pretraining only slices arrays,
and the whole corpus travels compactly (e.g. to a lent GPU machine).
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Iterator

import numpy as np

from .tokenizer import Tokenizer

ROLE_SEEKER, ROLE_SUPPORTER, ROLE_TEXT = 0, 1, 2
ROLE_IDS = {"seeker": ROLE_SEEKER, "supporter": ROLE_SUPPORTER}

# Counseling dialogue files: turns of seeker/supporter.
DIALOGUE_FILES = [
    "smilechat/smilechat_0[0-6].jsonl",
    "cpsycoun/cpsycound.jsonl",
    "cpsycoun/cpsycoune_eval.jsonl",
    "emollm/emollm_data.jsonl",
    "emollm/emollm_roleplay.jsonl",
    "emollm/emollm_self_cognition.jsonl",
    "interactive_agents/user_profiles.jsonl",
]
# Single texts: seeker-like utterances get a [seeker] marker, other register none.
SEEKER_TEXT_FILES = ["psysuicide/psysuicide_valid_test.jsonl"]
PLAIN_TEXT_FILES = ["cold/cold.jsonl", "swsr/swsr_comments.jsonl", "swsr/swsr_weibo_posts.jsonl",
                    "cpsyexam/cpsyexam_mcq.jsonl", "cpsyexam/cpsyexam_qa.jsonl"]

MARKER_RE = re.compile(r"\[(seeker|supporter)\]")


def _jsonl(path: Path) -> Iterator[dict]:
    with path.open(encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield json.loads(line)


def _files(root: Path, patterns: list[str]) -> list[Path]:
    out: list[Path] = []
    for pat in patterns:
        out.extend(sorted(root.glob(pat)))
    return out


def iter_dialogues(root: Path, limit: int | None = None) -> Iterator[tuple[str, list[tuple[int, str]]]]:
    """(source file, [(role id, text)]) for every counseling dialogue."""
    n = 0
    for path in _files(root, DIALOGUE_FILES):
        for rec in _jsonl(path):
            turns = [(ROLE_IDS[t["role"]], t["text"]) for t in rec.get("turns", [])
                     if t.get("role") in ROLE_IDS and t.get("text")]
            if turns:
                yield path.name, turns
                n += 1
                if limit and n >= limit:
                    return


def _exam_text(rec: dict) -> str:
    opts = rec.get("options") or {}
    parts = [rec.get("question", "")]
    if isinstance(opts, dict):
        parts += [f"{k}. {v}" for k, v in opts.items()]
    parts += [str(rec.get("answer", "")), rec.get("explanation", "") or ""]
    return "\n".join(p for p in parts if p)


def iter_texts(root: Path, limit: int | None = None) -> Iterator[tuple[str, int, str, int]]:
    """(source file, role id, text, binary label or -1) for single texts."""
    n = 0
    for role, files in ((ROLE_SEEKER, SEEKER_TEXT_FILES), (ROLE_TEXT, PLAIN_TEXT_FILES)):
        for path in _files(root, files):
            for rec in _jsonl(path):
                text = _exam_text(rec) if "question" in rec else rec.get("text") or rec.get("content")
                label = rec.get("label")
                if text:
                    yield path.name, role, text, label if label in (0, 1) else -1
                    n += 1
                    if limit and n >= limit:
                        return


def split_marked(text: str) -> list[tuple[int, str]]:
    """'[seeker]a[supporter]b' → [(0,'a'),(1,'b')]. Text before the first marker counts as seeker."""
    turns: list[tuple[int, str]] = []
    pos, role = 0, ROLE_SEEKER
    for m in MARKER_RE.finditer(text):
        if m.start() > pos and text[pos:m.start()].strip():
            turns.append((role, text[pos:m.start()]))
        role, pos = ROLE_IDS[m.group(1)], m.end()
    if text[pos:].strip():
        turns.append((role, text[pos:]))
    return turns


def load_dev(path: Path) -> list[dict]:
    """dev.json items as {id, context: [(role,text)], response: str, label}."""
    items = json.loads(path.read_text(encoding="utf-8"))
    out = []
    for it in items:
        resp_turns = split_marked(it["response"])
        response = "".join(t for _, t in resp_turns)
        out.append({"id": it.get("id"), "context": split_marked(it["context"]),
                    "response": response, "label": int(it["label"])})
    return out


def pack(tok: Tokenizer, root: Path, out: Path, limit: int | None = None, log=print) -> dict:
    """Tokenize the corpus once into flat arrays (see module doc)."""
    ids: list[np.ndarray] = []
    turn_start, turn_role, dlg_start, dlg_src, dlg_label = [0], [], [0], [], []
    sources: dict[str, int] = {}
    total = 0

    def add_turn(role: int, text: str):
        nonlocal total
        arr = np.asarray(tok.encode(text), dtype=np.uint16)
        ids.append(arr)
        total += len(arr)
        turn_start.append(total)
        turn_role.append(role)

    for i, (src, turns) in enumerate(iter_dialogues(root, limit)):
        for role, text in turns:
            add_turn(role, text)
        dlg_start.append(len(turn_role))
        dlg_src.append(sources.setdefault(src, len(sources)))
        dlg_label.append(-1)
        if i % 5000 == 0:
            log(f"pack: {i} dialogues, {total} tokens")
    for src, role, text, label in iter_texts(root, limit):
        add_turn(role, text)
        dlg_start.append(len(turn_role))
        dlg_src.append(sources.setdefault(src, len(sources)))
        dlg_label.append(label)
    out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        out, ids=np.concatenate(ids) if ids else np.zeros(0, np.uint16),
        turn_start=np.asarray(turn_start, np.int64), turn_role=np.asarray(turn_role, np.uint8),
        dlg_start=np.asarray(dlg_start, np.int64), dlg_src=np.asarray(dlg_src, np.int16),
        dlg_label=np.asarray(dlg_label, np.int8),
        sources=np.asarray(json.dumps(sources)),
    )
    stats = {"dialogues": len(dlg_src), "turns": len(turn_role), "tokens": total, "sources": sources}
    log(f"pack: wrote {out} {stats}")
    return stats
