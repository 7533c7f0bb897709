/**
 * The comparison in long form: one row per (context, responder) with the reply, the 8-class model's
 * label and probabilities, the crisis model's points, the reviewer's label and verdicts, and which
 * values the summaries used. CSV with a BOM (Excel reads Chinese) or XLSX (write-excel-file, loaded on demand).
 */
import { CRISIS_DIMENSIONS, type CrisisDimension } from '../inference/crisis.ts';
import { crisisCsv } from '../inference/crisis-export.ts';
import { LABELS, NUM_LABELS } from '../taxonomy.ts';
import type { Turn } from '../transcripts/model.ts';
import type { Observation, Verdict } from './summary.ts';

export interface LongRow {
  observation: Observation;
  context: readonly Turn[];
  reply: string;
  /** 8-class probabilities in label order, when scored. */
  probs?: readonly number[];
  pUnsafe?: number;
  /** Crisis model probabilities per dimension, when scored. */
  crisisProbs?: readonly number[];
  reviewLabel?: number;
  verdicts?: Partial<Record<CrisisDimension, Verdict>>;
}

export interface LongProvenance {
  safetyModel: string;
  crisisModel: string;
  appVersion: string;
}

export const LONG_COLUMNS = [
  'context_id',
  'context',
  'responder',
  'reply',
  'model_label',
  'model_label_name',
  'p_unsafe',
  ...Array.from({ length: NUM_LABELS }, (_, i) => `p_${i}`),
  ...CRISIS_DIMENSIONS.map((d) => `crisis_${d}`),
  'crisis_total',
  ...CRISIS_DIMENSIONS.map((d) => `p_crisis_${d}`),
  'review_label',
  ...CRISIS_DIMENSIONS.map((d) => `review_${d}`),
  'label_used',
  'unsafe_used',
  'crisis_total_used',
  'safety_model',
  'crisis_model',
  'app_version',
] as const;

const marked = (turns: readonly Turn[]) => turns.map((t) => `[${t.speaker}]${t.text}`).join('');
const cell = (v: number | undefined): string | number => (v === undefined ? '' : v);
const round = (v: number) => Math.round(v * 1e6) / 1e6;

export function longTable(rows: readonly LongRow[], prov: LongProvenance): (string | number)[][] {
  const body = rows.map((r) => {
    const o = r.observation;
    const probs = r.probs ? r.probs.map(round) : new Array<string>(NUM_LABELS).fill('');
    const crisis = o.modelCrisis ?? [];
    return [
      o.contextId,
      marked(r.context),
      o.responder,
      r.reply,
      cell(o.modelLabel),
      o.modelLabel === undefined ? '' : LABELS[o.modelLabel],
      r.pUnsafe === undefined ? '' : round(r.pUnsafe),
      ...probs,
      ...CRISIS_DIMENSIONS.map((_, j) => cell(crisis[j])),
      o.modelCrisis ? crisis.reduce<number>((a, b) => a + b, 0) : '',
      ...CRISIS_DIMENSIONS.map((_, j) => (r.crisisProbs ? round(r.crisisProbs[j]) : '')),
      cell(r.reviewLabel),
      ...CRISIS_DIMENSIONS.map((d) => r.verdicts?.[d] ?? ''),
      cell(o.label),
      o.label === undefined ? '' : o.label === 7 ? 0 : 1,
      o.crisis ? o.crisis.reduce<number>((a, b) => a + b, 0) : '',
      prov.safetyModel,
      prov.crisisModel,
      prov.appVersion,
    ];
  });
  return [[...LONG_COLUMNS], ...body];
}

/** Same CSV conventions as the crisis export (BOM, CRLF, formula-looking cells escaped). */
export const longCsv = crisisCsv;

/** One sheet "compare", header bold and frozen, text cells as strings (a reply starting with "=" stays text). */
export async function longXlsx(table: (string | number)[][]): Promise<Blob> {
  const { default: writeXlsxFile } = await import('write-excel-file/universal');
  const data = table.map((row, r) =>
    row.map((value) =>
      typeof value === 'number' ? { value, type: Number } : { value, type: String, ...(r === 0 ? { fontWeight: 'bold' as const } : {}) },
    ),
  );
  const widths = LONG_COLUMNS.map((c) => (c === 'context' || c === 'reply' ? 50 : 12));
  return writeXlsxFile(data, { sheet: 'compare', stickyRowsCount: 1, columns: widths.map((width) => ({ width })) }).toBlob();
}
