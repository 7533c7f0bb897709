"""Data formatting: the task input and its truncation rule (mirrored by src/lib/inference/input.ts)."""
import unittest

from training.corpus import split_marked
from training.inputs import CONTEXT_RESERVE, build_input

CLS, SEP = 2, 3


class BuildInputTest(unittest.TestCase):
    def test_layout_and_segments(self):
        b = build_input([[5, 10, 11], [6, 12]], [6, 20, 21], 64, CLS, SEP)
        self.assertEqual(b.input_ids, [CLS, 5, 10, 11, 6, 12, SEP, 6, 20, 21, SEP])
        self.assertEqual(b.token_type_ids, [0] * 7 + [1] * 4)
        self.assertFalse(b.truncated)
        self.assertEqual(b.dropped_turns, 0)

    def test_drops_oldest_turns_whole(self):
        ctx = [[5] + [10] * 30, [6] + [11] * 30, [5] + [12] * 30]
        b = build_input(ctx, [6, 20], 3 + 2 + 31 * 2 + 5, CLS, SEP)
        self.assertTrue(b.truncated)
        self.assertEqual(b.dropped_turns, 1)
        self.assertEqual(b.input_ids[1:3], [6, 11])  # starts with the kept turn's marker
        self.assertNotIn(10, b.input_ids)

    def test_response_is_never_cut_silently(self):
        resp = [6] + list(range(100, 400))
        b = build_input([[5, 10]], resp, 128, CLS, SEP)
        self.assertTrue(b.truncated)
        kept = 125 - min(CONTEXT_RESERVE, 125 // 2)
        self.assertEqual(b.input_ids[-kept - 1:-1], resp[:kept])  # the response's head, cut at the limit
        self.assertEqual(b.input_ids.count(10), 1)  # the seeker's turn kept: CONTEXT_RESERVE leaves room
        self.assertEqual(sum(b.token_type_ids), kept + 1)

    def test_reserve_never_empties_the_response_at_small_max_len(self):
        b = build_input([[5, 10]], [6] + list(range(100, 200)), 32, CLS, SEP)
        self.assertEqual(sum(b.token_type_ids), (32 - 3) - (32 - 3) // 2 + 1)

    def test_keeps_tail_of_a_newest_turn_too_long_to_fit(self):
        newest = [5] + list(range(100, 300))
        b = build_input([newest], [6, 20], 32, CLS, SEP)
        self.assertTrue(b.truncated)
        self.assertEqual(len(b.input_ids), 32)
        self.assertEqual(b.input_ids[1], 5)  # marker kept
        self.assertEqual(b.input_ids[2:28][-1], 299)  # the newest tokens survive

    def test_no_context(self):
        b = build_input([], [6, 20], 16, CLS, SEP)
        self.assertEqual(b.input_ids, [CLS, SEP, 6, 20, SEP])


class SplitMarkedTest(unittest.TestCase):
    def test_splits_dialogue_safety_strings(self):
        self.assertEqual(split_marked("[seeker]你好[supporter]嗯[seeker]我难过"),
                         [(0, "你好"), (1, "嗯"), (0, "我难过")])

    def test_text_before_first_marker_is_seeker(self):
        self.assertEqual(split_marked("开头[supporter]回复"), [(0, "开头"), (1, "回复")])

    def test_empty_turns_skipped(self):
        self.assertEqual(split_marked("[seeker][supporter]好"), [(1, "好")])


if __name__ == "__main__":
    unittest.main()
