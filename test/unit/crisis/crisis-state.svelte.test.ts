import { flushSync } from 'svelte';
import { describe, expect, it } from 'vitest';
import { highlightSegments } from '../../../src/lib/inference/evidence.ts';
import type { ScoreFn } from '../../../src/lib/inference/evidence.ts';
import type { ItemScore, ScoreItem } from '../../../src/lib/inference/types.ts';
import { CrisisState, type CrisisInput } from '../../../src/lib/state/crisis.svelte.ts';

const s = (probs: number[]): ItemScore => ({ probs, label: 0, pUnsafe: NaN, truncated: false, droppedTurns: 0 });

/** Known answers: risk when the reply asks about 自杀, empathy when it says 难受; seeker risk when 想死. */
function fakes() {
  const calls = { crisis: 0, seeker: 0 };
  const crisis: ScoreFn = async (items: ScoreItem[]) => {
    calls.crisis++;
    return items.map((it) => s([it.response.includes('难受') ? 0.8 : 0.1, 0.1, 0.2, it.response.includes('自杀') ? 0.9 : 0.05, 0.1]));
  };
  const seekerRisk: ScoreFn = async (items: ScoreItem[]) => {
    calls.seeker++;
    return items.map((it) => s([it.context[0].text.includes('想死') ? 0.95 : 0.05]));
  };
  return { calls, crisis, seekerRisk };
}

const ITEMS: CrisisInput[] = [
  { id: 'a', context: [], seeker: '我想死', reply: '你一定很难受。你有自杀的想法吗？' },
  { id: 'b', context: [], seeker: '今天天气不错', reply: '是啊。' },
];

describe('CrisisState', () => {
  it('scores, lists only risky seeker turns, and totals the points at the threshold', async () => {
    const f = fakes();
    const st = new CrisisState({ crisis: f.crisis, seekerRisk: f.seekerRisk });
    await st.score(ITEMS);
    expect(st.phase).toBe('ready');
    expect(st.listed.map((x) => x.id)).toEqual(['a']);
    expect(st.points.get('a')?.points).toEqual([1, 0, 0, 1, 0]);
    st.threshold = 0.85;
    flushSync();
    expect(st.points.get('a')?.total).toBe(1);
    expect(f.calls).toEqual({ crisis: 1, seeker: 1 });
  });

  it('computes evidence on demand in one call, highlights it, and caches it', async () => {
    const f = fakes();
    const st = new CrisisState({ crisis: f.crisis });
    await st.score(ITEMS);
    expect(st.listed).toHaveLength(2); // no seeker model: everything is listed
    expect(st.segments('a', 'risk')).toBeNull();
    await st.explain('a');
    await st.explain('a');
    expect(f.calls.crisis).toBe(2); // scoring pass + one evidence call
    expect(st.segments('a', 'risk')).toEqual([
      { text: '你一定很难受。', hit: false },
      { text: '你有自杀的想法吗？', hit: true },
    ]);
    expect(st.segments('a', 'regulation')).toEqual([{ text: ITEMS[0].reply, hit: false }]); // point 0: no spans
    const table = st.table('m');
    expect(table[1][table[0].indexOf('evidence_risk')]).toBe('你有自杀的想法吗？');
  });

  it('keeps marks apart from scores and feeds agreement', async () => {
    const f = fakes();
    const st = new CrisisState({ crisis: f.crisis, seekerRisk: f.seekerRisk });
    const saved: number[] = [];
    st.onMarks = (m) => saved.push(m.size);
    await st.score(ITEMS);
    st.mark('a', 'risk', 'correct');
    st.mark('a', 'empathy', 'wrong');
    flushSync();
    expect(saved).toEqual([1, 2]);
    expect(st.agreement.risk).toMatchObject({ reviewed: 1, accuracy: 1 });
    expect(st.agreement.empathy).toMatchObject({ reviewed: 1, accuracy: 0 });
    expect(st.scores.get('a')?.probs[0]).toBe(0.8); // the model's output is untouched
  });

  it('turns a scorer failure into error state', async () => {
    const st = new CrisisState({ crisis: async () => Promise.reject(new Error('model missing')) });
    await st.score(ITEMS);
    expect(st.phase).toBe('error');
    expect(st.error).toBe('model missing');
  });
});

describe('highlightSegments', () => {
  it('merges overlapping spans and keeps every character once', () => {
    const segs = highlightSegments('一二三四五', [
      { text: '二三', start: 1, end: 3 },
      { text: '三四', start: 2, end: 4 },
    ]);
    expect(segs).toEqual([
      { text: '一', hit: false },
      { text: '二三四', hit: true },
      { text: '五', hit: false },
    ]);
    expect(highlightSegments('', [])).toEqual([]);
  });
});

describe('bridgeScorer', () => {
  it('loads the model path once per call through the bridge, then scores; a cancelled job is an error', async () => {
    const { bridgeScorer } = await import('../../../src/lib/state/crisis.svelte.ts');
    const loads: string[] = [];
    let cancelled = false;
    const bridge = {
      load: async (_s: AbortSignal | undefined, req: { modelPath: string }) => {
        loads.push(req.modelPath);
        return { modelId: 'm', labels: [], maxLength: 256, device: 'cpu' as const, threads: 1, loadMs: 1, warmMs: 1 };
      },
      score: async (_s: AbortSignal | undefined, items: ScoreItem[]) => ({
        jobId: 1,
        cancelled,
        scores: items.map((_, i) => (cancelled && i > 0 ? null : s([0.7]))),
      }),
    };
    const score = bridgeScorer(bridge, '/models/x');
    expect((await score(ITEMS.map((it) => ({ context: [], response: it.reply })))).map((x) => x.probs)).toEqual([[0.7], [0.7]]);
    expect(loads).toEqual(['/models/x']);
    cancelled = true;
    await expect(score(ITEMS.map((it) => ({ context: [], response: it.reply })))).rejects.toThrow(/cancelled/);
  });
});
