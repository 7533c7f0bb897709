import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

/** Runs the real CLI in a child process, as a user would. */
function cli(...args: string[]) {
  const r = spawnSync('node', ['--import', 'tsx', 'scripts/eval-crisis.ts', ...args], { encoding: 'utf8' });
  return { code: r.status, err: r.stderr, out: r.stdout };
}

const DIR = 'test/fixtures/crisis/cli';

describe('npm run eval:crisis: bad input', () => {
  it.each([
    ['not-jsonl.jsonl', /not-jsonl\.jsonl: line 2: not valid JSON/],
    ['json-array.json', /json-array\.json: line 1: not an object/],
    ['missing-reply.jsonl', /missing-reply\.jsonl: line 1 \(id a1\): missing string field "reply"/],
    ['missing-labels.jsonl', /missing-labels\.jsonl: line 1 \(id a1\): missing object field "labels"/],
    ['bad-label.jsonl', /bad-label\.jsonl: line 3 \(id a2\): labels\.regulation is 2, not 0 or 1/],
  ])('%s → exit 2 with one message naming file and line', (file, message) => {
    const r = cli('--data', `${DIR}/${file}`);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.err.trim().split('\n')).toHaveLength(1);
  });

  it('a missing file, a missing --data and unknown options are errors', () => {
    expect(cli('--data', `${DIR}/nope.jsonl`).err).toMatch(/nope\.jsonl: cannot read the file/);
    expect(cli().err).toMatch(/missing --data/);
    expect(cli('--data', 'x', '--frobnicate').code).toBe(2);
    expect(cli('--data', 'test/fixtures/crisis/sample.jsonl', '--threshold', 'abc').code).toBe(2);
  });

  it('refuses a model that is not a crisis model', () => {
    const r = cli('--data', 'test/fixtures/crisis/sample.jsonl', '--model', 'models/xinan-safety-zh');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/not a crisis model/);
  });
});

describe('npm run eval:crisis: the committed sample', () => {
  it('--json prints one object with dimensions and total_mae', () => {
    const r = cli('--data', 'test/fixtures/crisis/sample.jsonl', '--json');
    expect(r.code, r.err).toBe(0);
    const out = JSON.parse(r.out) as { dimensions: Record<string, Record<string, number>>; total_mae: number; items: number };
    expect(Object.keys(out.dimensions)).toEqual(['empathy', 'regulation', 'exploration', 'risk', 'referral']);
    for (const d of Object.values(out.dimensions)) {
      for (const k of ['accuracy', 'f1', 'kappa']) expect(typeof d[k]).toBe('number');
      expect(d.accuracy).toBeGreaterThanOrEqual(0);
      expect(d.accuracy).toBeLessThanOrEqual(1);
    }
    expect(out.items).toBe(6);
    expect(out.total_mae).toBeGreaterThanOrEqual(0);
    expect(out.total_mae).toBeLessThanOrEqual(5);
  });

  it('prints a table without --json', () => {
    const r = cli('--data', 'test/fixtures/crisis/sample.jsonl');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/risk\s+\d\.\d{3}/);
    expect(r.out).toMatch(/total \(0–5\) MAE/);
    expect(r.out).toMatch(/items\/s/);
  });
});
