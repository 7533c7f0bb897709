"""The CV plan with --extra data: groups never cross folds, extra items never reach a scored dev fold."""
import json
import tempfile
import unittest
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from training.extra import cv_plan, group_folds, parse_extra, read_labeled
from training.finetune import CLASS_WEIGHTS, weighted_ce
from training.metrics import report, stratified_folds


def synthetic_groups(n_groups: int, per_group: int = 3) -> list[str]:
    return [f"c{g:03d}" for g in range(n_groups) for _ in range(per_group)]


class GroupFolds(unittest.TestCase):
    def test_every_item_in_exactly_one_fold_and_groups_whole(self):
        groups = synthetic_groups(97) + ["lone-a", "lone-b"]
        folds = group_folds(groups, 5, seed=0)
        allidx = np.concatenate(folds)
        self.assertEqual(sorted(allidx.tolist()), list(range(len(groups))))
        fold_of_group = {}
        for f, idx in enumerate(folds):
            for i in idx:
                self.assertEqual(fold_of_group.setdefault(groups[i], f), f, f"group {groups[i]} crosses folds")
        sizes = [len({groups[i] for i in idx}) for idx in folds]
        self.assertLessEqual(max(sizes) - min(sizes), 1, "groups are spread evenly")

    def test_seeded_and_order_independent(self):
        groups = synthetic_groups(40)
        a, b = group_folds(groups, 5, 0), group_folds(groups, 5, 0)
        self.assertTrue(all((x == y).all() for x, y in zip(a, b)))
        c = group_folds(groups, 5, 1)
        self.assertFalse(all(len(x) == len(y) and (x == y).all() for x, y in zip(a, c)))
        # Reordering the items does not move a group to another fold.
        rev = groups[::-1]
        fa = {groups[i]: f for f, idx in enumerate(a) for i in idx}
        fr = {rev[i]: f for f, idx in enumerate(group_folds(rev, 5, 0)) for i in idx}
        self.assertEqual(fa, fr)


class Plan(unittest.TestCase):
    def setUp(self):
        rng = np.random.default_rng(3)
        self.labels = rng.choice(8, size=123, p=[.07, .01, .44, .01, .01, .02, .01, .43]).tolist()
        self.groups = [synthetic_groups(50), synthetic_groups(21, 2) + ["x"]]
        self.plan = cv_plan(self.labels, self.groups, 5, seed=0)

    def test_dev_folds_are_the_stratified_folds_as_without_extras(self):
        plain = stratified_folds(self.labels, 5, 0)
        for fold, want in zip(self.plan, plain):
            self.assertTrue((fold.dev_val == want).all())
            self.assertEqual(set(fold.dev_train.tolist()) & set(fold.dev_val.tolist()), set())
            self.assertEqual(len(fold.dev_train) + len(fold.dev_val), len(self.labels))

    def test_held_out_extra_groups_are_never_trained_on(self):
        for groups, j in zip(self.groups, range(2)):
            seen_val = []
            for fold in self.plan:
                tr = {groups[i] for i in fold.extra_train[j]}
                va = {groups[i] for i in fold.extra_val[j]}
                self.assertEqual(tr & va, set(), "a group is both trained on and scored")
                self.assertEqual(len(fold.extra_train[j]) + len(fold.extra_val[j]), len(groups))
                seen_val += fold.extra_val[j].tolist()
            self.assertEqual(sorted(seen_val), list(range(len(groups))), "each extra item is scored once")

    def test_scored_dev_fold_holds_no_extra_item(self):
        # The scored set of fold k is dev_val only; extra items enter through extra_train, whose indices
        # point into the extra files, never into dev.json.
        for fold in self.plan:
            self.assertTrue(all(0 <= i < len(self.labels) for i in fold.dev_val))
            self.assertEqual(len(fold.extra_train), 2)


class Files(unittest.TestCase):
    def test_parse_weight(self):
        self.assertEqual(parse_extra("a/b.jsonl:0.3"), (Path("a/b.jsonl"), 0.3))
        self.assertEqual(parse_extra("a/b.jsonl"), (Path("a/b.jsonl"), 1.0))
        self.assertEqual(parse_extra("c:/x.json"), (Path("c:/x.json"), 1.0))
        with self.assertRaises(ValueError):
            parse_extra("a.jsonl:0")

    def test_jsonl_and_json_read_alike(self):
        rows = [{"id": "s1", "group": "g1", "context": "[seeker]我很难过[supporter]怎么了[seeker]没人懂我",
                 "response": "[supporter]你太矫情了", "label": 3},
                {"context": "[seeker]睡不着", "response": "[supporter]多喝热水", "label": 2}]
        with tempfile.TemporaryDirectory() as d:
            jl, js = Path(d) / "x.jsonl", Path(d) / "x.json"
            jl.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
            js.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
            a, b = read_labeled(jl), read_labeled(js)
            self.assertEqual(a, b)
            self.assertEqual(a[0]["context"], [(0, "我很难过"), (1, "怎么了"), (0, "没人懂我")])
            self.assertEqual(a[0]["response"], "你太矫情了")
            self.assertEqual(a[1]["group"], a[1]["id"], "an item without a group is its own group")
            jl.write_text(json.dumps({"context": "[seeker]a", "response": "b", "label": 9}) + "\n")
            with self.assertRaisesRegex(ValueError, "item 1 has label 9"):
                read_labeled(jl)


class Loss(unittest.TestCase):
    def test_unit_sample_weights_equal_the_paper_loss(self):
        torch.manual_seed(0)
        logits, y = torch.randn(9, 8), torch.tensor([0, 1, 2, 3, 4, 5, 6, 7, 7])
        cw = torch.tensor(CLASS_WEIGHTS, dtype=torch.float)
        batch = [{"label": int(v)} for v in y]
        self.assertAlmostEqual(weighted_ce(logits, batch, cw).item(), F.cross_entropy(logits, y, weight=cw).item(), 6)
        # A down-weighted item counts less: weight 0 removes it.
        batch0 = batch[:-1] + [{"label": 7, "weight": 0.0}]
        self.assertAlmostEqual(weighted_ce(logits, batch0, cw).item(),
                               F.cross_entropy(logits[:-1], y[:-1], weight=cw).item(), 6)


class Macro(unittest.TestCase):
    def test_macro_f1_counts_absent_classes_as_zero(self):
        r = report([7, 7, 2, 2], [7, 7, 2, 7], 8)
        f1_7, f1_2 = 2 * (2 / 3) * 1 / (2 / 3 + 1), 2 * 1 * 0.5 / 1.5
        self.assertAlmostEqual(r["macro_f1"], (f1_7 + f1_2) / 8)


if __name__ == "__main__":
    unittest.main()
