/** Typed factories for tests: small, deterministic records with overridable fields. */
import type { ItemScore } from '../../src/lib/inference/types.ts';
import type { LabelId } from '../../src/lib/taxonomy.ts';
import { buildDataset, type DatasetRecords } from '../../src/lib/transcripts/dataset.ts';
import type { Provenance } from '../../src/lib/transcripts/export/rows.ts';
import type { Dialogue, Item, ScoredItem } from '../../src/lib/transcripts/model.ts';

export const PROVENANCE: Provenance = {
  modelId: 'xinan-safety-zh@test',
  modelSha256: 'ab'.repeat(32),
  appVersion: '0.1.0-test',
};

export function makeItem(overrides: Partial<Item> = {}): Item {
  return {
    id: 'ds/d1/1',
    datasetId: 'ds',
    dialogueId: 'd1',
    turnIndex: 1,
    context: [{ speaker: 'seeker', text: '我最近很焦虑。' }],
    response: '能说说是什么让你焦虑吗？',
    ...overrides,
  };
}

/** A score whose probabilities put `p` on `label` and spread the rest evenly. */
export function makeScore(label: LabelId, p = 0.9, overrides: Partial<ItemScore> = {}): ItemScore {
  const probs = Array.from({ length: 8 }, (_, i) => (i === label ? p : (1 - p) / 7));
  return { probs, label, pUnsafe: 1 - probs[7], truncated: false, droppedTurns: 0, ...overrides };
}

export function makeScoredItem(label: LabelId | undefined, itemOverrides: Partial<Item> = {}): ScoredItem {
  return { item: makeItem(itemOverrides), score: label === undefined ? undefined : makeScore(label) };
}

export function makeDialogue(id: string, turns = 2, label?: LabelId): Dialogue {
  return {
    id,
    turns: Array.from({ length: turns }, (_, i) => ({
      speaker: i % 2 === 0 ? ('seeker' as const) : ('supporter' as const),
      text: `${id} 第${i + 1}句`,
      ...(i % 2 === 1 && label !== undefined ? { label } : {}),
    })),
  };
}

/** A dataset of `n` two-turn dialogues (so n items), ready for storage. */
export function makeDatasetRecords(id: string, n = 3, createdAt = 1_700_000_000_000): DatasetRecords {
  const dialogues = Array.from({ length: n }, (_, i) => makeDialogue(`d${i + 1}`, 2, (i % 8) as LabelId));
  return buildDataset({ dialogues, skipped: [], format: 'chat-json' }, { id, name: `${id}.json`, sourceFile: `${id}.json`, createdAt });
}
