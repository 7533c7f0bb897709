/**
 * Structural checks of a backup's records, so restore can refuse a damaged or
 * hand-edited file before touching the database. Errors name the record,
 * e.g. `items[3].response: expected a string`.
 */
import { CRISIS_DIMENSIONS } from '../inference/crisis.ts';
import { isLabelId } from '../taxonomy.ts';
import { msg } from '../i18n/msg.ts';
import { checkFileEvent, ReviewFileError } from '../review/file.ts';
import type { ReviewEvent } from '../review/types.ts';
import type { Review, Setting, StoredDialogue, StoredItem, StoredScore } from './db.ts';
import { RestoreError } from './errors.ts';
import { quoteValue } from '../transcripts/describe.ts';
import type { Dataset } from '../transcripts/model.ts';

const EXPECTED = {
  string: msg('restoreExpString'),
  number: msg('restoreExpNumber'),
  'number-or-null': msg('restoreExpNumberOrNull'),
  numbers: msg('restoreExpNumbers'),
  boolean: msg('restoreExpBoolean'),
  array: msg('restoreExpArray'),
  'label?': msg('restoreExpLabel'),
  'string?': msg('restoreExpStringOpt'),
  'verdicts?': msg('restoreExpVerdicts'),
} as const;
type Check = keyof typeof EXPECTED;

function passes(v: unknown, check: Check): boolean {
  // JSON can say 1e400 (Infinity), which a later backup would write as null and then refuse.
  if (check === 'number') return Number.isFinite(v);
  if (check === 'numbers') return Array.isArray(v) && v.every((x) => Number.isFinite(x));
  if (check === 'array') return Array.isArray(v);
  // JSON has no NaN: the crisis models' pUnsafe (NaN: they have no safe class) is written as null.
  if (check === 'number-or-null') return v === null || Number.isFinite(v);
  if (check === 'label?') return v === undefined || isLabelId(v);
  if (check === 'string?') return v === undefined || typeof v === 'string';
  if (check === 'verdicts?') return v === undefined || isVerdicts(v);
  return typeof v === check;
}

function isVerdicts(v: unknown): boolean {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return false;
  return Object.entries(v).every(([k, x]) => (CRISIS_DIMENSIONS as readonly string[]).includes(k) && (x === 'correct' || x === 'wrong'));
}

/** No record the app writes is nested deeper than this; a deeper one would overflow the stack when stored. */
const MAX_RECORD_DEPTH = 16;

/** Nesting depth of a JSON value, counted without recursion (the value may be 100,000 levels deep). */
function depthOf(value: unknown): number {
  let max = 0;
  const todo: [unknown, number][] = [[value, 0]];
  while (todo.length) {
    const [v, d] = todo.pop()!;
    max = Math.max(max, d);
    if (d > MAX_RECORD_DEPTH) break;
    if (v && typeof v === 'object') for (const x of Object.values(v)) todo.push([x, d + 1]);
  }
  return max;
}

function checkFields(rec: unknown, path: string, fields: Record<string, Check>): Record<string, unknown> {
  if (!rec || typeof rec !== 'object' || Array.isArray(rec)) throw new RestoreError(msg('restoreExpObject'), path);
  if (depthOf(rec) > MAX_RECORD_DEPTH) throw new RestoreError(msg('restoreTooDeep', { n: MAX_RECORD_DEPTH }), path);
  const r = rec as Record<string, unknown>;
  for (const [key, check] of Object.entries(fields)) {
    if (!passes(r[key], check)) throw new RestoreError(EXPECTED[check], `${path}.${key}`);
  }
  return r;
}

function list(b: Record<string, unknown>, key: string): unknown[] {
  const v = b[key];
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw new RestoreError(msg('restoreExpArray'), key);
  return v;
}

function checkTurns(turns: unknown[], path: string): void {
  turns.forEach((t, i) => {
    const r = checkFields(t, `${path}[${i}]`, { text: 'string', label: 'label?' });
    if (r.speaker !== 'seeker' && r.speaker !== 'supporter') {
      throw new RestoreError(msg('restoreExpSpeaker'), `${path}[${i}].speaker`);
    }
  });
}

export interface BackupRecords {
  datasets: Dataset[];
  dialogues: StoredDialogue[];
  items: StoredItem[];
  scores: StoredScore[];
  reviews: Review[];
  events: ReviewEvent[];
  settings: Setting[];
}

type Rec = Record<string, unknown>;

const FIELDS = {
  datasets: {
    id: 'string',
    name: 'string',
    format: 'string',
    sourceFile: 'string',
    createdAt: 'number',
    dialogueCount: 'number',
    itemCount: 'number',
    goldCount: 'number',
  },
  dialogues: { key: 'string', id: 'string', datasetId: 'string', order: 'number', turns: 'array' },
  items: {
    id: 'string',
    datasetId: 'string',
    dialogueId: 'string',
    turnIndex: 'number',
    seq: 'number',
    context: 'array',
    response: 'string',
    goldLabel: 'label?',
  },
  scores: {
    itemId: 'string',
    modelId: 'string',
    probs: 'numbers',
    label: 'number',
    pUnsafe: 'number-or-null',
    truncated: 'boolean',
    droppedTurns: 'number',
    scoredAt: 'number',
  },
  reviews: { itemId: 'string', datasetId: 'string', label: 'label?', note: 'string?', crisis: 'verdicts?', updatedAt: 'number' },
  events: { id: 'string', datasetId: 'string', itemId: 'string' },
  settings: { key: 'string' },
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
    if (!datasetIds.has(r.datasetId))
      throw new RestoreError(msg('restoreUnknownDataset', { id: quoteValue(r.datasetId) }), `${path}.datasetId`);
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
    if (!datasetId) throw new RestoreError(msg('restoreUnknownItem', { id: quoteValue(s.itemId) }), `${path}.itemId`);
    // Backups taken from schema v1 have no datasetId on scores: derive it, as the v2 migration does.
    // JSON has no NaN: the crisis models' pUnsafe (NaN, no safe class) is written as null; read it back as NaN.
    return { ...s, datasetId, pUnsafe: s.pUnsafe === null ? NaN : s.pUnsafe };
  });
  const reviews = checkStore(b, 'reviews', owned);
  const events = checkStore(b, 'events', (e, path) => {
    if (itemDataset.get(e.itemId) !== e.datasetId) throw new RestoreError(`unknown item "${String(e.itemId)}"`, `${path}.itemId`);
    // The review layer's own checks (types, values, reviewer, time), with the backup's path in the message.
    try {
      checkFileEvent({ ...e, item: e.itemId }, path);
    } catch (err) {
      if (err instanceof ReviewFileError) throw new RestoreError(err.detail, `${path}.${err.field ?? ''}`.replace(/\.$/, ''));
      throw err;
    }
  });
  const settings = checkStore(b, 'settings', (s, path) => {
    if (!['string', 'number', 'boolean'].includes(typeof s.value))
      throw new RestoreError('expected a string, number or true/false', `${path}.value`);
  });
  return { datasets, dialogues, items, scores, reviews, events, settings } as unknown as BackupRecords;
}
