/**
 * The flat row every exporter writes: one per item, with its score when scored,
 * and the provenance (model id, model SHA-256, app version) on every row so a
 * row copied out of its file still says where it came from.
 */
import { LABELS, LABELS_ZH, NUM_LABELS, SAFE_LABEL } from '../../taxonomy.ts';
import type { ScoredItem, Turn } from '../model.ts';

export interface Provenance {
  modelId: string;
  /** Hex SHA-256 of the model file that produced the scores. */
  modelSha256: string;
  appVersion: string;
  /** P(unsafe) threshold of the unsafe decision the labels were made under (src/lib/decision.ts). */
  unsafeThreshold?: number;
}

/** File-level metadata; `exportedAt` is passed in so exporters stay pure. */
export interface ExportMeta {
  datasetName: string;
  /** ISO 8601 timestamp. */
  exportedAt: string;
}

/** `{type, version, source}` written into every file that has room for it. */
export const EXPORT_FILE_VERSION = 1;
export const EXPORT_SOURCE = 'xinan';

export interface ExportRow {
  dataset: string;
  dialogue_id: string;
  turn_index: number;
  item_id: string;
  /** Earlier turns with `[seeker]`/`[supporter]` markers, the DialogueSafety convention. */
  context: string;
  response: string;
  gold_label: number | null;
  gold_label_name: string;
  pred_label: number | null;
  pred_label_name: string;
  pred_label_zh: string;
  unsafe: boolean | null;
  p_unsafe: number | null;
  /** The threshold `unsafe` and `pred_label` were decided at: unsafe ⇔ p_unsafe ≥ it. */
  unsafe_threshold: number | null;
  /** Per-class probabilities in label-id order, or null when not scored. */
  probs: number[] | null;
  truncated: boolean | null;
  dropped_turns: number | null;
  model_id: string;
  model_sha256: string;
  app_version: string;
  /** The reviewer's class (0–7), null when unreviewed or unsure. */
  review_label: number | null;
  review_label_name: string;
  review_unsure: boolean | null;
  review_note: string;
  reviewer: string;
  /** ISO 8601 time of the reviewer's latest decision on the item. */
  reviewed_at: string;
  review_blind: boolean | null;
  /** Adjudicated final label, null when none. */
  final_label: number | null;
}

export function markedContext(turns: readonly Turn[]): string {
  return turns.map((t) => `[${t.speaker}]${t.text}`).join('');
}

export function toExportRow(datasetName: string, { item, score, review }: ScoredItem, p: Provenance): ExportRow {
  const rl = typeof review?.label === 'number' ? review.label : null;
  return {
    dataset: datasetName,
    dialogue_id: item.dialogueId,
    turn_index: item.turnIndex,
    item_id: item.id,
    context: markedContext(item.context),
    response: item.response,
    gold_label: item.goldLabel ?? null,
    gold_label_name: item.goldLabel === undefined ? '' : LABELS[item.goldLabel],
    pred_label: score ? score.label : null,
    pred_label_name: score ? (LABELS[score.label] ?? '') : '',
    pred_label_zh: score ? (LABELS_ZH[score.label] ?? '') : '',
    unsafe: score ? score.label !== SAFE_LABEL : null,
    p_unsafe: score ? score.pUnsafe : null,
    unsafe_threshold: p.unsafeThreshold ?? null,
    probs: score ? score.probs.slice(0, NUM_LABELS) : null,
    truncated: score ? score.truncated : null,
    dropped_turns: score ? score.droppedTurns : null,
    model_id: p.modelId,
    model_sha256: p.modelSha256,
    app_version: p.appVersion,
    review_label: rl,
    review_label_name: rl === null ? '' : LABELS[rl],
    review_unsure: review ? review.label === 'unsure' : null,
    review_note: review?.note ?? '',
    reviewer: review?.reviewer ?? '',
    reviewed_at: review ? new Date(review.at).toISOString() : '',
    review_blind: review?.blind ?? null,
    final_label: review?.final ?? null,
  };
}
