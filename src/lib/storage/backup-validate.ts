/**
 * Structural checks of a backup's records, so restore can refuse a damaged or
 * hand-edited file before touching the database. Errors name the record,
 * e.g. `items[3].response: expected a string`.
 */
import { CRISIS_DIMENSIONS } from '../inference/crisis.ts';
import { isLabelId } from '../taxonomy.ts';
import type { Review, StoredDialogue, StoredItem, StoredScore } from './db.ts';
import { RestoreError, type RestoreExpected } from './errors.ts';
import type { Dataset } from '../transcripts/model.ts';

const EXPECTED = {
  string: 'a string',
  number: 'a number',
  'number-or-null': 'a number, or null where the model has no safe class',
  numbers: 'an array of numbers',
  boolean: 'true or false',
  array: 'an array',
  'label?': 'a label 0–7 or nothing',
  'string?': 'a string or nothing',
  'verdicts?': 'an object of crisis dimension → "correct" | "wrong", or nothing',
} as const satisfies Partial<Record<RestoreExpected, string>>;
type Check = keyof typeof EXPECTED;

function passes(v: unknown, check: Check): boolean {
  if (check === 'array') return Array.isArray(v);
  if (check === 'numbers') return Array.isArray(v) && v.every((x) => typeof x === 'number');
  if (check === 'number-or-null') return v === null || typeof v === 'number';
  if (check === 'label?') return v === undefined || isLabelId(v);
  if (check === 'string?') return v === undefined || typeof v === 'string';
  if (check === 'verdicts?') return v === undefined || isVerdicts(v);
  return typeof v === check;
}

const fieldError = (path: string, expected: RestoreExpected, text: string) => new RestoreError(`expected ${text}`, path, { code: 'expected', expected });

function isVerdicts(v: unknown): boolean {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return false;
  return Object.entries(v).every(([k, x]) => (CRISIS_DIMENSIONS as readonly string[]).includes(k) && (x === 'correct' || x === 'wrong'));
}

function checkFields(rec: unknown, path: string, fields: Record<string, Check>): Record<string, unknown> {
  if (!rec || typeof rec !== 'object' || Array.isArray(rec)) throw fieldError(path, 'object', 'an object');
  const r = rec as Record<string, unknown>;
  for (const [key, check] of Object.entries(fields)) {
    if (!passes(r[key], check)) throw fieldError(`${path}.${key}`, check, EXPECTED[check]);
  }
  return r;
}

function list(b: Record<string, unknown>, key: string): unknown[] {
  const v = b[key];
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw fieldError(key, 'array', 'an array');
  return v;
}

function checkTurns(turns: unknown[], path: string): void {
  turns.forEach((t, i) => {
    const r = checkFields(t, `${path}[${i}]`, { text: 'string', label: 'label?' });
    if (r.speaker !== 'seeker' && r.speaker !== 'supporter') {
      throw fieldError(`${path}[${i}].speaker`, 'speaker', '"seeker" or "supporter"');
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

type Rec = Record<string, unknown>;

const FIELDS = {
  datasets: {
    id: 'string', name: 'string', format: 'string', sourceFile: 'string', createdAt: 'number',
    dialogueCount: 'number', itemCount: 'number', goldCount: 'number',
  },
  dialogues: { key: 'string', id: 'string', datasetId: 'string', order: 'number', turns: 'array' },
  items: {
    id: 'string', datasetId: 'string', dialogueId: 'string', turnIndex: 'number',
    seq: 'number', context: 'array', response: 'string', goldLabel: 'label?',
  },
  scores: {
    itemId: 'string', modelId: 'string', probs: 'numbers', label: 'number', pUnsafe: 'number-or-null',
    truncated: 'boolean', droppedTurns: 'number', scoredAt: 'number',
  },
  reviews: { itemId: 'string', datasetId: 'string', label: 'label?', note: 'string?', crisis: 'verdicts?', updatedAt: 'number' },
} satisfies Record<keyof BackupRecords, Record<string, Check>>;

/** Checks one store's records; `extra` may add cross-record checks or return a normalized record. */
function checkStore(b: Rec, key: keyof BackupRecords, extra?: (r: Rec, path: string) => Rec | void): Rec[] {
  return list(b, key).map((raw, i) => {
    const path = `${key}[${i}]`;
    const r = checkFields(raw, path, FIELDS[key]);
    return extra?.(r, path) ?? r;
  });
}

/** Validates every record and that each one points at a dataset/item in the same file. */
export function validateBackupRecords(b: Rec): BackupRecords {
  const datasets = checkStore(b, 'datasets');
  const datasetIds = new Set(datasets.map((d) => d.id));
  const owned = (r: Rec, path: string) => {
    const id = String(r.datasetId);
    if (!datasetIds.has(r.datasetId)) throw new RestoreError(`unknown dataset "${id}"`, `${path}.datasetId`, { code: 'unknown-dataset', id });
  };
  const dialogues = checkStore(b, 'dialogues', (d, path) => {
    owned(d, path);
    checkTurns(d.turns as unknown[], `${path}.turns`);
  });
  const items = checkStore(b, 'items', (it, path) => {
    owned(it, path);
    checkTurns(it.context as unknown[], `${path}.context`);
  });
  const itemDataset = new Map(items.map((it) => [it.id, it.datasetId]));
  const scores = checkStore(b, 'scores', (s, path) => {
    const datasetId = itemDataset.get(s.itemId);
    const id = String(s.itemId);
    if (!datasetId) throw new RestoreError(`unknown item "${id}"`, `${path}.itemId`, { code: 'unknown-item', id });
    // Backups taken from schema v1 have no datasetId on scores: derive it, as the v2 migration does.
    // JSON has no NaN: the crisis models' pUnsafe (NaN, no safe class) is written as null; read it back as NaN.
    return { ...s, datasetId, pUnsafe: s.pUnsafe === null ? NaN : s.pUnsafe };
  });
  const reviews = checkStore(b, 'reviews', owned);
  return { datasets, dialogues, items, scores, reviews } as unknown as BackupRecords;
}
