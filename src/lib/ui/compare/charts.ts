/**
 * The comparison's charts as Observable Plot specs (one chart per measure). Plot renders SVG, so the
 * SVG export is the chart itself and the PNG export rasterises it (chart-export.ts). Each mark carries
 * a <title> with the exact numbers, which also lets the e2e test read what was drawn.
 */
import type * as PlotModule from '@observablehq/plot';

export type Plot = typeof PlotModule;

export interface IntervalDatum {
  responder: string;
  value: number;
  lo: number;
  hi: number;
  /** Facet (e.g. crisis dimension), when the chart has one. */
  group?: string;
}

export interface CellDatum {
  responder: string;
  cls: string;
  count: number;
  share: number;
}

const fmt = (x: number) => x.toFixed(4);

export function intervalTitle(d: IntervalDatum): string {
  return `${d.group ? `${d.group} · ` : ''}${d.responder}: ${fmt(d.value)} [${fmt(d.lo)}, ${fmt(d.hi)}]`;
}

/** Dot at the estimate, a rule across the interval; y = responder, optional facet rows. */
export function intervalChart(
  Plot: Plot,
  data: readonly IntervalDatum[],
  opts: { domain: [number, number]; label: string; ariaLabel: string; percent?: boolean },
): SVGSVGElement | HTMLElement {
  const faceted = data.some((d) => d.group !== undefined);
  const responders = [...new Set(data.map((d) => d.responder))];
  return Plot.plot({
    ariaLabel: opts.ariaLabel,
    marginLeft: 110,
    width: 640,
    height: faceted ? Math.max(220, 28 * data.length + 60) : Math.max(120, 34 * responders.length + 50),
    x: { domain: opts.domain, label: opts.label, grid: true, percent: opts.percent },
    y: { domain: responders, label: null },
    fy: faceted ? { label: null } : undefined,
    color: { domain: responders, scheme: 'tableau10' },
    marks: [
      Plot.ruleY(data, { y: 'responder', fy: faceted ? 'group' : undefined, x1: 'lo', x2: 'hi', stroke: 'responder', strokeWidth: 2 }),
      Plot.tickX(data, { y: 'responder', fy: faceted ? 'group' : undefined, x: 'lo', stroke: 'responder' }),
      Plot.tickX(data, { y: 'responder', fy: faceted ? 'group' : undefined, x: 'hi', stroke: 'responder' }),
      Plot.dot(data, { y: 'responder', fy: faceted ? 'group' : undefined, x: 'value', fill: 'responder', r: 4, title: intervalTitle }),
    ],
  });
}

/** Class distribution as a grid: responder × class, shade = share of the responder's scored replies, number = count. */
export function distributionChart(
  Plot: Plot,
  data: readonly CellDatum[],
  opts: { classes: string[]; ariaLabel: string },
): SVGSVGElement | HTMLElement {
  const responders = [...new Set(data.map((d) => d.responder))];
  return Plot.plot({
    ariaLabel: opts.ariaLabel,
    marginLeft: 110,
    marginBottom: 70,
    width: 640,
    height: 40 * responders.length + 90,
    x: { domain: opts.classes, label: null, tickRotate: -30 },
    y: { domain: responders, label: null },
    color: { scheme: 'oranges', domain: [0, 1] },
    marks: [
      Plot.cell(data, {
        x: 'cls',
        y: 'responder',
        fill: 'share',
        inset: 1,
        title: (d: CellDatum) => `${d.responder} · ${d.cls}: ${d.count} (${fmt(d.share)})`,
      }),
      Plot.text(data, {
        x: 'cls',
        y: 'responder',
        text: (d: CellDatum) => String(d.count),
        fill: (d: CellDatum) => (d.share > 0.6 ? 'white' : 'black'),
      }),
    ],
  });
}
