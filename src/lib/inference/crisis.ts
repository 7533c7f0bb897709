/**
 * PsyCrisis five points: the train.jsonl record format, its validation, and turning the crisis
 * model's sigmoid outputs into 0/1 points and a 0–5 total. Pure: used by the CLI and the app.
 *
 * The crisis model scores (earlier turns + the seeker's message) → reply, through the same engine
 * and input builder as the 8-class model. The seeker-risk model scores the seeker's message alone:
 * it is the only context turn and the reply is empty (training/crisis.py builds it the same way).
 */
import type { ItemScore, ScoreItem, Speaker } from './types.ts';

/** Output order of models/xinan-crisis-zh (config.json id2label). */
export const CRISIS_DIMENSIONS = ['empathy', 'regulation', 'exploration', 'risk', 'referral'] as const;
export type CrisisDimension = (typeof CRISIS_DIMENSIONS)[number];

/** The default decision threshold, as in the model card's CV numbers. */
export const CRISIS_THRESHOLD = 0.5;

export interface CrisisRecord {
  id: string;
  context: { role: Speaker; text: string }[];
  seeker: string;
  reply: string;
  pool?: string;
  /** Present in labeled files (train.jsonl format). */
  labels?: Record<CrisisDimension, 0 | 1>;
}

export class CrisisDataError extends Error {}

/** Parses JSONL in the train.jsonl format; every problem names the file and the 1-based line. */
export function parseCrisisJsonl(text: string, file: string, requireLabels: boolean): CrisisRecord[] {
  const out: CrisisRecord[] = [];
  text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .forEach((line, i) => {
      if (!line.trim()) return;
      let raw: unknown;
      try {
        raw = JSON.parse(line);
      } catch {
        throw new CrisisDataError(`${file}: line ${i + 1}: not valid JSON (expected one JSON object per line)`);
      }
      out.push(toRecord(raw, `${file}: line ${i + 1}`, requireLabels));
    });
  if (out.length === 0) throw new CrisisDataError(`${file}: no records`);
  return out;
}

function toRecord(raw: unknown, where: string, requireLabels: boolean): CrisisRecord {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new CrisisDataError(`${where}: not an object`);
  const o = raw as Record<string, unknown>;
  const id = typeof o.id === 'string' || typeof o.id === 'number' ? String(o.id) : '?';
  const at = `${where} (id ${id})`;
  for (const f of ['seeker', 'reply'] as const) {
    if (typeof o[f] !== 'string' || !(o[f] as string).trim()) throw new CrisisDataError(`${at}: missing string field "${f}"`);
  }
  const ctx = o.context ?? [];
  if (!Array.isArray(ctx)) throw new CrisisDataError(`${at}: "context" must be an array of {role, text}`);
  const context = ctx.map((t: unknown, k) => {
    const turn = (t ?? {}) as Record<string, unknown>;
    if ((turn.role !== 'seeker' && turn.role !== 'supporter') || typeof turn.text !== 'string') {
      throw new CrisisDataError(`${at}: context[${k}] needs role "seeker"|"supporter" and a string text`);
    }
    return { role: turn.role as Speaker, text: turn.text };
  });
  const rec: CrisisRecord = { id, context, seeker: o.seeker as string, reply: o.reply as string };
  if (typeof o.pool === 'string') rec.pool = o.pool;
  if (o.labels !== undefined || requireLabels) rec.labels = toLabels(o.labels, at);
  return rec;
}

function toLabels(raw: unknown, at: string): Record<CrisisDimension, 0 | 1> {
  if (typeof raw !== 'object' || raw === null) throw new CrisisDataError(`${at}: missing object field "labels"`);
  const l = raw as Record<string, unknown>;
  const out = {} as Record<CrisisDimension, 0 | 1>;
  for (const d of CRISIS_DIMENSIONS) {
    if (l[d] !== 0 && l[d] !== 1) throw new CrisisDataError(`${at}: labels.${d} is ${JSON.stringify(l[d])}, not 0 or 1`);
    out[d] = l[d];
  }
  return out;
}

/** The reply to score, with the seeker's message as the newest context turn. */
export function crisisItem(rec: Pick<CrisisRecord, 'context' | 'seeker' | 'reply'>): ScoreItem {
  return {
    context: [...rec.context.map((t) => ({ speaker: t.role, text: t.text })), { speaker: 'seeker', text: rec.seeker }],
    response: rec.reply,
  };
}

/** The seeker's message alone, for the seeker-risk model. */
export function seekerItem(text: string): ScoreItem {
  return { context: [{ speaker: 'seeker', text }], response: '' };
}

export interface CrisisPoints {
  /** 0/1 per dimension, in CRISIS_DIMENSIONS order. */
  points: (0 | 1)[];
  total: number;
  probs: number[];
  threshold: number;
}

export function crisisPoints(score: ItemScore, threshold = CRISIS_THRESHOLD): CrisisPoints {
  if (score.probs.length !== CRISIS_DIMENSIONS.length) {
    throw new Error(`expected ${CRISIS_DIMENSIONS.length} crisis outputs, got ${score.probs.length}`);
  }
  const points = score.probs.map((p) => (p >= threshold ? 1 : 0) as 0 | 1);
  return { points, total: points.reduce<number>((a, b) => a + b, 0), probs: score.probs, threshold };
}

/** A seeker message and the reply to it, with the turns before the message. */
export interface CrisisPair {
  id: string;
  context: { speaker: Speaker; text: string }[];
  seeker: string;
  reply: string;
}

/**
 * Scoreable items (supporter turn + turns before it) → crisis pairs. The five points judge a reply
 * to a seeker's message, so an item counts only when the turn right before it is the seeker's;
 * a PsyCrisis pairs import (A seeker, B reply) gives exactly one such item per row.
 */
export function crisisPairsFromItems(
  items: readonly { id: string; context: { speaker: Speaker; text: string }[]; response: string }[],
): CrisisPair[] {
  return items.flatMap((it) => {
    const last = it.context[it.context.length - 1];
    if (!last || last.speaker !== 'seeker') return [];
    return [{ id: it.id, context: it.context.slice(0, -1), seeker: last.text, reply: it.response }];
  });
}
