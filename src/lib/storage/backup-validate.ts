/**
 * Structural checks of a backup's records, so restore can refuse a damaged or
 * hand-edited file before touching the database. Errors name the record,
 * e.g. `items[3].response: expected a string`.
 */
import { isLabelId } from '../taxonomy.ts';
import type { Review, StoredDialogue, StoredItem, StoredScore } from './db.ts';
import { RestoreError } from './errors.ts';
import type { Dataset } from '../transcripts/model.ts';

const EXPECTED = {
  string: 'a string',
  number: 'a number',
  array: 'an array',
  'label?': 'a label 0–7 or nothing',
  'string?': 'a string or nothing',
} as const;
type Check = keyof typeof EXPECTED;

function passes(v: unknown, check: Check): boolean {
  if (check === 'array') return Array.isArray(v);
  if (check === 'label?') return v === undefined || isLabelId(v);
  if (check === 'string?') return v === undefined || typeof v === 'string';
  return typeof v === check;
}

function checkFields(rec: unknown, path: string, fields: Record<string, Check>): Record<string, unknown> {
  if (!rec || typeof rec !== 'object' || Array.isArray(rec)) throw new RestoreError('expected an object', path);
  const r = rec as Record<string, unknown>;
  for (const [key, check] of Object.entries(fields)) {
    if (!passes(r[key], check)) throw new RestoreError(`expected ${EXPECTED[check]}`, `${path}.${key}`);
  }
  return r;
}

function list(b: Record<string, unknown>, key: string): unknown[] {
  const v = b[key];
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw new RestoreError('expected an array', key);
  return v;
}

function checkTurns(turns: unknown[], path: string): void {
  turns.forEach((t, i) => {
    const r = checkFields(t, `${path}[${i}]`, { text: 'string', label: 'label?' });
    if (r.speaker !== 'seeker' && r.speaker !== 'supporter') {
      throw new RestoreError('expected "seeker" or "supporter"', `${path}[${i}].speaker`);
    }
  });
}

export interface BackupRecords {
  datasets: Dataset[];
  dialogues: StoredDialogue[];
  items: StoredItem[];
  scores: StoredScore[];
  reviews: Review[];
}

/** Validates every record and that each one points at a dataset/item in the same file. */
export function validateBackupRecords(b: Record<string, unknown>): BackupRecords {
  const datasets = list(b, 'datasets').map((r, i) =>
    checkFields(r, `datasets[${i}]`, { id: 'string', name: 'string', format: 'string', createdAt: 'number' }),
  );
  const datasetIds = new Set(datasets.map((d) => d.id as string));
  const owned = (r: Record<string, unknown>, path: string) => {
    if (!datasetIds.has(r.datasetId as string)) throw new RestoreError(`unknown dataset "${String(r.datasetId)}"`, `${path}.datasetId`);
  };
  const dialogues = list(b, 'dialogues').map((r, i) => {
    const d = checkFields(r, `dialogues[${i}]`, { key: 'string', id: 'string', datasetId: 'string', order: 'number', turns: 'array' });
    owned(d, `dialogues[${i}]`);
    checkTurns(d.turns as unknown[], `dialogues[${i}].turns`);
    return d;
  });
  const items = list(b, 'items').map((r, i) => {
    const it = checkFields(r, `items[${i}]`, {
      id: 'string', datasetId: 'string', dialogueId: 'string', turnIndex: 'number',
      seq: 'number', context: 'array', response: 'string', goldLabel: 'label?',
    });
    owned(it, `items[${i}]`);
    checkTurns(it.context as unknown[], `items[${i}].context`);
    return it;
  });
  const itemDataset = new Map(items.map((it) => [it.id as string, it.datasetId as string]));
  const scores = list(b, 'scores').map((r, i) => {
    const s = checkFields(r, `scores[${i}]`, { itemId: 'string', modelId: 'string', probs: 'array', label: 'number', pUnsafe: 'number' });
    const datasetId = itemDataset.get(s.itemId as string);
    if (!datasetId) throw new RestoreError(`unknown item "${String(s.itemId)}"`, `scores[${i}].itemId`);
    // Backups taken from schema v1 have no datasetId on scores: derive it, as the v2 migration does.
    return { ...s, datasetId };
  });
  const reviews = list(b, 'reviews').map((r, i) => {
    const rv = checkFields(r, `reviews[${i}]`, { itemId: 'string', datasetId: 'string', label: 'label?', note: 'string?' });
    owned(rv, `reviews[${i}]`);
    return rv;
  });
  return {
    datasets: datasets as unknown as Dataset[],
    dialogues: dialogues as unknown as StoredDialogue[],
    items: items as unknown as StoredItem[],
    scores: scores as unknown as StoredScore[],
    reviews: reviews as unknown as Review[],
  };
}
