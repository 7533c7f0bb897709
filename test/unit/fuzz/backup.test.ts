/**
 * Property-based tests of the backup reader (parseBackup / restoreBackup, backup-validate.ts) against a real
 * (fake-indexeddb) workspace. A restore either refuses the file with a RestoreError and leaves every store
 * exactly as it was, or restores it so that a new backup of the result can be restored again (round trip).
 * Never an escaped TypeError/RangeError, never a hang, never a half-written workspace.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackup, parseBackup, restoreBackup, serializeBackup, type Backup } from '../../../src/lib/storage/backup.ts';
import { importDataset } from '../../../src/lib/storage/datasets.ts';
import type { XinanDatabase } from '../../../src/lib/storage/db.ts';
import { RestoreError } from '../../../src/lib/storage/errors.ts';
import { putReview, putScores, setCrisisVerdict } from '../../../src/lib/storage/scores.ts';
import { makeDatasetRecords, makeScore } from '../../helpers/factories.ts';
import { boundedAsync, fuzzParams, fuzzTimeout, nestJson } from '../../helpers/fuzz.ts';
import { openFreshDb } from '../../helpers/storage.ts';

let db: XinanDatabase;
let original: Backup;
let originalText: string;

/** Every store's records, in key order. */
async function stores(d: XinanDatabase) {
  const b = await createBackup(d, 'v', 't');
  return { datasets: b.datasets, dialogues: b.dialogues, items: b.items, scores: b.scores, reviews: b.reviews };
}

beforeAll(async () => {
  db = await openFreshDb();
  for (const id of ['a', 'b']) {
    const recs = makeDatasetRecords(id, 3);
    await importDataset(db, recs);
    await putScores(
      db,
      id,
      'm1',
      recs.items.map((i) => ({ itemId: i.id, score: makeScore(2) })),
      5,
    );
    await putReview(db, { itemId: recs.items[0].id, datasetId: id, label: 7, note: '好' }, 6);
    await setCrisisVerdict(db, id, recs.items[1].id, 'risk', 'wrong', 7);
  }
  original = await createBackup(db, '0.1.0', '2026-11-30T00:00:00Z');
  originalText = serializeBackup(original);
});

afterAll(() => db.close());

/**
 * Restores `text` and checks the contract. On success the workspace is put back to the original afterwards,
 * so every run starts from the same stores.
 */
async function expectRestoreOutcome(text: string): Promise<void> {
  const before = await stores(db);
  const out = await boundedAsync(() => restoreBackup(db, text));
  if (!out.ok) {
    if (!(out.error instanceof RestoreError)) {
      const e = out.error;
      throw new Error(`escaped a non-RestoreError: ${e instanceof Error ? `${e.name}: ${e.message.slice(0, 300)}` : String(e)}`);
    }
    expect(out.error.message.length).toBeLessThan(400);
    expect(await stores(db)).toEqual(before);
    return;
  }
  // Accepted: what is stored now must survive its own backup and restore.
  const again = serializeBackup(await createBackup(db, 'v', 't'));
  const after = await stores(db);
  expect(() => parseBackup(again)).not.toThrow();
  await restoreBackup(db, again);
  // Compared as JSON: -0 in the file is stored as -0 and comes back as 0, which is the same number.
  expect(JSON.stringify(await stores(db))).toBe(JSON.stringify(after));
  await restoreBackup(db, originalText);
}

/** Every path (keys and indices) in a JSON value, found without recursion. */
function paths(value: unknown): (string | number)[][] {
  const out: (string | number)[][] = [];
  const todo: [unknown, (string | number)[]][] = [[value, []]];
  while (todo.length) {
    const [v, p] = todo.pop()!;
    out.push(p);
    if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) todo.push([x, [...p, Array.isArray(v) ? Number(k) : k]]);
  }
  return out;
}

/** Text spliced in for a placeholder string: values JSON.stringify cannot write (Infinity, -0, deep nesting). */
const RAW: Record<string, string> = {
  '@inf': '1e400',
  '@ninf': '-1e400',
  '@negzero': '-0',
  '@deep': nestJson('1', 100_000, 'array'),
  '@huge': JSON.stringify('好'.repeat(200_000)),
  '@proto': '{"__proto__":{"polluted":true},"toString":1,"valueOf":1}',
};

const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom(...Object.keys(RAW)),
  fc.constantFrom(-1, 8, 7.5, 0, '', 'xinan-backup', 'a', 'a/d1/1', 'seeker', 'supporter', 'risk', 'correct', 'wrong', [], {}, null),
);

type Mutation = { kind: 'set'; at: number; value: unknown } | { kind: 'delete'; at: number } | { kind: 'swap'; at: number; to: number };
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value: anyValue }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('swap' as const), at: fc.nat(), to: fc.nat() }),
);

/** Applies mutations to a copy of the backup and writes it as text, with RAW placeholders spliced in. */
function mutate(base: Backup, mutations: Mutation[]): string {
  const root = structuredClone(base) as unknown as Record<string, unknown>;
  for (const m of mutations) {
    const all = paths(root).filter((p) => p.length > 0);
    if (all.length === 0) break;
    const path = all[m.at % all.length];
    const parent = path.slice(0, -1).reduce<Record<string | number, unknown>>((o, k) => o[k] as Record<string | number, unknown>, root);
    const key = path.at(-1)!;
    if (m.kind === 'set') parent[key] = structuredClone(m.value);
    else if (m.kind === 'delete') {
      if (Array.isArray(parent)) parent.splice(Number(key), 1);
      else delete parent[key];
    } else {
      const other = all[m.to % all.length];
      parent[key] = structuredClone(other.reduce<unknown>((o, k) => (o as Record<string | number, unknown>)[k], root));
    }
  }
  return JSON.stringify(root).replace(/"(@[a-z]+)"/g, (s, k: string) => RAW[k] ?? s);
}

describe('fuzz: backup reader', () => {
  it(
    'random bytes (read as File.text() does): refused, and nothing stored changes',
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.uint8Array({ maxLength: 1024 }), async (bytes) => {
          await expectRestoreOutcome(new TextDecoder().decode(bytes));
        }),
        fuzzParams(0.5),
      );
    },
    fuzzTimeout(0.5, 500),
  );

  it(
    'a real backup with fields changed, removed or copied elsewhere: refused untouched, or restorable again',
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 3 }), async (mutations) => {
          await expectRestoreOutcome(mutate(original, mutations));
        }),
        fuzzParams(),
      );
    },
    fuzzTimeout(1, 500),
  );

  it(
    'a real backup cut short or with bytes changed: refused untouched',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.double({ min: 0, max: 1, noNaN: true }),
          fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 127 })), { maxLength: 3 }),
          async (cut, flips) => {
            const chars = [...originalText.slice(0, Math.floor(originalText.length * cut))];
            for (const [at, code] of flips) if (chars.length) chars[at % chars.length] = String.fromCharCode(code);
            await expectRestoreOutcome(chars.join(''));
          },
        ),
        fuzzParams(0.5),
      );
    },
    fuzzTimeout(0.5, 500),
  );

  it(
    'random JSON documents with the backup header',
    async () => {
      const records = fc.array(
        fc.dictionary(
          fc.constantFrom('id', 'key', 'datasetId', 'itemId', 'modelId', 'turns', 'context', 'probs', 'label', 'crisis', 'response'),
          anyValue,
        ),
        { maxLength: 3 },
      );
      const doc = fc.record(
        {
          type: fc.oneof(fc.constant('xinan-backup'), anyValue),
          version: fc.oneof(fc.constantFrom(1, 0, 2, 1.5, -1, '1'), anyValue),
          datasets: fc.oneof(records, anyValue),
          dialogues: fc.oneof(records, anyValue),
          items: fc.oneof(records, anyValue),
          scores: fc.oneof(records, anyValue),
          reviews: fc.oneof(records, anyValue),
        },
        { requiredKeys: ['type'] },
      );
      await fc.assert(
        fc.asyncProperty(doc, async (d) => {
          await expectRestoreOutcome(JSON.stringify(d).replace(/"(@[a-z]+)"/g, (s, k: string) => RAW[k] ?? s));
        }),
        fuzzParams(0.3),
      );
    },
    fuzzTimeout(0.3, 500),
  );
});
