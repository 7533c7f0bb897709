/**
 * InferenceBridge against the real worker API and engine, with the Worker replaced by one end of a
 * MessageChannel (comlink treats both as endpoints): lazy start, load memo, serial queue,
 * AbortSignal → cooperative cancel, terminate.
 */
import { expose } from 'comlink';
import { afterEach, describe, expect, it } from 'vitest';
import { AbortError, InferenceBridge } from '../../../src/lib/inference/bridge.ts';
import { loadEngine } from '../../../src/lib/inference/engine.ts';
import { createInferenceApi } from '../../../src/lib/inference/worker/api.ts';
import type { ScoreItem } from '../../../src/lib/inference/types.ts';

const MODEL = 'models/xinan-safety-zh';
const items = (n: number): ScoreItem[] =>
  Array.from({ length: n }, (_, i) => ({
    context: [{ speaker: 'seeker', text: `我第${i}天睡不着。` }],
    response: `能说说第${i}天发生了什么吗？`,
  }));

function channelBridge() {
  const started: MessagePort[] = [];
  const bridge = new InferenceBridge(() => {
    const { port1, port2 } = new MessageChannel();
    const api = createInferenceApi({ loadEngine, prepareDevice: async () => ({ device: 'cpu', threads: 1, crossOriginIsolated: false }) });
    expose(api, port1 as unknown as Parameters<typeof expose>[1]);
    started.push(port1);
    // terminate() on a Worker ≈ closing the port here.
    return Object.assign(port2, { terminate: () => (port1.close(), port2.close()) }) as unknown as Worker;
  });
  return { bridge, started };
}

describe('InferenceBridge', () => {
  let bridge: InferenceBridge | undefined;
  afterEach(() => bridge?.terminate());

  it('starts the worker lazily and loads a model once per path', async () => {
    const c = channelBridge();
    bridge = c.bridge;
    expect(c.started).toHaveLength(0);
    const [a, b] = await Promise.all([bridge.load(undefined, { modelPath: MODEL }), bridge.load(undefined, { modelPath: MODEL })]);
    expect(a).toEqual(b);
    expect(c.started).toHaveLength(1);
  });

  it('runs jobs one at a time, in order', async () => {
    bridge = channelBridge().bridge;
    await bridge.load(undefined, { modelPath: MODEL });
    const order: number[] = [];
    await Promise.all([1, 2, 3].map((k) => bridge!.score(undefined, items(4 * k)).then((r) => order.push(r.scores.length))));
    expect(order).toEqual([4, 8, 12]);
  });

  it('an aborted score rejects with AbortError and the worker drops the rest of the job', async () => {
    bridge = channelBridge().bridge;
    await bridge.load(undefined, { modelPath: MODEL });
    const ctrl = new AbortController();
    let maxDone = 0;
    const run = bridge.score(ctrl.signal, items(200), 1, (e) => {
      if (e.type !== 'scoring') return;
      maxDone = Math.max(maxDone, e.done);
      if (e.done === 3) ctrl.abort();
    });
    await expect(run).rejects.toBeInstanceOf(AbortError);
    // The queue waits for the cancelled job to return: had the worker not dropped it, all 200 would be done by now.
    const next = await bridge.score(undefined, items(2));
    expect(next.cancelled).toBe(false);
    expect(maxDone).toBeGreaterThanOrEqual(3);
    expect(maxDone).toBeLessThan(10);
  });

  it('an already aborted signal fails fast without touching the worker', async () => {
    const c = channelBridge();
    bridge = c.bridge;
    const ctrl = new AbortController();
    ctrl.abort();
    await expect(bridge.score(ctrl.signal, items(1))).rejects.toBeInstanceOf(AbortError);
    expect(c.started).toHaveLength(0);
  });

  it('terminate() drops the worker; the next call starts a fresh one that must load again', async () => {
    const c = channelBridge();
    bridge = c.bridge;
    await bridge.load(undefined, { modelPath: MODEL });
    bridge.terminate();
    await expect(bridge.score(undefined, items(1))).rejects.toThrow(/no model loaded/);
    expect(c.started).toHaveLength(2);
  });
});
