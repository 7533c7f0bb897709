/**
 * Fingerprints of items, to tell when an imported file overlaps a model's training data (e.g.
 * DialogueSafety dev.json, which the 8-class model was fine-tuned on: its accuracy there means
 * nothing). Only these hashes ship with the model (card.json), never the training text.
 *
 * The key is the context with [seeker]/[supporter] markers and the reply, all whitespace removed
 * (so a re-export or a CSV of the same items still matches), hashed with SHA-256 and cut to 16 hex
 * characters (64 bits: no collisions to speak of among thousands of items).
 */
import type { Turn } from './model.ts';

export const FINGERPRINT_HEX = 16;

export function fingerprintKey(context: readonly Turn[], response: string): string {
  const strip = (s: string) => s.replace(/\s+/g, '');
  return `${strip(context.map((t) => `[${t.speaker}]${t.text}`).join(''))}\n${strip(response)}`;
}

export async function fingerprint(context: readonly Turn[], response: string): Promise<string> {
  const bytes = new TextEncoder().encode(fingerprintKey(context, response));
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return [...digest.slice(0, FINGERPRINT_HEX / 2)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** How many of the items have a fingerprint in `known`. */
export async function countOverlap(
  items: readonly { context: readonly Turn[]; response: string }[],
  known: ReadonlySet<string>,
): Promise<number> {
  if (known.size === 0) return 0;
  const prints = await Promise.all(items.map((it) => fingerprint(it.context, it.response)));
  return prints.filter((p) => known.has(p)).length;
}
