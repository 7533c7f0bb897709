/**
 * Results of one dataset for the loaded model: dialogues with per-class and unsafe counts,
 * filters, summary metrics against gold labels, and export of the filtered items.
 */
import { evidenceSpans, highlightSegments, occlude, predictedClassTarget, type Segment } from '../inference/evidence';
import { binaryReport, classificationReport, cohenKappa, type ClassificationReport } from '../metrics';
import { getDialogues, getItems, getScores, type StoredDialogue, type StoredItem, type StoredScore } from '../storage';
import { NUM_LABELS, SAFE_LABEL } from '../taxonomy';
import { exportCsv, exportHtmlReport, exportJsonl, type Dataset, type ItemReviewExport, type ScoredItem } from '../transcripts';
import { downloadText, exportBaseName } from './download';
import { toUiError, type UiError } from './errors';
import { byRisk, matches, NO_FILTERS, type Filters } from './filters';
import type { Scorer } from './scorer.svelte';
import { APP_VERSION, type Workspace } from './workspace.svelte';

export interface DialogueRow {
  dialogue: StoredDialogue;
  items: StoredItem[];
  matching: number;
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

export type ExportKind = 'csv' | 'jsonl' | 'html';

/** The results area shows either the 8-class safety results or the crisis view (state/crisis-results). */
export type ResultsView = 'safety' | 'crisis' | 'compare' | 'review';

export class Results {
  dataset = $state.raw<Dataset | undefined>(undefined);
  dialogues = $state.raw<StoredDialogue[]>([]);
  items = $state.raw<StoredItem[]>([]);
  scores = $state.raw<Map<string, StoredScore>>(new Map());
  filters = $state<Filters>({ ...NO_FILTERS });
  openDialogue = $state<string | undefined>(undefined);
  error = $state.raw<UiError | undefined>(undefined);
  view = $state<ResultsView>('safety');
  /** Evidence for an item's 8-class label, by item id: the reply cut into plain/highlighted segments. */
  evidence = $state.raw<Map<string, Segment[]>>(new Map());
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
    if (this.dataset?.id !== datasetId) return;
    const next = new Map(this.scores);
    for (const s of scores) next.set(s.itemId, s);
    this.scores = next;
  }

  async open(dataset: Dataset): Promise<void> {
    // A PsyCrisis sheet (A seeker message, B reply) is there for its crisis points; reopening the
    // same dataset (e.g. its Score button) keeps the view the reviewer chose.
    // A comparison (src/lib/compare) opens in its own view.
    if (this.dataset?.id !== dataset.id) this.view = dataset.layout === 'pairs' ? 'crisis' : dataset.layout === 'compare' ? 'compare' : 'safety';
    this.dataset = dataset;
    this.openDialogue = undefined;
    this.evidence = new Map();
    const db = await this.#workspace.db();
    const [dialogues, items] = await Promise.all([getDialogues(db, dataset.id), getItems(db, dataset.id)]);
    // Another dataset may have been opened while these were read.
    if (this.dataset?.id !== dataset.id) return;
    this.dialogues = dialogues;
    this.items = items;
    this.scores = new Map();
    await this.reloadScores();
  }

  close(): void {
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
      const spans = evidenceSpans(o, predictedClassTarget(o.base));
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
    const list = this.items.filter((it) => matches(it, this.scores.get(it.id), f));
    return f.sortByRisk ? byRisk(list, (it) => this.scores.get(it.id)?.pUnsafe) : list;
  });

  /** Dialogues with at least one matching item, with their counts: single passes, as this reruns per stored chunk. */
  rows = $derived.by((): DialogueRow[] => {
    const matching = new Map<string, number>();
    for (const it of this.matchingItems) matching.set(it.dialogueId, (matching.get(it.dialogueId) ?? 0) + 1);
    const rows = new Map<string, DialogueRow>();
    for (const dialogue of this.dialogues) {
      const n = matching.get(dialogue.id);
      if (n) rows.set(dialogue.id, { dialogue, items: [], matching: n, unsafe: 0, perClass: new Array<number>(NUM_LABELS).fill(0), maxRisk: undefined });
    }
    for (const it of this.items) {
      const row = rows.get(it.dialogueId);
      if (!row) continue;
      row.items.push(it);
      const s = this.scores.get(it.id);
      if (!s) continue;
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
      const s = this.scores.get(it.id);
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
  export(kind: ExportKind): void {
    const model = this.#scorer.known;
    const dataset = this.dataset;
    if (!dataset || !model) return;
    try {
      const items: ScoredItem[] = this.matchingItems.map((item) => ({ item, score: this.scores.get(item.id), review: this.reviewOf?.(item.id) }));
      const provenance = { modelId: model.modelId, modelSha256: model.sha256, appVersion: APP_VERSION };
      const meta = { datasetName: dataset.name, exportedAt: new Date().toISOString() };
      const base = exportBaseName(dataset.name);
      if (kind === 'csv') downloadText(`${base}-xinan.csv`, exportCsv(items, provenance, meta), 'text/csv;charset=utf-8');
      else if (kind === 'jsonl') downloadText(`${base}-xinan.jsonl`, exportJsonl(items, provenance, meta), 'application/x-ndjson');
      else downloadText(`${base}-xinan.html`, exportHtmlReport(items, provenance, meta), 'text/html;charset=utf-8');
    } catch (e) {
      this.error = toUiError(e);
    }
  }
}
