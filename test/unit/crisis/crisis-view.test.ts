import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import { format } from '../../../src/lib/i18n/i18n.svelte.ts';
import { EN, ZH, type MessageKey } from '../../../src/lib/i18n/messages.ts';
import CrisisView from '../../../src/lib/ui/crisis/CrisisView.svelte';
import { htmlTexts, strayCjk, strayLatin } from '../../helpers/i18n-text.ts';

/** Server-rendered markup (no DOM library in this project): what the view shows for given rows. */
const base = {
  id: 'a',
  seeker: '我想死',
  reply: '你一定很难受。你有自杀的想法吗？',
  seekerRisk: 0.95,
  points: [1, 0, 0, 1, 0] as (0 | 1)[],
  probs: [0.8, 0.1, 0.2, 0.9, 0.1],
  total: 2,
  marks: { risk: 'correct' as const },
};
const agreement = { risk: { reviewed: 1, accuracy: 1, kappa: 0 } };
const noop = () => {};
const zh = (key: MessageKey, params?: Record<string, string | number>) => format(ZH[key], params);
const en = (key: MessageKey, params?: Record<string, string | number>) => format(EN[key], params);

describe('CrisisView', () => {
  it('shows the points, total, threshold and highlights the chosen dimension’s evidence', () => {
    const segments = {
      empathy: [
        { text: '你一定很难受。', hit: true },
        { text: '你有自杀的想法吗？', hit: false },
      ],
      risk: [
        { text: '你一定很难受。', hit: false },
        { text: '你有自杀的想法吗？', hit: true },
      ],
    };
    const { body } = render(CrisisView, {
      props: { rows: [{ ...base, segments }], threshold: 0.5, seekerThreshold: 0.3, agreement, onExplain: noop, onMark: noop, t: zh },
    });
    expect(body).toContain('2/5');
    expect(body).toMatch(/判定阈值 0\.5/);
    expect(body).toContain('求助者风险 95%');
    // The first dimension scored 1 (empathy) is highlighted until the reviewer picks another.
    expect(body).toMatch(/<mark[^>]*>你一定很难受。<\/mark>/);
    expect(body).not.toMatch(/<mark[^>]*>你有自杀的想法吗？<\/mark>/);
    expect(body).toMatch(/aria-label="评估风险：模型判断正确"[^>]*aria-pressed="true"/);
    expect(body).not.toContain('依据</button>');
  });

  it('offers evidence on demand when not computed, and says when nothing is listed', () => {
    const withButton = render(CrisisView, {
      props: { rows: [{ ...base, segments: null }], threshold: 0.5, agreement, onExplain: noop, onMark: noop, t: zh },
    }).body;
    expect(withButton).toContain('依据</button>');
    expect(withButton).not.toContain('<mark>');
    const empty = render(CrisisView, { props: { rows: [], threshold: 0.5, agreement: {}, onExplain: noop, onMark: noop, t: en } }).body;
    expect(empty).toContain('No item whose seeker turn shows risk');
  });

  it('zh: no Latin-only UI text; en: no Chinese outside the transcript', () => {
    const props = { rows: [{ ...base, segments: null }], threshold: 0.5, seekerThreshold: 0.3, agreement, onExplain: noop, onMark: noop };
    const zhTexts = htmlTexts(render(CrisisView, { props: { ...props, t: zh } }).body);
    expect(zhTexts.flatMap((s) => strayLatin(s, [base.id]))).toEqual([]);
    const enTexts = htmlTexts(render(CrisisView, { props: { ...props, t: en } }).body);
    expect(enTexts.filter((s) => strayCjk(s, [base.seeker, base.reply]))).toEqual([]);
    // The check can fail: the hard-coded English this view used to mix into zh is caught.
    expect(strayLatin('危机回应 · Crisis points · threshold 0.5')).toEqual(['Crisis', 'points', 'threshold']);
    expect(strayCjk('依据 Evidence', [base.reply])).toBe(true);
  });
});
