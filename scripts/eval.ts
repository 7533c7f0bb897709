/**
 * npm run eval -- --data FILE.json [--model DIR] [--json] [--batch N] [--dtype q8|fp32] [--max-length N]
 *
 * Scores every item of a labeled DialogueSafety-format file through the scoring engine and prints
 * accuracy, weighted P/R/F1, per-class P/R/F1/support, the confusion matrix, the binary safe-vs-unsafe
 * view, items per second and model load time. Bad input: one clear error and exit code 2.
 */
import { loadEngine } from '../src/lib/inference/engine.ts';
import type { EngineDtype } from '../src/lib/inference/types.ts';
import { binaryReport, classificationReport } from '../src/lib/metrics/index.ts';
import { InputError, parseArgs, readDsFile, runCli } from './lib/ds-file.ts';
import { formatReport } from './lib/report.ts';

const DEFAULT_MODEL = 'models/xinan-safety-zh';

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2), {
    data: 'string',
    model: 'string',
    json: 'boolean',
    batch: 'string',
    dtype: 'string',
    'max-length': 'string',
  });
  if (typeof args.data !== 'string') throw new InputError('missing --data FILE.json');
  const items = readDsFile(args.data, true);
  const t0 = performance.now();
  const engine = await loadEngine({
    modelPath: (args.model as string) ?? DEFAULT_MODEL,
    dtype: ((args.dtype as string) ?? 'q8') as EngineDtype,
    maxLength: args['max-length'] ? Number(args['max-length']) : undefined,
  });
  const loadMs = performance.now() - t0;
  const t1 = performance.now();
  const scores = await engine.scoreBatch(items, Number(args.batch ?? 8));
  const seconds = (performance.now() - t1) / 1000;
  const gold = items.map((it) => it.label as number);
  const pred = scores.map((s) => s.label);
  const k = engine.labels.length;
  const rep = classificationReport(gold, pred, k);
  const result = {
    data: args.data,
    model: engine.modelId,
    items: items.length,
    max_length: engine.maxLength,
    accuracy: rep.accuracy,
    weighted_precision: rep.weighted.precision,
    weighted_recall: rep.weighted.recall,
    weighted_f1: rep.weighted.f1,
    binary_accuracy: binaryReport(gold, pred).accuracy,
    binary_f1: binaryReport(gold, pred).f1,
    per_class: Object.fromEntries(engine.labels.map((l, i) => [l, rep.perClass[i]])),
    confusion: rep.confusion,
    truncated: scores.filter((s) => s.truncated).length,
    items_per_second: items.length / seconds,
    model_load_ms: loadMs,
  };
  console.log(args.json ? JSON.stringify(result) : formatReport(result, engine.labels));
  await engine.dispose();
}

runCli(main);
