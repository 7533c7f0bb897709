"""Token n-gram presence and keyword-rule features, computed the same way in numpy (training) and
inside the exported ONNX graph (a torch module), so the browser needs no feature code of its own.

Why presence of character uni/bigrams: the five PsyCrisis points are mostly about *what* a reply says
(asks about suicide, names a hotline, teaches slow breathing), which single characters and character
pairs capture well on 450 items; presence (not counts) keeps long corpus replies from dominating.

Slots: every selected unigram and bigram gets a slot 1..K (0 = not selected). Bigrams are looked up
through an exact hash table (bucket → slot, bucket → key) so a non-selected pair never lights a slot.
Rules (content features): AND over groups, each group an OR over n-grams, e.g. "mentions suicide AND
asks a question" for the risk point. They pool rare synonyms the linear model would see too seldom.
"""
from __future__ import annotations

import numpy as np
import torch
from torch import nn

BUCKETS = 1 << 16

# Each rule: (name, [group, group, ...]); a group is a list of 1–2 character n-grams.
RULES: list[tuple[str, list[list[str]]]] = [
    ("asks_suicide_selfharm", [
        ["自杀", "轻生", "自伤", "自残", "伤害", "想死", "寻死", "去死", "死的", "结束", "割腕", "跳楼", "念头", "不想活",
         "活下", "计划", "方法", "办法", "安全", "准备", "刀片", "冲动"],  # plan, means and safety questions too
        ["？", "?", "吗", "是否", "有没", "会不"]]),
    ("names_professional_help", [
        ["热线", "医生", "医院", "咨询", "心理", "专业", "精神", "就医", "治疗", "求助", "机构", "老师", "家人", "朋友",
         "亲人", "父母", "120", "110", "电话"]]),
    ("names_coping_technique", [
        ["呼吸", "深呼", "正念", "冥想", "运动", "散步", "跑步", "放松", "日记", "写下", "音乐", "睡眠", "肌肉"]]),
    ("asks_open_question", [["？", "?", "吗", "什么", "怎么", "能说", "愿意", "聊聊"]]),
]


# Same-unit rules: group A and group B inside ONE sentence (or clause). A reply that mentions the
# seeker's suicidal thoughts in one sentence and asks "你有想过寻求帮助吗？" in another is not a risk
# assessment; whole-reply presence cannot tell the two apart (measured: pool-A false positives).
UNIT_RULES: list[tuple[str, int, str]] = [("asks_suicide_same_sentence", 0, "sentence"),
                                          ("asks_suicide_same_clause", 0, "clause")]
SENTENCE_END = "。！？!?；;…\n"
CLAUSE_END = SENTENCE_END + "，,、：:"


def ngram_tokens(tok, gram: str) -> list[int]:
    """Token ids of a keyword; a 3-char keyword keeps its first two (our features are uni/bigrams)."""
    ids = tok.encode(gram)
    return ids[:2]


def positions(ids: list[int], types: list[int], segment: int) -> list[int]:
    return [t for t, s in zip(ids, types) if s == segment]


def grams_of(seq: list[int], vocab_size: int) -> tuple[set[int], set[int]]:
    """(unigram ids, bigram keys a*V+b) present in one segment."""
    return set(seq), {a * vocab_size + b for a, b in zip(seq, seq[1:])}


class Featurizer:
    """Chooses slots from training segments (document frequency ≥ min_df; labels unused)."""

    def __init__(self, tok, segments: list[list[int]], min_df: int = 2, rules=RULES):
        self.V = len(tok)
        df_u: dict[int, int] = {}
        df_b: dict[int, int] = {}
        for seq in segments:
            u, b = grams_of(seq, self.V)
            for g in u:
                df_u[g] = df_u.get(g, 0) + 1
            for g in b:
                df_b[g] = df_b.get(g, 0) + 1
        rule_grams = [ngram_tokens(tok, g) for _, groups in rules for grp in groups for g in grp]
        keep_u = sorted({g for g, n in df_u.items() if n >= min_df} | {r[0] for r in rule_grams if len(r) == 1})
        keep_b = sorted({g for g, n in df_b.items() if n >= min_df}
                        | {r[0] * self.V + r[1] for r in rule_grams if len(r) == 2})
        self.uni_slot = np.zeros(self.V, dtype=np.int64)
        self.uni_slot[keep_u] = np.arange(1, len(keep_u) + 1)
        self.bi_slot = np.zeros(BUCKETS, dtype=np.int64)
        self.bi_key = np.full(BUCKETS, -1, dtype=np.int64)
        slot = len(keep_u) + 1
        for key in keep_b:
            h = key % BUCKETS
            # A collision drops the later pair: probing would need a loop in the graph. Rare at 64k buckets.
            if self.bi_key[h] == -1:
                self.bi_key[h], self.bi_slot[h] = key, slot
                slot += 1
        self.K = slot - 1
        self.rule_names = [name for name, _ in rules]
        groups = [grp for _, gs in rules for grp in gs]
        self.group_mat = np.zeros((self.K + 1, len(groups)), dtype=np.float32)
        for j, grp in enumerate(groups):
            for g in grp:
                s = self._slot(ngram_tokens(tok, g))
                if s:
                    self.group_mat[s, j] = 1.0
        self.rule_mat = np.zeros((len(groups), len(rules)), dtype=np.float32)
        j = 0
        for r, (_, gs) in enumerate(rules):
            self.rule_mat[j:j + len(gs), r] = 1.0
            j += len(gs)
        self.rule_need = self.rule_mat.sum(0) - 1.0
        # Unit rules (only with the default rules: they use RULES[0]'s two groups).
        self.unit_rules = UNIT_RULES if rules is RULES else []
        self.rule_names += [name for name, _, _ in self.unit_rules]
        self.a_vec = np.zeros(self.K + 1, dtype=np.float32)
        self.b_vec = np.zeros(self.K + 1, dtype=np.float32)
        if self.unit_rules:
            for vec, grp in ((self.a_vec, RULES[0][1][0]), (self.b_vec, RULES[0][1][1])):
                for g in grp:
                    vec[self._slot(ngram_tokens(tok, g))] = 1.0
            self.a_vec[0] = self.b_vec[0] = 0.0  # slot 0 is "no feature"
        self.end_vecs = np.zeros((len(self.unit_rules), self.V), dtype=np.float32)
        for k, (_, _, unit) in enumerate(self.unit_rules):
            for ch in SENTENCE_END if unit == "sentence" else CLAUSE_END:
                ids = tok.encode(ch)
                if len(ids) == 1 and ids[0] != tok.unk_id:
                    self.end_vecs[k, ids[0]] = 1.0

    def _slot(self, ids: list[int]) -> int:
        if len(ids) == 1:
            return int(self.uni_slot[ids[0]])
        key = ids[0] * self.V + ids[1]
        h = key % BUCKETS
        return int(self.bi_slot[h]) if self.bi_key[h] == key else 0

    def transform(self, segments: list[list[int]]) -> np.ndarray:
        """[n, K + rules] presence (0/1) then rule values (0/1)."""
        pres = np.zeros((len(segments), self.K + 1), dtype=np.float32)
        units = np.zeros((len(segments), len(self.unit_rules)), dtype=np.float32)
        for i, seq in enumerate(segments):
            s = np.asarray(seq, dtype=np.int64)
            uni = self.uni_slot[s]
            bi = np.zeros_like(uni)
            if len(s) > 1:
                key = s[:-1] * self.V + s[1:]
                h = key % BUCKETS
                bi[:-1] = np.where(self.bi_key[h] == key, self.bi_slot[h], 0)
            pres[i, uni] = pres[i, bi] = 1.0
            a = np.maximum(self.a_vec[uni], self.a_vec[bi])
            b = np.maximum(self.b_vec[uni], self.b_vec[bi])
            for k, ends in enumerate(self.end_vecs):
                sid = np.cumsum(ends[s]) - ends[s]  # an end mark belongs to the unit it closes
                units[i, k] = float(((sid[:, None] == sid[None, :]) & (a[:, None] > 0) & (b[None, :] > 0)).any())
        grp = np.minimum(pres @ self.group_mat, 1.0)
        rules = np.maximum(grp @ self.rule_mat - self.rule_need, 0.0)
        return np.concatenate([pres[:, 1:], rules, units], 1)


class NgramPresence(nn.Module):
    """The Featurizer as graph ops: Gather, ScatterElements, Gemm, Clip, CumSum. Input: padded batch."""

    def __init__(self, f: Featurizer, segment: int):
        super().__init__()
        self.V, self.K, self.segment = f.V, f.K, segment
        for name in ("uni_slot", "bi_slot", "bi_key"):
            self.register_buffer(name, torch.from_numpy(getattr(f, name)))
        self.register_buffer("group_mat", torch.from_numpy(f.group_mat))
        self.register_buffer("rule_mat", torch.from_numpy(f.rule_mat))
        self.register_buffer("rule_need", torch.from_numpy(f.rule_need.astype(np.float32)))
        self.register_buffer("group_bias", torch.zeros(f.group_mat.shape[1]))
        self.register_buffer("zero_row", torch.zeros(1, self.K + 1))
        self.register_buffer("slot_mask", (torch.arange(self.K + 1) > 0).float())
        self.register_buffer("a_vec", torch.from_numpy(f.a_vec))
        self.register_buffer("b_vec", torch.from_numpy(f.b_vec))
        self.register_buffer("end_vecs", torch.from_numpy(f.end_vecs))

    def forward(self, input_ids, attention_mask, token_type_ids):
        sel = (attention_mask * (token_type_ids == self.segment).long()) > 0
        uni = torch.where(sel, self.uni_slot[input_ids], torch.zeros_like(input_ids))
        key = input_ids[:, :-1] * self.V + input_ids[:, 1:]
        h = key % BUCKETS
        pair_ok = sel[:, :-1] & sel[:, 1:] & (self.bi_key[h] == key)
        bi = torch.where(pair_ok, self.bi_slot[h], torch.zeros_like(key))
        bi = torch.cat([bi, torch.zeros_like(bi[:, :1])], 1)  # the bigram starting at each position
        slots = torch.cat([uni, bi], 1)
        # Scatter 1s into a [batch, K+1] row (ScatterElements): linear in length, unlike a one-hot
        # compare against all K slots. Repeated slots write the same 1, so duplicates are harmless.
        rows = self.zero_row + slots[:, :1].float() * 0.0
        pres = rows.scatter(1, slots, torch.ones_like(slots, dtype=torch.float32))
        pres = pres * self.slot_mask  # slot 0 means "no feature"
        # addmm exports as Gemm, which the int8 pass leaves in fp32: these sums must stay exact counts
        # (a quantized MatMul here turned a rule's 1 into 0.012 in onnxruntime, measured).
        grp = torch.clamp(torch.addmm(self.group_bias, pres, self.group_mat), max=1.0)
        rules = torch.relu(torch.addmm(-self.rule_need, grp, self.rule_mat))
        a = torch.maximum(self.a_vec[uni], self.a_vec[bi])
        b = torch.maximum(self.b_vec[uni], self.b_vec[bi])
        both = a.unsqueeze(2) * b.unsqueeze(1)
        units = []
        for k in range(self.end_vecs.shape[0]):
            ends = self.end_vecs[k][input_ids]
            sid = torch.cumsum(ends, 1) - ends
            same = (sid.unsqueeze(2) == sid.unsqueeze(1)).float()
            units.append((same * both).amax((1, 2)).unsqueeze(1))
        return torch.cat([pres[:, 1:], rules] + units, 1)
