/**
 * Agreement between gold labels and predictions, with sklearn semantics
 * (`classification_report`, `cohen_kappa_score`): a zero denominator yields 0,
 * and "weighted" averages are weighted by each class's gold support.
 * Pure TypeScript: used by the app's summary view and by the Node evaluation CLI.
 */

export interface Prf {
  precision: number;
  recall: number;
  f1: number;
}

export interface ClassScores extends Prf {
  /** Number of gold items of this class. */
  support: number;
}

export interface ClassificationReport {
  accuracy: number;
  weighted: Prf;
  macro: Prf;
  /** Indexed by class id, 0 … k−1. */
  perClass: ClassScores[];
  /** Rows are gold classes, columns predicted classes. */
  confusion: number[][];
}

export interface BinaryReport {
  accuracy: number;
  precision: number;
  recall: number;
  f1: number;
}

/** Thrown for inputs the metrics cannot be computed on (empty, length mismatch, bad ids). */
export class MetricsInputError extends Error {
  override name = 'MetricsInputError';
}

function checkInput(gold: readonly number[], pred: readonly number[], k: number): void {
  if (!Number.isInteger(k) || k < 1) throw new MetricsInputError(`k must be a positive integer, got ${k}`);
  if (gold.length !== pred.length) {
    throw new MetricsInputError(`gold has ${gold.length} labels but pred has ${pred.length}`);
  }
  if (gold.length === 0) throw new MetricsInputError('cannot compute metrics on empty input');
  const check = (xs: readonly number[], name: string) => {
    xs.forEach((x, i) => {
      if (!Number.isInteger(x) || x < 0 || x >= k) {
        throw new MetricsInputError(`${name}[${i}] = ${x} is not a class id in 0…${k - 1}`);
      }
    });
  };
  check(gold, 'gold');
  check(pred, 'pred');
}

/** Safe division: sklearn's zero_division=0. */
function div(a: number, b: number): number {
  return b === 0 ? 0 : a / b;
}

/** k×k counts; rows are gold, columns predicted. */
export function confusionMatrix(gold: readonly number[], pred: readonly number[], k: number): number[][] {
  checkInput(gold, pred, k);
  const m = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let i = 0; i < gold.length; i++) m[gold[i]][pred[i]]++;
  return m;
}

function scoresFromConfusion(m: number[][]): ClassScores[] {
  const k = m.length;
  return m.map((row, c) => {
    const tp = row[c];
    const support = row.reduce((s, x) => s + x, 0);
    let predicted = 0;
    for (let r = 0; r < k; r++) predicted += m[r][c];
    const precision = div(tp, predicted);
    const recall = div(tp, support);
    return { precision, recall, f1: div(2 * precision * recall, precision + recall), support };
  });
}

function average(per: ClassScores[], weights: number[]): Prf {
  const total = weights.reduce((s, w) => s + w, 0);
  const avg = (f: (c: ClassScores) => number) =>
    div(
      per.reduce((s, c, i) => s + f(c) * weights[i], 0),
      total,
    );
  return { precision: avg((c) => c.precision), recall: avg((c) => c.recall), f1: avg((c) => c.f1) };
}

/**
 * Per-class, macro and support-weighted precision/recall/F1 over all k classes.
 * Like sklearn with `labels=range(k)`: a class absent from both gold and pred
 * still counts (as 0) in the macro average, and weighs 0 in the weighted one.
 */
export function classificationReport(gold: readonly number[], pred: readonly number[], k: number): ClassificationReport {
  const confusion = confusionMatrix(gold, pred, k);
  const perClass = scoresFromConfusion(confusion);
  const correct = confusion.reduce((s, row, i) => s + row[i], 0);
  return {
    accuracy: correct / gold.length,
    weighted: average(
      perClass,
      perClass.map((c) => c.support),
    ),
    macro: average(
      perClass,
      perClass.map(() => 1),
    ),
    perClass,
    confusion,
  };
}

/** Safe vs unsafe, with *unsafe* (any id ≠ safeId) as the positive class. */
export function binaryReport(gold: readonly number[], pred: readonly number[], safeId = 7): BinaryReport {
  if (gold.length !== pred.length) {
    throw new MetricsInputError(`gold has ${gold.length} labels but pred has ${pred.length}`);
  }
  if (gold.length === 0) throw new MetricsInputError('cannot compute metrics on empty input');
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  for (let i = 0; i < gold.length; i++) {
    const g = gold[i] !== safeId;
    const p = pred[i] !== safeId;
    if (g && p) tp++;
    else if (!g && p) fp++;
    else if (g && !p) fn++;
    else tn++;
  }
  const precision = div(tp, tp + fp);
  const recall = div(tp, tp + fn);
  return {
    accuracy: (tp + tn) / gold.length,
    precision,
    recall,
    f1: div(2 * precision * recall, precision + recall),
  };
}

/**
 * Cohen's κ = (p_o − p_e) / (1 − p_e). When p_e = 1 (gold and pred both use one
 * and the same class for every item) κ is undefined and sklearn returns NaN;
 * we return 0 instead so summaries and JSON output never carry NaN.
 */
export function cohenKappa(gold: readonly number[], pred: readonly number[], k: number): number {
  const m = confusionMatrix(gold, pred, k);
  const n = gold.length;
  let po = 0;
  let pe = 0;
  for (let c = 0; c < k; c++) {
    po += m[c][c];
    const rowSum = m[c].reduce((s, x) => s + x, 0);
    let colSum = 0;
    for (let r = 0; r < k; r++) colSum += m[r][c];
    pe += (rowSum / n) * (colSum / n);
  }
  po /= n;
  return pe === 1 ? 0 : (po - pe) / (1 - pe);
}
