"""e5_bias: the Safe-logit shift and the choice of b on inner out-of-fold scores."""
import unittest

import numpy as np

from training.e5_bias import GRID, choose, shifted
from training.e5_seg import SAFE


class BiasTest(unittest.TestCase):
    def test_shift_moves_only_the_safe_odds(self):
        rng = np.random.default_rng(0)
        p = rng.dirichlet(np.ones(8), size=20)
        np.testing.assert_allclose(shifted(p, 0.0), p, atol=1e-12)
        q = shifted(p, 0.7)
        np.testing.assert_allclose(q.sum(1), 1.0, atol=1e-12)
        self.assertTrue((q[:, SAFE] > p[:, SAFE]).all())
        # Odds of Safe against the rest grow by e^b; the unsafe classes keep their ratios.
        odds = lambda x: x[:, SAFE] / (1 - x[:, SAFE])  # noqa: E731
        np.testing.assert_allclose(odds(q) / odds(p), np.exp(0.7), rtol=1e-9)
        np.testing.assert_allclose(q[:, 0] / q[:, 1], p[:, 0] / p[:, 1], rtol=1e-9)

    def test_choose_finds_the_shift_that_separates(self):
        # Safe items whose P(Safe) is 0.4 and unsafe items at 0.2: the rule at 0.5 flags all of them until the
        # shift lifts the Safe ones over 0.5 (b > log 1.5 ≈ 0.41) without lifting the unsafe ones (b < log 4).
        p = np.full((10, 8), 0.0)
        p[:5, SAFE], p[:5, 2] = 0.4, 0.6
        p[5:, SAFE], p[5:, 2] = 0.2, 0.8
        gold = np.array([SAFE] * 5 + [2] * 5)
        b = choose(gold, p, 0.5)
        self.assertIn(b, GRID)
        self.assertGreater(b, np.log(1.5))
        self.assertLess(b, np.log(4.0))
        self.assertEqual(choose(gold[5:], p[5:], 0.5), float(GRID[0]))  # nothing to gain: the smallest shift


if __name__ == "__main__":
    unittest.main()
