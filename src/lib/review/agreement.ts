/**
 * Agreement between label sources (the model, each reviewer, gold, the adjudicated final label):
 * accuracy, Cohen's κ, confusion and per-class precision/recall over the items both sources labelled;
 * Fleiss' κ for three or more reviewers. κ is null where it is undefined (p_e = 1, or no items),
 * never 0: "no information" must not read as "chance agreement".
 */
import { classificationReport, type ClassScores } from '../metrics/index.ts';

/** Item id → class id. A source omits items it has no label for (unsure is no label). */
export type LabelSource = ReadonlyMap<string, number>;

export interface PairAgreement {
  /** Items both sources labelled. */
  n: number;
  /** Share of those items with the same label; null when n = 0. */
  accuracy: number | null;
  /** Cohen's κ; null when n = 0 or undefined (both sources used one and the same class throughout). */
  kappa: number | null;
  /** Rows: source a (the reference), columns: source b; empty when n = 0. */
  confusion: number[][];
  /** Precision/recall of b per class, with a as the reference; empty when n = 0. */
  perClass: ClassScores[];
  /** Item ids where the two disagree, in the order of `a`. */
  disagreements: string[];
}

/** Cohen's κ from a k×k confusion matrix; null when undefined. */
export function kappaFromConfusion(m: readonly (readonly number[])[]): number | null {
  const k = m.length;
  const n = m.reduce((s, row) => s + row.reduce((a, b) => a + b, 0), 0);
  if (n === 0) return null;
  let po = 0;
  let pe = 0;
  for (let c = 0; c < k; c++) {
    po += m[c][c] / n;
    let col = 0;
    for (let r = 0; r < k; r++) col += m[r][c];
    pe += (m[c].reduce((a, b) => a + b, 0) / n) * (col / n);
  }
  // Floating error can leave pe a hair under 1 when every item is one class.
  return 1 - pe < 1e-12 ? null : (po - pe) / (1 - pe);
}

/** Agreement of source b with source a over the items both labelled (k classes, ids 0…k−1). */
export function compareSources(a: LabelSource, b: LabelSource, k: number): PairAgreement {
  const gold: number[] = [];
  const pred: number[] = [];
  const disagreements: string[] = [];
  for (const [id, x] of a) {
    const y = b.get(id);
    if (y === undefined) continue;
    gold.push(x);
    pred.push(y);
    if (x !== y) disagreements.push(id);
  }
  if (gold.length === 0) return { n: 0, accuracy: null, kappa: null, confusion: [], perClass: [], disagreements };
  const report = classificationReport(gold, pred, k);
  return {
    n: gold.length,
    accuracy: report.accuracy,
    kappa: kappaFromConfusion(report.confusion),
    confusion: report.confusion,
    perClass: report.perClass,
    disagreements,
  };
}

export interface FleissResult {
  /** Items labelled by every one of the raters. */
  n: number;
  raters: number;
  /** Fleiss' κ; null with fewer than 2 raters, no items, or P̄e = 1. */
  kappa: number | null;
}

/**
 * Fleiss' κ (Fleiss 1971) over the items that all `sources` labelled: P̄ = mean over items of
 * (Σ_j n_ij² − m) / (m(m−1)), P̄e = Σ_j p_j², κ = (P̄ − P̄e) / (1 − P̄e).
 */
export function fleissKappa(sources: readonly LabelSource[], k: number): FleissResult {
  const m = sources.length;
  if (m < 2) return { n: 0, raters: m, kappa: null };
  const ids = [...sources[0].keys()].filter((id) => sources.every((s) => s.has(id)));
  const n = ids.length;
  if (n === 0) return { n, raters: m, kappa: null };
  const totals = new Array<number>(k).fill(0);
  let pBar = 0;
  for (const id of ids) {
    const counts = new Array<number>(k).fill(0);
    for (const s of sources) counts[s.get(id)!]++;
    counts.forEach((c, j) => (totals[j] += c));
    pBar += (counts.reduce((acc, c) => acc + c * c, 0) - m) / (m * (m - 1));
  }
  pBar /= n;
  const pe = totals.reduce((acc, t) => acc + (t / (n * m)) ** 2, 0);
  return { n, raters: m, kappa: 1 - pe < 1e-12 ? null : (pBar - pe) / (1 - pe) };
}

/** Landis & Koch (1977) band of a κ, as a convention for reading it, never as a pass/fail gate. */
export type KappaBand = 'poor' | 'slight' | 'fair' | 'moderate' | 'substantial' | 'almostPerfect';

export function kappaBand(kappa: number): KappaBand {
  if (kappa < 0) return 'poor';
  if (kappa <= 0.2) return 'slight';
  if (kappa <= 0.4) return 'fair';
  if (kappa <= 0.6) return 'moderate';
  if (kappa <= 0.8) return 'substantial';
  return 'almostPerfect';
}
