/**
 * A small Playwright runner (playwright-core only, Debian chromium): serves the BUILT app with
 * `vite preview` on a free localhost port, gives every test a fresh browser profile, and fails
 * a test when any request leaves the page's origin — the proof that transcripts stay on the device.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
];

export interface Server {
  origin: string;
  stop(): void;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

/** Serves `dist` (or `outDir`) with the project's vite preview config, COOP/COEP included. */
export async function startServer(outDir = 'dist', config?: string): Promise<Server> {
  const port = await freePort();
  const args = [
    'node_modules/vite/bin/vite.js',
    'preview',
    '--host',
    '127.0.0.1',
    '--port',
    String(port),
    '--strictPort',
    '--outDir',
    resolve(outDir),
  ];
  if (config) args.push('--config', config);
  const child: ChildProcess = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout?.on('data', (d: Buffer) => (log += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (log += d.toString()));
  const origin = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(origin)).ok) return { origin, stop: () => child.kill() };
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  child.kill();
  throw new Error(`vite preview did not start on ${origin}:\n${log}`);
}

export interface Session {
  context: BrowserContext;
  page: Page;
  /** The browser profile (user data dir): a second session on it sees the same IndexedDB (kill tests). */
  profileDir: string;
  /** Requests that tried to leave the origin (each one fails the test). */
  violations: string[];
  /** Errors the page or its workers printed, for failure reports. */
  consoleErrors: string[];
  close(): Promise<void>;
}

/**
 * `extraArgs`: e.g. --enable-unsafe-webgpu, which gives headless Chromium a software (SwiftShader) WebGPU adapter.
 * `profileDir`: reopen an existing profile (after its browser was closed) instead of a fresh one; closing
 * such a session leaves the directory to whoever made it.
 */
export async function openSession(origin: string, extraArgs: string[] = [], profileDir?: string): Promise<Session> {
  const dir = profileDir ?? mkdtempSync(join(tmpdir(), 'xinan-e2e-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM,
    args: [...ARGS, ...extraArgs],
    acceptDownloads: true,
  });
  // Playwright's 30 s default is too short on a shared 2-core machine under load (a download event
  // after scoring once took longer): waits are generous, assertions never depend on speed.
  context.setDefaultTimeout(120_000);
  const violations: string[] = [];
  await context.route('**', (route) => {
    const url = route.request().url();
    if (url.startsWith(origin + '/') || url === origin) return route.continue();
    violations.push(url);
    return route.abort('blockedbyclient');
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const consoleErrors: string[] = [];
  page.on('console', (m) => (m.type() === 'error' || process.env.E2E_CONSOLE) && consoleErrors.push(m.text()));
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  return {
    context,
    page,
    profileDir: dir,
    violations,
    consoleErrors,
    close: async () => {
      await context.close();
      if (!profileDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface TestContext extends Session {
  origin: string;
}

type TestFn = (t: TestContext) => Promise<void>;
export const tests: { name: string; fn: TestFn; args: string[] }[] = [];

/** Registers an end-to-end test; each gets its own profile (fresh IndexedDB, caches, service worker). */
export function test(name: string, fn: TestFn, options: { chromiumArgs?: string[] } = {}): void {
  tests.push({ name, fn, args: options.chromiumArgs ?? [] });
}

export function assert(cond: unknown, message: string): asserts cond {
  if (!cond) throw new Error(`assertion failed: ${message}`);
}

export function assertEqual<T>(actual: T, expected: T, message: string): void {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) throw new Error(`assertion failed: ${message}: expected ${e}, got ${a}`);
}
