/** The crisis view's storage glue on a real (fake-indexeddb) database, with known-answer scorers. */
import { flushSync } from 'svelte';
import { describe, expect, it } from 'vitest';
import type { ScoreFn } from '../../../src/lib/inference/evidence.ts';
import type { ItemScore } from '../../../src/lib/inference/types.ts';
import { importDataset } from '../../../src/lib/storage/datasets.ts';
import { getItems, type StoredItem, type XinanDatabase } from '../../../src/lib/storage/index.ts';
import { getScores } from '../../../src/lib/storage/scores.ts';
import { appendEvents, getEvents } from '../../../src/lib/storage/events.ts';
import { classEvent, crisisEvent, replay } from '../../../src/lib/review/audit.ts';
import { CrisisResults, marksFromBook } from '../../../src/lib/state/crisis-results.svelte.ts';
import { CrisisState } from '../../../src/lib/state/crisis.svelte.ts';
import type { ModelIdentity } from '../../../src/lib/state/model-files.ts';
import { buildDataset } from '../../../src/lib/transcripts/dataset.ts';
import type { Dataset, Dialogue } from '../../../src/lib/transcripts/model.ts';
import { openFreshDb } from '../../helpers/storage.ts';

const s = (probs: number[]): ItemScore => ({ probs, label: 0, pUnsafe: NaN, truncated: false, droppedTurns: 0 });
const id = (modelId: string): ModelIdentity => ({ modelId, sha256: 'ab'.repeat(32), storageId: `${modelId}@abab`, placeholder: false });
const IDS = async (): Promise<[ModelIdentity, ModelIdentity]> => [id('xinan-crisis-zh'), id('seeker-risk')];

const DIALOGUES: Dialogue[] = [
  {
    id: 'a',
    turns: [
      { speaker: 'seeker', text: '我想死' },
      { speaker: 'supporter', text: '你一定很难受。你有自杀的想法吗？' },
    ],
  },
  {
    id: 'b',
    turns: [
      { speaker: 'seeker', text: '今天天气不错' },
      { speaker: 'supporter', text: '是啊。' },
    ],
  },
  // The second supporter turn follows a supporter turn: not a reply to a seeker message, not a crisis item.
  {
    id: 'c',
    turns: [
      { speaker: 'seeker', text: '我想死' },
      { speaker: 'supporter', text: '我在。' },
      { speaker: 'supporter', text: '慢慢说。' },
    ],
  },
];

function fakes() {
  const calls = { crisis: 0, seeker: 0, crisisItems: 0 };
  const crisis: ScoreFn = async (items) => {
    calls.crisis++;
    calls.crisisItems += items.length;
    return items.map((it) => s([it.response.includes('难受') ? 0.8 : 0.1, 0.1, 0.2, it.response.includes('自杀') ? 0.9 : 0.05, 0.1]));
  };
  const seekerRisk: ScoreFn = async (items) => {
    calls.seeker++;
    return items.map((it) => s([it.context[0].text.includes('想死') ? 0.95 : 0.05]));
  };
  return { calls, make: () => new CrisisState({ crisis, seekerRisk }) };
}

async function seeded(layout?: 'pairs'): Promise<{ db: XinanDatabase; open: (c: CrisisResults) => Promise<void> }> {
  const db = await openFreshDb();
  const recs = buildDataset(
    { dialogues: DIALOGUES, skipped: [], format: 'xlsx', layout },
    { id: 'ds', name: 'x.xlsx', sourceFile: 'x.xlsx', createdAt: 1 },
  );
  await importDataset(db, recs);
  const items = await getItems(db, 'ds');
  return { db, open: (c) => c.open(recs.dataset, items) };
}

describe('CrisisResults', () => {
  it('stores both models’ scores under their own ids and scores nothing twice', async () => {
    const { db, open } = await seeded();
    const f = fakes();
    const c = new CrisisResults({ db: async () => db }, { makeState: f.make, identities: IDS });
    await open(c);
    expect(c.error).toBeUndefined();
    expect(c.state.listed.map((x) => x.id)).toEqual(['ds/a/1', 'ds/c/1']); // seeker risk filters 'b'
    expect([...(await getScores(db, 'ds', 'xinan-crisis-zh@abab')).keys()].sort()).toEqual(['ds/a/1', 'ds/b/1', 'ds/c/1']);
    expect((await getScores(db, 'ds', 'seeker-risk@abab')).get('ds/a/1')?.probs).toEqual([0.95]);

    const g = fakes(); // a fresh session (reload): everything comes from storage
    const again = new CrisisResults({ db: async () => db }, { makeState: g.make, identities: IDS });
    await open(again);
    expect(g.calls).toEqual({ crisis: 0, seeker: 0, crisisItems: 0 });
    expect(again.state?.points.get('ds/a/1')?.points).toEqual([1, 0, 0, 1, 0]);
    db.close();
  });

  it('appends each mark to the review log (before → after, model shown), beside the 8-class review, and reloads them', async () => {
    const { db, open } = await seeded();
    await appendEvents(db, [classEvent({ at: 1, reviewer: 'local', datasetId: 'ds', itemId: 'ds/a/1', blind: false }, null, 3)]);
    const c = new CrisisResults({ db: async () => db }, { makeState: fakes().make, identities: IDS });
    await open(c);
    c.state!.mark('ds/a/1', 'risk', 'correct');
    c.state!.mark('ds/a/1', 'empathy', 'wrong');
    await new Promise((r) => setTimeout(r, 50)); // the writes are fire-and-forget from the click
    c.state!.mark('ds/a/1', 'empathy', null);
    await new Promise((r) => setTimeout(r, 50));
    const events = await getEvents(db, 'ds');
    expect(events).toHaveLength(4);
    const empathy = events.filter((e) => e.type === 'crisis' && e.target === 'empathy').sort((a, b) => a.at - b.at);
    expect(empathy.map((e) => [e.before, e.after])).toEqual([
      [null, 'wrong'],
      ['wrong', null],
    ]);
    expect(empathy[0]).toMatchObject({ reviewer: 'local', blind: false, model: { id: 'xinan-crisis-zh', label: 1 } }); // '难受' → empathy point 1
    const v = replay(events).byReviewer.get('local')!.get('ds/a/1')!;
    expect(v).toMatchObject({ value: 3, crisis: { risk: 'correct' } });

    const again = new CrisisResults({ db: async () => db }, { makeState: fakes().make, identities: IDS });
    await open(again);
    flushSync();
    expect(again.state?.agreement.risk).toMatchObject({ reviewed: 1, accuracy: 1 });
    expect(again.state?.agreement.empathy.reviewed).toBe(0);
    db.close();
  });

  it('lists every pair of a PsyCrisis sheet, whatever the seeker-risk model says', async () => {
    const { db, open } = await seeded('pairs');
    const c = new CrisisResults({ db: async () => db }, { makeState: fakes().make, identities: IDS });
    await open(c);
    expect(c.state.listed.map((x) => x.id)).toEqual(['ds/a/1', 'ds/b/1', 'ds/c/1']);
    db.close();
  });

  it('reports a scoring failure and tries again on the next open', async () => {
    const { db, open } = await seeded();
    let fail = true;
    const make = () =>
      new CrisisState({
        crisis: async (items) => (fail ? Promise.reject(new Error('model missing')) : items.map(() => s([0.1, 0.1, 0.1, 0.1, 0.1]))),
      });
    const c = new CrisisResults({ db: async () => db }, { makeState: make, identities: IDS });
    await open(c);
    expect(c.error).toEqual({ kind: 'message', message: 'model missing' });
    fail = false;
    await open(c);
    expect(c.error).toBeUndefined();
    expect(c.state.phase).toBe('ready');
    db.close();
  });
});

/** Two datasets, A and B, whose replies differ, in one database. */
async function twoDatasets(): Promise<{ db: XinanDatabase; a: Opened; b: Opened }> {
  const db = await openFreshDb();
  const one = async (id: string, reply: string): Promise<Opened> => {
    const dialogues: Dialogue[] = [
      {
        id: 'a',
        turns: [
          { speaker: 'seeker', text: '我想死' },
          { speaker: 'supporter', text: reply },
        ],
      },
    ];
    const recs = buildDataset(
      { dialogues, skipped: [], format: 'dialoguesafety-json' },
      { id, name: `${id}.json`, sourceFile: `${id}.json`, createdAt: 1 },
    );
    await importDataset(db, recs);
    return { dataset: recs.dataset, items: await getItems(db, id) };
  };
  return { db, a: await one('A', '你一定很难受（A）'), b: await one('B', '你有自杀的想法吗（B）') };
}
type Opened = { dataset: Dataset; items: StoredItem[] };

const until = async (cond: () => boolean) => {
  for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(cond()).toBe(true);
};

describe('CrisisResults follows the open dataset', () => {
  // The panel-unmount half of the bug (rows $derived owned by a destroyed effect) needs Svelte's client
  // runtime, which vitest's Node (SSR) transform does not use: test/e2e/crisis.e2e.ts covers it in Chromium.
  it('shows, exports and marks B after A', async () => {
    const { db, a, b } = await twoDatasets();
    const c = new CrisisResults({ db: async () => db }, { makeState: fakes().make, identities: IDS });
    await c.open(a.dataset, a.items);
    expect(c.state.rows.map((r) => r.reply)).toEqual(['你一定很难受（A）']);
    await c.open(b.dataset, b.items);
    expect(c.datasetId).toBe('B');
    expect(c.state.rows.map((r) => r.reply)).toEqual(['你有自杀的想法吗（B）']);
    expect(
      c.state
        .table('m')
        .slice(1)
        .map((r) => r[1]),
    ).toEqual(['你有自杀的想法吗（B）']);
    c.state.mark('B/a/1', 'risk', 'correct');
    await until(() => c.state.agreement.risk.reviewed === 1);
    await new Promise((r) => setTimeout(r, 20)); // the write is fire-and-forget from the click
    expect((await getEvents(db, 'B')).map((e) => e.itemId)).toEqual(['B/a/1']);
    expect(await getEvents(db, 'A')).toEqual([]);
    db.close();
  });

  it('keeps the last dataset opened when an earlier one finishes scoring later', async () => {
    const { db, a, b } = await twoDatasets();
    let releaseA!: () => void;
    const slowA = new Promise<void>((r) => (releaseA = r));
    const crisis: ScoreFn = async (items) => {
      if (items[0].response.includes('（A）')) await slowA;
      return items.map(() => s([0.8, 0.1, 0.2, 0.9, 0.1]));
    };
    const c = new CrisisResults({ db: async () => db }, { makeState: () => new CrisisState({ crisis }), identities: IDS });
    const openingA = c.open(a.dataset, a.items);
    await until(() => c.state.phase === 'scoring');
    await c.open(b.dataset, b.items);
    releaseA();
    await openingA;
    expect(c.datasetId).toBe('B');
    expect(c.state.rows.map((r) => r.reply)).toEqual(['你有自杀的想法吗（B）']);
    expect(c.state.phase).toBe('ready');
    // A's scores were still stored, under A.
    expect([...(await getScores(db, 'A', 'xinan-crisis-zh@abab')).keys()]).toEqual(['A/a/1']);
    db.close();
  });

  it('stores nothing for a dataset closed (wiped) while its crisis scores were being computed', async () => {
    const { db, a } = await twoDatasets();
    let release!: () => void;
    const slow = new Promise<void>((r) => (release = r));
    const crisis: ScoreFn = async (items) => (await slow, items.map(() => s([0.8, 0.1, 0.2, 0.9, 0.1])));
    const c = new CrisisResults({ db: async () => db }, { makeState: () => new CrisisState({ crisis }), identities: IDS });
    const opening = c.open(a.dataset, a.items);
    await until(() => c.state.phase === 'scoring');
    c.close();
    release();
    await opening;
    expect(await db.count('scores')).toBe(0);
    expect(c.state.phase).toBe('idle');
    db.close();
  });

  it('forgets what it showed when the workspace is wiped or restored', async () => {
    const { db, a } = await twoDatasets();
    const f = fakes();
    const c = new CrisisResults({ db: async () => db }, { makeState: f.make, identities: IDS });
    await c.open(a.dataset, a.items);
    c.close();
    expect(c.datasetId).toBeUndefined();
    expect(c.state.rows).toEqual([]);
    await c.open(a.dataset, a.items); // read again, not skipped as "already open"
    expect(c.state.rows.map((r) => r.id)).toEqual(['A/a/1']);
    db.close();
  });
});

describe('marksFromBook', () => {
  it('gives one reviewer’s current crisis verdicts as the mark book, ignoring items without any', () => {
    const who = (reviewer: string, itemId: string, at: number) => ({ reviewer, datasetId: 'ds', itemId, at, blind: false });
    const book = replay([
      crisisEvent(who('A', 'x', 1), 'risk', null, 'wrong'),
      crisisEvent(who('A', 'x', 2), 'referral', null, 'correct'),
      crisisEvent(who('B', 'x', 3), 'risk', null, 'correct'),
      classEvent(who('A', 'y', 4), null, 2),
    ]);
    expect([...marksFromBook(book, 'A').values()]).toEqual([
      { itemId: 'x', dimension: 'risk', verdict: 'wrong' },
      { itemId: 'x', dimension: 'referral', verdict: 'correct' },
    ]);
    expect([...marksFromBook(book, 'B').values()]).toEqual([{ itemId: 'x', dimension: 'risk', verdict: 'correct' }]);
  });
});
