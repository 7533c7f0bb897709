/**
 * The scoring engine: one code path for the browser worker and Node (CLI, tests).
 *
 * It loads a model folder through transformers.js with local files only, builds each input the way
 * training did (input.ts), runs length-sorted padded batches, and returns per-class probabilities.
 * The caller owns the environment-specific settings (wasm paths and threads in the browser).
 */
import { AutoConfig, AutoModelForSequenceClassification, AutoTokenizer, Tensor, env } from '@huggingface/transformers';
import type { PreTrainedModel, PreTrainedTokenizer } from '@huggingface/transformers';
import { buildInput, markTurn, type BuiltInput } from './input.ts';
import type { EngineOptions, ItemScore, ScoreItem } from './types.ts';

export interface SafetyEngine {
  readonly labels: string[];
  readonly maxLength: number;
  readonly modelId: string;
  /**
   * config.json `problem_type: "multi_label_classification"` (the crisis points): `probs` are then
   * independent sigmoids, not a softmax, and `pUnsafe` is NaN because there is no safe class.
   */
  readonly multiLabel: boolean;
  /** Scores any number of items; internally split into length-sorted batches of `batchSize`. */
  scoreBatch(items: ScoreItem[], batchSize?: number): Promise<ItemScore[]>;
  /** Input ids as the model sees them (exposed for parity tests and evidence tools). */
  encodeItem(item: ScoreItem): BuiltInput;
  dispose(): Promise<void>;
}

/** Split 'models/xinan-safety-zh' into the folder transformers.js searches and the model id. */
function splitModelPath(modelPath: string): { root: string; id: string } {
  const trimmed = modelPath.replace(/\/+$/, '');
  const cut = trimmed.lastIndexOf('/');
  return cut < 0 ? { root: './', id: trimmed } : { root: trimmed.slice(0, cut + 1), id: trimmed.slice(cut + 1) };
}

export async function loadEngine(opts: EngineOptions): Promise<SafetyEngine> {
  // Transcripts may hold suicidal thoughts: never reach for a hub, never keep a second cached copy.
  env.allowLocalModels = true;
  env.allowRemoteModels = false;
  env.useBrowserCache = false;
  const { root, id } = splitModelPath(opts.modelPath);
  env.localModelPath = root;
  const common = { local_files_only: true, progress_callback: opts.progressCallback };
  const [tokenizer, config, model] = await Promise.all([
    AutoTokenizer.from_pretrained(id, common),
    AutoConfig.from_pretrained(id, common),
    AutoModelForSequenceClassification.from_pretrained(id, {
      ...common,
      dtype: opts.dtype ?? 'q8',
      device: opts.device ?? (typeof window === 'undefined' && typeof self === 'undefined' ? 'cpu' : 'wasm'),
    }),
  ]);
  const id2label = (config as unknown as { id2label: Record<string, string> }).id2label;
  const labels = Object.keys(id2label)
    .sort((a, b) => Number(a) - Number(b))
    .map((k) => id2label[k]);
  const maxLength = opts.maxLength ?? (tokenizer as unknown as { model_max_length: number }).model_max_length;
  if (!Number.isFinite(maxLength) || maxLength < 8) {
    throw new Error(`${opts.modelPath}: tokenizer_config.json needs a model_max_length (got ${maxLength})`);
  }
  const multiLabel = (config as unknown as { problem_type?: string }).problem_type === 'multi_label_classification';
  return new Engine(tokenizer, model, labels, maxLength, id, multiLabel);
}

class Engine implements SafetyEngine {
  readonly #tokenizer: PreTrainedTokenizer;
  readonly #model: PreTrainedModel;
  readonly #ids: { cls: number; sep: number; pad: number; safe: number };

  constructor(
    tokenizer: PreTrainedTokenizer,
    model: PreTrainedModel,
    readonly labels: string[],
    readonly maxLength: number,
    readonly modelId: string,
    readonly multiLabel = false,
  ) {
    this.#tokenizer = tokenizer;
    this.#model = model;
    const tokenId = (t: string) => {
      const ids = tokenizer.encode(t, { add_special_tokens: false });
      if (ids.length !== 1) throw new Error(`tokenizer lacks the special token ${t}`);
      return ids[0];
    };
    const safe = labels.indexOf('Safe Response');
    this.#ids = { cls: tokenId('[CLS]'), sep: tokenId('[SEP]'), pad: tokenId('[PAD]'), safe };
  }

  #encode(text: string): number[] {
    return this.#tokenizer.encode(text, { add_special_tokens: false });
  }

  encodeItem(item: ScoreItem): BuiltInput {
    const context = item.context.map((t) => this.#encode(markTurn(t.speaker, t.text)));
    const response = this.#encode(markTurn('supporter', item.response));
    return buildInput(context, response, this.maxLength, this.#ids.cls, this.#ids.sep);
  }

  async scoreBatch(items: ScoreItem[], batchSize = 8): Promise<ItemScore[]> {
    const built = items.map((it) => this.encodeItem(it));
    const order = built.map((_, i) => i).sort((a, b) => built[a].inputIds.length - built[b].inputIds.length);
    const out = new Array<ItemScore>(items.length);
    for (let start = 0; start < order.length; start += batchSize) {
      const idx = order.slice(start, start + batchSize);
      const probs = await this.#run(idx.map((i) => built[i]));
      idx.forEach((i, j) => (out[i] = this.#toScore(probs[j], built[i])));
    }
    return out;
  }

  async #run(batch: BuiltInput[]): Promise<number[][]> {
    const width = Math.max(...batch.map((b) => b.inputIds.length));
    const n = batch.length * width;
    const ids = new BigInt64Array(n).fill(BigInt(this.#ids.pad));
    const mask = new BigInt64Array(n);
    const types = new BigInt64Array(n);
    batch.forEach((b, r) => {
      for (let c = 0; c < b.inputIds.length; c++) {
        ids[r * width + c] = BigInt(b.inputIds[c]);
        mask[r * width + c] = 1n;
        types[r * width + c] = BigInt(b.tokenTypeIds[c]);
      }
    });
    const dims = [batch.length, width];
    const { logits } = (await this.#model({
      input_ids: new Tensor('int64', ids, dims),
      attention_mask: new Tensor('int64', mask, dims),
      token_type_ids: new Tensor('int64', types, dims),
    })) as { logits: Tensor };
    const k = this.labels.length;
    const data = logits.data as Float32Array;
    const squash = this.multiLabel ? (xs: number[]) => xs.map(sigmoid) : softmax;
    return batch.map((_, r) => squash(Array.from(data.subarray(r * k, r * k + k))));
  }

  #toScore(probs: number[], b: BuiltInput): ItemScore {
    let label = 0;
    for (let i = 1; i < probs.length; i++) if (probs[i] > probs[label]) label = i;
    const pSafe = this.multiLabel ? NaN : this.#ids.safe >= 0 ? probs[this.#ids.safe] : 0;
    return { probs, label, pUnsafe: 1 - pSafe, truncated: b.truncated, droppedTurns: b.droppedTurns };
  }

  async dispose(): Promise<void> {
    await this.#model.dispose();
  }
}

export function softmax(logits: number[]): number[] {
  const max = Math.max(...logits);
  const exps = logits.map((x) => Math.exp(x - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / sum);
}

export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}
