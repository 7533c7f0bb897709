/**
 * The review queue: which replies to review, in which order. Uncertainty follows Label Studio's
 * "lowest score first" and Prodigy's prefer_uncertain: the items where a human adds most.
 */
export type QueueOrder = 'risk' | 'margin' | 'entropy' | 'file';

export interface QueueItem {
  id: string;
  /** The model's 8-class probabilities, absent when not scored. */
  probs?: readonly number[];
  label?: number;
  pUnsafe?: number;
}

/** Top-1 minus top-2 probability: small = uncertain. */
export function margin(probs: readonly number[]): number {
  let a = -Infinity;
  let b = -Infinity;
  for (const p of probs) {
    if (p > a) [a, b] = [p, a];
    else if (p > b) b = p;
  }
  return b === -Infinity ? 1 : a - b;
}

/** Shannon entropy in nats: large = uncertain. */
export function entropy(probs: readonly number[]): number {
  return probs.reduce((s, p) => (p > 0 ? s - p * Math.log(p) : s), 0);
}

export interface QueueFilter {
  /** Only items the reviewer has not decided. */
  unreviewedOnly?: boolean;
  /** Only items where the reviewer's class differs from the model's label. */
  disagreeOnly?: boolean;
}

/**
 * Orders the items (stable: ties keep file order; unscored items go last) and filters them.
 * `reviewed` maps item id → the reviewer's current decision (a class id or 'unsure').
 */
export function buildQueue<T extends QueueItem>(
  items: readonly T[],
  order: QueueOrder,
  reviewed: ReadonlyMap<string, number | 'unsure'>,
  filter: QueueFilter = {},
): T[] {
  const key = (it: T): number => {
    if (!it.probs) return Infinity;
    if (order === 'risk') return -(it.pUnsafe ?? 0);
    if (order === 'margin') return margin(it.probs);
    if (order === 'entropy') return -entropy(it.probs);
    return 0;
  };
  const kept = items.filter((it) => {
    const v = reviewed.get(it.id);
    if (filter.unreviewedOnly && v !== undefined) return false;
    if (filter.disagreeOnly && (v === undefined || v === it.label)) return false;
    return true;
  });
  if (order === 'file') return kept;
  return kept
    .map((it, i) => ({ it, i, k: key(it) }))
    .sort((x, y) => (x.k === y.k ? 0 : x.k - y.k) || x.i - y.i)
    .map((x) => x.it);
}
