/**
 * Models brought from disk in the backup file: each stored model's manifest and every file, base64, so a
 * restored workspace can rescore with them and nothing stored is lost. Kept apart from backup.ts (which
 * only carries the `models` array through): the files live in OPFS, not IndexedDB, and restoring them
 * is additive: a model already stored (same weights) is kept, one in the file is added, none is removed.
 * Before anything is written, each model's weights are hashed and must match the manifest's sha256.
 */
import { msg } from '../i18n/msg.ts';
import { isLabelId } from '../taxonomy.ts';
import { RestoreError } from './errors.ts';
import { listModels, readModelFile, saveModel, type DirLike, type StoredModel } from './models.ts';

export interface BackupModel {
  record: StoredModel;
  /** Every stored file, base64. */
  files: { path: string; data: string }[];
}

const CHUNK = 0x8000;

export function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += CHUNK) s += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  return btoa(s);
}

export function fromBase64(text: string): Uint8Array {
  const s = atob(text);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/** Every stored model with its files, for the backup file. */
export async function modelsForBackup(root: DirLike): Promise<BackupModel[]> {
  const out: BackupModel[] = [];
  for (const record of await listModels(root)) {
    const files = [];
    for (const f of record.files) files.push({ path: f.path, data: toBase64(await readModelFile(root, record.sha256, f.path)) });
    out.push({ record, files });
  }
  return out;
}

const HEX64 = /^[0-9a-f]{64}$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const SAFE_PATH = /^(?:[A-Za-z0-9._-]+\/)*[A-Za-z0-9._-]+$/;

/** Structural check of the backup's `models` (absent in files made before models could be stored). */
export function validateBackupModels(raw: unknown): BackupModel[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) throw new RestoreError(msg('restoreExpArray'), 'models');
  return raw.map((m: unknown, i) => {
    const path = `models[${i}]`;
    const r = (m ?? {}) as { record?: Record<string, unknown>; files?: unknown };
    const rec = r.record;
    if (!rec || typeof rec !== 'object') throw new RestoreError(msg('restoreExpObject'), `${path}.record`);
    for (const key of ['id', 'name', 'sha256', 'onnxFile'] as const) {
      if (typeof rec[key] !== 'string') throw new RestoreError(msg('restoreExpString'), `${path}.record.${key}`);
    }
    if (!HEX64.test(rec.sha256 as string)) throw new RestoreError(msg('restoreModelSha'), `${path}.record.sha256`);
    for (const key of ['size', 'maxLength', 'opset', 'addedAt'] as const) {
      if (!Number.isFinite(rec[key])) throw new RestoreError(msg('restoreExpNumber'), `${path}.record.${key}`);
    }
    if (!Array.isArray(rec.labels) || !rec.labels.every((l) => typeof l === 'string'))
      throw new RestoreError(msg('restoreExpArray'), `${path}.record.labels`);
    if (rec.labelMap !== null && !(Array.isArray(rec.labelMap) && rec.labelMap.every(isLabelId)))
      throw new RestoreError(msg('restoreExpArray'), `${path}.record.labelMap`);
    if (!Array.isArray(r.files)) throw new RestoreError(msg('restoreExpArray'), `${path}.files`);
    const files = r.files.map((f: unknown, j) => {
      const x = (f ?? {}) as { path?: unknown; data?: unknown };
      if (typeof x.path !== 'string' || !SAFE_PATH.test(x.path) || x.path.split('/').includes('..'))
        throw new RestoreError(msg('restoreExpString'), `${path}.files[${j}].path`);
      if (typeof x.data !== 'string' || !BASE64.test(x.data)) throw new RestoreError(msg('restoreModelBase64'), `${path}.files[${j}].data`);
      return { path: x.path, data: x.data };
    });
    if (!files.some((f) => f.path === rec.onnxFile)) throw new RestoreError(msg('restoreModelNoWeights'), `${path}.files`);
    if (!Array.isArray(rec.files)) throw new RestoreError(msg('restoreExpArray'), `${path}.record.files`);
    return { record: rec as unknown as StoredModel, files };
  });
}

/** Decodes and hashes every model (throws RestoreError before writing anything), then stores those not yet stored. */
export async function restoreModels(root: DirLike, models: readonly BackupModel[]): Promise<number> {
  const decoded = [];
  for (const [i, m] of models.entries()) {
    const files = m.files.map((f) => ({ path: f.path, bytes: fromBase64(f.data) }));
    const weights = files.find((f) => f.path === m.record.onnxFile)!;
    const digest = await crypto.subtle.digest('SHA-256', weights.bytes as Uint8Array<ArrayBuffer>);
    const hex = [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
    if (hex !== m.record.sha256) throw new RestoreError(msg('restoreModelHash', { name: m.record.name }), `models[${i}]`);
    decoded.push({ record: m.record, files });
  }
  const have = new Set((await listModels(root)).map((m) => m.sha256));
  let added = 0;
  for (const { record, files } of decoded) {
    if (have.has(record.sha256)) continue;
    await saveModel(root, { ...record, files }, record.addedAt);
    have.add(record.sha256);
    added++;
  }
  return added;
}
