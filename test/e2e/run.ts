/**
 * npm run test:e2e (after `vite build`): runs every test/e2e/*.e2e.ts against the built app and
 * ends with `N passed, N failed`; exits non-zero when any test failed. `E2E_GREP` selects tests.
 */
import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { openSession, startServer, tests } from './harness.ts';

const TEST_TIMEOUT_MS = 300_000;

async function main(): Promise<number> {
  const dir = resolve('test/e2e');
  for (const f of readdirSync(dir)
    .filter((n) => n.endsWith('.e2e.ts'))
    .sort())
    await import(pathToFileURL(resolve(dir, f)).href);
  const grep = process.env.E2E_GREP ? new RegExp(process.env.E2E_GREP) : undefined;
  const selected = tests.filter((t) => !grep || grep.test(t.name));
  const server = await startServer();
  let passed = 0;
  let failed = 0;
  try {
    for (const t of selected) {
      const started = Date.now();
      const session = await openSession(server.origin, t.args);
      try {
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<never>(
          (_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${TEST_TIMEOUT_MS} ms`)), TEST_TIMEOUT_MS)),
        );
        await Promise.race([t.fn({ ...session, origin: server.origin }), timeout]).finally(() => clearTimeout(timer));
        if (session.violations.length) throw new Error(`requests left the origin: ${session.violations.join(', ')}`);
        const csp = session.consoleErrors.filter((m) => /Content Security Policy|Refused to/i.test(m));
        if (csp.length) throw new Error(`CSP violations: ${csp.join(' | ')}`);
        passed++;
        console.log(`✓ ${t.name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
      } catch (e) {
        failed++;
        console.log(`✗ ${t.name}\n    ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
        if (session.consoleErrors.length) console.log(`    console errors:\n      ${session.consoleErrors.slice(0, 10).join('\n      ')}`);
      } finally {
        await session.close().catch(() => undefined);
      }
    }
  } finally {
    server.stop();
  }
  console.log(`${passed} passed, ${failed} failed`);
  return failed === 0 && selected.length > 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e);
    console.log('0 passed, 1 failed');
    process.exit(1);
  },
);
