/**
 * The fixed benchmark set: 1,000 items built deterministically from the app's built-in sample.
 * Every third item carries the previous record's dialogue as extra context, so lengths vary the
 * way real transcripts do; an index suffix keeps items distinct.
 */
import { splitMarkedTurns } from '../../src/lib/inference/input.ts';
import type { ScoreItem } from '../../src/lib/inference/types.ts';
import { SAMPLE_RECORDS } from '../../src/lib/sample/sample.ts';

export const BENCH_ITEMS = 1000;

export function benchItems(n = BENCH_ITEMS): ScoreItem[] {
  const k = SAMPLE_RECORDS.length;
  return Array.from({ length: n }, (_, i) => {
    const r = SAMPLE_RECORDS[i % k];
    const prev = SAMPLE_RECORDS[(i + k - 1) % k];
    const context = splitMarkedTurns(r.context);
    const longer = i % 3 === 0 ? [...splitMarkedTurns(prev.context), ...splitMarkedTurns(prev.response), ...context] : context;
    return { context: longer, response: `${splitMarkedTurns(r.response)[0].text}（${i}）` };
  });
}
