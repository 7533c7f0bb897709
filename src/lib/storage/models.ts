/**
 * Models brought from disk, stored in the origin private file system (OPFS): `models/<sha256>/` holds the
 * checked files (config.json, tokenizer.json, tokenizer_config.json, the ONNX weights) and, written last,
 * the manifest (`StoredModel`). A folder without a manifest is a write that did not finish: it is not
 * listed and is removed when the same model is stored again. Scores made by a model live in IndexedDB
 * under its `id` (name@sha256[:16]), like the bundled model's; removing a model keeps its scores.
 *
 * The directory is passed in (navigator.storage.getDirectory() in the app, an in-memory fake in tests),
 * typed by the few methods used here so both fit.
 */
import { MANIFEST_FILE, OPFS_MODELS_DIR } from '../inference/model-paths.ts';
import type { CheckedModel } from '../inference/model-folder.ts';
import type { LabelId } from '../taxonomy.ts';
import { msg, type Msg } from '../i18n/msg.ts';
import { isQuotaError, StorageFullError } from './errors.ts';

export interface WritableLike {
  write(data: Uint8Array<ArrayBuffer> | string): Promise<void>;
  close(): Promise<void>;
}

export interface FileHandleLike {
  getFile(): Promise<Blob>;
  createWritable(): Promise<WritableLike>;
}

export interface DirLike {
  getDirectoryHandle(name: string, options?: { create?: boolean }): Promise<DirLike>;
  getFileHandle(name: string, options?: { create?: boolean }): Promise<FileHandleLike>;
  removeEntry(name: string, options?: { recursive?: boolean }): Promise<void>;
  keys(): AsyncIterable<string>;
}

export interface StoredModelFile {
  path: string;
  size: number;
}

/**
 * The manifest of a stored model: what the model list shows and what scoring needs. The checked folder's fields
 * (model-folder.ts), with its files reduced to path and size (the bytes live beside the manifest in OPFS).
 */
export interface StoredModel extends Omit<CheckedModel, 'files'> {
  /** Key its scores are stored under: `${name}@${sha256.slice(0, 16)}`, as for the bundled model. */
  id: string;
  files: StoredModelFile[];
  /** Epoch ms. */
  addedAt: number;
}

/** A model could not be stored or read; nothing of it was kept. */
export class ModelStoreError extends Error {
  override name = 'ModelStoreError';
  constructor(readonly msg: Msg) {
    super(msg.key);
  }
}

export function modelStorageId(name: string, sha256: string): string {
  return `${name}@${sha256.slice(0, 16)}`;
}

async function modelsDir(root: DirLike): Promise<DirLike> {
  return root.getDirectoryHandle(OPFS_MODELS_DIR, { create: true });
}

async function exists(dir: DirLike, name: string): Promise<boolean> {
  for await (const k of dir.keys()) if (k === name) return true;
  return false;
}

/** The file at `path` ('onnx/model.onnx') inside `dir`, creating folders on the way when asked. */
async function fileAt(dir: DirLike, path: string, create: boolean): Promise<FileHandleLike> {
  const parts = path.split('/');
  let d = dir;
  for (const p of parts.slice(0, -1)) d = await d.getDirectoryHandle(p, { create });
  return d.getFileHandle(parts[parts.length - 1], { create });
}

async function writeFile(dir: DirLike, path: string, data: Uint8Array | string): Promise<void> {
  const w = await (await fileAt(dir, path, true)).createWritable();
  await w.write(data as Uint8Array<ArrayBuffer> | string);
  await w.close();
}

function isManifest(v: unknown): v is StoredModel {
  const m = v as StoredModel;
  return (
    !!m &&
    typeof m.id === 'string' &&
    typeof m.name === 'string' &&
    typeof m.sha256 === 'string' &&
    typeof m.size === 'number' &&
    typeof m.onnxFile === 'string' &&
    Array.isArray(m.labels) &&
    Array.isArray(m.files)
  );
}

async function readManifest(dir: DirLike, folder: string): Promise<StoredModel | undefined> {
  try {
    const d = await dir.getDirectoryHandle(folder);
    const text = await (await (await d.getFileHandle(MANIFEST_FILE)).getFile()).text();
    const m: unknown = JSON.parse(text);
    return isManifest(m) ? m : undefined;
  } catch {
    return undefined;
  }
}

/** Every stored model, oldest first. */
export async function listModels(root: DirLike): Promise<StoredModel[]> {
  const dir = await modelsDir(root);
  const out: StoredModel[] = [];
  for await (const folder of dir.keys()) {
    const m = await readManifest(dir, folder);
    if (m) out.push(m);
  }
  return out.sort((a, b) => a.addedAt - b.addedAt || a.id.localeCompare(b.id));
}

export interface ModelToStore {
  name: string;
  sha256: string;
  onnxFile: string;
  labels: string[];
  labelMap: LabelId[] | null;
  maxLength: number;
  opset: number;
  files: { path: string; bytes: Uint8Array }[];
}

/**
 * Stores a checked model: its files, then the manifest. Refuses a model already stored (same weights).
 * On any failure the folder is removed again, so nothing half-written is left.
 */
export async function saveModel(root: DirLike, model: ModelToStore, addedAt = Date.now()): Promise<StoredModel> {
  const dir = await modelsDir(root);
  const existing = await readManifest(dir, model.sha256);
  if (existing) throw new ModelStoreError(msg('modelAlreadyStored', { name: existing.name }));
  if (await exists(dir, model.sha256)) await dir.removeEntry(model.sha256, { recursive: true });
  const record: StoredModel = {
    id: modelStorageId(model.name, model.sha256),
    name: model.name,
    sha256: model.sha256,
    size: model.files.reduce((s, f) => s + f.bytes.length, 0),
    onnxFile: model.onnxFile,
    labels: model.labels,
    labelMap: model.labelMap,
    maxLength: model.maxLength,
    opset: model.opset,
    files: model.files.map((f) => ({ path: f.path, size: f.bytes.length })),
    addedAt,
  };
  try {
    const folder = await dir.getDirectoryHandle(model.sha256, { create: true });
    for (const f of model.files) await writeFile(folder, f.path, f.bytes);
    await writeFile(folder, MANIFEST_FILE, JSON.stringify(record));
  } catch (e) {
    await dir.removeEntry(model.sha256, { recursive: true }).catch(() => undefined);
    if (isQuotaError(e)) throw new StorageFullError({ cause: e });
    throw e;
  }
  return record;
}

/** Removes a stored model's files (its scores in IndexedDB stay). */
export async function removeModel(root: DirLike, sha256: string): Promise<void> {
  const dir = await modelsDir(root);
  if (await exists(dir, sha256)) await dir.removeEntry(sha256, { recursive: true });
}

/** Removes every stored model (wipe). */
export async function clearModels(root: DirLike): Promise<void> {
  const dir = await modelsDir(root);
  const names: string[] = [];
  for await (const k of dir.keys()) names.push(k);
  for (const k of names) await dir.removeEntry(k, { recursive: true });
}

/** The bytes of one stored file of a model. */
export async function readModelFile(root: DirLike, sha256: string, path: string): Promise<Uint8Array> {
  const dir = await (await modelsDir(root)).getDirectoryHandle(sha256);
  return new Uint8Array(await (await (await fileAt(dir, path, false)).getFile()).arrayBuffer());
}
