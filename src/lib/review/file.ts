/**
 * The review file: one reviewer's (or several merged reviewers') audit events for one dataset, to share
 * offline between reviewers. JSON is the exchange format; the same events go out as CSV/XLSX columns
 * for spreadsheets and come back from them. Items are named by their key inside the dataset
 * (`dialogueId/turnIndex`), not by the random dataset id, so a file made on another device lines up
 * with the same transcript imported there. Transcript text is left out unless asked for.
 *
 * Parsing validates everything and throws ReviewFileError naming the event (or row) and field, so an
 * import either adds every new event or none.
 */
import { isLabelId } from '../taxonomy.ts';
import { quoteValue } from '../transcripts/describe.ts';
import { CRISIS_TARGETS, type ClassAction, type ReviewEvent, type ShownModel } from './types.ts';

export const REVIEW_FILE_TYPE = 'xinan-review';
export const REVIEW_FILE_VERSION = 1;

/** The events as a file stores them: dataset-independent item keys, no dataset id. */
export type FileEvent = ReviewEvent extends infer E
  ? E extends ReviewEvent
    ? Omit<E, 'datasetId' | 'itemId'> & { item: string }
    : never
  : never;

export interface ReviewFile {
  type: typeof REVIEW_FILE_TYPE;
  version: number;
  source: 'xinan';
  /** ISO 8601. */
  exportedAt: string;
  datasetName: string;
  /** The reviewer who wrote the file (events may carry others, after a merge). */
  reviewer: string;
  events: FileEvent[];
  /** Item key → reply text: only when the reviewer chose to include transcript text. */
  texts?: Record<string, string>;
}

export type ReviewFileErrorCode = 'not-json' | 'not-review-file' | 'newer-version' | 'bad-field' | 'unknown-item' | 'missing-column';

/** A review file that cannot be imported; nothing was stored. `where` names the event or row, `field` the column. */
export class ReviewFileError extends Error {
  override name = 'ReviewFileError';
  constructor(
    readonly code: ReviewFileErrorCode,
    readonly detail: string,
    readonly where?: string,
    readonly field?: string,
  ) {
    super([where, field, detail].filter(Boolean).join(': '));
  }
}

/** `${datasetId}/${dialogueId}/${turn}` → `${dialogueId}/${turn}`. */
export function itemKey(datasetId: string, itemId: string): string {
  return itemId.startsWith(`${datasetId}/`) ? itemId.slice(datasetId.length + 1) : itemId;
}

export function toReviewFile(
  events: readonly ReviewEvent[],
  meta: { datasetName: string; reviewer: string; exportedAt: string; texts?: ReadonlyMap<string, string> },
): ReviewFile {
  const file: ReviewFile = {
    type: REVIEW_FILE_TYPE,
    version: REVIEW_FILE_VERSION,
    source: 'xinan',
    exportedAt: meta.exportedAt,
    datasetName: meta.datasetName,
    reviewer: meta.reviewer,
    events: events.map(({ datasetId, itemId, ...e }) => ({ ...e, item: itemKey(datasetId, itemId) }) as FileEvent),
  };
  if (meta.texts) {
    const keys = new Set(file.events.map((e) => e.item));
    file.texts = {};
    for (const [id, text] of meta.texts) {
      const k = itemKey(events[0]?.datasetId ?? '', id);
      if (keys.has(k)) file.texts[k] = text;
    }
  }
  return file;
}

type Rec = Record<string, unknown>;

const CLASS_VALUE = (v: unknown) => v === null || v === 'unsure' || isLabelId(v);
const CRISIS_VALUE = (v: unknown) => v === null || v === 'correct' || v === 'wrong';
const LABEL_OR_NULL = (v: unknown) => v === null || isLabelId(v);
const TEXT_OR_NULL = (v: unknown) => v === null || typeof v === 'string';
const ACTIONS: readonly ClassAction[] = ['confirm', 'set', 'unsure', 'clear'];

/** Checks one event (already in file shape); returns it typed. */
export function checkFileEvent(raw: unknown, where: string): FileEvent {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new ReviewFileError('bad-field', 'expected an object', where);
  const e = raw as Rec;
  const need = (field: string, ok: boolean, expected: string) => {
    if (!ok) throw new ReviewFileError('bad-field', `expected ${expected}, got ${quoteValue(e[field])}`, where, field);
  };
  need('id', typeof e.id === 'string' && e.id.length > 0, 'an event id');
  need('reviewer', typeof e.reviewer === 'string' && e.reviewer.trim().length > 0, 'a reviewer name');
  need('at', typeof e.at === 'number' && Number.isFinite(e.at) && e.at >= 0, 'a time (epoch ms)');
  need('item', typeof e.item === 'string' && e.item.length > 0, 'an item key');
  need('blind', typeof e.blind === 'boolean', 'true or false');
  if (e.model !== undefined) {
    const m = e.model as Rec | null;
    need(
      'model',
      !!m &&
        typeof m === 'object' &&
        typeof m.id === 'string' &&
        typeof m.sha256 === 'string' &&
        (m.label === undefined || (typeof m.label === 'number' && Number.isInteger(m.label))),
      'a model {id, sha256, label?}',
    );
  }
  if (e.type === 'class') {
    need('action', ACTIONS.includes(e.action as ClassAction), 'confirm, set, unsure or clear');
    need('before', CLASS_VALUE(e.before), 'a class 0–7, "unsure" or null');
    need('after', CLASS_VALUE(e.after), 'a class 0–7, "unsure" or null');
  } else if (e.type === 'crisis') {
    need('target', (CRISIS_TARGETS as readonly unknown[]).includes(e.target), `one of ${CRISIS_TARGETS.join(', ')}`);
    need('before', CRISIS_VALUE(e.before), '"correct", "wrong" or null');
    need('after', CRISIS_VALUE(e.after), '"correct", "wrong" or null');
  } else if (e.type === 'note') {
    need('before', TEXT_OR_NULL(e.before), 'text or null');
    need('after', TEXT_OR_NULL(e.after), 'text or null');
  } else if (e.type === 'adjudicate') {
    need('before', LABEL_OR_NULL(e.before), 'a class 0–7 or null');
    need('after', LABEL_OR_NULL(e.after), 'a class 0–7 or null');
  } else {
    need('type', false, 'class, crisis, note or adjudicate');
  }
  return e as unknown as FileEvent;
}

/** Parses and validates review file text (JSON). */
export function parseReviewFile(text: string): ReviewFile {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new ReviewFileError('not-json', e instanceof Error ? e.message : String(e));
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) throw new ReviewFileError('not-review-file', 'not a JSON object');
  const f = data as Rec;
  if (f.type !== REVIEW_FILE_TYPE)
    throw new ReviewFileError('not-review-file', `"type" is ${JSON.stringify(f.type)}, expected "${REVIEW_FILE_TYPE}"`);
  if (typeof f.version !== 'number' || f.version > REVIEW_FILE_VERSION) {
    throw new ReviewFileError('newer-version', `version ${String(f.version)} is newer than this app understands (${REVIEW_FILE_VERSION})`);
  }
  if (!Array.isArray(f.events)) throw new ReviewFileError('bad-field', 'expected an array', undefined, 'events');
  const events = f.events.map((e, i) => checkFileEvent(e, `events[${i}]`));
  return { ...(f as unknown as ReviewFile), events };
}

/**
 * The file's events placed in a local dataset: item keys → item ids. Every key must name an item of
 * the dataset (`itemIds`), else the file belongs to another transcript and nothing is imported.
 */
export function eventsForDataset(file: Pick<ReviewFile, 'events'>, datasetId: string, itemIds: ReadonlySet<string>): ReviewEvent[] {
  return file.events.map((fe, i) => {
    const { item, ...e } = fe;
    const itemId = `${datasetId}/${item}`;
    if (!itemIds.has(itemId)) throw new ReviewFileError('unknown-item', `"${item}" is not a reply of this dataset`, `events[${i}]`, 'item');
    return { ...e, datasetId, itemId } as ReviewEvent;
  });
}

/** Columns of the CSV/XLSX form, one event per row. */
export const REVIEW_COLUMNS = [
  'event_id',
  'type',
  'target',
  'item',
  'reviewer',
  'time',
  'action',
  'before',
  'after',
  'blind',
  'model_id',
  'model_sha256',
  'model_label',
  'sources',
  'response',
] as const;

function cell(v: unknown): string {
  return v === null || v === undefined ? '' : String(v);
}

/** Header + one row per event (cells as text), `response` filled only when texts are given. */
export function reviewTable(file: ReviewFile): string[][] {
  const rows = file.events.map((e) => [
    e.id,
    e.type,
    e.type === 'crisis' ? e.target : e.type === 'class' ? 'class' : e.type === 'note' ? 'note' : 'final',
    e.item,
    e.reviewer,
    new Date(e.at).toISOString(),
    e.type === 'class' ? e.action : '',
    cell(e.before),
    cell(e.after),
    e.blind ? 'true' : 'false',
    e.model?.id ?? '',
    e.model?.sha256 ?? '',
    cell(e.model?.label),
    e.type === 'adjudicate' && e.sources ? JSON.stringify(e.sources) : '',
    file.texts?.[e.item] ?? '',
  ]);
  return [[...REVIEW_COLUMNS], ...rows];
}

/** Rows from CSV or XLSX (header first) back into file events; errors name the row (1-based, header = row 1). */
export function eventsFromTable(rows: readonly (readonly string[])[]): FileEvent[] {
  const header = (rows[0] ?? []).map((h) => h.trim());
  for (const c of REVIEW_COLUMNS) {
    if (c !== 'response' && c !== 'sources' && !header.includes(c))
      throw new ReviewFileError('missing-column', `no column "${c}"`, 'row 1', c);
  }
  const col = (row: readonly string[], c: (typeof REVIEW_COLUMNS)[number]) => (row[header.indexOf(c)] ?? '').trim();
  const out: FileEvent[] = [];
  rows.slice(1).forEach((row, i) => {
    if (row.every((x) => x.trim() === '')) return;
    const where = `row ${i + 2}`;
    const type = col(row, 'type');
    const at = Date.parse(col(row, 'time'));
    if (Number.isNaN(at))
      throw new ReviewFileError('bad-field', `expected an ISO time, got ${quoteValue(col(row, 'time'))}`, where, 'time');
    const blind = col(row, 'blind');
    if (blind !== 'true' && blind !== 'false')
      throw new ReviewFileError('bad-field', `expected true or false, got ${quoteValue(blind)}`, where, 'blind');
    const value = (c: 'before' | 'after'): unknown => {
      const s = col(row, c);
      if (s === '') return null;
      if (type === 'class' || type === 'adjudicate') return /^\d$/.test(s) ? Number(s) : s;
      return s;
    };
    const modelId = col(row, 'model_id');
    const modelLabel = col(row, 'model_label');
    const model: ShownModel | undefined = modelId
      ? { id: modelId, sha256: col(row, 'model_sha256'), ...(modelLabel !== '' ? { label: Number(modelLabel) } : {}) }
      : undefined;
    const raw: Rec = {
      id: col(row, 'event_id'),
      type,
      reviewer: col(row, 'reviewer'),
      at,
      item: col(row, 'item'),
      blind: blind === 'true',
      before: value('before'),
      after: value('after'),
      ...(model ? { model } : {}),
    };
    if (type === 'class') raw.action = col(row, 'action');
    if (type === 'crisis') raw.target = col(row, 'target');
    if (type === 'adjudicate' && header.includes('sources') && col(row, 'sources')) {
      try {
        raw.sources = JSON.parse(col(row, 'sources')) as Record<string, number>;
      } catch {
        throw new ReviewFileError('bad-field', 'expected JSON', where, 'sources');
      }
    }
    out.push(checkFileEvent(raw, where));
  });
  return out;
}
