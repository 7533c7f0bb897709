/**
 * Results of one dataset for the loaded model: dialogues with per-class and unsafe counts,
 * filters, summary metrics against gold labels, and export of the filtered items.
 */
import { decide, UNSAFE_THRESHOLD } from '../decision';
import { evidenceSpans, highlightSegments, occlude, predictedClassTarget, type Segment } from '../inference/evidence';
import { binaryReport, classificationReport, cohenKappa, type ClassificationReport } from '../metrics';
import { getDialogues, getItems, getScores, type StoredDialogue, type StoredItem, type StoredScore } from '../storage';
import { NUM_LABELS, SAFE_LABEL } from '../taxonomy';
import {
  countOverlap,
  exportCsv,
  exportHtmlReport,
  exportJsonl,
  exportXlsx,
  type Dataset,
  type ItemReviewExport,
  type ScoredItem,
} from '../transcripts';
import { downloadBlob, downloadText, exportBaseName } from './download';
import { toUiError, type UiError } from './errors';
import { byRisk, isFiltering, matches, NO_FILTERS, type Filters } from './filters';
import type { Scorer } from './scorer.svelte';
import { APP_VERSION, type Workspace } from './workspace.svelte';

export interface DialogueRow {
  dialogue: StoredDialogue;
  items: StoredItem[];
  matching: number;
  /** Items of this dialogue with a score. */
  scored: number;
  unsafe: number;
  perClass: number[];
  maxRisk: number | undefined;
}

export interface Summary {
  scored: number;
  unsafe: number;
  distribution: number[];
  agreement?: { n: number; report: ClassificationReport; kappa: number; binaryAccuracy: number };
}

export type ExportKind = 'csv' | 'jsonl' | 'xlsx' | 'html';

/** The results area shows either the 8-class safety results or the crisis view (state/crisis-results). */
export type ResultsView = 'safety' | 'crisis' | 'compare' | 'review' | 'models';

export class Results {
  dataset = $state.raw<Dataset | undefined>(undefined);
  dialogues = $state.raw<StoredDialogue[]>([]);
  items = $state.raw<StoredItem[]>([]);
  /** Stored scores as the model gave them (argmax label); views read `decided`. */
  scores = $state.raw<Map<string, StoredScore>>(new Map());
  /** P(unsafe) at or above which a reply is unsafe, everywhere (decision.ts). */
  threshold = $state(UNSAFE_THRESHOLD);
  /** The scores with labels under the one unsafe decision: what every view, count and export uses. */
  decided = $derived.by(() => {
    const t = this.threshold;
    const out = new Map<string, StoredScore>();
    for (const [id, s] of this.scores) out.set(id, decide(s, t));
    return out;
  });
  filters = $state<Filters>({ ...NO_FILTERS });
  openDialogue = $state<string | undefined>(undefined);
  error = $state.raw<UiError | undefined>(undefined);
  view = $state<ResultsView>('safety');
  /** Evidence for an item's 8-class label, by item id: the reply cut into plain/highlighted segments. */
  evidence = $state.raw<Map<string, Segment[]>>(new Map());
  /** Items of the open dataset found in the 8-class model's training data (undefined until checked). */
  trainingOverlap = $state<number | undefined>(undefined);
  /** Fingerprints of the model's training items (ModelCards), set by the app once loaded. */
  trainingPrints: () => Promise<ReadonlySet<string>> = async () => new Set();
  /** Item whose evidence is being computed. */
  explaining = $state<string | undefined>(undefined);
  /** The review of an item for exports (set by state/review.svelte.ts). */
  reviewOf?: (itemId: string) => ItemReviewExport | undefined;
  #workspace: Workspace;
  #scorer: Scorer;

  constructor(workspace: Workspace, scorer: Scorer) {
    this.#workspace = workspace;
    this.#scorer = scorer;
    scorer.onStored = (datasetId, _model, scores) => this.#merge(datasetId, scores);
  }

  /** New scores from the running job: one Map copy per chunk, not a database read. */
  #merge(datasetId: string, scores: StoredScore[]): void {
    // A dataset being opened keeps its chunks until its records are read (see `open`).
    if (this.#opening?.id === datasetId) this.#opening.early.push(...scores);
    if (this.dataset?.id !== datasetId) return;
    const next = new Map(this.scores);
    for (const s of scores) next.set(s.itemId, s);
    this.scores = next;
  }

  /** The dataset being read by `open`, and score chunks stored for it meanwhile. */
  #opening?: { id: string; early: StoredScore[] };
  /** Id of the dataset `open` is reading; the view shows a loading note, never another dataset's counts. */
  loading = $state<string | undefined>(undefined);

  /**
   * Reads the dataset's dialogues, items and scores, then shows them all at once: the header, the
   * counts and the rows never mix two datasets or show a dataset as empty while it loads.
   */
  async open(dataset: Dataset): Promise<void> {
    const opening = { id: dataset.id, early: [] as StoredScore[] };
    this.#opening = opening;
    this.loading = dataset.id;
    try {
      const db = await this.#workspace.db();
      const [dialogues, items] = await Promise.all([getDialogues(db, dataset.id), getItems(db, dataset.id)]);
      const scores = await this.#readScores(dataset.id);
      // Another dataset may have been opened while these were read.
      if (this.#opening !== opening) return;
      for (const s of opening.early) scores.set(s.itemId, s);
      // A PsyCrisis sheet (A seeker message, B reply) is there for its crisis points; reopening the
      // same dataset (e.g. its Score button) keeps the view the reviewer chose.
      // A comparison (src/lib/compare) opens in its own view.
      if (this.dataset?.id !== dataset.id)
        this.view = dataset.layout === 'pairs' ? 'crisis' : dataset.layout === 'compare' ? 'compare' : 'safety';
      this.openDialogue = undefined;
      this.evidence = new Map();
      this.dataset = dataset;
      this.dialogues = dialogues;
      this.items = items;
      this.scores = scores;
      this.trainingOverlap = undefined;
      void this.#checkOverlap(dataset.id, items);
    } catch (e) {
      if (this.#opening === opening) this.error = toUiError(e);
    } finally {
      if (this.#opening === opening) {
        this.#opening = undefined;
        this.loading = undefined;
      }
    }
  }

  /** Scores of the default model for a dataset (none when the model's identity cannot be read). */
  async #readScores(datasetId: string): Promise<Map<string, StoredScore>> {
    try {
      const model = await this.#scorer.identity();
      return await getScores(await this.#workspace.db(), datasetId, model.storageId);
    } catch (e) {
      this.error = toUiError(e);
      return new Map();
    }
  }

  async #checkOverlap(datasetId: string, items: readonly StoredItem[]): Promise<void> {
    try {
      const n = await countOverlap(items, await this.trainingPrints());
      if (this.dataset?.id === datasetId) this.trainingOverlap = n;
    } catch {
      // Without the card's fingerprints there is nothing to warn about.
    }
  }

  close(): void {
    this.#opening = undefined;
    this.loading = undefined;
    this.dataset = undefined;
    this.dialogues = [];
    this.items = [];
    this.scores = new Map();
  }

  /**
   * Occlusion evidence for one item's label, on demand: the reply and every one-clause-dropped
   * variant go to the worker in one batched call, ranked by the drop in the label's probability.
   */
  async explain(item: StoredItem): Promise<void> {
    if (this.explaining) return;
    this.explaining = item.id;
    try {
      const o = await occlude((xs) => this.#scorer.scoreItems(xs), { context: item.context, response: item.response });
      // The label the view shows (the decided one), not the raw argmax.
      const spans = evidenceSpans(o, predictedClassTarget(decide(o.base, this.threshold)));
      this.evidence = new Map(this.evidence).set(item.id, highlightSegments(item.response, spans));
    } catch (e) {
      this.error = toUiError(e);
    } finally {
      this.explaining = undefined;
    }
  }

  async reloadScores(): Promise<void> {
    const dataset = this.dataset;
    if (!dataset) return;
    try {
      const model = await this.#scorer.identity();
      const scores = await getScores(await this.#workspace.db(), dataset.id, model.storageId);
      if (this.dataset?.id === dataset.id) this.scores = scores;
    } catch (e) {
      this.error = toUiError(e);
    }
  }

  matchingItems = $derived.by(() => {
    const f = this.filters;
    const list = this.items.filter((it) => matches(it, this.decided.get(it.id), f));
    return f.sortByRisk ? byRisk(list, (it) => this.decided.get(it.id)?.pUnsafe) : list;
  });

  /** Dialogues with at least one matching item, with their counts: single passes, as this reruns per stored chunk. */
  rows = $derived.by((): DialogueRow[] => {
    const matching = new Map<string, number>();
    for (const it of this.matchingItems) matching.set(it.dialogueId, (matching.get(it.dialogueId) ?? 0) + 1);
    const rows = new Map<string, DialogueRow>();
    for (const dialogue of this.dialogues) {
      const n = matching.get(dialogue.id);
      if (n)
        rows.set(dialogue.id, {
          dialogue,
          items: [],
          matching: n,
          scored: 0,
          unsafe: 0,
          perClass: new Array<number>(NUM_LABELS).fill(0),
          maxRisk: undefined,
        });
    }
    for (const it of this.items) {
      const row = rows.get(it.dialogueId);
      if (!row) continue;
      row.items.push(it);
      const s = this.decided.get(it.id);
      if (!s) continue;
      row.scored++;
      row.perClass[s.label]++;
      if (s.label !== SAFE_LABEL) row.unsafe++;
      row.maxRisk = Math.max(row.maxRisk ?? 0, s.pUnsafe);
    }
    const kept = [...rows.values()];
    return this.filters.sortByRisk ? byRisk(kept, (r) => r.maxRisk) : kept;
  });

  summary = $derived.by((): Summary => {
    const distribution = new Array<number>(NUM_LABELS).fill(0);
    const gold: number[] = [];
    const pred: number[] = [];
    for (const it of this.items) {
      const s = this.decided.get(it.id);
      if (!s) continue;
      distribution[s.label]++;
      if (it.goldLabel !== undefined) {
        gold.push(it.goldLabel);
        pred.push(s.label);
      }
    }
    const scored = distribution.reduce((a, b) => a + b, 0);
    const summary: Summary = { scored, unsafe: scored - distribution[SAFE_LABEL], distribution };
    if (gold.length > 0) {
      summary.agreement = {
        n: gold.length,
        report: classificationReport(gold, pred, NUM_LABELS),
        kappa: cohenKappa(gold, pred, NUM_LABELS),
        binaryAccuracy: binaryReport(gold, pred, SAFE_LABEL).accuracy,
      };
    }
    return summary;
  });

  /** Exports the items that match the current filters, in the current order. */
  async export(kind: ExportKind): Promise<void> {
    const model = this.#scorer.known;
    const dataset = this.dataset;
    if (!dataset || !model) return;
    try {
      const items: ScoredItem[] = this.matchingItems.map((item) => ({
        item,
        score: this.decided.get(item.id),
        review: this.reviewOf?.(item.id),
      }));
      const provenance = { modelId: model.modelId, modelSha256: model.sha256, appVersion: APP_VERSION, unsafeThreshold: this.threshold };
      const meta = { datasetName: dataset.name, exportedAt: new Date().toISOString() };
      // A filtered export must not overwrite (or be mistaken for) the full one.
      const base = exportBaseName(dataset.name) + (isFiltering(this.filters) ? '-filtered' : '');
      if (kind === 'csv') downloadText(`${base}-xinan.csv`, exportCsv(items, provenance, meta), 'text/csv;charset=utf-8');
      else if (kind === 'jsonl') downloadText(`${base}-xinan.jsonl`, exportJsonl(items, provenance, meta), 'application/x-ndjson');
      else if (kind === 'xlsx') downloadBlob(`${base}-xinan.xlsx`, await exportXlsx(items, provenance, meta));
      else downloadText(`${base}-xinan.html`, exportHtmlReport(items, provenance, meta), 'text/html;charset=utf-8');
    } catch (e) {
      this.error = toUiError(e);
    }
  }
}
