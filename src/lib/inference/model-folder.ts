/**
 * Checks a model folder brought from disk before anything stores or runs it. Every failure is a
 * ModelFolderError carrying a translatable message that names the file and what is wrong with it.
 *
 * What it checks, and why each check is here:
 * - the files the engine reads (config.json, tokenizer.json, tokenizer_config.json, onnx/model_quantized.onnx
 *   or onnx/model.onnx), none empty, each under a size limit the browser can hold twice in memory;
 * - each JSON file parses (line and column of the first error);
 * - config.json's id2label names the 8 classes of the taxonomy (English or Chinese names, any order: the
 *   scores are put back into taxonomy order), or the folder declares a custom label set
 *   (`"xinan": {"label_set": "custom"}`), which is stored but cannot feed the 8-class views;
 * - tokenizer_config.json has model_max_length and the tokenizer has the special tokens input.ts uses;
 * - the ONNX graph, read with onnx-info.ts (no session is created, so nothing runs before it is accepted):
 *   its inputs are among the three int64 tensors the engine feeds, `logits` has one column per label,
 *   the default-domain opset is one onnxruntime-web runs, and no weights live in external files.
 */
import { msg, type Msg } from '../i18n/msg.ts';
import { LABELS, LABELS_ZH, NUM_LABELS, type LabelId } from '../taxonomy.ts';
import { jsonErrorOffset } from '../transcripts/parse/json-locate.ts';
import { lineColumn } from '../transcripts/parse/json.ts';
import { ONNX_INT64, OnnxFormatError, readOnnxInfo, type OnnxInfo } from './onnx-info.ts';

/** One file of a folder picked from disk, with its path relative to the folder (e.g. 'onnx/model.onnx'). */
export interface FolderFile {
  path: string;
  size: number;
  bytes(): Promise<Uint8Array>;
}

export class ModelFolderError extends Error {
  override name = 'ModelFolderError';
  constructor(
    readonly msg: Msg,
    readonly file?: string,
  ) {
    super(msg.key);
  }
}

export const CONFIG = 'config.json';
export const TOKENIZER = 'tokenizer.json';
export const TOKENIZER_CONFIG = 'tokenizer_config.json';
export const ONNX_Q8 = 'onnx/model_quantized.onnx';
export const ONNX_FP32 = 'onnx/model.onnx';

/** Size limits: the worker holds the weights and the page hashes them, so a file is in memory about twice. */
export const MAX_JSON_BYTES = 8 * 1024 * 1024;
export const MAX_TOKENIZER_BYTES = 64 * 1024 * 1024;
export const MAX_ONNX_BYTES = 512 * 1024 * 1024;

/**
 * Default-domain opsets onnxruntime-web (1.2x/1.3x) runs. 7 is the oldest it supports; 21 is the newest
 * every release since 1.20 supports (newer ones run only on newer runtimes, so they are refused here).
 */
export const MIN_OPSET = 7;
export const MAX_OPSET = 21;
/** Operator domains the runtime has kernels for, besides the default one. */
const KNOWN_DOMAINS = new Set(['', 'com.microsoft']);
/**
 * config.json model_type values transformers.js builds a sequence classifier for (its registry's
 * MODEL_FOR_SEQUENCE_CLASSIFICATION list), less the encoder-decoder and protein ones the input format does not fit.
 */
export const MODEL_TYPES = [
  'bert',
  'roformer',
  'electra',
  'convbert',
  'albert',
  'distilbert',
  'mobilebert',
  'squeezebert',
  'deberta',
  'deberta-v2',
  'mpnet',
  'roberta',
  'xlm-roberta',
  'camembert',
  'modernbert',
  'eurobert',
  'neobert',
];
/**
 * The engine feeds exactly these (engine.ts #run), all int64 [batch, sequence]. A graph may take fewer (transformers.js
 * passes only the inputs the session names), never another.
 */
export const ENGINE_INPUTS = ['input_ids', 'attention_mask', 'token_type_ids'] as const;
/** input.ts builds [CLS] … [SEP] … [SEP] and pads with [PAD]. */
const SPECIAL_TOKENS = ['[CLS]', '[SEP]', '[PAD]'];

export interface CheckedModel {
  /** Folder name, cut to characters safe in ids and file names. */
  name: string;
  sha256: string;
  /** Bytes of all files kept. */
  size: number;
  /** The weights file kept ('onnx/model_quantized.onnx' preferred, run as q8; else 'onnx/model.onnx', fp32). */
  onnxFile: string;
  /** id2label in model order. */
  labels: string[];
  /** Model output index → taxonomy class; null for a declared custom label set. */
  labelMap: LabelId[] | null;
  maxLength: number;
  /** The files to store, with their bytes (already read: they were checked and hashed). */
  files: { path: string; bytes: Uint8Array }[];
  opset: number;
}

const err = (m: Msg, file?: string) => new ModelFolderError(m, file);

/** The folder's files by path, with the folder's own name cut off (webkitRelativePath starts with it). */
export function indexFolder(files: readonly FolderFile[]): Map<string, FolderFile> {
  return new Map(files.map((f) => [f.path.replace(/^\/+/, ''), f]));
}

function parseJson(file: string, bytes: Uint8Array): unknown {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw err(msg('modelNotUtf8', { file }), file);
  }
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    const at = jsonErrorOffset(text);
    const { line, column } = lineColumn(text, at < 0 ? 0 : at);
    throw err(msg('modelBadJson', { file, line, column }), file);
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** Lower case, no spaces, dashes or underscores: 'Safe_Response', 'safe response' and 'SAFE-RESPONSE' are one name. */
const norm = (s: string) => s.toLowerCase().replace(/[\s_-]+/g, '');
const TAXONOMY_NAMES = new Map<string, LabelId>([
  ...LABELS.map((l, i) => [norm(l), i as LabelId] as const),
  ...LABELS_ZH.map((l, i) => [norm(l), i as LabelId] as const),
]);

/** id2label in id order; ids must be 0…k−1 exactly. */
function readLabels(config: Record<string, unknown>): string[] {
  const id2label = config.id2label;
  if (!isObject(id2label)) throw err(msg('modelNoId2label', { file: CONFIG }), CONFIG);
  const keys = Object.keys(id2label);
  const k = keys.length;
  if (k < 2) throw err(msg('modelFewLabels', { file: CONFIG, n: k }), CONFIG);
  const labels: string[] = [];
  for (let i = 0; i < k; i++) {
    const v = id2label[String(i)];
    if (typeof v !== 'string' || !v.trim()) throw err(msg('modelBadLabelId', { file: CONFIG, id: i }), CONFIG);
    labels.push(v);
  }
  return labels;
}

/** Output index → taxonomy class, or the labels that do not name a taxonomy class. */
export function mapToTaxonomy(labels: readonly string[]): { map: LabelId[] } | { unknown: string[]; missing: string[] } {
  const map = labels.map((l) => TAXONOMY_NAMES.get(norm(l)));
  const unknown = labels.filter((_, i) => map[i] === undefined);
  const seen = new Set(map);
  const missing = LABELS.filter((_, i) => !seen.has(i as LabelId));
  if (unknown.length || missing.length || labels.length !== NUM_LABELS) return { unknown, missing: [...missing] };
  return { map: map as LabelId[] };
}

function checkTokenizer(tokenizer: unknown): void {
  if (!isObject(tokenizer) || !isObject(tokenizer.model)) throw err(msg('modelTokenizerNoModel', { file: TOKENIZER }), TOKENIZER);
  const added = Array.isArray(tokenizer.added_tokens) ? tokenizer.added_tokens.map((t) => (isObject(t) ? t.content : undefined)) : [];
  const vocab = tokenizer.model.vocab;
  const inVocab = (tok: string) =>
    isObject(vocab) ? tok in vocab : Array.isArray(vocab) ? vocab.some((p) => Array.isArray(p) && p[0] === tok) : false;
  const lacking = SPECIAL_TOKENS.filter((tok) => !added.includes(tok) && !inVocab(tok));
  if (lacking.length) throw err(msg('modelTokenizerNoSpecial', { file: TOKENIZER, tokens: lacking.join(' ') }), TOKENIZER);
}

function checkOnnx(file: string, info: OnnxInfo, k: number): number {
  if (info.externalData) throw err(msg('modelOnnxExternal', { file }), file);
  for (const domain of info.opsets.keys()) {
    if (!KNOWN_DOMAINS.has(domain)) throw err(msg('modelOnnxDomain', { file, domain }), file);
  }
  const opset = info.opsets.get('');
  if (opset === undefined || opset < MIN_OPSET || opset > MAX_OPSET) {
    throw err(msg('modelOnnxOpset', { file, opset: opset ?? '–', min: MIN_OPSET, max: MAX_OPSET }), file);
  }
  const fed: readonly string[] = ENGINE_INPUTS;
  for (const input of info.inputs) {
    if (!fed.includes(input.name)) throw err(msg('modelOnnxInputUnknown', { file, name: input.name, fed: fed.join(', ') }), file);
    if (input.elemType !== ONNX_INT64) throw err(msg('modelOnnxInputType', { file, name: input.name }), file);
    if (input.dims.length !== 2) throw err(msg('modelOnnxInputRank', { file, name: input.name, rank: input.dims.length }), file);
  }
  if (!info.inputs.some((i) => i.name === 'input_ids')) throw err(msg('modelOnnxNoInputIds', { file }), file);
  const logits = info.outputs.find((o) => o.name === 'logits');
  if (!logits) throw err(msg('modelOnnxNoLogits', { file }), file);
  const cols = logits.dims.at(-1);
  if (typeof cols === 'number' && cols !== k) throw err(msg('modelOnnxLogitsSize', { file, n: cols, k }), file);
  return opset;
}

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** A name usable as an id and a file name: the folder's name, or 'model'. */
export function safeModelName(folder: string): string {
  const cut = folder
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, 64);
  return cut || 'model';
}

async function readChecked(f: FolderFile, limit: number): Promise<Uint8Array> {
  if (f.size === 0) throw err(msg('modelFileEmpty', { file: f.path }), f.path);
  if (f.size > limit) throw err(msg('modelFileTooBig', { file: f.path, mb: (f.size / 2 ** 20).toFixed(1), max: limit / 2 ** 20 }), f.path);
  return f.bytes();
}

/** Checks the folder; returns what to store, or throws ModelFolderError naming the file and the problem. */
export async function checkModelFolder(folderName: string, files: readonly FolderFile[]): Promise<CheckedModel> {
  const byPath = indexFolder(files);
  for (const file of [CONFIG, TOKENIZER, TOKENIZER_CONFIG]) {
    if (!byPath.has(file)) throw err(msg('modelMissingFile', { file }), file);
  }
  const onnx = byPath.get(ONNX_Q8) ?? byPath.get(ONNX_FP32);
  if (!onnx) throw err(msg('modelMissingOnnx', { q8: ONNX_Q8, fp32: ONNX_FP32 }), ONNX_Q8);

  const configBytes = await readChecked(byPath.get(CONFIG)!, MAX_JSON_BYTES);
  const config = parseJson(CONFIG, configBytes);
  if (!isObject(config)) throw err(msg('modelJsonNotObject', { file: CONFIG }), CONFIG);
  if (typeof config.model_type !== 'string' || !MODEL_TYPES.includes(config.model_type)) {
    throw err(msg('modelUnsupportedType', { file: CONFIG, type: String(config.model_type ?? '–'), types: MODEL_TYPES.join(', ') }), CONFIG);
  }
  const labels = readLabels(config);
  const multi = config.problem_type === 'multi_label_classification';
  const declaredCustom = isObject(config.xinan) && config.xinan.label_set === 'custom';
  const mapped = mapToTaxonomy(labels);
  if (!declaredCustom && multi) throw err(msg('modelMultiLabel', { file: CONFIG }), CONFIG);
  if (!declaredCustom && !('map' in mapped)) {
    const { unknown, missing } = mapped;
    throw err(
      msg('modelLabelsNotTaxonomy', { file: CONFIG, unknown: unknown.join(', ') || '–', missing: missing.join(', ') || '–' }),
      CONFIG,
    );
  }
  const labelMap: LabelId[] | null = declaredCustom || !('map' in mapped) ? null : mapped.map;

  const tokConfigBytes = await readChecked(byPath.get(TOKENIZER_CONFIG)!, MAX_JSON_BYTES);
  const tokConfig = parseJson(TOKENIZER_CONFIG, tokConfigBytes);
  if (!isObject(tokConfig)) throw err(msg('modelJsonNotObject', { file: TOKENIZER_CONFIG }), TOKENIZER_CONFIG);
  const maxLength = tokConfig.model_max_length;
  if (typeof maxLength !== 'number' || !Number.isInteger(maxLength) || maxLength < 8 || maxLength > 8192) {
    throw err(msg('modelNoMaxLength', { file: TOKENIZER_CONFIG }), TOKENIZER_CONFIG);
  }
  const tokBytes = await readChecked(byPath.get(TOKENIZER)!, MAX_TOKENIZER_BYTES);
  checkTokenizer(parseJson(TOKENIZER, tokBytes));

  const onnxBytes = await readChecked(onnx, MAX_ONNX_BYTES);
  let info: OnnxInfo;
  try {
    info = readOnnxInfo(onnxBytes);
  } catch (e) {
    if (e instanceof OnnxFormatError) throw err(msg('modelOnnxBroken', { file: onnx.path, offset: e.offset }), onnx.path);
    throw e;
  }
  const opset = checkOnnx(onnx.path, info, labels.length);

  const kept = [
    { path: CONFIG, bytes: configBytes },
    { path: TOKENIZER, bytes: tokBytes },
    { path: TOKENIZER_CONFIG, bytes: tokConfigBytes },
    { path: onnx.path, bytes: onnxBytes },
  ];
  return {
    name: safeModelName(folderName),
    sha256: await sha256Hex(onnxBytes),
    size: kept.reduce((s, f) => s + f.bytes.length, 0),
    onnxFile: onnx.path,
    labels,
    labelMap,
    maxLength,
    files: kept,
    opset,
  };
}
