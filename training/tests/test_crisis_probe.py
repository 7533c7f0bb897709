"""Style-bias probes and the risk counterfactuals: what they add, cut and label."""
import unittest

import numpy as np

from training.crisis_probe import AUGMENT_QUESTIONS, RISK_PROBE, augment_records, probe_items, without_risk_clauses


class ProbeTest(unittest.TestCase):
    RECS = [{"pool": "A", "reply": "你很辛苦。"}, {"pool": "B", "reply": "我很担心你。你有自杀的念头吗？请打热线。"},
            {"pool": "B", "reply": "抱抱你。"}]

    def test_cuts_only_clauses_that_name_suicide_or_self_harm(self):
        self.assertEqual(without_risk_clauses("听起来你很痛苦。你有没有想过伤害自己？我在这里，可以打热线。"),
                         "听起来你很痛苦。我在这里，可以打热线。")
        self.assertEqual(without_risk_clauses("抱抱你。"), "抱抱你。")

    def test_probe_items_use_held_out_indices_only(self):
        added, removed = probe_items(self.RECS, np.array([0, 1]), np.array([0, 1, 0]))
        self.assertEqual([r["reply"] for r in added], ["你很辛苦。" + RISK_PROBE])
        self.assertEqual([r["reply"] for r in removed], ["我很担心你。请打热线。"])

    def test_augmentation_labels_and_wording_differ_from_the_probe(self):
        recs, y = augment_records(self.RECS, np.array([0, 1, 2]), np.array([0, 1, 0]), seed=0)
        self.assertEqual(y.tolist(), [1.0, 0.0])
        self.assertTrue(any(q in recs[0]["reply"] for q in AUGMENT_QUESTIONS))
        self.assertNotIn(RISK_PROBE, AUGMENT_QUESTIONS)
        _, y_add = augment_records(self.RECS, np.array([0, 1, 2]), np.array([0, 1, 0]), seed=0, removed=False)
        self.assertEqual(y_add.tolist(), [1.0])


if __name__ == "__main__":
    unittest.main()
