"""The task input, built the same way in training, in the TS engine (src/lib/inference/input.ts) and the CLI.

[CLS] context turns (each `[seeker]…`/`[supporter]…`) [SEP] `[supporter]`response [SEP]

Truncation rule (mirrored exactly in input.ts):
1. The response keeps up to `budget` tokens, less 64 (at most half the budget) when there is
   context, so the seeker's last words always have room. Anything cut from the response marks the item truncated.
2. Context turns are added newest first while each fits whole; older ones are dropped whole.
3. If not even the newest turn fits whole, its marker and its last tokens that fit are kept.
"""
from __future__ import annotations

from dataclasses import dataclass

CONTEXT_RESERVE = 64


@dataclass
class Built:
    input_ids: list[int]
    token_type_ids: list[int]
    truncated: bool
    dropped_turns: int


def build_input(context: list[list[int]], response: list[int], max_len: int, cls_id: int, sep_id: int) -> Built:
    """`context`: per-turn ids (marker included), oldest first; `response`: ids with its marker."""
    budget = max_len - 3
    # The reserve is capped at half the budget so a tiny max_len never leaves the response empty.
    limit = budget - min(CONTEXT_RESERVE, budget // 2) if context else budget
    truncated = len(response) > limit
    resp = response[:limit]
    room = budget - len(resp)
    kept: list[list[int]] = []
    for turn in reversed(context):
        if len(turn) > room:
            break
        kept.append(turn)
        room -= len(turn)
    dropped = len(context) - len(kept)
    if not kept and context and room > 1:
        newest = context[-1]
        kept.append([newest[0]] + newest[len(newest) - (room - 1):])
        dropped = len(context) - 1
        truncated = True
    if dropped:
        truncated = True
    ctx = [t for turn in reversed(kept) for t in turn]
    ids = [cls_id] + ctx + [sep_id] + resp + [sep_id]
    types = [0] * (len(ctx) + 2) + [1] * (len(resp) + 1)
    return Built(ids, types, truncated, dropped)
