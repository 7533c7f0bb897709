import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { EN, ZH } from '../../../src/lib/i18n/messages.ts';
import { REVIEW_EN, REVIEW_ZH } from '../../../src/lib/i18n/review-messages.ts';

it('review strings exist in both languages and no key is shadowed by messages.ts', () => {
  const own = readFileSync('src/lib/i18n/messages.ts', 'utf8')
    .match(/^ {2}(\w+):/gm)!
    .map((k) => k.trim().slice(0, -1));
  expect(Object.keys(REVIEW_ZH).filter((k) => own.includes(k))).toEqual([]);
  expect(Object.keys(REVIEW_EN).sort()).toEqual(Object.keys(REVIEW_ZH).sort());
  for (const k of Object.keys(REVIEW_ZH) as (keyof typeof REVIEW_ZH)[]) {
    expect(ZH[k]).toBe(REVIEW_ZH[k]);
    expect(EN[k]).toBe(REVIEW_EN[k]);
    expect(REVIEW_EN[k], k).not.toMatch(/[\u4e00-\u9fff]/);
  }
});
