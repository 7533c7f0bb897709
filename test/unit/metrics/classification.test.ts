import { describe, expect, it } from 'vitest';
import {
  binaryReport,
  classificationReport,
  cohenKappa,
  confusionMatrix,
  MetricsInputError,
} from '../../../src/lib/metrics/classification.ts';

// gold=[0,0,0,1,1,2], pred=[0,0,1,1,2,2]  →  confusion (rows gold):
//   [2,1,0]
//   [0,1,1]
//   [0,0,1]          column sums 2,2,2; supports 3,2,1; accuracy 4/6
// class 0: P=2/2=1   R=2/3  F1=0.8
// class 1: P=1/2     R=1/2  F1=0.5
// class 2: P=1/2     R=1/1  F1=2/3
const GOLD = [0, 0, 0, 1, 1, 2];
const PRED = [0, 0, 1, 1, 2, 2];

describe('confusionMatrix', () => {
  it('puts gold on rows and predictions on columns', () => {
    expect(confusionMatrix(GOLD, PRED, 3)).toEqual([
      [2, 1, 0],
      [0, 1, 1],
      [0, 0, 1],
    ]);
  });

  it('rejects ids outside 0…k−1 and length mismatch', () => {
    expect(() => confusionMatrix([0, 3], [0, 1], 3)).toThrow(/gold\[1\] = 3/);
    expect(() => confusionMatrix([0], [0, 1], 3)).toThrow(/1 labels but pred has 2/);
    expect(() => confusionMatrix([0.5], [0], 3)).toThrow(MetricsInputError);
  });
});

describe('classificationReport', () => {
  const r = classificationReport(GOLD, PRED, 3);

  it('computes accuracy and per-class scores', () => {
    expect(r.accuracy).toBeCloseTo(4 / 6, 10);
    expect(r.perClass[0]).toEqual({ precision: 1, recall: expect.closeTo(2 / 3, 10), f1: expect.closeTo(0.8, 10), support: 3 });
    expect(r.perClass[1].f1).toBeCloseTo(0.5, 10);
    expect(r.perClass[2].precision).toBeCloseTo(0.5, 10);
    expect(r.perClass[2].recall).toBe(1);
    expect(r.perClass[2].f1).toBeCloseTo(2 / 3, 10);
  });

  it('weights by gold support', () => {
    // P = (3·1 + 2·0.5 + 1·0.5)/6 = 0.75; R = (3·2/3 + 2·0.5 + 1)/6 = 4/6;
    // F1 = (3·0.8 + 2·0.5 + 2/3)/6 = 0.677777…
    expect(r.weighted.precision).toBeCloseTo(0.75, 10);
    expect(r.weighted.recall).toBeCloseTo(4 / 6, 10);
    expect(r.weighted.f1).toBeCloseTo(4.0666666667 / 6, 8);
  });

  it('macro-averages with equal weight', () => {
    // P = (1 + .5 + .5)/3; R = (2/3 + .5 + 1)/3; F1 = (.8 + .5 + 2/3)/3
    expect(r.macro.precision).toBeCloseTo(2 / 3, 10);
    expect(r.macro.recall).toBeCloseTo(13 / 18, 10);
    expect(r.macro.f1).toBeCloseTo(1.9666666667 / 3, 8);
  });

  it('scores a class absent from gold as 0 (zero division), counted in macro only', () => {
    // gold=[0,0,1,1] pred=[0,2,1,1]: class 2 predicted once, never gold → P=0 R=0 F1=0
    // class 0: P=1 R=.5 F1=2/3; class 1: P=R=F1=1
    const a = classificationReport([0, 0, 1, 1], [0, 2, 1, 1], 3);
    expect(a.perClass[2]).toEqual({ precision: 0, recall: 0, f1: 0, support: 0 });
    expect(a.macro.f1).toBeCloseTo((2 / 3 + 1 + 0) / 3, 10);
    expect(a.weighted.f1).toBeCloseTo((2 * (2 / 3) + 2 * 1) / 4, 10);
  });

  it('handles a class never predicted (precision 0, not NaN)', () => {
    const a = classificationReport([0, 1], [0, 0], 2);
    expect(a.perClass[1]).toEqual({ precision: 0, recall: 0, f1: 0, support: 1 });
    expect(a.perClass[0].precision).toBe(0.5);
  });

  it('throws a clear error on empty input', () => {
    expect(() => classificationReport([], [], 8)).toThrow('cannot compute metrics on empty input');
  });
});

describe('binaryReport', () => {
  it('treats unsafe (≠ 7) as positive; different unsafe classes still agree', () => {
    // gold  7 7 0 2 3 7     pred  7 2 0 7 5 7
    //       tn fp tp fn tp tn  → tp=2 fp=1 fn=1 tn=2
    const b = binaryReport([7, 7, 0, 2, 3, 7], [7, 2, 0, 7, 5, 7]);
    expect(b.accuracy).toBeCloseTo(4 / 6, 10);
    expect(b.precision).toBeCloseTo(2 / 3, 10);
    expect(b.recall).toBeCloseTo(2 / 3, 10);
    expect(b.f1).toBeCloseTo(2 / 3, 10);
  });

  it('honours a custom safe id and zero division', () => {
    const b = binaryReport([0, 0], [0, 0], 0);
    expect(b).toEqual({ accuracy: 1, precision: 0, recall: 0, f1: 0 });
  });

  it('throws on empty or mismatched input', () => {
    expect(() => binaryReport([], [])).toThrow(/empty/);
    expect(() => binaryReport([7], [])).toThrow(MetricsInputError);
  });
});

describe('cohenKappa', () => {
  it('matches a hand-computed 2×2 case', () => {
    // 50 items. gold yes(1)=25: 20 pred yes, 5 pred no; gold no(0)=25: 10 pred yes, 15 pred no.
    // p_o = (20 + 15)/50 = 0.7
    // p_e = P(gold yes)·P(pred yes) + P(gold no)·P(pred no) = 0.5·0.6 + 0.5·0.4 = 0.5
    // κ = (0.7 − 0.5)/(1 − 0.5) = 0.4
    const gold = [...Array(25).fill(1), ...Array(25).fill(0)];
    const pred = [...Array(20).fill(1), ...Array(5).fill(0), ...Array(10).fill(1), ...Array(15).fill(0)];
    expect(cohenKappa(gold, pred, 2)).toBeCloseTo(0.4, 10);
  });

  it('matches a hand-computed 3-class case', () => {
    // GOLD/PRED above: p_o = 4/6; row sums 3,2,1; column sums 2,2,2
    // p_e = (3·2 + 2·2 + 1·2)/36 = 1/3 → κ = (2/3 − 1/3)/(2/3) = 0.5
    expect(cohenKappa(GOLD, PRED, 3)).toBeCloseTo(0.5, 10);
  });

  it('is 1 for perfect agreement, negative for systematic disagreement', () => {
    expect(cohenKappa([0, 1, 2], [0, 1, 2], 3)).toBe(1);
    // p_o = 0, p_e = .5·.5 + .5·.5 = .5 → κ = −1
    expect(cohenKappa([0, 1], [1, 0], 2)).toBe(-1);
  });

  it('returns 0 instead of NaN when p_e = 1', () => {
    expect(cohenKappa([7, 7, 7], [7, 7, 7], 8)).toBe(0);
  });

  it('throws on empty input', () => {
    expect(() => cohenKappa([], [], 8)).toThrow(MetricsInputError);
  });
});
