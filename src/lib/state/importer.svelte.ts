/**
 * The import flow: file / drop / paste / sample → detect and parse → preview (with skipped records
 * and reasons) → confirm → store in one transaction. Nothing is stored before the user confirms,
 * and a failed import leaves existing data as it was (storage writes all or nothing).
 */
import {
  assertImportSize,
  buildDataset,
  csvRows,
  ImportError,
  parseFile,
  parseTextInput,
  previewTable,
  type TableMapping,
  type ImportResult,
} from '../transcripts';
import { SAMPLE_NAME, sampleFileText } from '../sample/sample';
import { isStorageFull, toUiError, type UiError } from './errors';
import { storePreview } from './store-preview';
import type { Workspace } from './workspace.svelte';

export type ImportStatus = 'idle' | 'parsing' | 'preview' | 'mapping' | 'saving' | 'error';

interface Source {
  name: string;
  bytes?: Uint8Array;
  text?: string;
}

export class Importer {
  status = $state<ImportStatus>('idle');
  preview = $state.raw<(ImportResult & { name: string; itemCount: number; goldCount: number }) | undefined>(undefined);
  error = $state.raw<UiError | undefined>(undefined);
  /** Header row offered in the column-mapping step. */
  headers = $state.raw<string[]>([]);
  #source?: Source;
  #workspace: Workspace;

  constructor(workspace: Workspace) {
    this.#workspace = workspace;
  }

  async fromFile(file: File): Promise<void> {
    await this.#parse(async () => {
      assertImportSize(file.name, file.size);
      this.#source = { name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) };
    });
  }

  async fromText(name: string, text: string): Promise<void> {
    await this.#parse(async () => {
      this.#source = { name, text };
    });
  }

  fromSample(): Promise<void> {
    return this.fromText(SAMPLE_NAME, sampleFileText());
  }

  /** The built-in sample stored at once, without the preview step (the first screen's one-click try); returns its id. */
  async importSample(): Promise<string | undefined> {
    await this.fromSample();
    return this.status === 'preview' ? this.confirm() : undefined;
  }

  /** Re-reads the same source with the user's column mapping. */
  async applyMapping(mapping: TableMapping): Promise<void> {
    await this.#parse(async () => undefined, mapping);
  }

  async #parse(load: () => Promise<void>, mapping?: TableMapping): Promise<void> {
    this.status = 'parsing';
    this.error = undefined;
    this.preview = undefined;
    try {
      await load();
      const src = this.#source!;
      const result: ImportResult = src.bytes
        ? await parseFile(src.name, src.bytes, { mapping })
        : parseTextInput(src.name, src.text!, { mapping });
      const records = buildDataset(result, { id: 'preview', name: src.name, sourceFile: src.name, createdAt: 0 });
      this.preview = { ...result, name: src.name, itemCount: records.dataset.itemCount, goldCount: records.dataset.goldCount };
      this.status = 'preview';
    } catch (e) {
      if (e instanceof ImportError && e.code === 'missing-column' && !mapping) {
        this.headers = await this.#headerRow();
        this.status = 'mapping';
      } else this.status = 'error';
      this.error = toUiError(e);
    }
  }

  async #headerRow(): Promise<string[]> {
    const src = this.#source!;
    const rows = src.bytes ? await previewTable(src.name, src.bytes, { rows: 1 }) : csvRows(src.text!).rows;
    return rows[0] ?? [];
  }

  /** Stores the previewed dataset; returns its id. */
  async confirm(): Promise<string | undefined> {
    const preview = this.preview;
    if (!preview) return undefined;
    this.status = 'saving';
    // Asked here, on the user's first import, so the browser does not evict what is about to be stored.
    void this.#workspace.askPersistence();
    try {
      return await storePreview(
        this.#workspace,
        preview.name,
        (meta) => buildDataset(preview, meta),
        () => this.reset(),
      );
    } catch (e) {
      // A full disk keeps the preview: nothing was stored, and once space is freed the same import is one click away.
      this.status = isStorageFull(e) ? 'preview' : 'error';
      this.error = toUiError(e, { action: 'import' });
      return undefined;
    }
  }

  reset(): void {
    this.status = 'idle';
    this.preview = undefined;
    this.error = undefined;
    this.headers = [];
    this.#source = undefined;
  }
}
