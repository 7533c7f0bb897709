/**
 * CompareResults on a real (fake-indexeddb) database with the real CrisisResults and known-answer
 * crisis scorers: reviewer labels and crisis verdicts override the model, and the summaries count them.
 */
import { describe, expect, it } from 'vitest';
import { buildCompareDataset, parseCompareFile } from '../../../src/lib/compare';
import type { ScoreFn } from '../../../src/lib/inference/evidence';
import type { ItemScore } from '../../../src/lib/inference/types';
import { importDataset } from '../../../src/lib/storage/datasets';
import { getItems, type StoredScore } from '../../../src/lib/storage';
import { putReview, setCrisisVerdict } from '../../../src/lib/storage/scores';
import { CompareResults } from '../../../src/lib/state/compare.svelte';
import { CrisisResults } from '../../../src/lib/state/crisis-results.svelte';
import { CrisisState } from '../../../src/lib/state/crisis.svelte';
import type { ModelIdentity } from '../../../src/lib/state/model-files';
import type { Results } from '../../../src/lib/state/results.svelte';
import type { Scorer } from '../../../src/lib/state/scorer.svelte';
import { openFreshDb } from '../../helpers/storage';

const score = (label: number, probs: number[] = []): ItemScore => ({
  probs,
  label,
  pUnsafe: label === 7 ? 0 : 1,
  truncated: false,
  droppedTurns: 0,
});
const id = (modelId: string): ModelIdentity => ({ modelId, sha256: 'ab'.repeat(32), storageId: `${modelId}@abab`, placeholder: false });

describe('CompareResults', () => {
  it('applies reviewer overrides from the reviews store and crisis marks, and counts them', async () => {
    const csv = '求助者消息,甲,乙\n我不想活了,你现在安全吗？,别想太多\n我睡不着,早点睡,听起来很辛苦\n';
    const parse = await parseCompareFile('p.csv', new TextEncoder().encode(csv));
    const recs = buildCompareDataset(parse, { id: 'ds', name: 'p.csv', sourceFile: 'p.csv', createdAt: 1 });
    const db = await openFreshDb();
    await importDataset(db, recs);
    const items = await getItems(db, 'ds');
    const [a1, b1, a2, b2] = items.map((i) => i.id);
    // Model: 甲 safe, safe; 乙 unsafe (2), safe. Reviewer: 乙's first reply is Safe after all; 甲's second is unsafe (5).
    const scores = new Map<string, StoredScore>(
      [
        [a1, 7],
        [b1, 2],
        [a2, 7],
        [b2, 7],
      ].map(([itemId, label]) => [
        itemId as string,
        { ...score(label as number), itemId: itemId as string, modelId: 'm', datasetId: 'ds', scoredAt: 1 },
      ]),
    );
    await putReview(db, { itemId: b1, datasetId: 'ds', label: 7 });
    await putReview(db, { itemId: a2, datasetId: 'ds', label: 5 });
    // Crisis model: 甲's reply earns risk (1) only; a reviewer says that point is wrong.
    await setCrisisVerdict(db, 'ds', a1, 'risk', 'wrong');
    const crisisFn: ScoreFn = async (xs) => xs.map((x) => score(0, [0.1, 0.1, 0.1, x.response.includes('安全') ? 0.9 : 0.1, 0.1]));
    const crisis = new CrisisResults(
      { db: async () => db },
      { makeState: () => new CrisisState({ crisis: crisisFn }), identities: async () => [id('xinan-crisis-zh'), id('seeker-risk')] },
    );
    const results = { dataset: recs.dataset, items, scores } as unknown as Results;
    const scorer = { known: id('xinan-safety-zh') } as unknown as Scorer;
    const compare = new CompareResults({ db: async () => db }, results, crisis, scorer);
    await compare.open();
    expect(compare.error).toBeUndefined();
    expect(compare.crisisPhase).toBe('ready');
    expect(compare.responders).toEqual(['甲', '乙']);
    expect([compare.a, compare.b]).toEqual(['甲', '乙']);

    const [jia, yi] = compare.summaries;
    expect(jia).toMatchObject({ responder: '甲', labelReviewed: 1, crisisReviewed: 1, unsafe: { k: 1, n: 2 } });
    expect(yi).toMatchObject({ responder: '乙', labelReviewed: 1, crisisReviewed: 0, unsafe: { k: 0, n: 2 } });
    // The risk point the model gave 甲 was marked wrong: no reply earns it.
    expect(jia.crisisPoints.risk.k).toBe(0);
    const pair = compare.pair!;
    expect(pair.table).toEqual({ bothUnsafe: 0, onlyA: 1, onlyB: 0, bothSafe: 1 });
    expect(pair.reviewedPairs).toBe(2);
    expect(pair.discordant.map((d) => d.contextId)).toEqual(['row-3']);
    db.close();
  });
});
