/**
 * The model library through its rune class, with an in-memory OPFS and fake-indexeddb: a folder picked
 * with <input webkitdirectory> (File objects with webkitRelativePath) is checked and stored; a broken one
 * gives its specific error and stores nothing, and so does one that passes the checks but does not run (the
 * trial load, given here; the e2e runs the real one in the worker); a folder from showDirectoryPicker (a
 * directory handle) is walked the same way; choosing a stored model makes it the scorer's model; removing it keeps its scores.
 */
import { readFileSync } from 'node:fs';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runtimeLoadMsg } from '../../src/lib/inference/load-error.ts';
import { ModelFolderError } from '../../src/lib/inference/model-folder.ts';
import type { TrialLoad } from '../../src/lib/state/model-trial.ts';
import { ModelLibrary, type PickedDir } from '../../src/lib/state/models.svelte.ts';
import { Scorer } from '../../src/lib/state/scorer.svelte.ts';
import { Workspace } from '../../src/lib/state/workspace.svelte.ts';
import { putScores } from '../../src/lib/storage/scores.ts';
import { opfsParts } from '../../src/lib/inference/worker/opfs-fetch.ts';
import { MemDir } from '../helpers/opfs.ts';

const V1 = 'test/fixtures/models/xinan-safety-zh-v1';
const FILES = ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model_quantized.onnx', 'README.md'];

/** Files as <input webkitdirectory> gives them: the path starts with the folder's own name. */
function picked(folder: string, over: Record<string, string> = {}): File[] {
  return FILES.map((path) => {
    const f = new File([over[path] ?? readFileSync(`${V1}/${path}`)], path.split('/').pop()!);
    Object.defineProperty(f, 'webkitRelativePath', { value: `${folder}/${path}` });
    return f;
  });
}

/** A directory handle as showDirectoryPicker returns it. */
function handle(name: string, prefix = ''): PickedDir {
  const here = FILES.filter((p) => p.startsWith(prefix) && !p.slice(prefix.length).includes('/'));
  const subdirs = [
    ...new Set(
      FILES.filter((p) => p.startsWith(prefix) && p.slice(prefix.length).includes('/')).map((p) => p.slice(prefix.length).split('/')[0]),
    ),
  ];
  return {
    name,
    async *entries() {
      for (const p of here)
        yield [p.slice(prefix.length), { kind: 'file' as const, getFile: async () => new File([readFileSync(`${V1}/${p}`)], p) }];
      for (const d of subdirs) yield [d, { kind: 'directory' as const, ...handle(d, `${prefix}${d}/`) }];
    },
  };
}

describe('ModelLibrary', () => {
  let root: MemDir;
  let workspace: Workspace;
  let scorer: Scorer;
  let models: ModelLibrary;
  /** Models the trial load was asked to run, and what it answers (undefined: it runs). */
  let trials: string[];
  let trialError: Error | undefined;
  const trial: TrialLoad = async (m) => {
    trials.push(m.sha256);
    if (trialError) throw trialError;
  };

  beforeEach(() => {
    vi.stubGlobal('indexedDB', new IDBFactory());
    root = new MemDir();
    workspace = new Workspace(() => Promise.resolve(root));
    scorer = new Scorer(workspace);
    // The bundled model's identity is read over HTTP in the app; here it is given.
    scorer.bundledIdentity = () =>
      Promise.resolve({ modelId: 'xinan-safety-zh', sha256: 'ab'.repeat(32), storageId: 'xinan-safety-zh@abab', placeholder: false });
    trials = [];
    trialError = undefined;
    models = new ModelLibrary(workspace, scorer, () => Promise.resolve(root), trial);
  });
  afterEach(() => vi.unstubAllGlobals());

  it('stores a picked folder under its name; a broken one stores nothing and says which file', async () => {
    const bad = await models.addFiles(picked('broken', { 'tokenizer_config.json': '{"model_max_length": 12' }));
    expect(bad).toBeUndefined();
    expect(models.error).toMatchObject({
      kind: 'message',
      msg: { key: 'modelBadJson', params: { file: 'tokenizer_config.json', line: 1 } },
    });
    expect(root.paths().filter((p) => !p.endsWith('/'))).toEqual([]);
    expect(models.list).toEqual([]);

    const stored = await models.addFiles(picked('xinan-safety-zh-v1'));
    expect(models.error).toBeUndefined();
    expect(stored?.name).toBe('xinan-safety-zh-v1');
    expect(models.list.map((m) => m.id)).toEqual([stored!.id]);
    expect(models.notice).toEqual({ key: 'modelStored', params: { name: 'xinan-safety-zh-v1' } });
    // The same weights again: refused, naming the stored one.
    await models.addFiles(picked('copy'));
    expect(models.error).toMatchObject({ msg: { key: 'modelAlreadyStored', params: { name: 'xinan-safety-zh-v1' } } });
    expect(models.list).toHaveLength(1);
  });

  it('a folder that passes the checks but does not run is removed again, with the runtime error named', async () => {
    const file = 'onnx/model_quantized.onnx';
    const ortText = "Can't create a session. ERROR_CODE: 6, ERROR_MESSAGE: No Op registered for MatMulIntegex with domain_version of 14";
    trialError = new ModelFolderError(runtimeLoadMsg(file, new Error(ortText)), file);
    expect(await models.addFiles(picked('xinan-safety-zh-v1'))).toBeUndefined();
    expect(trials).toHaveLength(1);
    expect(models.error).toMatchObject({ msg: { key: 'modelRunOp', params: { file, op: 'MatMulIntegex', opset: 14 } } });
    expect(models.error).toMatchObject({ message: expect.stringContaining('uses the operator MatMulIntegex (opset 14)') });
    expect(root.paths().filter((p) => !p.endsWith('/'))).toEqual([]);
    expect(models.list).toEqual([]);
    expect(models.notice).toBeUndefined();
    // Nothing was left behind: the same folder, once it runs, is stored.
    trialError = undefined;
    const stored = await models.addFiles(picked('xinan-safety-zh-v1'));
    expect(stored?.name).toBe('xinan-safety-zh-v1');
    expect(trials).toEqual([stored!.sha256, stored!.sha256]);
  });

  it('walks a folder from the directory picker, including onnx/', async () => {
    const stored = await models.addDirectory(handle('picked-v1'));
    expect(models.error).toBeUndefined();
    expect(stored?.files.map((f) => f.path).sort()).toEqual([
      'config.json',
      'onnx/model_quantized.onnx',
      'tokenizer.json',
      'tokenizer_config.json',
    ]);
  });

  it('choosing a stored model makes every view read its scores; removing it keeps them and falls back to the bundled one', async () => {
    const stored = (await models.addFiles(picked('xinan-safety-zh-v1')))!;
    await scorer.choose(stored);
    expect(scorer.known).toMatchObject({ modelId: 'xinan-safety-zh-v1', storageId: stored.id, sha256: stored.sha256 });
    expect((await scorer.identity()).storageId).toBe(stored.id);
    const db = await workspace.db();
    await putScores(db, 'd', stored.id, [
      { itemId: 'i1', score: { probs: [0, 0, 0, 0, 0, 0, 0, 1], label: 7, pUnsafe: 0, truncated: false, droppedTurns: 0 } },
    ]);
    expect(await models.scoreCount(stored)).toBe(1);
    await models.remove(stored);
    expect(models.list).toEqual([]);
    expect(scorer.chosen).toBeUndefined();
    expect((await scorer.identity()).storageId).toBe('xinan-safety-zh@abab');
    expect(await db.count('scores')).toBe(1);
  });

  it('the worker reads only paths under /opfs-models/, never a parent directory', () => {
    expect(opfsParts('/opfs-models/abc/onnx/model_quantized.onnx')).toEqual(['abc', 'onnx', 'model_quantized.onnx']);
    expect(opfsParts('http://localhost:4173/opfs-models/abc/config.json')).toEqual(['abc', 'config.json']);
    expect(opfsParts('/models/xinan-safety-zh/config.json')).toBeUndefined();
    expect(opfsParts('/opfs-models/../secret')).toBeUndefined();
  });
});
