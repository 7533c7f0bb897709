/** Which view a dataset opens in: PsyCrisis sheets in the crisis view, others in the 8-class view. */
import { describe, expect, it } from 'vitest';
import { importDataset } from '../../../src/lib/storage/datasets.ts';
import { Results } from '../../../src/lib/state/results.svelte.ts';
import type { Scorer } from '../../../src/lib/state/scorer.svelte.ts';
import type { Workspace } from '../../../src/lib/state/workspace.svelte.ts';
import { buildDataset } from '../../../src/lib/transcripts/dataset.ts';
import type { Dialogue } from '../../../src/lib/transcripts/model.ts';
import { openFreshDb } from '../../helpers/storage.ts';

const PAIR: Dialogue[] = [{ id: 'row-2', turns: [{ speaker: 'seeker', text: '我撑不下去了' }, { speaker: 'supporter', text: '我在这里陪你。' }] }];

describe('Results.view', () => {
  it('opens a pairs sheet in the crisis view, keeps the chosen view on reopening it, resets for another dataset', async () => {
    const db = await openFreshDb();
    const pairs = buildDataset({ dialogues: PAIR, skipped: [], format: 'xlsx', layout: 'pairs' }, { id: 'p', name: 'p.xlsx', sourceFile: 'p.xlsx', createdAt: 1 });
    const chat = buildDataset({ dialogues: PAIR, skipped: [], format: 'chat-json' }, { id: 'c', name: 'c.json', sourceFile: 'c.json', createdAt: 2 });
    await importDataset(db, pairs);
    await importDataset(db, chat);
    expect(pairs.dataset.layout).toBe('pairs');
    const scorer = { identity: async () => ({ modelId: 'm', sha256: 'ab', storageId: 'm@ab', placeholder: false }) } as unknown as Scorer;
    const results = new Results({ db: async () => db } as unknown as Workspace, scorer);
    await results.open(pairs.dataset);
    expect(results.view).toBe('crisis');
    results.view = 'safety';
    await results.open(pairs.dataset); // e.g. its Score button
    expect(results.view).toBe('safety');
    await results.open(chat.dataset);
    expect(results.view).toBe('safety');
    await results.open(pairs.dataset);
    expect(results.view).toBe('crisis');
    db.close();
  });
});
