import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CRISIS_DIMENSIONS, crisisItem, crisisPoints, parseCrisisJsonl, seekerItem } from '../../../src/lib/inference/crisis.ts';
import { loadEngine } from '../../../src/lib/inference/engine.ts';

/**
 * The committed crisis and seeker-risk models score the committed samples deterministically and
 * match the probabilities the fp32 torch model gave at export time (training/crisis_export.py
 * writes *.expected.json with --fixture), which checks the int8 ONNX, the tokenizer and the input
 * builder end to end. After retraining, the export step rewrites the expected files.
 */
const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
/** int8 results differ between CPUs (AVX2 vs AVX-512 VNNI) on top of int8 vs fp32: compare within 5e-3. */
const PROB_TOLERANCE = 5e-3;

interface Expected {
  model_sha256: string;
  probs: number[][];
}

describe('committed crisis model', async () => {
  const MODEL = 'models/xinan-crisis-zh';
  const engine = await loadEngine({ modelPath: MODEL });
  const records = parseCrisisJsonl(readFileSync('test/fixtures/crisis/sample.jsonl', 'utf8'), 'sample.jsonl', true);
  const want = JSON.parse(readFileSync('test/fixtures/crisis/sample.expected.json', 'utf8')) as Expected;

  it('is multi-label with the five dimensions in order', () => {
    expect(engine.multiLabel).toBe(true);
    expect(engine.labels).toEqual([...CRISIS_DIMENSIONS]);
  });

  it('scores the sample deterministically and as the training code did', async () => {
    expect(want.model_sha256, 'expected file recorded for another model file').toBe(sha(`${MODEL}/onnx/model_quantized.onnx`));
    const items = records.map(crisisItem);
    const a = await engine.scoreBatch(items);
    expect(await engine.scoreBatch(items, 2)).toEqual(a.map((s) => expect.objectContaining({ label: s.label })));
    a.forEach((s, i) => {
      expect(Number.isNaN(s.pUnsafe)).toBe(true);
      s.probs.forEach((p, j) => expect(Math.abs(p - want.probs[i][j]), `item ${i} dim ${j}`).toBeLessThan(PROB_TOLERANCE));
      const pts = crisisPoints(s);
      expect(pts.total).toBe(pts.points.filter((x) => x === 1).length);
    });
  });

  it('a plainly dismissive reply scores no points', async () => {
    const [s] = await engine.scoreBatch([crisisItem({ context: [], seeker: '活着没有意思。', reply: '想开一点，生活还是很美好的。' })]);
    expect(crisisPoints(s).total).toBe(0);
  });
});

describe('committed seeker-risk model', async () => {
  const MODEL = 'models/xinan-crisis-zh/seeker-risk';
  const engine = await loadEngine({ modelPath: MODEL });
  const lines = readFileSync('test/fixtures/crisis/seeker.jsonl', 'utf8').trim().split('\n');
  const texts = lines.map((l) => (JSON.parse(l) as { text: string }).text);
  const want = JSON.parse(readFileSync('test/fixtures/crisis/seeker.expected.json', 'utf8')) as Expected;

  it('matches the training code on the sample and separates risk from everyday messages', async () => {
    expect(engine.labels).toEqual(['seeker_risk']);
    expect(want.model_sha256).toBe(sha(`${MODEL}/onnx/model_quantized.onnx`));
    const scores = await engine.scoreBatch(texts.map(seekerItem));
    scores.forEach((s, i) => expect(Math.abs(s.probs[0] - want.probs[i][0])).toBeLessThan(PROB_TOLERANCE));
    const p = scores.map((s) => s.probs[0]);
    expect(Math.min(p[0], p[2])).toBeGreaterThan(Math.max(p[1], p[3]));
  });
});
