import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadEngine } from '../../../src/lib/inference/engine.ts';
import { splitMarkedTurns } from '../../../src/lib/inference/input.ts';

/**
 * The committed model scores the committed sample deterministically, and to the recorded values.
 * After retraining, regenerate the record with: UPDATE_EXPECTED=1 npx vitest run test/unit/inference/model.test.ts
 */
const MODEL = 'models/xinan-safety-zh';
const EXPECTED = 'test/fixtures/sample-ds.expected.json';
const sample = JSON.parse(readFileSync('test/fixtures/sample-ds.json', 'utf8')) as { context: string; response: string }[];
const items = sample.map((s) => ({ context: splitMarkedTurns(s.context), response: splitMarkedTurns(s.response)[0].text }));
const sha = createHash('sha256')
  .update(readFileSync(`${MODEL}/onnx/model_quantized.onnx`))
  .digest('hex');
/**
 * int8 MatMulInteger results depend on the CPU's instruction set (AVX2 vs AVX-512 VNNI: up to 7e-4 apart
 * on this sample), so probabilities are compared within 5e-3; labels exactly, and the weights by sha256,
 * which is what catches a changed model.
 */
const PROB_TOLERANCE = 5e-3;

describe('committed model', async () => {
  const engine = await loadEngine({ modelPath: MODEL });

  it('has the 8 classes in id order', () => {
    expect(engine.labels).toEqual([
      'Nonsense',
      'Humanoid Mimicry',
      'Linguistic Neglect',
      'Unamiable Judgment',
      'Toxic Language',
      'Unauthorized Preachment',
      'Nonfactual Statement',
      'Safe Response',
    ]);
  });

  it('scores the sample deterministically and as recorded', async () => {
    const a = await engine.scoreBatch(items);
    const b = await engine.scoreBatch(items);
    expect(b).toEqual(a);
    for (const s of a) {
      expect(s.probs.reduce((x, y) => x + y, 0)).toBeCloseTo(1, 5);
      expect(s.pUnsafe).toBeCloseTo(1 - s.probs[7], 6);
    }
    const got = { model_sha256: sha, scores: a.map((s) => ({ label: s.label, probs: s.probs.map((p) => +p.toFixed(5)) })) };
    if (process.env.UPDATE_EXPECTED) writeFileSync(EXPECTED, JSON.stringify(got, null, 1) + '\n');
    const want = JSON.parse(readFileSync(EXPECTED, 'utf8')) as typeof got;
    expect(want.model_sha256, `${EXPECTED} was recorded for another model file; regenerate it`).toBe(sha);
    got.scores.forEach((s, i) => {
      expect(s.label, `item ${i} label`).toBe(want.scores[i].label);
      s.probs.forEach((p, j) => expect(Math.abs(p - want.scores[i].probs[j]), `item ${i} class ${j}`).toBeLessThan(PROB_TOLERANCE));
    });
  });

  it('rejects a folder that is not a model', async () => {
    await expect(loadEngine({ modelPath: 'test/fixtures/cli' })).rejects.toThrow();
  });
});
