/**
 * npm test: every suite in one command — type check, unit tests (vitest), Python unit tests, the
 * training chain on a tiny slice, and the end-to-end tests in Chromium. Each suite runs even when
 * an earlier one fails; the last line is `all: N passed, N failed, N skipped` over individual tests.
 * Suites that need ../shared skip with a message when it is absent.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';

interface Tally {
  passed: number;
  failed: number;
  skipped: number;
}

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> };

function run(cmd: string, args: string[]): { code: number; out: string } {
  console.log(`\n$ ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 28 });
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  process.stdout.write(out);
  return { code: r.status ?? 1, out };
}

function whole(code: number): Tally {
  return { passed: code === 0 ? 1 : 0, failed: code === 0 ? 0 : 1, skipped: 0 };
}

function vitest(): Tally {
  mkdirSync('.cache', { recursive: true });
  const { code } = run('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', '--outputFile=.cache/vitest.json']);
  if (!existsSync('.cache/vitest.json')) return whole(code || 1);
  const j = JSON.parse(readFileSync('.cache/vitest.json', 'utf8')) as Record<string, number>;
  const failedSuites = code !== 0 && j.numFailedTests === 0 ? 1 : 0; // a file that failed to load
  return { passed: j.numPassedTests, failed: j.numFailedTests + failedSuites, skipped: j.numPendingTests + j.numTodoTests };
}

function python(): Tally {
  const { code, out } = run('/usr/bin/python3', ['-m', 'unittest', 'discover', '-s', 'training/tests', '-t', '.']);
  const ran = Number(/Ran (\d+) test/.exec(out)?.[1] ?? 0);
  const num = (re: RegExp) => Number(re.exec(out)?.[1] ?? 0);
  const failed = num(/failures=(\d+)/) + num(/errors=(\d+)/);
  const skipped = num(/skipped=(\d+)/);
  if (ran === 0) return whole(1);
  return { passed: ran - failed - skipped, failed: code !== 0 && failed === 0 ? 1 : failed, skipped };
}

function smoke(): Tally {
  const { code, out } = run('bash', ['training/smoke.sh']);
  return out.includes('SKIPPED') ? { passed: 0, failed: 0, skipped: 1 } : whole(code);
}

function e2e(): Tally {
  const { code, out } = run('npm', ['run', '-s', 'test:e2e']);
  const m = /(\d+) passed, (\d+) failed(?:, (\d+) skipped)?\s*$/m.exec(out);
  if (!m) return whole(code || 1);
  return { passed: Number(m[1]), failed: Number(m[2]) || (code !== 0 ? 1 : 0), skipped: Number(m[3] ?? 0) };
}

const suites: [string, () => Tally][] = [
  ['type check', () => whole(run('npm', ['run', '-s', 'check']).code)],
  ['unit (vitest)', vitest],
  ['python unit', python],
  ['training smoke', smoke],
  ['e2e (chromium)', e2e],
];

const total: Tally = { passed: 0, failed: 0, skipped: 0 };
const lines: string[] = [];
for (const [name, fn] of suites) {
  if (name === 'type check' && !pkg.scripts.check) continue;
  if (name.startsWith('e2e') && !pkg.scripts['test:e2e']) continue;
  const t = fn();
  lines.push(`${name}: ${t.passed} passed, ${t.failed} failed, ${t.skipped} skipped`);
  total.passed += t.passed;
  total.failed += t.failed;
  total.skipped += t.skipped;
}
console.log(`\n${lines.join('\n')}`);
console.log(`all: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
process.exit(total.failed > 0 ? 1 : 0);
