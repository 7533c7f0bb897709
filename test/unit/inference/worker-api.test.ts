/**
 * The worker API through comlink over a MessageChannel, in-process, with the real engine and the
 * committed model (Node's onnxruntime instead of the browser's; only device setup is Node's own).
 */
import { proxy, wrap, expose, type Remote } from 'comlink';
import { afterAll, describe, expect, it } from 'vitest';
import { loadEngine } from '../../../src/lib/inference/engine.ts';
import type { ProgressEvent } from '../../../src/lib/inference/protocol.ts';
import { createInferenceApi } from '../../../src/lib/inference/worker/api.ts';
import type { InferenceApi } from '../../../src/lib/inference/worker/index.ts';
import type { ScoreItem } from '../../../src/lib/inference/types.ts';
import { splitMarkedTurns } from '../../../src/lib/inference/input.ts';
import { SAMPLE_RECORDS } from '../../../src/lib/sample/sample.ts';

const MODEL = 'models/xinan-safety-zh';

function connect(): { api: Remote<InferenceApi>; close: () => void } {
  const { port1, port2 } = new MessageChannel();
  const impl = createInferenceApi({
    loadEngine,
    prepareDevice: async () => ({ device: 'cpu', threads: 1, crossOriginIsolated: false }),
  });
  expose(impl, port1 as unknown as Parameters<typeof expose>[1]);
  const api = wrap<InferenceApi>(port2 as unknown as Parameters<typeof wrap>[0]);
  return { api, close: () => (port1.close(), port2.close()) };
}

const item = (i: number): ScoreItem => ({
  context: [{ speaker: 'seeker', text: `我最近压力很大，第${i}次睡不着。` }],
  response: `听起来你很辛苦，愿意多说说第${i}件让你担心的事吗？`,
});

describe('worker API over comlink', () => {
  const { api, close } = connect();
  afterAll(async () => {
    await api.dispose();
    close();
  });

  it('refuses to score before a model is loaded, with a real Error message', async () => {
    await expect(api.score({ jobId: 1, items: [item(0)] })).rejects.toThrow(/no model loaded/);
  });

  it('a failed load is not memoized: the retry with a good path works', async () => {
    await expect(api.load({ modelPath: 'models/does-not-exist' })).rejects.toThrow();
    const events: ProgressEvent[] = [];
    const result = await api.load(
      { modelPath: MODEL },
      proxy((e: ProgressEvent) => void events.push(e)),
    );
    expect(result.labels).toHaveLength(8);
    expect(result.modelId).toBe('xinan-safety-zh');
    expect(result.device).toBe('cpu');
    const phases = events.filter((e) => ['device', 'warming', 'ready'].includes(e.type)).map((e) => e.type);
    expect(phases).toEqual(['device', 'warming', 'ready']);
  });

  it('a second load of the same model returns the memoized result without reloading', async () => {
    const events: ProgressEvent[] = [];
    const a = await api.load({ modelPath: MODEL });
    const b = await api.load(
      { modelPath: MODEL },
      proxy((e: ProgressEvent) => void events.push(e)),
    );
    expect(b).toEqual(a);
    expect(events).toEqual([]);
  });

  it('scores every item in request order, with progress per batch', async () => {
    const items = Array.from({ length: 10 }, (_, i) => item(i));
    const progress: number[] = [];
    const res = await api.score(
      { jobId: 2, items, batchSize: 4 },
      proxy((e: ProgressEvent) => void (e.type === 'scoring' && progress.push(e.done))),
    );
    expect(res.cancelled).toBe(false);
    expect(res.scores).toHaveLength(10);
    expect(progress).toEqual([4, 8, 10]);
    for (const s of res.scores.map((x) => x!)) {
      expect(s.probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      expect(s.label).toBe(s.probs.indexOf(Math.max(...s.probs)));
      expect(s.pUnsafe).toBeCloseTo(1 - s.probs[7], 6);
    }
    // Same input alone gives nearly the same scores. Not exactly: the int8 graph quantizes each
    // activation tensor with one dynamic scale over the whole batch, so batch-mates shift it slightly.
    const single = await api.score({ jobId: 3, items: [items[7]] });
    expect(Math.abs(single.scores[0]!.probs[7] - res.scores[7]!.probs[7])).toBeLessThan(0.02);
    expect(single.scores[0]!.label).toBe(res.scores[7]!.label);
  });

  it('sorts by length inside a job but returns scores in request order', async () => {
    const items: ScoreItem[] = SAMPLE_RECORDS.slice(0, 5).map((r, i) => {
      const context = splitMarkedTurns(r.context);
      // Every other item gets a much longer context, so sorting really reorders the job.
      return { context: i % 2 ? context : [...context, ...context, ...context], response: splitMarkedTurns(r.response)[0].text };
    });
    const together = await api.score({ jobId: 10, items, batchSize: 2 });
    const alone: number[][] = [];
    for (let i = 0; i < items.length; i++) alone.push((await api.score({ jobId: 11 + i, items: [items[i]] })).scores[0]!.probs);
    // int8 dynamic quantization scales per batch, so compare by nearest neighbour, not exact equality.
    const dist = (a: number[], b: number[]) => a.reduce((s, x, k) => s + Math.abs(x - b[k]), 0);
    together.scores.forEach((s, i) => {
      const nearest = alone.map((p) => dist(s!.probs, p)).reduce((best, d, j, all) => (d < all[best] ? j : best), 0);
      expect(nearest).toBe(i);
      expect(dist(s!.probs, alone[i])).toBeLessThan(1e-2);
    });
  });

  it('cancel(jobId) stops the job between batches and returns what was done', async () => {
    const items = Array.from({ length: 64 }, (_, i) => item(i));
    const res = await api.score(
      { jobId: 4, items, batchSize: 2 },
      proxy((e: ProgressEvent) => {
        if (e.type === 'scoring' && e.done === 2) void api.cancel(4);
      }),
    );
    expect(res.cancelled).toBe(true);
    expect(res.scores).toHaveLength(64);
    const reached = res.scores.filter((x) => x !== null).length;
    expect(reached).toBeGreaterThanOrEqual(2);
    expect(reached).toBeLessThan(64);
    // The cancellation belongs to job 4 only: the next job runs to the end.
    expect((await api.score({ jobId: 5, items: items.slice(0, 3) })).cancelled).toBe(false);
  });

  it('rejects a bad batch size with a specific error', async () => {
    await expect(api.score({ jobId: 6, items: [item(1)], batchSize: 0 })).rejects.toThrow(/batchSize must be a positive integer/);
  });
});
