/**
 * Types of the scoring engine, shared by the browser worker, the Node CLI and the app.
 * Plain structured-cloneable data only, so they can cross the comlink boundary.
 */
export type Speaker = 'seeker' | 'supporter';

export interface Turn {
  speaker: Speaker;
  text: string;
}

/** One supporter turn to score, with the turns before it (oldest first). */
export interface ScoreItem {
  context: Turn[];
  /** The supporter's reply, without a speaker marker. */
  response: string;
}

export interface ItemScore {
  /** Per-class probabilities in label-id order (8 for the safety model). */
  probs: number[];
  /** argmax of probs. */
  label: number;
  /** 1 − P(Safe Response). */
  pUnsafe: number;
  /** True when context turns were dropped or the reply itself had to be cut to fit maxLength. */
  truncated: boolean;
  /** How many of the oldest context turns were dropped to fit. */
  droppedTurns: number;
}

export type EngineDevice = 'wasm' | 'webgpu' | 'cpu';
export type EngineDtype = 'q8' | 'fp32';

export interface EngineOptions {
  /**
   * Where the model folder lives. Node: a filesystem directory such as `models/xinan-safety-zh`.
   * Browser: a URL path such as `/models/xinan-safety-zh` on the app's own origin.
   */
  modelPath: string;
  device?: EngineDevice;
  /** q8 loads onnx/model_quantized.onnx (default); fp32 loads onnx/model.onnx. */
  dtype?: EngineDtype;
  /** Token budget per item; defaults to the model's tokenizer_config model_max_length. */
  maxLength?: number;
  /** transformers.js file-progress events, passed through unchanged. */
  progressCallback?: (event: unknown) => void;
}
