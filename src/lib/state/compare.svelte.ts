/**
 * The comparison view of a 'compare' dataset: per-responder summaries, the paired comparison of two
 * chosen responders, and the long-form export. It reads what the other rune classes already hold for
 * the open dataset — 8-class scores (Results), crisis points and verdicts (CrisisResults) — plus the
 * reviewers' labels from the reviews store, so nothing is scored or stored twice.
 */
import {
  compareHtmlReport,
  comparePair,
  longCsv,
  longTable,
  longXlsx,
  observe,
  respondersOf,
  summarize,
  type LongRow,
  type Observation,
  type ReportChart,
} from '../compare';
import { CRISIS_DIMENSIONS, type CrisisDimension } from '../inference/crisis';
import { getReviews, type Review } from '../storage';
import type { CrisisResults } from './crisis-results.svelte';
import { downloadBlob, downloadText, exportBaseName } from './download';
import { toUiError, type UiError } from './errors';
import type { Results } from './results.svelte';
import type { Scorer } from './scorer.svelte';
import { APP_VERSION, type Workspace } from './workspace.svelte';

export type CompareExportKind = 'csv' | 'xlsx';

export class CompareResults {
  /** Reviews of the open dataset by item id (the reviewer's own class overrides the model's). */
  reviews = $state.raw<Map<string, Review>>(new Map());
  a = $state<string | undefined>(undefined);
  b = $state<string | undefined>(undefined);
  error = $state.raw<UiError | undefined>(undefined);
  /** The five crisis points, in the crisis model's output order. */
  readonly dimensions = CRISIS_DIMENSIONS;
  #workspace: Pick<Workspace, 'db'>;
  #results: Results;
  #crisis: CrisisResults;
  #scorer: Scorer;
  #datasetId?: string;

  constructor(workspace: Pick<Workspace, 'db'>, results: Results, crisis: CrisisResults, scorer: Scorer) {
    this.#workspace = workspace;
    this.#results = results;
    this.#crisis = crisis;
    this.#scorer = scorer;
  }

  /** Loads the dataset's reviews and starts (or reuses) its crisis scoring. */
  async open(): Promise<void> {
    const dataset = this.#results.dataset;
    const items = this.#results.items;
    if (!dataset || items[0]?.datasetId !== dataset.id) return;
    if (this.#datasetId !== dataset.id) {
      this.#datasetId = dataset.id;
      const rs = dataset.responders ?? [];
      this.a = rs[0];
      this.b = rs[1];
    }
    this.error = undefined;
    try {
      const reviews = await getReviews(await this.#workspace.db(), dataset.id);
      if (this.#results.dataset?.id === dataset.id) this.reviews = new Map(reviews.map((r) => [r.itemId, r]));
    } catch (e) {
      this.error = toUiError(e);
    }
    await this.#crisis.open(dataset, items);
  }

  /** Crisis phase for the view: points appear once the crisis models have scored. */
  crisisPhase = $derived.by(() => (this.#crisis.datasetId === this.#results.dataset?.id ? (this.#crisis.state?.phase ?? 'idle') : 'idle'));

  #crisisPoints = $derived.by(() => (this.#crisis.datasetId === this.#results.dataset?.id ? this.#crisis.state?.points : undefined));

  #verdicts(itemId: string): Partial<Record<CrisisDimension, 'correct' | 'wrong'>> | undefined {
    const marks = this.#crisis.state?.marks;
    if (!marks || this.#crisis.datasetId !== this.#results.dataset?.id) return this.reviews.get(itemId)?.crisis;
    const out: Partial<Record<CrisisDimension, 'correct' | 'wrong'>> = {};
    for (const d of CRISIS_DIMENSIONS) {
      const m = marks.get(`${itemId}\u0000${d}`);
      if (m) out[d] = m.verdict;
    }
    return out;
  }

  /** One observation per reply of the open dataset, reviewer overrides applied. */
  observations = $derived.by((): Observation[] => {
    const scores = this.#results.scores;
    const points = this.#crisisPoints;
    return this.#results.items.flatMap((it) => {
      if (it.responder === undefined || it.contextId === undefined) return [];
      return [
        observe({
          contextId: it.contextId,
          responder: it.responder,
          itemId: it.id,
          modelLabel: scores.get(it.id)?.label,
          reviewLabel: this.reviews.get(it.id)?.label,
          modelCrisis: points?.get(it.id)?.points,
          verdicts: this.#verdicts(it.id),
        }),
      ];
    });
  });

  responders = $derived.by(() => this.#results.dataset?.responders ?? respondersOf(this.observations));
  summaries = $derived(this.responders.map((r) => summarize(r, this.observations)));
  pair = $derived(
    this.a !== undefined && this.b !== undefined && this.a !== this.b ? comparePair(this.a, this.b, this.observations) : undefined,
  );
  /** Replies by item id, for the side-by-side list. */
  replies = $derived.by(() => new Map(this.#results.items.map((it) => [it.id, it.response])));

  /** Saves a chart (SVG/PNG) or any other blob the view produces. */
  download(name: string, blob: Blob): void {
    downloadBlob(name, blob);
  }

  /** The HTML report, with the charts as the view drew them (serialized SVG, passed in by the panel). */
  exportHtml(charts: readonly ReportChart[]): void {
    const dataset = this.#results.dataset;
    if (!dataset) return;
    try {
      const items = this.#results.items;
      const html = compareHtmlReport({
        datasetName: dataset.name,
        exportedAt: new Date().toISOString(),
        appVersion: APP_VERSION,
        safetyModel: this.#scorer.known?.storageId ?? '',
        crisisModel: this.#crisis.crisisModel?.storageId ?? '',
        summaries: this.summaries,
        pair: this.pair,
        charts,
        replies: this.replies,
        contexts: new Map(items.map((it) => [it.contextId ?? '', it.context.map((c) => `[${c.speaker}]${c.text}`).join('')])),
      });
      downloadText(`${exportBaseName(dataset.name)}-xinan-compare.html`, html, 'text/html;charset=utf-8');
    } catch (e) {
      this.error = toUiError(e);
    }
  }

  async export(kind: CompareExportKind): Promise<void> {
    const dataset = this.#results.dataset;
    if (!dataset) return;
    try {
      const items = new Map(this.#results.items.map((it) => [it.id, it]));
      const crisisScores = this.#crisis.datasetId === dataset.id ? this.#crisis.state?.scores : undefined;
      const rows: LongRow[] = this.observations.map((o) => {
        const it = items.get(o.itemId)!;
        const s = this.#results.scores.get(o.itemId);
        const review = this.reviews.get(o.itemId);
        return {
          observation: o,
          context: it.context,
          reply: it.response,
          probs: s?.probs,
          pUnsafe: s?.pUnsafe,
          crisisProbs: crisisScores?.get(o.itemId)?.probs,
          reviewLabel: review?.label,
          verdicts: this.#verdicts(o.itemId),
        };
      });
      const table = longTable(rows, {
        safetyModel: this.#scorer.known?.storageId ?? '',
        crisisModel: this.#crisis.crisisModel?.storageId ?? '',
        appVersion: APP_VERSION,
      });
      const base = `${exportBaseName(dataset.name)}-xinan-compare`;
      if (kind === 'csv') downloadText(`${base}.csv`, longCsv(table), 'text/csv;charset=utf-8');
      else downloadBlob(`${base}.xlsx`, await longXlsx(table));
    } catch (e) {
      this.error = toUiError(e);
    }
  }
}
