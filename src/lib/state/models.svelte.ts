/**
 * Models brought from disk: pick a folder (an `<input webkitdirectory>` file list, or a directory handle
 * from showDirectoryPicker), check it whole (inference/model-folder.ts), store it in OPFS, load it once in a
 * worker of its own (model-trial.ts), list, remove. A folder that fails a check, or that the runtime cannot
 * load and run, is not kept; the error names the file and what is wrong.
 */
import { msg, type Msg } from '../i18n/msg';
import { checkModelFolder, ModelFolderError, type FolderFile } from '../inference/model-folder';
import { listModels, removeModel, saveModel, type DirLike, type StoredModel } from '../storage';
import { toUiError, type UiError } from './errors';
import { trialLoader, type TrialLoad } from './model-trial';
import { opfsRoot, type OpfsRoot } from './opfs';
import { CHOSEN_KEY, type Scorer } from './scorer.svelte';
import type { Workspace } from './workspace.svelte';

/** A picked folder deeper than this is not a model folder (onnx/ is one level down). */
const MAX_DEPTH = 3;
/** Files read from a picked folder at most (a model folder has four to ten). */
const MAX_FILES = 200;

/** The part of FileSystemDirectoryHandle used to walk a picked folder. */
export interface PickedDir {
  name: string;
  entries(): AsyncIterable<[string, { kind: 'file'; getFile(): Promise<File> } | ({ kind: 'directory' } & PickedDir)]>;
}

export class ModelLibrary {
  list = $state.raw<StoredModel[]>([]);
  error = $state.raw<UiError | undefined>(undefined);
  /** What the last action did, e.g. "stored <name>". */
  notice = $state.raw<Msg | undefined>(undefined);
  busy = $state(false);
  /** No OPFS in this browser: models cannot be stored. */
  unavailable = $state(false);
  #root: OpfsRoot;
  #restored = false;
  #workspace: Workspace;
  #scorer: Scorer;
  #trial: TrialLoad;

  constructor(workspace: Workspace, scorer: Scorer, root: OpfsRoot = opfsRoot, trial: TrialLoad = trialLoader()) {
    this.#workspace = workspace;
    this.#scorer = scorer;
    this.#root = root;
    this.#trial = trial;
  }

  async #dir(): Promise<DirLike> {
    const root = await this.#root();
    if (!root) {
      this.unavailable = true;
      throw new ModelFolderError(msg('modelNoOpfs'));
    }
    return root;
  }

  async refresh(): Promise<void> {
    try {
      const root = await this.#root();
      if (!root) {
        this.unavailable = true;
        return;
      }
      this.list = await listModels(root);
      // A chosen model restored away or removed elsewhere falls back to the bundled one.
      const chosen = this.#scorer.chosen;
      if (chosen && !this.list.some((m) => m.sha256 === chosen.sha256)) await this.#scorer.choose(undefined);
      // After a reload, the model chosen before it (its hash was kept).
      if (!this.#restored) {
        this.#restored = true;
        const saved = typeof localStorage === 'undefined' ? null : localStorage.getItem(CHOSEN_KEY);
        const model = this.list.find((m) => m.sha256 === saved);
        if (model && !this.#scorer.chosen) await this.#scorer.choose(model);
      }
    } catch (e) {
      this.error = toUiError(e);
    }
  }

  /** Files of an `<input type=file webkitdirectory>`: their webkitRelativePath starts with the folder's name. */
  async addFiles(files: readonly File[]): Promise<StoredModel | undefined> {
    const rel = (f: File) => (f as File & { webkitRelativePath?: string }).webkitRelativePath || f.name;
    const first = files.length ? rel(files[0]) : '';
    const folder = first.includes('/') ? first.slice(0, first.indexOf('/')) : '';
    const picked: FolderFile[] = files.slice(0, MAX_FILES).map((f) => {
      const path = rel(f);
      return {
        path: folder && path.startsWith(`${folder}/`) ? path.slice(folder.length + 1) : path,
        size: f.size,
        bytes: async () => new Uint8Array(await f.arrayBuffer()),
      };
    });
    return this.#add(folder, picked);
  }

  /** A folder from showDirectoryPicker (File System Access API). */
  async addDirectory(dir: PickedDir): Promise<StoredModel | undefined> {
    const files: FolderFile[] = [];
    const walk = async (d: PickedDir, prefix: string, depth: number): Promise<void> => {
      for await (const [name, entry] of d.entries()) {
        if (files.length >= MAX_FILES) return;
        if (entry.kind === 'file') {
          const file = await entry.getFile();
          files.push({ path: prefix + name, size: file.size, bytes: async () => new Uint8Array(await file.arrayBuffer()) });
        } else if (depth < MAX_DEPTH) await walk(entry, `${prefix}${name}/`, depth + 1);
      }
    };
    this.busy = true;
    try {
      await walk(dir, '', 1);
    } catch (e) {
      this.error = toUiError(e);
      this.busy = false;
      return undefined;
    }
    return this.#add(dir.name, files);
  }

  async #add(folder: string, files: FolderFile[]): Promise<StoredModel | undefined> {
    this.busy = true;
    this.error = undefined;
    this.notice = undefined;
    try {
      const checked = await checkModelFolder(folder, files);
      const bundled = await this.#scorer.bundledIdentity().catch(() => undefined);
      if (bundled?.sha256 === checked.sha256) throw new ModelFolderError(msg('modelIsBundled', { name: bundled.modelId }));
      const dir = await this.#dir();
      const stored = await saveModel(dir, checked);
      // The worker reads the model from OPFS, so it is stored first and removed again if it does not run.
      await this.#trial(stored).catch(async (e: unknown) => {
        await removeModel(dir, stored.sha256).catch(() => undefined);
        throw e;
      });
      this.notice = msg('modelStored', { name: stored.name });
      await this.refresh();
      return stored;
    } catch (e) {
      this.error = toUiError(e);
      return undefined;
    } finally {
      this.busy = false;
    }
  }

  /** How many replies this model has scored, over all datasets (removal asks first when there are any). */
  async scoreCount(model: StoredModel): Promise<number> {
    return (await this.#workspace.db()).countFromIndex('scores', 'byModel', model.id);
  }

  /** Removes the model's files; its scores stay (the model-vs-model view still reads them). */
  async remove(model: StoredModel): Promise<void> {
    this.error = undefined;
    this.notice = undefined;
    if (this.#scorer.busy && this.#scorer.chosen?.sha256 === model.sha256) {
      this.error = toUiError(new ModelFolderError(msg('modelBusy')));
      return;
    }
    try {
      if (this.#scorer.chosen?.sha256 === model.sha256) await this.#scorer.choose(undefined);
      await removeModel(await this.#dir(), model.sha256);
      this.notice = msg('modelRemoved', { name: model.name });
    } catch (e) {
      this.error = toUiError(e);
    } finally {
      await this.refresh();
    }
  }
}
