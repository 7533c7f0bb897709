import { describe, expect, it } from 'vitest';
import { CRISIS_DIMENSIONS, crisisItem } from '../../../src/lib/inference/crisis.ts';
import { loadEngine } from '../../../src/lib/inference/engine.ts';
import {
  dimensionTarget,
  evidenceSpans,
  occlude,
  predictedClassTarget,
  rankEvidence,
  splitUnits,
  unsafeTarget,
  withoutUnit,
  type ScoreFn,
} from '../../../src/lib/inference/evidence.ts';
import type { ItemScore, ScoreItem } from '../../../src/lib/inference/types.ts';

describe('splitUnits', () => {
  it('splits clauses at Chinese and ASCII punctuation, keeping marks and closing quotes', () => {
    const reply = '我明白，你很累。你现在安全吗？他说“别怕。”好的!';
    const units = splitUnits(reply, 'clause');
    expect(units.map((u) => u.text)).toEqual(['我明白，', '你很累。', '你现在安全吗？', '他说“别怕。”', '好的!']);
    for (const u of units) expect(reply.slice(u.start, u.end)).toBe(u.text);
  });

  it('sentences ignore commas; text without a final mark is a unit; blanks are not', () => {
    expect(splitUnits('我明白，你很累。  你愿意说说吗', 'sentence').map((u) => u.text)).toEqual(['我明白，你很累。', '  你愿意说说吗']);
    expect(splitUnits('', 'clause')).toEqual([]);
    expect(splitUnits('。。', 'clause').map((u) => u.text)).toEqual(['。。']);
  });

  it('withoutUnit removes exactly that span', () => {
    const reply = '一，二。三？';
    const [, two] = splitUnits(reply);
    expect(withoutUnit(reply, two)).toBe('一，三？');
  });
});

/** A fake scorer whose answer is known: P(risk) = 0.9 if the reply mentions 自杀, P(referral) by 热线. */
function fakeScorer(calls: ScoreItem[][]): ScoreFn {
  return async (items) => {
    calls.push(items);
    return items.map((it): ItemScore => {
      const probs = [0.1, 0.1, 0.1, it.response.includes('自杀') ? 0.9 : 0.1, it.response.includes('热线') ? 0.8 : 0.2];
      return { probs, label: 3, pUnsafe: it.response.includes('笨') ? 0.7 : 0.2, truncated: false, droppedTurns: 0 };
    });
  };
}

describe('occlusion ranking', () => {
  const item = {
    context: [{ speaker: 'seeker' as const, text: '我不想活了' }],
    response: '我听到了，你现在有自杀的想法吗？可以打热线，你真笨。',
  };

  it('scores the reply and every variant in ONE call, and ranks the known driver first', async () => {
    const calls: ScoreItem[][] = [];
    const o = await occlude(fakeScorer(calls), item);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toHaveLength(1 + o.units.length);
    expect(calls[0][0]).toBe(item);
    const risk = rankEvidence(o, dimensionTarget(CRISIS_DIMENSIONS.indexOf('risk')));
    expect(risk[0].text).toBe('你现在有自杀的想法吗？');
    expect(risk[0].drop).toBeCloseTo(0.8, 10);
    expect(risk.slice(1).every((u) => u.drop === 0)).toBe(true);
    expect(rankEvidence(o, dimensionTarget(4))[0].text).toBe('可以打热线，');
    expect(rankEvidence(o, unsafeTarget)[0].text).toBe('你真笨。');
  });

  it('keeps reply order among ties and filters spans by the minimum drop', async () => {
    const o = await occlude(fakeScorer([]), item);
    const ranked = rankEvidence(o, predictedClassTarget(o.base));
    expect(ranked[0].text).toBe('你现在有自杀的想法吗？');
    expect(ranked.slice(1).map((u) => u.start)).toEqual([...ranked.slice(1).map((u) => u.start)].sort((a, b) => a - b));
    expect(evidenceSpans(o, dimensionTarget(3)).map((u) => u.text)).toEqual(['你现在有自杀的想法吗？']);
    expect(evidenceSpans(o, dimensionTarget(0))).toEqual([]);
  });

  it('rejects a scorer that returns the wrong number of scores', async () => {
    const bad: ScoreFn = async (items) => (await fakeScorer([])(items)).slice(1);
    await expect(occlude(bad, item)).rejects.toThrow(/scores/);
  });
});

describe('occlusion through the committed crisis model', async () => {
  const engine = await loadEngine({ modelPath: 'models/xinan-crisis-zh' });
  const score: ScoreFn = (items) => engine.scoreBatch(items);

  it('the risk point of a reply rests on its suicide question', async () => {
    const item = crisisItem({
      context: [],
      seeker: '我每天都想死，撑不下去了。',
      reply: '谢谢你愿意告诉我。你现在有没有想过具体怎么结束自己的生命？我会一直在这里陪你。',
    });
    const o = await occlude(score, item, 'sentence');
    const risk = CRISIS_DIMENSIONS.indexOf('risk');
    expect(o.base.probs[risk]).toBeGreaterThan(0.5);
    const ranked = rankEvidence(o, dimensionTarget(risk));
    expect(ranked[0].text).toBe('你现在有没有想过具体怎么结束自己的生命？');
    expect(ranked[0].drop).toBeGreaterThan(0.3);
  });
});
