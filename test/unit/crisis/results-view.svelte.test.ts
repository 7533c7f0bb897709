/** Which view a dataset opens in: PsyCrisis sheets in the crisis view, others in the 8-class view. */
import { describe, expect, it } from 'vitest';
import { importDataset } from '../../../src/lib/storage/datasets.ts';
import { putScores } from '../../../src/lib/storage/scores.ts';
import { makeScore } from '../../helpers/factories.ts';
import { Results } from '../../../src/lib/state/results.svelte.ts';
import type { Scorer } from '../../../src/lib/state/scorer.svelte.ts';
import type { Workspace } from '../../../src/lib/state/workspace.svelte.ts';
import { buildDataset } from '../../../src/lib/transcripts/dataset.ts';
import type { Dialogue } from '../../../src/lib/transcripts/model.ts';
import { openFreshDb } from '../../helpers/storage.ts';

const PAIR: Dialogue[] = [
  {
    id: 'row-2',
    turns: [
      { speaker: 'seeker', text: '我撑不下去了' },
      { speaker: 'supporter', text: '我在这里陪你。' },
    ],
  },
];

describe('Results.view', () => {
  it('opens a pairs sheet in the crisis view, keeps the chosen view on reopening it, resets for another dataset', async () => {
    const db = await openFreshDb();
    const pairs = buildDataset(
      { dialogues: PAIR, skipped: [], format: 'xlsx', layout: 'pairs' },
      { id: 'p', name: 'p.xlsx', sourceFile: 'p.xlsx', createdAt: 1 },
    );
    const chat = buildDataset(
      { dialogues: PAIR, skipped: [], format: 'chat-json' },
      { id: 'c', name: 'c.json', sourceFile: 'c.json', createdAt: 2 },
    );
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

describe('Results.open', () => {
  it('never shows a dataset with another one’s (or no) dialogues, items or scores while it loads', async () => {
    const db = await openFreshDb();
    const a = buildDataset(
      { dialogues: PAIR, skipped: [], format: 'chat-json' },
      { id: 'a', name: 'a.json', sourceFile: 'a.json', createdAt: 1 },
    );
    const two: Dialogue[] = [
      ...PAIR,
      {
        id: 'row-3',
        turns: [
          { speaker: 'seeker', text: '睡不着' },
          { speaker: 'supporter', text: '多久了？' },
        ],
      },
    ];
    const b = buildDataset(
      { dialogues: two, skipped: [], format: 'chat-json' },
      { id: 'b', name: 'b.json', sourceFile: 'b.json', createdAt: 2 },
    );
    await importDataset(db, a);
    await importDataset(db, b);
    await putScores(
      db,
      'b',
      'm@ab',
      b.items.map((it) => ({ itemId: it.id, score: makeScore(7) })),
      1,
    );
    const scorer = { identity: async () => ({ modelId: 'm', sha256: 'ab', storageId: 'm@ab', placeholder: false }) } as unknown as Scorer;
    const results = new Results({ db: async () => db } as unknown as Workspace, scorer);
    // What the summary and header would show, sampled after every task while opening.
    const seen: string[] = [];
    const look = () => {
      const id = results.dataset?.id;
      const ok = results.items.every((it) => it.datasetId === id) && results.dialogues.every((d) => d.datasetId === id);
      seen.push(`${id ?? '-'}:${results.dialogues.length}/${results.items.length}/${results.scores.size}${ok ? '' : ' MIXED'}`);
    };
    const sample = async (p: Promise<void>) => {
      let done = false;
      void p.then(() => (done = true));
      while (!done) {
        look();
        await new Promise((r) => setTimeout(r, 0));
      }
      look();
    };
    await sample(results.open(a.dataset));
    await sample(results.open(b.dataset));
    results.close();
    await sample(results.open(b.dataset)); // after a wipe/restore the view is closed first
    expect(seen.filter((s) => s.includes('MIXED'))).toEqual([]);
    expect(new Set(seen)).toEqual(new Set(['-:0/0/0', 'a:1/1/0', 'b:2/2/2']));
    expect(results.loading).toBeUndefined();
    db.close();
  });
});
