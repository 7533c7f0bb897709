/**
 * The crisis view's state: the five PsyCrisis points per item, which items' seeker turn shows risk,
 * evidence on demand, and the reviewer's marks with the agreement they feed.
 *
 * The scorers are injected (a crisis-model and a seeker-risk-model `scoreBatch`, e.g. from two
 * InferenceBridge instances), so this class is testable without a worker. Marks live here apart
 * from the model's output; `onMarks` lets the owner persist them. Evidence is computed only when
 * asked for (one batched call per reply), so it never slows the scoring pass.
 */
import {
  CRISIS_DIMENSIONS,
  CRISIS_THRESHOLD,
  crisisPoints,
  seekerItem,
  type CrisisDimension,
  type CrisisPair,
  type CrisisPoints,
} from '../inference/crisis';
import { crisisTable, type CrisisExportItem, type CrisisReviewInfo } from '../inference/crisis-export';
import { agreement, markKey, setMark, type DimensionAgreement, type MarkBook, type Verdict } from '../inference/crisis-review';
import {
  dimensionTarget,
  evidenceSpans,
  highlightSegments,
  occlude,
  type Occlusion,
  type ScoreFn,
  type Segment,
} from '../inference/evidence';
import { completeScores, InferenceBridge } from '../inference/bridge';
import type { ItemScore, ScoreItem } from '../inference/types';

export type CrisisPhase = 'idle' | 'scoring' | 'ready' | 'error';

/** One seeker message and the reply to it (PsyCrisis pairs: column A, column B); see crisisPairsFromItems. */
export type CrisisInput = CrisisPair;

/** Recall-leaning default for listing items (model card: recall 0.887, precision 0.774 out of fold). */
export const SEEKER_RISK_THRESHOLD = 0.3;

/** Model folders on the app's origin (served from models/ by vite.config.ts). */
export const CRISIS_MODEL_PATH = '/models/xinan-crisis-zh';
export const SEEKER_RISK_MODEL_PATH = '/models/xinan-crisis-zh/seeker-risk';

/**
 * A ScoreFn over an InferenceBridge: loads `modelPath` on first use (the bridge memoizes it), then
 * scores. Give each model its own bridge: a bridge (one worker) holds one model at a time.
 */
export function bridgeScorer(bridge: Pick<InferenceBridge, 'load' | 'score'>, modelPath: string): ScoreFn {
  return async (items) => {
    await bridge.load(undefined, { modelPath });
    return completeScores(await bridge.score(undefined, items), modelPath);
  };
}

/** The crisis view's state with two workers: the five-point model and the seeker-risk model. */
export function createCrisisState(): CrisisState {
  const crisis = new InferenceBridge();
  const seeker = new InferenceBridge();
  return new CrisisState({
    crisis: bridgeScorer(crisis, CRISIS_MODEL_PATH),
    seekerRisk: bridgeScorer(seeker, SEEKER_RISK_MODEL_PATH),
    terminate: () => {
      crisis.terminate();
      seeker.terminate();
    },
  });
}

/** Scores stored earlier, by item id: these items are not scored again. */
export interface KnownScores {
  crisis?: ReadonlyMap<string, ItemScore>;
  seeker?: ReadonlyMap<string, ItemScore>;
}

export interface CrisisScorers {
  crisis: ScoreFn;
  /** Without it every item is listed (e.g. a PsyCrisis import, where every seeker message is high-risk). */
  seekerRisk?: ScoreFn;
  /** Stops the scorers' workers. */
  terminate?: () => void;
}

export class CrisisState {
  phase = $state<CrisisPhase>('idle');
  error = $state.raw<string | undefined>(undefined);
  threshold = $state(CRISIS_THRESHOLD);
  seekerThreshold = $state(SEEKER_RISK_THRESHOLD);
  items = $state.raw<CrisisInput[]>([]);
  scores = $state.raw<Map<string, ItemScore>>(new Map());
  seekerRisk = $state.raw<Map<string, number>>(new Map());
  evidence = $state.raw<Map<string, Occlusion>>(new Map());
  marks = $state.raw<MarkBook>(new Map());
  /** Items being scored now (0 when idle). */
  pending = $state(0);
  /**
   * List every item, not only those whose seeker turn shows risk: for PsyCrisis imports, where every
   * message is high-risk by construction, and for reviewers who want to see all replies.
   */
  listAll = $state(false);
  /** Called with the new book after every mark, for persistence by the owner. */
  onMarks?: (marks: MarkBook, changed: { id: string; dimension: CrisisDimension; verdict: Verdict | null }) => void;
  /** Called with the scores computed by `score` (not those passed in as known), for persistence. */
  onScored?: (fresh: { crisis: [string, ItemScore][]; seeker: [string, ItemScore][] }) => void | Promise<void>;
  #scorers: CrisisScorers;
  #hasSeekerModel = false;
  /** Counts `score`/`clear` calls, so a superseded call's results are dropped. */
  #run = 0;
  /** The run counter at the last `clear`: runs started before it store nothing. */
  #cleared = 0;

  constructor(scorers: CrisisScorers) {
    this.#scorers = scorers;
    this.#hasSeekerModel = scorers.seekerRisk !== undefined;
  }

  points = $derived.by(() => {
    const out = new Map<string, CrisisPoints>();
    for (const [id, s] of this.scores) out.set(id, crisisPoints(s, this.threshold));
    return out;
  });

  /** Items whose seeker turn shows risk (all items with `listAll` or when no seeker model was given). */
  listed = $derived(
    this.#hasSeekerModel && !this.listAll
      ? this.items.filter((it) => (this.seekerRisk.get(it.id) ?? 0) >= this.seekerThreshold)
      : this.items,
  );

  /** Over every scored item, listed or not: a stored mark counts even when its row is filtered out. */
  agreement = $derived.by((): Record<CrisisDimension, DimensionAgreement> => {
    const pts = new Map<string, (0 | 1)[]>();
    for (const it of this.items) {
      const p = this.points.get(it.id);
      if (p) pts.set(it.id, p.points);
    }
    return agreement(pts, this.marks);
  });

  /** What the crisis view renders: one row per listed, scored item (ui/crisis/CrisisView.svelte). */
  rows = $derived(
    this.listed.flatMap((it) => {
      const p = this.points.get(it.id);
      if (!p) return [];
      const segments = this.evidence.has(it.id)
        ? Object.fromEntries(CRISIS_DIMENSIONS.map((d) => [d, this.segments(it.id, d) ?? []]))
        : null;
      const marks = Object.fromEntries(CRISIS_DIMENSIONS.map((d) => [d, this.marks.get(markKey(it.id, d))?.verdict]));
      return [{ id: it.id, seeker: it.seeker, reply: it.reply, seekerRisk: this.seekerRisk.get(it.id), ...p, segments, marks }];
    }),
  );

  /**
   * Scores the five points and the seeker's risk of every item that `known` has no score for
   * (scores stored earlier), and replaces earlier results. New scores go to `onScored`.
   */
  async score(items: CrisisInput[], known: KnownScores = {}): Promise<void> {
    // A later call (another dataset opened meanwhile) supersedes this one: its results must not
    // replace the later ones, and its fresh scores go to the owner that was current when it started.
    const run = ++this.#run;
    const onScored = this.onScored;
    this.phase = 'scoring';
    this.error = undefined;
    this.items = items;
    this.evidence = new Map();
    const crisisKnown = known.crisis ?? new Map<string, ItemScore>();
    const seekerKnown = known.seeker ?? new Map<string, ItemScore>();
    const needCrisis = items.filter((it) => !crisisKnown.has(it.id));
    const needSeeker = this.#scorers.seekerRisk ? items.filter((it) => !seekerKnown.has(it.id)) : [];
    this.pending = needCrisis.length;
    try {
      const [crisis, seeker] = await Promise.all([
        needCrisis.length ? this.#scorers.crisis(needCrisis.map(toScoreItem)) : [],
        needSeeker.length && this.#scorers.seekerRisk ? this.#scorers.seekerRisk(needSeeker.map((it) => seekerItem(it.seeker))) : [],
      ]);
      const fresh = {
        crisis: needCrisis.map((it, i) => [it.id, crisis[i]] as [string, ItemScore]),
        seeker: needSeeker.map((it, i) => [it.id, seeker[i]] as [string, ItemScore]),
      };
      const current = run === this.#run;
      if (current) {
        const crisisAll = new Map([...crisisKnown, ...fresh.crisis]);
        const seekerAll = new Map([...seekerKnown, ...fresh.seeker]);
        this.scores = new Map(items.flatMap((it) => (crisisAll.has(it.id) ? [[it.id, crisisAll.get(it.id)!]] : [])));
        this.seekerRisk = new Map(items.flatMap((it) => (seekerAll.has(it.id) ? [[it.id, seekerAll.get(it.id)!.probs[0]]] : [])));
        this.phase = 'ready';
      }
      // After a clear (wipe, restore, delete) the items may be gone: storing their scores would leave orphans.
      if (run > this.#cleared && (fresh.crisis.length || fresh.seeker.length)) await onScored?.(fresh);
    } catch (e) {
      if (run !== this.#run) return;
      this.error = e instanceof Error ? e.message : String(e);
      this.phase = 'error';
    } finally {
      if (run === this.#run) this.pending = 0;
    }
  }

  /** Forgets the items, scores, evidence and marks shown (e.g. after a wipe); a running `score` is superseded. */
  clear(): void {
    this.#cleared = ++this.#run;
    this.phase = 'idle';
    this.error = undefined;
    this.items = [];
    this.scores = new Map();
    this.seekerRisk = new Map();
    this.evidence = new Map();
    this.marks = new Map();
    this.pending = 0;
    this.onMarks = undefined;
    this.onScored = undefined;
  }

  /** Replaces the marks (e.g. with the ones stored for this dataset) without calling onMarks. */
  setMarks(marks: MarkBook): void {
    this.marks = marks;
  }

  /** Computes the evidence of every listed reply that has none yet, one reply (one batched call) at a time. */
  async explainAll(onProgress?: (done: number, total: number) => void): Promise<void> {
    const run = this.#run;
    const todo = this.listed.filter((it) => !this.evidence.has(it.id));
    for (const [i, it] of todo.entries()) {
      if (run !== this.#run) return; // another dataset was opened: these items are no longer shown
      await this.explain(it.id);
      onProgress?.(i + 1, todo.length);
    }
  }

  /** Computes one reply's evidence (one batched call); cached until the next `score`. */
  async explain(id: string): Promise<Occlusion> {
    const cached = this.evidence.get(id);
    if (cached) return cached;
    const it = this.items.find((x) => x.id === id);
    if (!it) throw new Error(`no crisis item ${id}`);
    const run = this.#run;
    const o = await occlude(this.#scorers.crisis, toScoreItem(it), 'clause');
    // Evidence computed for items that are no longer shown is not kept.
    if (run === this.#run) this.evidence = new Map(this.evidence).set(id, o);
    return o;
  }

  /** Highlight segments of a reply for a dimension scored 1; null when evidence is not computed. */
  segments(id: string, dimension: CrisisDimension): Segment[] | null {
    const o = this.evidence.get(id);
    const it = this.items.find((x) => x.id === id);
    if (!o || !it) return null;
    const j = CRISIS_DIMENSIONS.indexOf(dimension);
    const spans = this.points.get(id)?.points[j] ? evidenceSpans(o, dimensionTarget(j)) : [];
    return highlightSegments(it.reply, spans);
  }

  terminate(): void {
    this.#scorers.terminate?.();
  }

  mark(id: string, dimension: CrisisDimension, verdict: Verdict | null): void {
    this.marks = setMark(this.marks, id, dimension, verdict);
    this.onMarks?.(this.marks, { id, dimension, verdict });
  }

  /** The PsyCrisis-layout table of the listed items, evidence included where computed. */
  table(modelId: string, review?: CrisisReviewInfo): (string | number)[][] {
    const rows: CrisisExportItem[] = this.listed.flatMap((it) => {
      const points = this.points.get(it.id);
      if (!points) return [];
      const o = this.evidence.get(it.id);
      const evidence = o
        ? Object.fromEntries(
            CRISIS_DIMENSIONS.map((d, j) => [d, points.points[j] ? evidenceSpans(o, dimensionTarget(j)).map((u) => u.text) : []]),
          )
        : undefined;
      return [{ id: it.id, seeker: it.seeker, reply: it.reply, points, evidence, seekerRisk: this.seekerRisk.get(it.id) }];
    });
    return crisisTable(rows, this.marks, modelId, review);
  }
}

/** The reply with its earlier turns and the seeker's message as context (as the model was trained). */
function toScoreItem(it: CrisisInput): ScoreItem {
  return { context: [...it.context, { speaker: 'seeker', text: it.seeker }], response: it.reply };
}
