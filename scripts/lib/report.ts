/** Plain-text rendering of an eval result for the terminal. */
interface ClassRow {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface EvalResult {
  data: string;
  model: string;
  items: number;
  max_length: number;
  accuracy: number;
  weighted_precision: number;
  weighted_recall: number;
  weighted_f1: number;
  binary_accuracy: number;
  binary_f1: number;
  per_class: Record<string, ClassRow>;
  confusion: number[][];
  truncated: number;
  items_per_second: number;
  model_load_ms: number;
}

const pct = (x: number) => (100 * x).toFixed(1).padStart(5);

export function formatReport(r: EvalResult, labels: string[]): string {
  const lines = [
    `data ${r.data}: ${r.items} items; model ${r.model}; max length ${r.max_length}; ${r.truncated} truncated`,
    `accuracy ${pct(r.accuracy)}%   weighted P/R/F1 ${pct(r.weighted_precision)} ${pct(r.weighted_recall)} ${pct(r.weighted_f1)}`,
    `binary (safe vs unsafe) accuracy ${pct(r.binary_accuracy)}%   F1 (unsafe) ${pct(r.binary_f1)}`,
    '',
    `${'class'.padEnd(26)}    P      R     F1  support`,
    ...labels.map((l, i) => {
      const c = r.per_class[l];
      return `${i} ${l.padEnd(24)} ${pct(c.precision)}  ${pct(c.recall)}  ${pct(c.f1)}  ${String(c.support).padStart(7)}`;
    }),
    '',
    'confusion (rows gold, columns predicted):',
    `     ${labels.map((_, i) => String(i).padStart(5)).join('')}`,
    ...r.confusion.map((row, i) => `  ${i}  ${row.map((n) => String(n).padStart(5)).join('')}`),
    '',
    `speed ${r.items_per_second.toFixed(1)} items/s; model load ${r.model_load_ms.toFixed(0)} ms`,
  ];
  return lines.join('\n');
}
