/**
 * The checks of a model folder brought from disk: the real v1 model passes; each kind of failure is its
 * own message key naming the file (and line/column, byte offset, input name… where there is one).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EN, ZH } from '../../../src/lib/i18n/messages.ts';
import { enText, formatMsg } from '../../../src/lib/i18n/msg.ts';
import { toTaxonomyScore } from '../../../src/lib/inference/label-map.ts';
import {
  checkModelFolder,
  MAX_ONNX_BYTES,
  MAX_OPSET,
  ModelFolderError,
  safeModelName,
  type FolderFile,
} from '../../../src/lib/inference/model-folder.ts';
import { readOnnxInfo } from '../../../src/lib/inference/onnx-info.ts';
import { LABELS, LABELS_ZH } from '../../../src/lib/taxonomy.ts';
import { onnxModel } from '../../helpers/onnx-proto.ts';

const V1 = 'test/fixtures/models/xinan-safety-zh-v1';
const V1_SHA = '9632ffbd7f41daa9145acf91119240e11d7046dddd1f08aa228840c475564e81';
const read = (f: string) => new Uint8Array(readFileSync(`${V1}/${f}`));
const text = (s: string) => new TextEncoder().encode(s);
const json = (v: unknown) => text(JSON.stringify(v, null, 1));
const config = JSON.parse(readFileSync(`${V1}/config.json`, 'utf8')) as Record<string, unknown>;

/** The v1 folder as picked from disk, with files replaced (a Uint8Array) or removed (null). */
function folder(over: Record<string, Uint8Array | null> = {}, sizes: Record<string, number> = {}): FolderFile[] {
  const base: Record<string, Uint8Array | null> = {
    'config.json': read('config.json'),
    'tokenizer.json': read('tokenizer.json'),
    'tokenizer_config.json': read('tokenizer_config.json'),
    'onnx/model_quantized.onnx': read('onnx/model_quantized.onnx'),
    'README.md': read('README.md'),
    ...over,
  };
  return Object.entries(base).flatMap(([path, bytes]) =>
    bytes ? [{ path, size: sizes[path] ?? bytes.length, bytes: async () => bytes }] : [],
  );
}

/** The failure's message key and parameters, and its English text (what the CLI and logs show). */
async function failure(files: FolderFile[]): Promise<{ key: string; params: Record<string, unknown>; en: string; file?: string }> {
  try {
    await checkModelFolder('m', files);
  } catch (e) {
    expect(e).toBeInstanceOf(ModelFolderError);
    const err = e as ModelFolderError;
    // Both languages render it with every placeholder filled.
    expect(formatMsg(err.msg, ZH)).not.toMatch(/\{\w+\}/);
    return { key: err.msg.key, params: (err.msg.params ?? {}) as Record<string, unknown>, en: enText(err.msg), file: err.file };
  }
  throw new Error('the folder was accepted');
}

describe('model folder checks', () => {
  it('accepts the real v1 model: its labels are the taxonomy in order, its sha256 is the fixture’s', async () => {
    const m = await checkModelFolder('xinan-safety-zh-v1', folder());
    expect(m.sha256).toBe(V1_SHA);
    expect(createHash('sha256').update(read('onnx/model_quantized.onnx')).digest('hex')).toBe(V1_SHA);
    expect(m.name).toBe('xinan-safety-zh-v1');
    expect(m.labelMap).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(m.labels).toEqual([...LABELS]);
    expect(m.maxLength).toBe(128);
    expect(m.opset).toBe(14);
    expect(m.onnxFile).toBe('onnx/model_quantized.onnx');
    // The four files the engine reads are kept; anything else in the folder (README) is not.
    expect(m.files.map((f) => f.path).sort()).toEqual([
      'config.json',
      'onnx/model_quantized.onnx',
      'tokenizer.json',
      'tokenizer_config.json',
    ]);
    expect(m.size).toBe(m.files.reduce((s, f) => s + f.bytes.length, 0));
  });

  it('reads the real graph: three int64 inputs, logits [batch, 8], opset 14', () => {
    const info = readOnnxInfo(read('onnx/model_quantized.onnx'));
    expect(info.inputs.map((i) => [i.name, i.elemType, i.dims])).toEqual([
      ['input_ids', 7, ['batch', 'sequence']],
      ['attention_mask', 7, ['batch', 'sequence']],
      ['token_type_ids', 7, ['batch', 'sequence']],
    ]);
    expect(info.outputs[0]).toEqual({ name: 'logits', elemType: 1, dims: ['batch', 8] });
    expect([...info.opsets]).toEqual([['', 14]]);
    expect(info.externalData).toBe(false);
  });

  it('a missing file is named', async () => {
    for (const file of ['config.json', 'tokenizer.json', 'tokenizer_config.json']) {
      const f = await failure(folder({ [file]: null }));
      expect(f).toMatchObject({ key: 'modelMissingFile', params: { file } });
    }
    const f = await failure(folder({ 'onnx/model_quantized.onnx': null }));
    expect(f.key).toBe('modelMissingOnnx');
    expect(f.en).toContain('onnx/model_quantized.onnx or onnx/model.onnx');
  });

  it('accepts an fp32 onnx/model.onnx when there is no quantized one', async () => {
    const m = await checkModelFolder('fp', folder({ 'onnx/model_quantized.onnx': null, 'onnx/model.onnx': onnxModel() }));
    expect(m.onnxFile).toBe('onnx/model.onnx');
  });

  it('bad JSON says the file, line and column', async () => {
    const f = await failure(folder({ 'config.json': text('{\n "id2label": {\n  "0": "Nonsense",,\n }\n}') }));
    expect(f).toMatchObject({ key: 'modelBadJson', params: { file: 'config.json', line: 3, column: 19 } }); // the second comma
    const g = await failure(folder({ 'tokenizer_config.json': text('{"model_max_length": 128') }));
    expect(g).toMatchObject({ key: 'modelBadJson', params: { file: 'tokenizer_config.json', line: 1 } });
    const h = await failure(folder({ 'tokenizer.json': new Uint8Array([0x7b, 0xff, 0xfe]) }));
    expect(h).toMatchObject({ key: 'modelNotUtf8', params: { file: 'tokenizer.json' } });
  });

  it('id2label must exist, run 0…k−1, and name the taxonomy’s classes', async () => {
    const { id2label: _, ...noLabels } = config;
    expect((await failure(folder({ 'config.json': json(noLabels) }))).key).toBe('modelNoId2label');
    const gap = { ...config, id2label: { 0: 'Nonsense', 2: 'Safe Response' } };
    expect(await failure(folder({ 'config.json': json(gap) }))).toMatchObject({ key: 'modelBadLabelId', params: { id: 1 } });
    const other = { ...config, id2label: { ...(config.id2label as object), 3: 'Rude' } };
    const f = await failure(folder({ 'config.json': json(other) }));
    expect(f).toMatchObject({
      key: 'modelLabelsNotTaxonomy',
      params: { file: 'config.json', unknown: 'Rude', missing: 'Unamiable Judgment' },
    });
    const gpt = { ...config, model_type: 'gpt2' };
    expect(await failure(folder({ 'config.json': json(gpt) }))).toMatchObject({ key: 'modelUnsupportedType', params: { type: 'gpt2' } });
    const multi = { ...config, problem_type: 'multi_label_classification' };
    expect((await failure(folder({ 'config.json': json(multi) }))).key).toBe('modelMultiLabel');
  });

  it('Chinese class names in another order are mapped, and scores come back in taxonomy order', async () => {
    const order = [7, 0, 1, 2, 3, 4, 5, 6];
    const zh = { ...config, id2label: Object.fromEntries(order.map((c, i) => [i, LABELS_ZH[c]])) };
    const m = await checkModelFolder('zh', folder({ 'config.json': json(zh) }));
    expect(m.labelMap).toEqual(order);
    // Output 0 is Safe Response: P = 0.9 → taxonomy class 7, pUnsafe 0.1.
    const s = toTaxonomyScore(
      { probs: [0.9, 0.02, 0.02, 0.02, 0.01, 0.01, 0.01, 0.01], label: 0, pUnsafe: 1, truncated: false, droppedTurns: 0 },
      m.labelMap!,
    );
    expect(s.label).toBe(7);
    expect(s.probs[7]).toBe(0.9);
    expect(s.probs[0]).toBe(0.02);
    expect(s.pUnsafe).toBeCloseTo(0.1, 12);
  });

  it('a declared custom label set is accepted without a taxonomy map', async () => {
    const custom = { ...config, id2label: { 0: 'low', 1: 'high' }, xinan: { label_set: 'custom' } };
    const onnx = onnxModel({ outputs: [{ name: 'logits', elemType: 1, dims: ['batch', 2] }] });
    const m = await checkModelFolder('custom', folder({ 'config.json': json(custom), 'onnx/model_quantized.onnx': onnx }));
    expect(m.labelMap).toBeNull();
    expect(m.labels).toEqual(['low', 'high']);
  });

  it('tokenizer files: model_max_length and the special tokens the input format uses', async () => {
    const f = await failure(folder({ 'tokenizer_config.json': json({ tokenizer_class: 'BertTokenizer' }) }));
    expect(f).toMatchObject({ key: 'modelNoMaxLength', params: { file: 'tokenizer_config.json' } });
    const tok = JSON.parse(readFileSync(`${V1}/tokenizer.json`, 'utf8')) as {
      added_tokens: { content: string }[];
      model: { vocab: Record<string, number> };
    };
    tok.added_tokens = tok.added_tokens.filter((t) => t.content !== '[CLS]');
    delete tok.model.vocab['[CLS]'];
    expect(await failure(folder({ 'tokenizer.json': json(tok) }))).toMatchObject({
      key: 'modelTokenizerNoSpecial',
      params: { tokens: '[CLS]' },
    });
    expect((await failure(folder({ 'tokenizer.json': json({ version: '1.0' }) }))).key).toBe('modelTokenizerNoModel');
  });

  it('ONNX: broken bytes give the offset; inputs, types, opset, logits and external data are checked', async () => {
    const real = read('onnx/model_quantized.onnx');
    const cut = await failure(folder({ 'onnx/model_quantized.onnx': real.subarray(0, 5000) }));
    expect(cut.key).toBe('modelOnnxBroken');
    expect(cut.params.file).toBe('onnx/model_quantized.onnx');
    expect(cut.params.offset).toBeGreaterThan(0);
    const cases: [Uint8Array, string, Record<string, unknown>][] = [
      [onnxModel({ opsets: [['', MAX_OPSET + 1]] }), 'modelOnnxOpset', { opset: MAX_OPSET + 1 }],
      [onnxModel({ opsets: [['', 5]] }), 'modelOnnxOpset', { opset: 5 }],
      [
        onnxModel({
          opsets: [
            ['', 14],
            ['org.example.custom', 1],
          ],
        }),
        'modelOnnxDomain',
        { domain: 'org.example.custom' },
      ],
      [
        onnxModel({ inputs: [{ name: 'input_ids' }, { name: 'pixel_values', elemType: 1, dims: [1, 3, 224, 224] }] }),
        'modelOnnxInputUnknown',
        { name: 'pixel_values' },
      ],
      [onnxModel({ inputs: [{ name: 'input_ids', elemType: 6 }] }), 'modelOnnxInputType', { name: 'input_ids' }],
      [onnxModel({ inputs: [{ name: 'input_ids', dims: ['sequence'] }] }), 'modelOnnxInputRank', { name: 'input_ids', rank: 1 }],
      [onnxModel({ inputs: [{ name: 'attention_mask' }] }), 'modelOnnxNoInputIds', {}],
      [onnxModel({ outputs: [{ name: 'scores', elemType: 1 }] }), 'modelOnnxNoLogits', {}],
      [onnxModel({ outputs: [{ name: 'logits', elemType: 1, dims: ['batch', 5] }] }), 'modelOnnxLogitsSize', { n: 5, k: 8 }],
      [onnxModel({ initializers: [{ name: 'w', external: true }] }), 'modelOnnxExternal', {}],
    ];
    for (const [bytes, key, params] of cases) {
      expect(await failure(folder({ 'onnx/model_quantized.onnx': bytes })), key).toMatchObject({
        key,
        params: { file: 'onnx/model_quantized.onnx', ...params },
      });
    }
    // An IR-3 graph lists its initializers among the inputs: those are not inputs the engine must feed.
    const ir3 = onnxModel({
      irVersion: 3,
      inputs: [{ name: 'input_ids' }, { name: 'w', elemType: 1, dims: [8] }],
      initializers: [{ name: 'w' }],
    });
    await expect(checkModelFolder('ir3', folder({ 'onnx/model_quantized.onnx': ir3 }))).resolves.toMatchObject({ opset: 14 });
  });

  it('empty and oversized files are refused before they are read', async () => {
    expect(await failure(folder({ 'config.json': new Uint8Array() }))).toMatchObject({
      key: 'modelFileEmpty',
      params: { file: 'config.json' },
    });
    const big = await failure(folder({}, { 'onnx/model_quantized.onnx': MAX_ONNX_BYTES + 1 }));
    expect(big).toMatchObject({ key: 'modelFileTooBig', params: { file: 'onnx/model_quantized.onnx', max: 512 } });
  });

  it('every message key exists in both languages', () => {
    for (const k of Object.keys(EN).filter((k) => k.startsWith('model'))) expect(ZH[k as keyof typeof ZH], k).toBeTruthy();
  });

  it('folder names become safe ids', () => {
    expect(safeModelName('my model (v2)')).toBe('my-model-v2');
    expect(safeModelName('模型')).toBe('model');
    expect(safeModelName('../x')).toBe('x');
  });
});
