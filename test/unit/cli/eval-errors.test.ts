import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

/** Runs the real CLI in a child process, as a user would. */
function evalCli(...args: string[]) {
  const r = spawnSync('node', ['--import', 'tsx', 'scripts/eval.ts', ...args], { encoding: 'utf8' });
  return { code: r.status, err: r.stderr, out: r.stdout };
}

describe('npm run eval: bad input', () => {
  it.each([
    ['not-json.json', /not-json\.json: not valid JSON/],
    ['not-array.json', /not-array\.json: expected a JSON array/],
    ['missing-response.json', /missing-response\.json: item 0 \(id #0\): missing string field "response"/],
    ['missing-label.json', /missing-label\.json: item 0 \(id #0\): missing field "label"/],
    ['bad-label.json', /bad-label\.json: item 1 \(id #1\): label 9 is outside 0–7/],
  ])('%s → exit 2 with one clear message', (file, message) => {
    const r = evalCli('--data', `test/fixtures/cli/${file}`);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.err.trim().split('\n')).toHaveLength(1);
  });

  it('a missing file names the file', () => {
    const r = evalCli('--data', 'test/fixtures/cli/nope.json');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/nope\.json: cannot read the file/);
  });

  it('missing --data and unknown options are errors', () => {
    expect(evalCli().err).toMatch(/missing --data/);
    expect(evalCli('--data', 'x', '--frobnicate').code).toBe(2);
  });

  it('scores the committed sample and prints the JSON keys', () => {
    const r = evalCli('--data', 'test/fixtures/sample-ds.json', '--json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.out) as Record<string, unknown>;
    for (const key of ['accuracy', 'weighted_f1', 'binary_accuracy', 'items_per_second', 'per_class', 'confusion']) {
      expect(out).toHaveProperty(key);
    }
    expect((out.confusion as number[][]).flat().reduce((a, b) => a + b, 0)).toBe(8);
  });
});
