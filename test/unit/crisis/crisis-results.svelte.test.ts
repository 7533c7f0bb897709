/** The crisis view's storage glue on a real (fake-indexeddb) database, with known-answer scorers. */
import { flushSync } from 'svelte';
import { describe, expect, it } from 'vitest';
import type { ScoreFn } from '../../../src/lib/inference/evidence.ts';
import type { ItemScore } from '../../../src/lib/inference/types.ts';
import { importDataset } from '../../../src/lib/storage/datasets.ts';
import { getItems, type XinanDatabase } from '../../../src/lib/storage/index.ts';
import { getScores } from '../../../src/lib/storage/scores.ts';
import { appendEvents, getEvents } from '../../../src/lib/storage/events.ts';
import { classEvent, crisisEvent, replay } from '../../../src/lib/review/audit.ts';
import { CrisisResults, marksFromBook } from '../../../src/lib/state/crisis-results.svelte.ts';
import { CrisisState } from '../../../src/lib/state/crisis.svelte.ts';
import type { ModelIdentity } from '../../../src/lib/state/model-files.ts';
import { buildDataset } from '../../../src/lib/transcripts/dataset.ts';
import type { Dialogue } from '../../../src/lib/transcripts/model.ts';
import { openFreshDb } from '../../helpers/storage.ts';

const s = (probs: number[]): ItemScore => ({ probs, label: 0, pUnsafe: NaN, truncated: false, droppedTurns: 0 });
const id = (modelId: string): ModelIdentity => ({ modelId, sha256: 'ab'.repeat(32), storageId: `${modelId}@abab`, placeholder: false });
const IDS = async (): Promise<[ModelIdentity, ModelIdentity]> => [id('xinan-crisis-zh'), id('seeker-risk')];

const DIALOGUES: Dialogue[] = [
  { id: 'a', turns: [{ speaker: 'seeker', text: '我想死' }, { speaker: 'supporter', text: '你一定很难受。你有自杀的想法吗？' }] },
  { id: 'b', turns: [{ speaker: 'seeker', text: '今天天气不错' }, { speaker: 'supporter', text: '是啊。' }] },
  // The second supporter turn follows a supporter turn: not a reply to a seeker message, not a crisis item.
  { id: 'c', turns: [{ speaker: 'seeker', text: '我想死' }, { speaker: 'supporter', text: '我在。' }, { speaker: 'supporter', text: '慢慢说。' }] },
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
  const recs = buildDataset({ dialogues: DIALOGUES, skipped: [], format: 'xlsx', layout }, { id: 'ds', name: 'x.xlsx', sourceFile: 'x.xlsx', createdAt: 1 });
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
    expect(c.state?.listed.map((x) => x.id)).toEqual(['ds/a/1', 'ds/c/1']); // seeker risk filters 'b'
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
    expect(empathy.map((e) => [e.before, e.after])).toEqual([[null, 'wrong'], ['wrong', null]]);
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
    expect(c.state?.listed.map((x) => x.id)).toEqual(['ds/a/1', 'ds/b/1', 'ds/c/1']);
    db.close();
  });

  it('reports a scoring failure and tries again on the next open', async () => {
    const { db, open } = await seeded();
    let fail = true;
    const make = () => new CrisisState({ crisis: async (items) => (fail ? Promise.reject(new Error('model missing')) : items.map(() => s([0.1, 0.1, 0.1, 0.1, 0.1]))) });
    const c = new CrisisResults({ db: async () => db }, { makeState: make, identities: IDS });
    await open(c);
    expect(c.error).toEqual({ kind: 'message', message: 'model missing' });
    fail = false;
    await open(c);
    expect(c.error).toBeUndefined();
    expect(c.state?.phase).toBe('ready');
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
