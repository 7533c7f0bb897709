/** The shared last step of the import flows: stored under a fresh id, flow cleared before the list refresh; on error nothing. */
import { describe, expect, it } from 'vitest';
import { getItems, listDatasets } from '../../../src/lib/storage/datasets.ts';
import { storePreview } from '../../../src/lib/state/store-preview.ts';
import { buildDataset } from '../../../src/lib/transcripts/dataset.ts';
import { makeDialogue } from '../../helpers/factories.ts';
import { openFreshDb } from '../../helpers/storage.ts';

describe('storePreview', () => {
  it('stores the built dataset under a fresh id with the preview name, clears the flow, then refreshes', async () => {
    const db = await openFreshDb();
    const calls: string[] = [];
    const workspace = { db: async () => db, refresh: async () => void calls.push('refresh') };
    const parse = { dialogues: [makeDialogue('d1', 2, 3), makeDialogue('d2', 2, 7)], skipped: [], format: 'chat-json' as const };
    const id = await storePreview(
      workspace,
      '对话.json',
      (meta) => buildDataset(parse, meta),
      () => calls.push('cleared'),
    );
    expect(calls).toEqual(['cleared', 'refresh']);
    const [ds] = await listDatasets(db);
    expect(ds).toMatchObject({ id, name: '对话.json', sourceFile: '对话.json' });
    expect(await getItems(db, id)).toHaveLength(2);
    const again = await storePreview(
      workspace,
      '对话.json',
      (meta) => buildDataset(parse, meta),
      () => undefined,
    );
    expect(again).not.toBe(id);
  });

  it('stores nothing and neither clears nor refreshes when building fails', async () => {
    const db = await openFreshDb();
    const calls: string[] = [];
    const workspace = { db: async () => db, refresh: async () => void calls.push('refresh') };
    await expect(
      storePreview(
        workspace,
        'x.json',
        () => {
          throw new Error('bad');
        },
        () => calls.push('cleared'),
      ),
    ).rejects.toThrow('bad');
    expect(calls).toEqual([]);
    expect(await listDatasets(db)).toEqual([]);
  });
});
