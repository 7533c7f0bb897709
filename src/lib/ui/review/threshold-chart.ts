/**
 * The threshold-tuning chart as an Observable Plot spec: precision and recall of "unsafe" against the
 * P(unsafe) threshold, a dashed rule at the chosen threshold and a dot on each curve there. Plot is the
 * one chart library of the app (the comparison view uses it too): maintained by Observable, ISC licence,
 * and it draws SVG, so the chart saves as SVG (the chart itself) or PNG like every other chart. Each dot
 * carries a <title> with its exact value, read by screen readers and by the e2e test.
 */
import type { ThresholdPoint } from '../../review';
import type { Plot } from '../compare/charts';

export interface ThresholdDatum {
  threshold: number;
  /** The measure's display name (the colour legend shows it). */
  measure: string;
  /** Null where the measure is undefined at this threshold: the line has a gap there. */
  value: number | null;
}

export interface ThresholdChartText {
  precision: string;
  recall: string;
  /** x-axis label, e.g. "P(unsafe) threshold". */
  axis: string;
  ariaLabel: string;
}

/** The curve in long form (one row per threshold and measure), precision first. */
export function thresholdSeries(
  curve: readonly ThresholdPoint[],
  text: Pick<ThresholdChartText, 'precision' | 'recall'>,
): ThresholdDatum[] {
  return [
    ...curve.map((p) => ({ threshold: p.threshold, measure: text.precision, value: p.precision })),
    ...curve.map((p) => ({ threshold: p.threshold, measure: text.recall, value: p.recall })),
  ];
}

/** The dots at the chosen threshold: only measures that are defined there. */
export function chosenDots(
  at: ThresholdPoint,
  text: Pick<ThresholdChartText, 'precision' | 'recall'>,
): (ThresholdDatum & { value: number })[] {
  const dots: (ThresholdDatum & { value: number })[] = [];
  if (at.precision !== null) dots.push({ threshold: at.threshold, measure: text.precision, value: at.precision });
  if (at.recall !== null) dots.push({ threshold: at.threshold, measure: text.recall, value: at.recall });
  return dots;
}

export function dotTitle(d: ThresholdDatum & { value: number }, axis: string): string {
  return `${d.measure} ${(d.value * 100).toFixed(1)}% · ${axis} ${d.threshold.toFixed(2)}`;
}

export function thresholdChart(
  Plot: Plot,
  curve: readonly ThresholdPoint[],
  at: ThresholdPoint,
  text: ThresholdChartText,
): SVGSVGElement | HTMLElement {
  return Plot.plot({
    ariaLabel: text.ariaLabel,
    width: 520,
    height: 240,
    x: { domain: [0, 1], label: text.axis, grid: true },
    y: { domain: [0, 1], label: null, grid: true, tickFormat: '.0%' },
    color: { domain: [text.precision, text.recall], range: ['#c0392b', '#2471a3'], legend: true },
    marks: [
      Plot.line(thresholdSeries(curve, text), { x: 'threshold', y: 'value', stroke: 'measure', strokeWidth: 2 }),
      Plot.ruleX([at.threshold], { stroke: '#555', strokeDasharray: '4,4' }),
      Plot.dot(chosenDots(at, text), {
        x: 'threshold',
        y: 'value',
        fill: 'measure',
        r: 4,
        title: (d: ThresholdDatum & { value: number }) => dotTitle(d, text.axis),
      }),
    ],
  });
}
