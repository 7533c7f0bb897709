/** ReviewState on a real (fake-indexeddb) database: blind decisions, confirm, notes, agreement, import, persistence. */
import { flushSync } from 'svelte';
import { describe, expect, it } from 'vitest';
import { importDataset } from '../../../src/lib/storage/datasets.ts';
import { putScores } from '../../../src/lib/storage/scores.ts';
import { getEvents } from '../../../src/lib/storage/events.ts';
import { Results } from '../../../src/lib/state/results.svelte.ts';
import { ReviewLog } from '../../../src/lib/state/review-log.svelte.ts';
import { ReviewState } from '../../../src/lib/state/review.svelte.ts';
import type { Scorer } from '../../../src/lib/state/scorer.svelte.ts';
import type { Workspace } from '../../../src/lib/state/workspace.svelte.ts';
import { makeDatasetRecords, makeScore } from '../../helpers/factories.ts';
import { openFreshDb } from '../../helpers/storage.ts';

async function setup() {
  const db = await openFreshDb();
  const recs = makeDatasetRecords('ds', 3);
  await importDataset(db, recs);
  await putScores(
    db,
    'ds',
    'm@ab',
    recs.items.map((it, i) => ({ itemId: it.id, score: makeScore(i === 0 ? 3 : 7) })),
  );
  const identity = { modelId: 'm', sha256: 'ab', storageId: 'm@ab', placeholder: false };
  const scorer = { identity: async () => identity, known: identity } as unknown as Scorer;
  const workspace = { db: async () => db } as unknown as Workspace;
  const make = async () => {
    const results = new Results(workspace, scorer);
    const log = new ReviewLog(workspace);
    const review = new ReviewState(workspace, results, log, scorer);
    await review.init();
    await results.open(recs.dataset);
    await review.open('ds');
    return { results, log, review };
  };
  return { db, recs, make };
}

describe('ReviewState', () => {
  it('blind: hides the model until a decision, refuses confirm while hidden, records blind flags; survives a reload', async () => {
    const { db, recs, make } = await setup();
    const { review, log } = await make();
    await log.setReviewer('甲');
    await review.setBlind(true);
    const [a, b] = recs.items.map((it) => it.id);
    expect(review.revealed(a)).toBe(false);
    expect(await review.confirm(a)).toBe(false);
    await review.decide(a, 5);
    expect(review.revealed(a)).toBe(true);
    await review.confirm(a); // model said 3: the reviewer switches to it after the reveal
    await review.decide(b, 'unsure');
    await review.note(a, '  说教  ');
    flushSync();
    expect(review.progress).toEqual({ reviewed: 2, total: 3 });
    const events = (await getEvents(db, 'ds')).sort((x, y) => x.at - y.at || (x.id < y.id ? -1 : 1));
    const cls = events.filter((e) => e.type === 'class' && e.itemId === a);
    expect(cls.map((e) => [e.before, e.after, e.blind, e.type === 'class' && e.action])).toEqual([
      [null, 5, true, 'set'],
      [5, 3, false, 'confirm'],
    ]);
    expect(cls[0]).toMatchObject({ reviewer: '甲', model: { id: 'm', sha256: 'ab', label: 3 } });
    expect(review.exportOf(a)).toMatchObject({ label: 3, note: '说教', reviewer: '甲', blind: false });

    // Agreement: reviewer vs model on the one decided item (unsure is no label): 1/1, κ undefined → null.
    const pair = review.pairs.find((p) => p.a.key === 'reviewer:甲' && p.b.key === 'model')!;
    expect(pair.agreement).toMatchObject({ n: 1, accuracy: 1, kappa: null });
    review.blindAgreement = true;
    flushSync();
    expect(review.pairs.find((p) => p.a.key === 'reviewer:甲')!.agreement).toMatchObject({ n: 1, accuracy: 0 });

    // Threshold tuning: reviewed items (unsure excluded) → P/R; the chosen threshold is stored per dataset.
    expect(review.reviewedScores).toHaveLength(1);
    review.threshold = 0.3;
    flushSync();
    expect(review.thresholdPoint).toMatchObject({ tp: 1, fp: 0, fn: 0, tn: 0, precision: 1, recall: 1 });
    await review.saveThreshold();

    const again = await make(); // a reload
    flushSync();
    expect(again.review.threshold).toBe(0.3);
    expect(again.results.threshold).toBe(0.3);
    expect(again.log.reviewer).toBe('甲');
    expect(again.review.blind).toBe(true);
    expect(again.review.verdict(a)).toMatchObject({ value: 3, blindValue: 5, note: '说教' });
    db.close();
  });

  it('imports a second reviewer’s file by item key; a bad file adds nothing and says why', async () => {
    const { db, recs, make } = await setup();
    const { review } = await make();
    await review.decide(recs.items[0].id, 3);
    const key = (i: number) => recs.items[i].id.slice('ds/'.length);
    const ev = (i: number, after: number) => ({
      id: `b${i}`,
      type: 'class',
      action: 'set',
      reviewer: '乙',
      at: 5,
      item: key(i),
      blind: true,
      before: null,
      after,
    });
    const good = new File([JSON.stringify({ type: 'xinan-review', version: 1, events: [ev(0, 3), ev(1, 7)] })], 'b.json');
    await review.importFile(good);
    expect(review.imported).toEqual({ added: 2, conflicts: 0, reviewers: ['乙'] });
    flushSync();
    expect(review.pairs.find((p) => p.a.key === 'reviewer:local' && p.b.key === 'reviewer:乙')!.agreement).toMatchObject({
      n: 1,
      accuracy: 1,
    });
    const bad = new File([JSON.stringify({ type: 'xinan-review', version: 1, events: [ev(2, 9)] })], 'c.json');
    await review.importFile(bad);
    expect(review.fileError).toMatchObject({ code: 'bad-field', where: 'events[0]', field: 'after' });
    expect(await getEvents(db, 'ds')).toHaveLength(3);
    db.close();
  });
});
