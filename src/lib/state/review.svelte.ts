/**
 * The 8-class review of the open dataset: per-reply decisions (confirm the model, set a class, unsure,
 * note), the review queue and its keyboard-driven position, blind mode, agreement between every pair
 * of label sources, adjudication, and the review file. Decisions are events in the shared ReviewLog.
 */
import { crisisCsv } from '../inference/crisis-export';
import {
  adjudicateEvent,
  buildQueue,
  classEvent,
  compareSources,
  eventsForDataset,
  eventsFromTable,
  finalSource,
  fleissKappa,
  itemHistory,
  noteEvent,
  parseReviewFile,
  reviewers,
  reviewerSource,
  reviewTable,
  toReviewFile,
  ReviewFileError,
  type ClassValue,
  type FleissResult,
  type ItemVerdict,
  type LabelSource,
  type PairAgreement,
  type QueueOrder,
  type ReviewEvent,
  type ReviewedScore,
  pointAt,
  thresholdCurve,
} from '../review';
import { getSetting, putSetting, thresholdSetting, type StoredItem } from '../storage';
import { NUM_LABELS, SAFE_LABEL, type LabelId } from '../taxonomy';
import { csvRows, type ItemReviewExport } from '../transcripts';
import { xlsxRows } from '../transcripts/parse/xlsx';
import { downloadBlob, downloadText, exportBaseName } from './download';
import { toUiError, type UiError } from './errors';
import type { Results } from './results.svelte';
import type { ReviewLog } from './review-log.svelte';
import type { Scorer } from './scorer.svelte';
import type { Workspace } from './workspace.svelte';

/** A label source in the agreement panel: 'model', 'gold', 'final' or `reviewer:<name>`. */
export interface Source {
  key: string;
  kind: 'model' | 'gold' | 'final' | 'reviewer';
  name: string;
  labels: LabelSource;
}

export interface Pair {
  a: Source;
  b: Source;
  agreement: PairAgreement;
}

export interface Disagreement {
  item: StoredItem;
  /** Source key → label, for every source that labelled the item. */
  labels: Map<string, number>;
  final?: LabelId;
}

export type ReviewFileKind = 'json' | 'csv' | 'xlsx';
const BLIND_SETTING = 'reviewBlind';

/** A string table as one "review" sheet, every cell text (write-excel-file, MIT, loaded on demand). */
async function tableXlsx(table: string[][]): Promise<Blob> {
  const { default: writeXlsxFile } = await import('write-excel-file/universal');
  const data = table.map((row, r) => row.map((value) => ({ value, type: String, ...(r === 0 ? { fontWeight: 'bold' as const } : {}) })));
  return writeXlsxFile(data, { sheet: 'review', stickyRowsCount: 1 }).toBlob();
}

export class ReviewState {
  /** Model output hidden until the reviewer commits (per item). */
  blind = $state(false);
  order = $state<QueueOrder>('risk');
  unreviewedOnly = $state(false);
  disagreeOnly = $state(false);
  /** Agreement over blind decisions only. */
  blindAgreement = $state(false);
  /** The queue's item ids, fixed until rebuilt, so reviewing an item does not move the cursor. */
  ids = $state.raw<string[]>([]);
  index = $state(0);
  /** Item whose history is shown. */
  historyOf = $state<string | undefined>(undefined);
  error = $state.raw<UiError | undefined>(undefined);
  fileError = $state.raw<ReviewFileError | undefined>(undefined);
  imported = $state.raw<{ added: number; conflicts: number; reviewers: string[] } | undefined>(undefined);
  /** The P(unsafe) threshold being tuned, and the one stored for the dataset. */
  threshold = $state(0.5);
  savedThreshold = $state<number | undefined>(undefined);
  readonly log: ReviewLog;
  #results: Results;
  #scorer: Pick<Scorer, 'known'>;
  #workspace: Pick<Workspace, 'db'>;

  constructor(workspace: Pick<Workspace, 'db'>, results: Results, log: ReviewLog, scorer: Pick<Scorer, 'known'>) {
    this.#workspace = workspace;
    this.#results = results;
    this.log = log;
    this.#scorer = scorer;
    results.reviewOf = (id) => this.exportOf(id);
  }

  async init(): Promise<void> {
    try {
      await this.log.init();
      this.blind = (await getSetting(await this.#workspace.db(), BLIND_SETTING)) === true;
    } catch (e) {
      this.error = toUiError(e);
    }
  }

  async setBlind(on: boolean): Promise<void> {
    this.blind = on;
    await putSetting(await this.#workspace.db(), BLIND_SETTING, on).catch((e: unknown) => (this.error = toUiError(e)));
  }

  /** Loads the open dataset's log; call when a dataset opens. */
  async open(datasetId: string): Promise<void> {
    try {
      await this.log.ensure(datasetId);
      this.rebuild();
      const stored = await getSetting(await this.#workspace.db(), thresholdSetting(datasetId));
      if (this.#results.dataset?.id !== datasetId) return;
      this.savedThreshold = typeof stored === 'number' ? stored : undefined;
      this.threshold = this.savedThreshold ?? 0.5;
      if (this.savedThreshold !== undefined) this.#results.threshold = this.savedThreshold;
    } catch (e) {
      this.error = toUiError(e);
    }
  }

  mine = $derived.by((): Map<string, ItemVerdict> => this.log.book.byReviewer.get(this.log.reviewer) ?? new Map());

  verdict(id: string): ItemVerdict | undefined {
    return this.mine.get(id);
  }

  /** Items with a class decision (or unsure) by this reviewer: "reviewed n / N". */
  progress = $derived.by(() => {
    const mine = this.mine;
    let n = 0;
    for (const it of this.#results.items) if (mine.get(it.id)?.value !== undefined) n++;
    return { reviewed: n, total: this.#results.items.length };
  });

  /** Whether the model's output may be shown for the item: always, unless blind and not yet decided. */
  revealed(id: string): boolean {
    return !this.blind || this.verdict(id)?.value !== undefined;
  }

  rebuild(): void {
    const results = this.#results;
    const reviewed = new Map<string, number | 'unsure'>();
    for (const [id, v] of this.mine) if (v.value !== undefined) reviewed.set(id, v.value);
    const items = results.items.map((it) => {
      const s = results.decided.get(it.id);
      return s ? { id: it.id, probs: s.probs.slice(0, NUM_LABELS), label: s.label, pUnsafe: s.pUnsafe } : { id: it.id };
    });
    const currentId = this.ids[this.index];
    this.ids = buildQueue(items, this.order, reviewed, { unreviewedOnly: this.unreviewedOnly, disagreeOnly: this.disagreeOnly }).map(
      (x) => x.id,
    );
    const at = currentId ? this.ids.indexOf(currentId) : -1;
    this.index = at >= 0 ? at : Math.min(this.index, Math.max(0, this.ids.length - 1));
  }

  #itemsById = $derived.by(() => new Map(this.#results.items.map((it) => [it.id, it])));

  current = $derived(this.#itemsById.get(this.ids[this.index] ?? ''));

  item(id: string): StoredItem | undefined {
    return this.#itemsById.get(id);
  }

  move(delta: number): void {
    if (this.ids.length === 0) return;
    this.index = Math.max(0, Math.min(this.ids.length - 1, this.index + delta));
  }

  #common(itemId: string) {
    const datasetId = this.#results.dataset?.id;
    if (!datasetId) throw new Error('no dataset open');
    const known = this.#scorer.known;
    const score = this.#results.decided.get(itemId);
    const model = known ? { id: known.modelId, sha256: known.sha256, ...(score ? { label: score.label } : {}) } : undefined;
    return { reviewer: this.log.reviewer, datasetId, itemId, model, blind: !this.revealed(itemId) };
  }

  async #append(events: ReviewEvent[]): Promise<boolean> {
    this.error = undefined;
    try {
      await this.log.append(events);
      return true;
    } catch (e) {
      this.error = toUiError(e);
      return false;
    }
  }

  /** Sets the reviewer's class (or unsure, or clears with null). */
  async decide(itemId: string, value: ClassValue | null): Promise<boolean> {
    const before = this.verdict(itemId)?.value ?? null;
    if (before === value) return true;
    return this.#append([classEvent(this.#common(itemId), before, value)]);
  }

  /** Confirms the model's label; refused while the model is hidden (blind: commit your own class first). */
  async confirm(itemId: string): Promise<boolean> {
    const score = this.#results.decided.get(itemId);
    if (!score || !this.revealed(itemId)) return false;
    return this.decide(itemId, score.label as LabelId);
  }

  async note(itemId: string, text: string): Promise<boolean> {
    const before = this.verdict(itemId)?.note ?? null;
    const after = text.trim() ? text.trim() : null;
    if (before === after) return true;
    return this.#append([noteEvent(this.#common(itemId), before, after)]);
  }

  history(itemId: string): ReviewEvent[] {
    return itemHistory(this.log.events, itemId);
  }

  /** Label sources present for the open dataset. */
  sources = $derived.by((): Source[] => {
    const results = this.#results;
    const out: Source[] = [];
    const model = new Map<string, number>();
    for (const it of results.items) {
      const s = results.decided.get(it.id);
      if (s) model.set(it.id, s.label);
    }
    if (model.size) out.push({ key: 'model', kind: 'model', name: 'model', labels: model });
    const gold = new Map(results.items.flatMap((it) => (it.goldLabel === undefined ? [] : [[it.id, it.goldLabel] as [string, number]])));
    if (gold.size) out.push({ key: 'gold', kind: 'gold', name: 'gold', labels: gold });
    const book = this.log.book;
    // The local reviewer first, then the others by name, so pairs read the same on every device.
    const names = reviewers(this.log.events).sort((a, b) =>
      a === this.log.reviewer ? -1 : b === this.log.reviewer ? 1 : a < b ? -1 : a > b ? 1 : 0,
    );
    for (const r of names) {
      const labels = reviewerSource(book, r, this.blindAgreement);
      if (labels.size) out.push({ key: `reviewer:${r}`, kind: 'reviewer', name: r, labels });
    }
    const final = finalSource(book);
    if (final.size) out.push({ key: 'final', kind: 'final', name: 'final', labels: final });
    return out;
  });

  /** Every pair of sources that share at least one item (reviewer pairs first). */
  pairs = $derived.by((): Pair[] => {
    const s = this.sources;
    const out: Pair[] = [];
    for (let i = 0; i < s.length; i++) {
      for (let j = i + 1; j < s.length; j++) {
        // Gold is the reference when present, then the reviewer.
        const [a, b] = s[j].kind === 'gold' || (s[j].kind === 'reviewer' && s[i].kind === 'model') ? [s[j], s[i]] : [s[i], s[j]];
        const agreement = compareSources(a.labels, b.labels, NUM_LABELS);
        if (agreement.n > 0) out.push({ a, b, agreement });
      }
    }
    return out;
  });

  fleiss = $derived.by((): FleissResult | undefined => {
    const r = this.sources.filter((s) => s.kind === 'reviewer');
    return r.length >= 3
      ? fleissKappa(
          r.map((s) => s.labels),
          NUM_LABELS,
        )
      : undefined;
  });

  /** Items where reviewers disagree with each other, or (one reviewer) with the model. */
  disagreements = $derived.by((): Disagreement[] => {
    const revs = this.sources.filter((s) => s.kind === 'reviewer');
    const model = this.sources.find((s) => s.kind === 'model');
    const compared = revs.length >= 2 ? revs : model ? [...revs, model] : revs;
    const final = this.log.book.final;
    const out: Disagreement[] = [];
    for (const item of this.#results.items) {
      const labels = new Map<string, number>();
      for (const s of compared) {
        const l = s.labels.get(item.id);
        if (l !== undefined) labels.set(s.key, l);
      }
      if (revs.every((s) => !s.labels.has(item.id))) continue;
      if (new Set(labels.values()).size > 1) out.push({ item, labels, final: final.get(item.id)?.label });
    }
    return out;
  });

  async adjudicate(itemId: string, label: LabelId | null): Promise<boolean> {
    const before = this.log.book.final.get(itemId)?.label ?? null;
    if (before === label) return true;
    const d = this.disagreements.find((x) => x.item.id === itemId);
    const sources = d ? Object.fromEntries(d.labels) : undefined;
    const c = this.#common(itemId);
    return this.#append([adjudicateEvent({ ...c, blind: false }, before, label, sources)]);
  }

  /** This reviewer's decided items (unsure excluded) with the model's P(unsafe): the tuning data (raw scores: P(unsafe) does not depend on the threshold). */
  reviewedScores = $derived.by((): ReviewedScore[] => {
    const out: ReviewedScore[] = [];
    for (const [id, v] of this.mine) {
      const s = this.#results.scores.get(id);
      if (s && typeof v.value === 'number') out.push({ pUnsafe: s.pUnsafe, unsafe: v.value !== SAFE_LABEL });
    }
    return out;
  });

  curve = $derived(thresholdCurve(this.reviewedScores));
  thresholdPoint = $derived(pointAt(this.reviewedScores, this.threshold));

  /** Stores the threshold for the dataset (it round-trips through backup) and applies it to the filter. */
  async saveThreshold(): Promise<void> {
    const datasetId = this.#results.dataset?.id;
    if (!datasetId) return;
    try {
      await putSetting(await this.#workspace.db(), thresholdSetting(datasetId), this.threshold);
      this.savedThreshold = this.threshold;
      this.#results.threshold = this.threshold;
    } catch (e) {
      this.error = toUiError(e);
    }
  }

  /** What exports write about the item: this reviewer's decision, note and time, and the final label. */
  exportOf(itemId: string): ItemReviewExport | undefined {
    const v = this.verdict(itemId);
    const final = this.log.book.final.get(itemId);
    if (!v && !final) return undefined;
    return {
      ...(v?.value !== undefined ? { label: v.value } : {}),
      ...(v?.note ? { note: v.note } : {}),
      reviewer: v ? v.reviewer : final!.reviewer,
      at: Math.max(v?.at ?? 0, final?.at ?? 0),
      ...(v?.value !== undefined ? { blind: v.blind ?? false } : {}),
      ...(final ? { final: final.label } : {}),
    };
  }

  /** Downloads the dataset's review log (every reviewer's events) as a review file. */
  async exportFile(kind: ReviewFileKind, withText = false): Promise<void> {
    const dataset = this.#results.dataset;
    if (!dataset) return;
    try {
      const texts = withText ? new Map(this.#results.items.map((it) => [it.id, it.response])) : undefined;
      const file = toReviewFile(this.log.events, {
        datasetName: dataset.name,
        reviewer: this.log.reviewer,
        exportedAt: new Date().toISOString(),
        texts,
      });
      const base = `${exportBaseName(dataset.name)}-review-${exportBaseName(this.log.reviewer)}`;
      if (kind === 'json') downloadText(`${base}.json`, JSON.stringify(file, null, 1), 'application/json');
      // Same CSV rules as the crisis export: BOM for Excel, formula-looking cells escaped.
      else if (kind === 'csv') downloadText(`${base}.csv`, crisisCsv(reviewTable(file)), 'text/csv;charset=utf-8');
      else downloadBlob(`${base}.xlsx`, await tableXlsx(reviewTable(file)));
    } catch (e) {
      this.error = toUiError(e);
    }
  }

  /** Reads a review file (JSON, CSV or XLSX) and merges its events by id; a bad file adds nothing. */
  async importFile(file: File): Promise<void> {
    const dataset = this.#results.dataset;
    if (!dataset) return;
    this.fileError = undefined;
    this.imported = undefined;
    this.error = undefined;
    try {
      const name = file.name.toLowerCase();
      let events;
      if (name.endsWith('.csv')) events = eventsFromTable(csvRows(await file.text()).rows);
      else if (name.endsWith('.xlsx')) events = eventsFromTable(await xlsxRows(new Uint8Array(await file.arrayBuffer()), file.name));
      else events = parseReviewFile(await file.text()).events;
      const local = eventsForDataset({ events }, dataset.id, new Set(this.#results.items.map((it) => it.id)));
      const result = await this.log.merge(dataset.id, local);
      this.imported = { added: result.added.length, conflicts: result.conflicts.length, reviewers: reviewers(result.added) };
      this.rebuild();
    } catch (e) {
      if (e instanceof ReviewFileError) this.fileError = e;
      else this.error = toUiError(e);
    }
  }
}
