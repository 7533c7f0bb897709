/**
 * npm run score -- FILE.json [--model DIR] [--out FILE.jsonl] [--batch N]
 *
 * Scores an unlabeled (or labeled) DialogueSafety-format file and writes one JSON line per item:
 * id, predicted label and name, P(unsafe), every class probability, and the truncation mark.
 */
import { createWriteStream } from 'node:fs';
import { loadEngine } from '../src/lib/inference/engine.ts';
import { InputError, parseArgs, readDsFile, runCli } from './lib/ds-file.ts';

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2), { model: 'string', out: 'string', batch: 'string' });
  if (typeof args._ !== 'string') throw new InputError('usage: npm run score -- FILE.json [--model DIR] [--out FILE.jsonl]');
  const items = readDsFile(args._, false);
  const engine = await loadEngine({ modelPath: (args.model as string) ?? 'models/xinan-safety-zh' });
  const scores = await engine.scoreBatch(items, Number(args.batch ?? 8));
  const sink = typeof args.out === 'string' ? createWriteStream(args.out) : process.stdout;
  items.forEach((it, i) => {
    const s = scores[i];
    const row = {
      id: it.id,
      label: s.label,
      label_name: engine.labels[s.label],
      p_unsafe: s.pUnsafe,
      probs: Object.fromEntries(engine.labels.map((l, j) => [l, s.probs[j]])),
      truncated: s.truncated,
      dropped_turns: s.droppedTurns,
      ...(it.label !== undefined ? { gold: it.label } : {}),
      model: engine.modelId,
    };
    sink.write(JSON.stringify(row) + '\n');
  });
  if (sink !== process.stdout) await new Promise<void>((r) => (sink as NodeJS.WritableStream).end(() => r()));
  await engine.dispose();
}

runCli(main);
