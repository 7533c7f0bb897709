/** A crisis export computes missing evidence first (evidence is not stored), and agreement counts every stored mark. */
import Papa from 'papaparse';
import { describe, expect, it, vi } from 'vitest';
import type { ScoreFn } from '../../../src/lib/inference/evidence.ts';
import type { ItemScore } from '../../../src/lib/inference/types.ts';
import { importDataset } from '../../../src/lib/storage/datasets.ts';
import { getItems } from '../../../src/lib/storage/index.ts';
import { CrisisResults } from '../../../src/lib/state/crisis-results.svelte.ts';
import { CrisisState } from '../../../src/lib/state/crisis.svelte.ts';
import type { ModelIdentity } from '../../../src/lib/state/model-files.ts';
import { buildDataset } from '../../../src/lib/transcripts/dataset.ts';
import { openFreshDb } from '../../helpers/storage.ts';

const downloads: { name: string; text: string }[] = [];
vi.mock('../../../src/lib/state/download.ts', async (orig) => ({
  ...(await orig<typeof import('../../../src/lib/state/download.ts')>()),
  downloadText: (name: string, text: string) => downloads.push({ name, text }),
}));

const s = (probs: number[]): ItemScore => ({ probs, label: 0, pUnsafe: NaN, truncated: false, droppedTurns: 0 });
const id = (modelId: string): ModelIdentity => ({ modelId, sha256: 'ab'.repeat(32), storageId: `${modelId}@abab`, placeholder: false });
// Empathy is 1 while the reply says 难受: dropping that clause is the evidence.
const crisis: ScoreFn = async (items) => items.map((it) => s([it.response.includes('难受') ? 0.9 : 0.1, 0.1, 0.1, 0.1, 0.1]));
const seekerRisk: ScoreFn = async (items) => items.map((it) => s([it.context[0].text.includes('想死') ? 0.95 : 0.05]));

async function opened() {
  const db = await openFreshDb();
  const recs = buildDataset(
    {
      dialogues: [
        {
          id: 'a',
          turns: [
            { speaker: 'seeker', text: '我想死' },
            { speaker: 'supporter', text: '你一定很难受。我在这里。' },
          ],
        },
        {
          id: 'b',
          turns: [
            { speaker: 'seeker', text: '今天天气不错' },
            { speaker: 'supporter', text: '是啊。' },
          ],
        },
      ],
      skipped: [],
      format: 'csv',
    },
    { id: 'ds', name: 'x.csv', sourceFile: 'x.csv', createdAt: 1 },
  );
  await importDataset(db, recs);
  const c = new CrisisResults(
    { db: async () => db },
    { makeState: () => new CrisisState({ crisis, seekerRisk }), identities: async () => [id('xinan-crisis-zh'), id('seeker-risk')] },
  );
  await c.open(recs.dataset, await getItems(db, 'ds'));
  return c;
}

describe('crisis export and agreement', () => {
  it('fills evidence_* in an export even when no evidence was computed in the view', async () => {
    const c = await opened();
    expect(c.state!.evidence.size).toBe(0);
    await c.export('csv', 'x.csv');
    expect(c.error).toBeUndefined();
    const rows = Papa.parse<Record<string, string>>(downloads.at(-1)!.text.replace(/^\uFEFF/, ''), {
      header: true,
      skipEmptyLines: true,
    }).data;
    expect(rows).toHaveLength(1);
    expect(rows[0].empathy).toBe('1');
    expect(rows[0].evidence_empathy).toBe('你一定很难受。');
  });

  it('a stored mark on a reply that is not listed still counts in the agreement', async () => {
    const c = await opened();
    const st = c.state!;
    expect(st.listed.map((x) => x.id)).toEqual(['ds/a/1']);
    st.mark('ds/b/1', 'empathy', 'wrong');
    expect(st.agreement.empathy.reviewed).toBe(1);
    expect(st.agreement.empathy.accuracy).toBe(0);
  });
});
