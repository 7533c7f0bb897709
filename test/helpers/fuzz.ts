/**
 * Shared settings for the property-based (fuzz) tests in test/unit/fuzz/.
 *
 * FUZZ_RUNS sets the runs per property: `npm test` uses the brief default below, `npm run fuzz` a large count.
 * FUZZ_SEED replays a run (fast-check prints the seed and the shrunk counterexample when a property fails).
 * FUZZ_BUDGET_MS bounds each synchronous call: it runs inside `vm` with a timeout, which interrupts even a
 * tight loop, so a hang fails the property instead of stalling the suite. The budget is generous (a legitimate
 * call on these inputs takes milliseconds), so it only trips on a hang or a blow-up, never on a slow machine.
 */
import vm from 'node:vm';
import fc from 'fast-check';

const env = (name: string, fallback: number) => {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? v : fallback;
};

/** Runs per property. */
export const FUZZ_RUNS = env('FUZZ_RUNS', 60);
/** Wall-clock budget of one call under test. */
export const CALL_BUDGET_MS = env('FUZZ_BUDGET_MS', 10_000);

/** fast-check parameters: `scale` < 1 for properties whose single run is heavy (megabyte fields, IndexedDB). */
export function fuzzParams(scale = 1): fc.Parameters<unknown> {
  const seed = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;
  return { numRuns: Math.max(3, Math.round(FUZZ_RUNS * scale)), ...(seed === undefined ? {} : { seed }) };
}

/** vitest timeout for one property: the brief run fits the default, a long run gets what it needs. */
export function fuzzTimeout(scale = 1, perRunMs = 200): number {
  return Math.max(60_000, fuzzParams(scale).numRuns! * perRunMs);
}

/** What a bounded call ended in: a value, a thrown error, or a hang (it ran past the budget and was stopped). */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

export class HangError extends Error {
  override name = 'HangError';
}

/** One context for every call: creating a context per call would cost more than most calls under test. */
const sandbox = vm.createContext({ run: () => undefined as unknown });

/** Calls `fn` synchronously with a hard time budget (vm's watchdog stops even an endless loop). */
export function boundedSync<T>(fn: () => T, budgetMs = CALL_BUDGET_MS): Outcome<T> {
  let out: Outcome<T> | undefined;
  const run = () => {
    try {
      out = { ok: true, value: fn() };
    } catch (error) {
      out = { ok: false, error };
    }
  };
  try {
    sandbox.run = run;
    vm.runInContext('run()', sandbox, { timeout: budgetMs });
  } catch (e) {
    if ((e as { code?: string }).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') throw new HangError(`call ran past its ${budgetMs} ms budget`);
    throw e;
  }
  return out!;
}

/**
 * Awaits `fn` with a time budget. The synchronous part (e.g. unzipping inside the XLSX reader) cannot be
 * interrupted here, so the elapsed time is also checked afterwards: a call that ran far past its budget fails.
 */
export async function boundedAsync<T>(fn: () => Promise<T>, budgetMs = CALL_BUDGET_MS): Promise<Outcome<T>> {
  const started = performance.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new HangError(`call did not settle within ${budgetMs} ms`)), budgetMs);
  });
  let out: Outcome<T>;
  try {
    out = { ok: true, value: await Promise.race([fn(), hang]) };
  } catch (error) {
    if (error instanceof HangError) throw error;
    out = { ok: false, error };
  } finally {
    clearTimeout(timer);
  }
  const took = performance.now() - started;
  if (took > budgetMs) throw new HangError(`call took ${Math.round(took)} ms, past its ${budgetMs} ms budget`);
  return out;
}

/** Bytes of a string in UTF-16 (little- or big-endian), which TextEncoder cannot write. */
export function utf16(text: string, endian: 'le' | 'be', bom: boolean): Uint8Array {
  const out = new Uint8Array((text.length + (bom ? 1 : 0)) * 2);
  const units = (bom ? '\uFEFF' : '') + text;
  for (let i = 0; i < units.length; i++) {
    const u = units.charCodeAt(i);
    out[2 * i + (endian === 'le' ? 0 : 1)] = u & 0xff;
    out[2 * i + (endian === 'le' ? 1 : 0)] = u >> 8;
  }
  return out;
}

/** `n` levels of JSON arrays or objects around `inner`, e.g. [[["x"]]]: for deeply nested JSON. */
export function nestJson(inner: string, depth: number, kind: 'array' | 'object'): string {
  return kind === 'array' ? '['.repeat(depth) + inner + ']'.repeat(depth) : '{"a":'.repeat(depth) + inner + '}'.repeat(depth);
}
