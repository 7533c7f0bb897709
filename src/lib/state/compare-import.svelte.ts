/**
 * Importing a comparison: one file holding every responder, or one file per responder (matched by
 * dialogue id + turn or by context text) → preview (what matched, what was skipped and why) →
 * confirm → stored as one 'compare' dataset in one transaction. Nothing is stored before confirm.
 */
import {
  buildCompareDataset,
  CompareImportError,
  parseCompareFile,
  parseResponderFiles,
  type CompareParse,
  type MatchBy,
} from '../compare';
import { assertImportSize } from '../transcripts';
import { toUiError, type UiError } from './errors';
import { storePreview } from './store-preview';
import type { Workspace } from './workspace.svelte';

export type CompareImportStatus = 'idle' | 'parsing' | 'preview' | 'saving' | 'error';

/** A comparison import error keeps its code and parameters so the UI can translate it. */
export type CompareError =
  | {
      kind: 'compare';
      code: CompareImportError['code'];
      file: string;
      where?: CompareImportError['where'];
      params: CompareImportError['params'];
    }
  | UiError;

export function toCompareError(e: unknown): CompareError {
  if (e instanceof CompareImportError) return { kind: 'compare', code: e.code, file: e.file, where: e.where, params: e.params };
  return toUiError(e);
}

interface Source {
  name: string;
  bytes: Uint8Array;
}

export class CompareImport {
  status = $state<CompareImportStatus>('idle');
  preview = $state.raw<(CompareParse & { name: string }) | undefined>(undefined);
  error = $state.raw<CompareError | undefined>(undefined);
  /** How per-responder files are matched; 'auto' takes whichever matches more contexts. */
  matchBy = $state<MatchBy | 'auto'>('auto');
  #sources: Source[] = [];
  #workspace: Pick<Workspace, 'db' | 'refresh'>;

  constructor(workspace: Pick<Workspace, 'db' | 'refresh'>) {
    this.#workspace = workspace;
  }

  /** One file: every responder in it; two or more: one file per responder. */
  async fromFiles(files: readonly File[]): Promise<void> {
    await this.#parse(async () => {
      for (const f of files) assertImportSize(f.name, f.size);
      this.#sources = await Promise.all(files.map(async (f) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) })));
    });
  }

  /** Re-reads the same files with another matching rule. */
  async rematch(by: MatchBy | 'auto'): Promise<void> {
    this.matchBy = by;
    if (this.#sources.length > 1) await this.#parse(async () => undefined);
  }

  async #parse(load: () => Promise<void>): Promise<void> {
    this.status = 'parsing';
    this.error = undefined;
    this.preview = undefined;
    try {
      await load();
      const src = this.#sources;
      const parse =
        src.length === 1
          ? await parseCompareFile(src[0].name, src[0].bytes)
          : await parseResponderFiles(src, this.matchBy === 'auto' ? undefined : this.matchBy);
      this.preview = { ...parse, name: src.map((s) => s.name).join(' + ') };
      this.status = 'preview';
    } catch (e) {
      this.status = 'error';
      this.error = toCompareError(e);
    }
  }

  /** Stores the previewed comparison; returns the new dataset's id. */
  async confirm(): Promise<string | undefined> {
    const preview = this.preview;
    if (!preview) return undefined;
    this.status = 'saving';
    try {
      return await storePreview(
        this.#workspace,
        preview.name,
        (meta) => buildCompareDataset(preview, meta),
        () => this.reset(),
      );
    } catch (e) {
      this.status = 'error';
      this.error = toCompareError(e);
      return undefined;
    }
  }

  reset(): void {
    this.status = 'idle';
    this.preview = undefined;
    this.error = undefined;
    this.#sources = [];
  }
}
