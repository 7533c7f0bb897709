import { describe, expect, it } from 'vitest';
import { buildDataset, previewCounts } from '../../../src/lib/transcripts/dataset.ts';
import { itemsFromDialogue, withScores } from '../../../src/lib/transcripts/model.ts';
import { parseTextInput } from '../../../src/lib/transcripts/import.ts';
import { fixtureText } from '../../helpers/fixtures.ts';
import { makeScore } from '../../helpers/factories.ts';

describe('items from dialogues', () => {
  it('makes one item per supporter turn, with every earlier turn as context', () => {
    const r = parseTextInput('transcript.txt', fixtureText('transcript.txt'));
    const items = itemsFromDialogue('ds', r.dialogues[0]);
    expect(items.map((i) => i.id)).toEqual(['ds/dialogue-1/1', 'ds/dialogue-1/3']);
    expect(items[1].context.map((t) => t.text)).toEqual([
      '老师，我最近总是失眠。',
      '失眠多久了？',
      '大概两个星期了，\n一躺下就开始想很多事情。',
    ]);
    expect(items[1].context[0]).not.toHaveProperty('label');
  });

  it('builds dataset records with counts and previews without an id', () => {
    const r = parseTextInput('dialoguesafety.json', fixtureText('dialoguesafety.json'));
    const recs = buildDataset(r, { id: 'ds1', name: 'n', sourceFile: 'dialoguesafety.json', createdAt: 5 });
    expect(recs.dataset).toEqual({
      id: 'ds1',
      name: 'n',
      sourceFile: 'dialoguesafety.json',
      createdAt: 5,
      format: 'dialoguesafety-json',
      dialogueCount: 4,
      itemCount: 4,
      goldCount: 3,
    });
    expect(recs.items.every((i) => i.datasetId === 'ds1')).toBe(true);
    expect(previewCounts(r)).toEqual({ dialogues: 4, items: 4, goldItems: 3, skipped: 0 });
  });

  it('pairs items with scores, leaving unscored items without one', () => {
    const r = parseTextInput('transcript.txt', fixtureText('transcript.txt'));
    const items = itemsFromDialogue('ds', r.dialogues[0]);
    const joined = withScores(items, new Map([[items[0].id, makeScore(7)]]));
    expect(joined[0].score?.label).toBe(7);
    expect(joined[1]).toEqual({ item: items[1] });
  });
});
