/**
 * Stored models in OPFS (an in-memory directory with the same methods): store, list, refuse a duplicate,
 * leave nothing after a failed write, read back, remove; and the backup form of stored models: validated,
 * hashed, restored additively, and a tampered file refused before anything is written.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkModelFolder, type FolderFile } from '../../../src/lib/inference/model-folder.ts';
import { MANIFEST_FILE } from '../../../src/lib/inference/model-paths.ts';
import { fromBase64, modelsForBackup, restoreModels, toBase64, validateBackupModels } from '../../../src/lib/storage/backup-models.ts';
import { RestoreError, StorageFullError } from '../../../src/lib/storage/errors.ts';
import { clearModels, listModels, ModelStoreError, readModelFile, removeModel, saveModel } from '../../../src/lib/storage/models.ts';
import { MemDir } from '../../helpers/opfs.ts';

const V1 = 'test/fixtures/models/xinan-safety-zh-v1';
const FILES = ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model_quantized.onnx'];
/** Byte equality without a per-element deep compare (the weights are 7.5 MB). */
const same = (x: Uint8Array, y: Uint8Array) => Buffer.from(x).equals(Buffer.from(y));
const v1Folder = (): FolderFile[] =>
  FILES.map((path) => {
    const bytes = new Uint8Array(readFileSync(`${V1}/${path}`));
    return { path, size: bytes.length, bytes: async () => bytes };
  });

describe('OPFS model store', async () => {
  const checked = await checkModelFolder('xinan-safety-zh-v1', v1Folder());

  it('stores the files and a manifest, lists it with id, sha256 and size, reads files back byte for byte', async () => {
    const root = new MemDir();
    const stored = await saveModel(root, checked, 1000);
    expect(stored).toMatchObject({
      id: `xinan-safety-zh-v1@${checked.sha256.slice(0, 16)}`,
      name: 'xinan-safety-zh-v1',
      sha256: checked.sha256,
      size: checked.size,
      addedAt: 1000,
    });
    expect(await listModels(root)).toEqual([stored]);
    expect(root.paths().sort()).toEqual(
      [
        'models/',
        `models/${checked.sha256}/`,
        ...[...FILES, MANIFEST_FILE].map((f) => `models/${checked.sha256}/${f}`),
        `models/${checked.sha256}/onnx/`,
      ].sort(),
    );
    for (const path of FILES) {
      expect(same(await readModelFile(root, checked.sha256, path), new Uint8Array(readFileSync(`${V1}/${path}`))), path).toBe(true);
    }
  });

  it('refuses the same weights twice, naming the stored model', async () => {
    const root = new MemDir();
    await saveModel(root, checked);
    const e = await saveModel(root, checked).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ModelStoreError);
    expect((e as ModelStoreError).msg).toEqual({ key: 'modelAlreadyStored', params: { name: 'xinan-safety-zh-v1' } });
  });

  it('a write that fails part-way (disk full) leaves no folder behind and says storage is full', async () => {
    const root = new MemDir({ writesLeft: 2 });
    await expect(saveModel(root, checked)).rejects.toBeInstanceOf(StorageFullError);
    expect(root.paths()).toEqual(['models/']);
    expect(await listModels(root)).toEqual([]);
  });

  it('a folder without a manifest (an unfinished write) is not listed, and storing again replaces it', async () => {
    const root = new MemDir();
    const models = await root.getDirectoryHandle('models', { create: true });
    await (await models.getDirectoryHandle(checked.sha256, { create: true })).getFileHandle('config.json', { create: true });
    expect(await listModels(root)).toEqual([]);
    await saveModel(root, checked);
    expect(await listModels(root)).toHaveLength(1);
  });

  it('removes one model, or all', async () => {
    const root = new MemDir();
    await saveModel(root, checked);
    await removeModel(root, checked.sha256);
    expect(await listModels(root)).toEqual([]);
    expect(root.paths()).toEqual(['models/']);
    await saveModel(root, checked);
    await clearModels(root);
    expect(root.paths()).toEqual(['models/']);
  });

  it('base64 round-trips every byte value', () => {
    const all = new Uint8Array(70000).map((_, i) => (i * 7) % 256);
    expect(same(fromBase64(toBase64(all)), all)).toBe(true);
  });

  it('backup form: validated, restored additively with the same bytes, and a model already there is kept', async () => {
    const root = new MemDir();
    const stored = await saveModel(root, checked, 5);
    const backup = JSON.parse(JSON.stringify({ models: await modelsForBackup(root) })) as { models: unknown };
    const models = validateBackupModels(backup.models);
    expect(models.map((m) => m.record)).toEqual([stored]);
    const fresh = new MemDir();
    expect(await restoreModels(fresh, models)).toBe(1);
    expect(await listModels(fresh)).toEqual([stored]);
    for (const path of FILES) {
      expect(same(await readModelFile(fresh, checked.sha256, path), await readModelFile(root, checked.sha256, path)), path).toBe(true);
    }
    expect(await restoreModels(fresh, models)).toBe(0);
    expect(validateBackupModels(undefined)).toEqual([]);
  });

  it('a damaged model in a backup is refused before anything is written', async () => {
    const root = new MemDir();
    await saveModel(root, checked);
    const [m] = await modelsForBackup(root);
    const weights = m.files.findIndex((f) => f.path === m.record.onnxFile);
    const bytes = fromBase64(m.files[weights].data);
    bytes[100] ^= 1;
    const tampered = { ...m, files: m.files.map((f, i) => (i === weights ? { ...f, data: toBase64(bytes) } : f)) };
    const fresh = new MemDir();
    const e = await restoreModels(fresh, [tampered]).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(RestoreError);
    expect((e as RestoreError).msg.params?.detail).toEqual({ key: 'restoreModelHash', params: { name: 'xinan-safety-zh-v1' } });
    expect(fresh.paths()).toEqual([]);
    // Structural checks name the record.
    const bad = (x: unknown) => {
      try {
        validateBackupModels(x);
      } catch (err) {
        return (err as RestoreError).path;
      }
      return 'accepted';
    };
    expect(bad({})).toBe('models');
    expect(bad([{ ...m, record: { ...m.record, sha256: 'xyz' } }])).toBe('models[0].record.sha256');
    expect(bad([{ ...m, files: [{ path: '../../etc', data: '' }] }])).toBe('models[0].files[0].path');
    expect(bad([{ ...m, files: m.files.filter((_, i) => i !== weights) }])).toBe('models[0].files');
    expect(bad([{ ...m, files: [{ path: 'a', data: '!!' }, ...m.files] }])).toBe('models[0].files[0].data');
  });
});
