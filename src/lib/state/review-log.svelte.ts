/**
 * The open dataset's review audit log and the reviewer's name, shared by the 8-class review and the
 * crisis view so that reviews are one thing across both. Every change is an appended event, written
 * to IndexedDB before it shows; the current verdicts (`book`) are replayed from the log.
 */
import { mergeLogs, replay, type MergeResult, type ReviewEvent } from '../review';
import { appendEvents, getEvents, getSetting, LEGACY_REVIEWER, mergeEvents, putSetting, REVIEWER_SETTING } from '../storage';
import type { Workspace } from './workspace.svelte';

export class ReviewLog {
  /** The local reviewer; every event carries it. Marks made before names existed belong to 'local'. */
  reviewer = $state(LEGACY_REVIEWER);
  /** Whether the reviewer has chosen a name (the UI asks once). */
  named = $state(false);
  datasetId = $state<string | undefined>(undefined);
  events = $state.raw<ReviewEvent[]>([]);
  book = $derived(replay(this.events));
  /** Called after the reviewer changes (the crisis view re-derives its marks). */
  onReviewer: (() => void)[] = [];
  #workspace: Pick<Workspace, 'db'>;

  constructor(workspace: Pick<Workspace, 'db'>) {
    this.#workspace = workspace;
  }

  async init(): Promise<void> {
    const name = await getSetting(await this.#workspace.db(), REVIEWER_SETTING);
    if (typeof name === 'string' && name.trim()) {
      this.reviewer = name;
      this.named = true;
    }
  }

  async setReviewer(name: string): Promise<void> {
    const n = name.trim();
    if (!n) return;
    await putSetting(await this.#workspace.db(), REVIEWER_SETTING, n);
    this.reviewer = n;
    this.named = true;
    for (const f of this.onReviewer) f();
  }

  /** Loads the dataset's log (again, when asked: e.g. after a restore). */
  async load(datasetId: string): Promise<void> {
    const events = await getEvents(await this.#workspace.db(), datasetId);
    this.datasetId = datasetId;
    this.events = events;
  }

  async ensure(datasetId: string): Promise<void> {
    if (this.datasetId !== datasetId) await this.load(datasetId);
  }

  /** Stores the events, then shows them; a failed write changes nothing shown. */
  async append(events: ReviewEvent[]): Promise<void> {
    if (events.length === 0) return;
    await appendEvents(await this.#workspace.db(), events);
    if (events[0].datasetId === this.datasetId) this.events = mergeLogs(this.events, events).events;
  }

  /** Merges another reviewer's events by id, never overwriting; returns counts for the UI. */
  async merge(datasetId: string, incoming: ReviewEvent[]): Promise<MergeResult> {
    const result = await mergeEvents(await this.#workspace.db(), datasetId, incoming);
    if (datasetId === this.datasetId) this.events = mergeLogs(this.events, result.added).events;
    return result;
  }
}
