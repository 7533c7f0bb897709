/**
 * tsx scripts/parity.ts --model DIR --data dev.json [--out parity.json]
 *
 * Scores the items with the folder's fp32 (onnx/model.onnx) and int8 (onnx/model_quantized.onnx)
 * models through the real engine and runtime, and reports label agreement and the largest
 * per-class probability difference. Exit 1 when agreement is under 99%.
 */
import { writeFileSync } from 'node:fs';
import { loadEngine } from '../src/lib/inference/engine.ts';
import { InputError, parseArgs, readDsFile, runCli } from './lib/ds-file.ts';

const MIN_AGREEMENT = 0.99;

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2), { model: 'string', data: 'string', out: 'string' });
  if (typeof args.model !== 'string' || typeof args.data !== 'string') throw new InputError('need --model DIR --data FILE');
  const items = readDsFile(args.data, false);
  const run = async (dtype: 'fp32' | 'q8') => {
    const engine = await loadEngine({ modelPath: args.model as string, dtype });
    const scores = await engine.scoreBatch(items);
    await engine.dispose();
    return scores;
  };
  const fp32 = await run('fp32');
  const q8 = await run('q8');
  let agree = 0;
  let maxDiff = 0;
  fp32.forEach((s, i) => {
    if (s.label === q8[i].label) agree++;
    s.probs.forEach((p, j) => (maxDiff = Math.max(maxDiff, Math.abs(p - q8[i].probs[j]))));
  });
  const result = { items: items.length, agreement: agree / items.length, max_prob_diff: maxDiff };
  console.log(JSON.stringify(result));
  if (typeof args.out === 'string') writeFileSync(args.out, JSON.stringify(result, null, 1));
  if (result.agreement < MIN_AGREEMENT) process.exit(1);
}

runCli(main);
