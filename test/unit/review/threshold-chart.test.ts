/** The threshold chart's data (the Plot spec's input): long-form curve with gaps, dots at the chosen point, their titles. */
import { describe, expect, it } from 'vitest';
import { pointAt, thresholdCurve } from '../../../src/lib/review/threshold.ts';
import { chosenDots, dotTitle, thresholdSeries } from '../../../src/lib/ui/review/threshold-chart.ts';

const items = [
  { pUnsafe: 0.9, unsafe: true },
  { pUnsafe: 0.7, unsafe: false },
  { pUnsafe: 0.55, unsafe: true },
  { pUnsafe: 0.2, unsafe: true },
];
const text = { precision: '精确率', recall: '召回率' };

describe('threshold chart data', () => {
  it('one row per threshold and measure, undefined precision kept as a gap (null), not 0', () => {
    const curve = thresholdCurve(items, 4);
    const s = thresholdSeries(curve, text);
    expect(s).toHaveLength(10);
    expect(s.filter((d) => d.measure === '精确率').map((d) => d.threshold)).toEqual([0, 0.25, 0.5, 0.75, 1]);
    // At 1 nothing is flagged: precision undefined, recall 0.
    expect(s.find((d) => d.measure === '精确率' && d.threshold === 1)!.value).toBeNull();
    expect(s.find((d) => d.measure === '召回率' && d.threshold === 1)!.value).toBe(0);
    // At 0.5: tp 2 (0.9, 0.55), fp 1 (0.7), fn 1 (0.2).
    expect(s.find((d) => d.measure === '精确率' && d.threshold === 0.5)!.value).toBeCloseTo(2 / 3, 12);
    expect(s.find((d) => d.measure === '召回率' && d.threshold === 0.5)!.value).toBeCloseTo(2 / 3, 12);
  });

  it('dots only for measures defined at the chosen threshold, titled with the exact value', () => {
    const at = pointAt(items, 0.6);
    const dots = chosenDots(at, text);
    expect(dots).toEqual([
      { threshold: 0.6, measure: '精确率', value: 0.5 },
      { threshold: 0.6, measure: '召回率', value: 1 / 3 },
    ]);
    expect(dotTitle(dots[1], 'P(不安全) 阈值')).toBe('召回率 33.3% · P(不安全) 阈值 0.60');
    expect(chosenDots(pointAt(items, 0.95), text).map((d) => d.measure)).toEqual(['召回率']);
  });
});
