/**
 * The crisis view of one dataset: connects CrisisState (scoring, evidence, marks) to storage.
 *
 * - Scores: both crisis models' outputs are stored in the scores store under their own model ids
 *   (folder name + weights hash), beside the 8-class scores, so reopening the view scores nothing
 *   twice and new weights rescore.
 * - Marks: the reviewer's verdicts live in the reviews store (`Review.crisis`), apart from the
 *   model's output; each click is written at once, in one read-modify-write transaction.
 * - The two model workers start only when the crisis view is first opened.
 */
import { crisisPairsFromItems, CRISIS_DIMENSIONS } from '../inference/crisis';
import { crisisCsv, crisisXlsx } from '../inference/crisis-export';
import { markKey, type MarkBook } from '../inference/crisis-review';
import { getReviews, getScores, putScores, setCrisisVerdict, type Review, type StoredItem } from '../storage';
import type { Dataset } from '../transcripts';
import { CRISIS_MODEL_PATH, createCrisisState, SEEKER_RISK_MODEL_PATH, type CrisisState } from './crisis.svelte';
import { downloadBlob, downloadText, exportBaseName } from './download';
import { toUiError, type UiError } from './errors';
import { modelIdentity, type ModelIdentity } from './model-files';
import type { Workspace } from './workspace.svelte';

export type CrisisExportKind = 'csv' | 'xlsx';

export interface CrisisResultsDeps {
  makeState?: () => CrisisState;
  /** [crisis model, seeker-risk model]. */
  identities?: () => Promise<[ModelIdentity, ModelIdentity]>;
}

/** Reviews → the mark book CrisisState keeps. */
export function marksFromReviews(reviews: readonly Review[]): MarkBook {
  const book: MarkBook = new Map();
  for (const r of reviews) {
    for (const d of CRISIS_DIMENSIONS) {
      const verdict = r.crisis?.[d];
      if (verdict) book.set(markKey(r.itemId, d), { itemId: r.itemId, dimension: d, verdict });
    }
  }
  return book;
}

export class CrisisResults {
  /**
   * Created with this object, not on first open: its `$derived` rows would otherwise belong to the
   * effect of the crisis panel that first opened it and go stale once that panel unmounts (Svelte's
   * derived_inert), showing the first dataset forever. Its workers still start on first use only.
   */
  readonly state: CrisisState;
  datasetId = $state<string | undefined>(undefined);
  error = $state.raw<UiError | undefined>(undefined);
  /** Progress of "evidence for all listed replies". */
  explaining = $state.raw<{ done: number; total: number } | undefined>(undefined);
  crisisModel = $state.raw<ModelIdentity | undefined>(undefined);
  #workspace: Pick<Workspace, 'db'>;
  #loadIdentities: () => Promise<[ModelIdentity, ModelIdentity]>;
  #identities?: Promise<[ModelIdentity, ModelIdentity]>;
  /** Dataset and item count last opened without error: reopening the tab then keeps evidence and scores. */
  #opened?: string;

  /** Tests inject the state (fake scorers) and the model identities (no model files in Node). */
  constructor(workspace: Pick<Workspace, 'db'>, deps: CrisisResultsDeps = {}) {
    this.#workspace = workspace;
    this.#loadIdentities = deps.identities ?? (() => Promise.all([modelIdentity(CRISIS_MODEL_PATH), modelIdentity(SEEKER_RISK_MODEL_PATH)]));
    this.state = (deps.makeState ?? createCrisisState)();
  }

  #identitiesOnce(): Promise<[ModelIdentity, ModelIdentity]> {
    this.#identities ??= this.#loadIdentities().catch((e: unknown) => {
      this.#identities = undefined;
      throw e;
    });
    return this.#identities;
  }

  /** Loads stored scores and marks for the dataset, then scores only what is missing. */
  async open(dataset: Dataset, items: readonly StoredItem[]): Promise<void> {
    const key = `${dataset.id}\u0000${items.length}`;
    if (this.#opened === key) return;
    this.#opened = key;
    const st = this.state;
    this.datasetId = dataset.id;
    this.error = undefined;
    // Every seeker message of a PsyCrisis sheet is high-risk by construction: list them all.
    st.listAll = dataset.layout === 'pairs';
    try {
      const db = await this.#workspace.db();
      const [crisisId, seekerId] = await this.#identitiesOnce();
      this.crisisModel = crisisId;
      const [crisis, seeker, reviews] = await Promise.all([
        getScores(db, dataset.id, crisisId.storageId),
        getScores(db, dataset.id, seekerId.storageId),
        getReviews(db, dataset.id),
      ]);
      if (this.datasetId !== dataset.id) return;
      st.setMarks(marksFromReviews(reviews));
      st.onMarks = (_book, { id, dimension, verdict }) => {
        setCrisisVerdict(db, dataset.id, id, dimension, verdict).catch((e: unknown) => (this.error = toUiError(e)));
      };
      st.onScored = async (fresh) => {
        await putScores(db, dataset.id, crisisId.storageId, fresh.crisis.map(([itemId, score]) => ({ itemId, score })));
        await putScores(db, dataset.id, seekerId.storageId, fresh.seeker.map(([itemId, score]) => ({ itemId, score })));
      };
      await st.score(crisisPairsFromItems(items), { crisis, seeker });
      if (this.datasetId !== dataset.id) return;
      if (st.error) throw new Error(st.error);
    } catch (e) {
      if (this.datasetId !== dataset.id) return;
      this.error = toUiError(e);
      this.#opened = undefined;
    }
  }

  /** Shows nothing until the next open: after a wipe, a restore or the open dataset's deletion. */
  close(): void {
    this.#opened = undefined;
    this.datasetId = undefined;
    this.error = undefined;
    this.explaining = undefined;
    this.state.clear();
  }

  async explain(id: string): Promise<void> {
    try {
      await this.state?.explain(id);
    } catch (e) {
      this.error = toUiError(e);
    }
  }

  /** Evidence for every listed reply: optional, on demand, never part of the scoring pass. */
  async explainAll(): Promise<void> {
    const st = this.state;
    if (!st || this.explaining) return;
    this.explaining = { done: 0, total: 0 };
    try {
      await st.explainAll((done, total) => (this.explaining = { done, total }));
    } catch (e) {
      this.error = toUiError(e);
    } finally {
      this.explaining = undefined;
    }
  }

  async export(kind: CrisisExportKind, datasetName: string): Promise<void> {
    const st = this.state;
    const model = this.crisisModel;
    if (!st || !model || this.explaining) return;
    try {
      // Evidence is not stored (it is recomputable from the reply and the model), so an export
      // computes what is missing first: the evidence_* columns are never silently empty.
      this.explaining = { done: 0, total: 0 };
      await st.explainAll((done, total) => (this.explaining = { done, total }));
      this.explaining = undefined;
      const table = st.table(model.storageId);
      const base = `${exportBaseName(datasetName)}-xinan-crisis`;
      if (kind === 'csv') downloadText(`${base}.csv`, crisisCsv(table), 'text/csv;charset=utf-8');
      else downloadBlob(`${base}.xlsx`, await crisisXlsx(table));
    } catch (e) {
      this.error = toUiError(e);
    } finally {
      this.explaining = undefined;
    }
  }

  terminate(): void {
    this.state?.terminate();
  }
}
