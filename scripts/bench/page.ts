/**
 * Runs in headless Chromium: loads one model through the app's InferenceBridge (real worker,
 * real onnxruntime-web) and times it. Results go to `window.benchResult` for the driver.
 */
import { InferenceBridge } from '../../src/lib/inference/bridge.ts';
import type { ScoreItem } from '../../src/lib/inference/types.ts';
import { benchItems } from './items.ts';

export interface BatchTiming {
  items: number;
  items_per_second: number;
  ms_per_item: number;
}

export interface PageResult {
  model: string;
  device: string;
  threads: number;
  cross_origin_isolated: boolean;
  /** Fetch + session creation + warm-up batch, inside the worker. */
  model_load_ms: number;
  warmup_ms: number;
  cold_start_to_first_result_ms: number;
  batch1: BatchTiming;
  batch8: BatchTiming;
}

/** Items scored (and discarded) at each batch size before timing: the first inferences run slower. */
const WARM = 32;

async function time(bridge: InferenceBridge, items: ScoreItem[], batch: number): Promise<BatchTiming> {
  await bridge.score(undefined, items.slice(0, WARM), batch);
  const t0 = performance.now();
  const res = await bridge.score(undefined, items, batch);
  const ms = performance.now() - t0;
  if (res.scores.some((s) => s === null)) throw new Error(`job ended early: ${res.scores.filter((s) => s === null).length} items unscored`);
  return { items: items.length, items_per_second: (items.length * 1000) / ms, ms_per_item: ms / items.length };
}

async function run(modelPath: string, n1: number, n8: number): Promise<PageResult> {
  const bridge = new InferenceBridge();
  const items = benchItems();
  const load = await bridge.load(undefined, { modelPath, device: 'wasm' });
  await bridge.score(undefined, items.slice(0, 1), 1);
  // From navigation start: fetching and compiling the wasm, loading the model, warm-up, first item.
  const coldStart = performance.now();
  const result: PageResult = {
    model: load.modelId,
    device: load.device,
    threads: load.threads,
    cross_origin_isolated: self.crossOriginIsolated,
    model_load_ms: load.loadMs,
    warmup_ms: load.warmMs,
    cold_start_to_first_result_ms: coldStart,
    batch1: await time(bridge, items.slice(0, n1), 1),
    batch8: await time(bridge, items.slice(0, n8), 8),
  };
  bridge.terminate();
  return result;
}

const params = new URLSearchParams(location.search);
const w = window as unknown as { benchResult?: PageResult; benchError?: string };
run(params.get('model') ?? '/models/xinan-safety-zh', Number(params.get('n1') ?? 1000), Number(params.get('n8') ?? 1000)).then(
  (r) => (w.benchResult = r),
  (e: unknown) => (w.benchError = e instanceof Error ? `${e.message}\n${e.stack}` : String(e)),
);
