/**
 * v2 stored one `Review` per item (label, note, crisis ✓/✗) and overwrote it on every change. v3 keeps
 * an append-only log of review events instead; this turns a v2 record into the events that replay to
 * the same state, for the v3 upgrade and for restoring v1 backups. Ids are derived from the item and
 * target, so converting the same record twice (e.g. restoring one old backup twice) adds nothing.
 */
import { CRISIS_TARGETS, type ReviewEvent } from '../review/types.ts';
import type { Review } from './db.ts';

/** The reviewer of marks made before reviewers had names. */
export const LEGACY_REVIEWER = 'local';

export function eventsFromLegacyReview(r: Review): ReviewEvent[] {
  const base = (target: string) => ({
    id: `legacy:${r.itemId}:${target}`,
    reviewer: LEGACY_REVIEWER,
    at: r.updatedAt,
    datasetId: r.datasetId,
    itemId: r.itemId,
    // v2 did not record whether the model was shown; the 8-class and crisis views always showed it.
    blind: false,
  });
  const out: ReviewEvent[] = [];
  if (r.label !== undefined) out.push({ ...base('class'), type: 'class', action: 'set', before: null, after: r.label });
  if (r.note) out.push({ ...base('note'), type: 'note', before: null, after: r.note });
  for (const target of CRISIS_TARGETS) {
    const v = r.crisis?.[target];
    if (v) out.push({ ...base(target), type: 'crisis', target, before: null, after: v });
  }
  return out;
}
