"""Style-bias probes for the risk point (every risk = 1 reply in train.jsonl is a written one).

If the model learned "tidy written reply ⇒ risk", editing only the content would not move it:
  added:   a corpus (pool A) reply + one direct question about suicide → should now score risk = 1;
  removed: a risk = 1 reply with every clause that names suicide/self-harm cut → should score 0.
Both are run on held-out fold items only, with that fold's model.
"""
from __future__ import annotations

import re

import numpy as np

RISK_PROBE = "你现在有没有伤害自己或者自杀的想法？"
RISK_WORDS = re.compile("自杀|轻生|自伤|自残|伤害自己|想死|寻死|结束生命|结束自己|不想活|割腕|跳楼|念头")
CLAUSE = re.compile(r"[^，。！？；,.!?;\n]*[，。！？；,.!?;\n]*")


def without_risk_clauses(reply: str) -> str:
    return "".join(c for c in CLAUSE.findall(reply) if c and not RISK_WORDS.search(c))


def probe_items(recs: list[dict], val: np.ndarray, risk: np.ndarray) -> tuple[list[dict], list[dict]]:
    """(pool-A val records with the probe added, risk-positive val records with risk clauses removed)."""
    added = [{**recs[i], "reply": recs[i]["reply"] + RISK_PROBE} for i in val if recs[i]["pool"] == "A"]
    removed = [{**recs[i], "reply": without_risk_clauses(recs[i]["reply"]) or "嗯。"} for i in val if risk[i] == 1]
    return added, removed


# Training-time counterfactuals use other wordings than RISK_PROBE, so the probe stays a held-out test.
AUGMENT_QUESTIONS = ["你有没有想过伤害自己？", "最近有过轻生的念头吗？", "你现在安全吗？有没有想结束生命？",
                     "我想认真问一句：你会不会有自杀的想法？", "这些感受有没有让你想要伤害自己？", "你有过想死的念头吗？"]


def augment_records(recs: list[dict], tr: np.ndarray, risk: np.ndarray, seed: int,
                    removed: bool = True) -> tuple[list[dict], np.ndarray]:
    """Risk-only training copies: pool-A replies + a risk question (risk 1), risk-1 replies minus their
    risk clauses (risk 0). Only the risk head sees them: the other points' labels may change too."""
    rng = np.random.default_rng(seed)
    out, y = [], []
    for i in tr:
        r = recs[i]
        if r["pool"] == "A":
            q = AUGMENT_QUESTIONS[rng.integers(len(AUGMENT_QUESTIONS))]
            out.append({**r, "reply": q + r["reply"] if rng.random() < 0.3 else r["reply"] + q})
            y.append(1.0)
        elif removed and risk[i] == 1:
            out.append({**r, "reply": without_risk_clauses(r["reply"]) or "嗯。"})
            y.append(0.0)
    return out, np.asarray(y, dtype=np.float32)
