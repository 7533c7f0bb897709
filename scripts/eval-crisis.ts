/**
 * npm run eval:crisis -- --data FILE.jsonl [--model DIR] [--json] [--batch N] [--threshold T]
 *
 * Scores every record of a train.jsonl-format file (PsyCrisis five points) with the crisis model
 * and prints, per dimension, accuracy, F1 and Cohen's κ against the labels, the mean absolute error
 * of the 0–5 total, and items per second. Bad input: one clear error naming file and line, exit 2.
 */
import { readFileSync } from 'node:fs';
import { CRISIS_DIMENSIONS, CrisisDataError, crisisItem, crisisPoints, parseCrisisJsonl } from '../src/lib/inference/crisis.ts';
import { loadEngine } from '../src/lib/inference/engine.ts';
import { binaryReport, cohenKappa } from '../src/lib/metrics/index.ts';
import { InputError, parseArgs, runCli } from './lib/ds-file.ts';

const DEFAULT_MODEL = 'models/xinan-crisis-zh';

function readRecords(path: string) {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new InputError(`${path}: cannot read the file (${(e as Error).message})`);
  }
  return parseCrisisJsonl(text, path, true);
}

function numberArg(value: string | boolean | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InputError(`--${name} needs a positive number, got ${String(value)}`);
  return n;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2), { data: 'string', model: 'string', json: 'boolean', batch: 'string', threshold: 'string' });
  if (typeof args.data !== 'string') throw new InputError('missing --data FILE.jsonl');
  const records = readRecords(args.data);
  const threshold = numberArg(args.threshold, 'threshold', 0.5);
  const engine = await loadEngine({ modelPath: (args.model as string) ?? DEFAULT_MODEL });
  if (!engine.multiLabel || engine.labels.join() !== CRISIS_DIMENSIONS.join()) {
    throw new InputError(`${engine.modelId}: not a crisis model (labels ${engine.labels.join(', ')})`);
  }
  const t0 = performance.now();
  const scores = await engine.scoreBatch(records.map(crisisItem), numberArg(args.batch, 'batch', 8));
  const seconds = (performance.now() - t0) / 1000;
  const points = scores.map((s) => crisisPoints(s, threshold));
  const dimensions = Object.fromEntries(
    CRISIS_DIMENSIONS.map((d, j) => {
      const gold = records.map((r) => r.labels![d] as number);
      const pred = points.map((p) => p.points[j] as number);
      const rep = binaryReport(gold, pred, 0); // safeId 0: label 1 is the positive class
      return [d, { accuracy: rep.accuracy, f1: rep.f1, kappa: cohenKappa(gold, pred, 2), positives: gold.filter(Boolean).length }];
    }),
  );
  const totals = records.map((r, i) => Math.abs(points[i].total - CRISIS_DIMENSIONS.reduce((a, d) => a + r.labels![d], 0)));
  const result = {
    data: args.data,
    model: engine.modelId,
    items: records.length,
    threshold,
    dimensions,
    total_mae: totals.reduce((a, b) => a + b, 0) / totals.length,
    items_per_second: records.length / seconds,
  };
  console.log(args.json ? JSON.stringify(result) : format(result));
  await engine.dispose();
}

function format(r: {
  data: string;
  model: string;
  items: number;
  threshold: number;
  total_mae: number;
  items_per_second: number;
  dimensions: Record<string, { accuracy: number; f1: number; kappa: number; positives: number }>;
}): string {
  const rows = Object.entries(r.dimensions).map(
    ([d, s]) =>
      `${d.padEnd(12)} ${s.accuracy.toFixed(3).padStart(8)} ${s.f1.toFixed(3).padStart(6)} ${s.kappa.toFixed(3).padStart(6)} ${String(s.positives).padStart(9)}`,
  );
  return [
    `${r.data}: ${r.items} items, model ${r.model}, threshold ${r.threshold}`,
    `${'dimension'.padEnd(12)} ${'accuracy'.padStart(8)} ${'F1'.padStart(6)} ${'kappa'.padStart(6)} ${'positives'.padStart(9)}`,
    ...rows,
    `total (0–5) MAE ${r.total_mae.toFixed(3)}`,
    `${r.items_per_second.toFixed(1)} items/s`,
  ].join('\n');
}

runCli(main, (e) => e instanceof InputError || e instanceof CrisisDataError);
