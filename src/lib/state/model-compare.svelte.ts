/**
 * Model vs model on the open dataset: which 8-class models have scores on it (the bundled one, older
 * bundled versions, models brought from disk, removed ones whose scores stayed), two of them chosen,
 * their stored scores under the one unsafe decision at the view's threshold, and compare/models.ts on
 * top. Follows the open dataset and re-reads after a scoring run ends.
 */
import { compareModels, type ModelPairResult } from '../compare';
import { decide } from '../decision';
import { finalSource, reviewerSource } from '../review';
import { getScores, modelsForDataset, type StoredScore } from '../storage';
import { NUM_LABELS } from '../taxonomy';
import { toUiError, type UiError } from './errors';
import type { Results } from './results.svelte';
import type { ReviewLog } from './review-log.svelte';
import type { Workspace } from './workspace.svelte';

/** Scores stored under these model names are the crisis models' (5 points, seeker risk), not 8-class. */
const NOT_8_CLASS = new Set(['xinan-crisis-zh', 'seeker-risk']);

export interface ModelChoice {
  /** Storage id, `name@sha256[:16]`. */
  id: string;
  name: string;
  /** The first 16 hex digits of the weights' sha256. */
  sha: string;
}

export function modelChoice(id: string): ModelChoice {
  const at = id.lastIndexOf('@');
  return at < 0 ? { id, name: id, sha: '' } : { id, name: id.slice(0, at), sha: id.slice(at + 1) };
}

export class ModelCompare {
  datasetId = $state<string | undefined>(undefined);
  candidates = $state.raw<ModelChoice[]>([]);
  a = $state<string | undefined>(undefined);
  b = $state<string | undefined>(undefined);
  scoresA = $state.raw<Map<string, StoredScore>>(new Map());
  scoresB = $state.raw<Map<string, StoredScore>>(new Map());
  error = $state.raw<UiError | undefined>(undefined);
  #workspace: Pick<Workspace, 'db'>;
  #results: Results;
  #log: ReviewLog;

  constructor(workspace: Pick<Workspace, 'db'>, results: Results, log: ReviewLog) {
    this.#workspace = workspace;
    this.#results = results;
    this.#log = log;
  }

  /** Class per item under the view's unsafe threshold (decision.ts). */
  #labels(scores: ReadonlyMap<string, StoredScore>): Map<string, number> {
    const t = this.#results.threshold;
    return new Map([...scores].map(([id, s]) => [id, decide(s, t).label]));
  }

  /** The decided class of an item under model A or B (-1 when that model did not score it). */
  labelOf(which: 'a' | 'b', itemId: string): number {
    const s = (which === 'a' ? this.scoresA : this.scoresB).get(itemId);
    return s ? decide(s, this.#results.threshold).label : -1;
  }

  result = $derived.by((): ModelPairResult | undefined => {
    if (!this.a || !this.b || this.datasetId !== this.#results.dataset?.id) return undefined;
    const items = this.#results.items;
    const gold = new Map(items.flatMap((it) => (it.goldLabel === undefined ? [] : [[it.id, it.goldLabel] as [string, number]])));
    // The reviewers' reference: the adjudicated final label, else the local reviewer's own class.
    const book = this.#log.book;
    const reviewer = new Map<string, number>(reviewerSource(book, this.#log.reviewer, false));
    for (const [id, label] of finalSource(book)) reviewer.set(id, label);
    return compareModels(
      items.map((it) => it.id),
      this.#labels(this.scoresA),
      this.#labels(this.scoresB),
      gold,
      reviewer,
    );
  });

  /** Reads which models scored the dataset; keeps the chosen pair when both are still there. */
  async open(datasetId: string, preferred?: string): Promise<void> {
    this.error = undefined;
    try {
      const db = await this.#workspace.db();
      const ids = (await modelsForDataset(db, datasetId)).filter((id) => !NOT_8_CLASS.has(modelChoice(id).name)).sort();
      if (this.#results.dataset?.id !== datasetId) return;
      const same = this.datasetId === datasetId;
      this.datasetId = datasetId;
      this.candidates = ids.map(modelChoice);
      const keep = (x: string | undefined) => (same && x && ids.includes(x) ? x : undefined);
      const a: string | undefined = keep(this.a) ?? (preferred && ids.includes(preferred) ? preferred : ids[0]);
      let b: string | undefined = keep(this.b) ?? ids.find((id) => id !== a);
      if (a === b) b = ids.find((id) => id !== a);
      if (a && b) await this.select(a, b);
      else await this.select(undefined, undefined);
    } catch (e) {
      this.error = toUiError(e);
    }
  }

  async select(a: string | undefined, b: string | undefined): Promise<void> {
    const datasetId = this.datasetId;
    if (!datasetId) return;
    try {
      const db = await this.#workspace.db();
      const [sa, sb] = await Promise.all([
        a ? getScores(db, datasetId, a) : new Map<string, StoredScore>(),
        b ? getScores(db, datasetId, b) : new Map<string, StoredScore>(),
      ]);
      if (this.datasetId !== datasetId) return;
      // Only 8-class scores are compared; anything else (a model of another shape) is left out.
      const only8 = (m: Map<string, StoredScore>) => new Map([...m].filter(([, s]) => s.probs.length === NUM_LABELS));
      this.a = a;
      this.b = b;
      this.scoresA = only8(sa);
      this.scoresB = only8(sb);
    } catch (e) {
      this.error = toUiError(e);
    }
  }
}
