/** Every UI string exists in both languages, with the same placeholders, in the right script. */
import { describe, expect, it } from 'vitest';
import { EN, ZH, type MessageKey } from '../../../src/lib/i18n/messages.ts';
import { enText, formatMsg, msg } from '../../../src/lib/i18n/msg.ts';
import { strayCjk, strayLatin } from '../../helpers/i18n-text.ts';

const keys = (o: object) => Object.keys(o).sort();
const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

/** The language toggle names the other language in that language, on purpose. */
const OTHER_LANGUAGE: MessageKey[] = ['language'];

describe('messages', () => {
  it('zh and en define exactly the same keys, none empty', () => {
    expect(keys(EN)).toEqual(keys(ZH));
    for (const k of keys(ZH) as MessageKey[]) {
      expect(ZH[k].trim(), `zh ${k}`).not.toBe('');
      expect(EN[k].trim(), `en ${k}`).not.toBe('');
    }
  });

  it('a key missing in one language fails this check', () => {
    const { appTitle: _dropped, ...partial } = EN;
    expect(keys(partial)).not.toEqual(keys(ZH));
  });

  it('both languages use the same placeholders for every key', () => {
    for (const k of keys(ZH) as MessageKey[]) {
      // zh may leave out an engine detail it cannot translate, never add one.
      for (const p of placeholders(ZH[k])) expect(placeholders(EN[k]), `${k}: {${p}}`).toContain(p);
    }
  });

  it('no Latin-only words in zh strings outside the whitelist, no CJK in en strings', () => {
    const badZh = (keys(ZH) as MessageKey[])
      .filter((k) => !OTHER_LANGUAGE.includes(k))
      .flatMap((k) => strayLatin(ZH[k].replace(/\{\w+\}/g, '')).map((w) => `${k}: ${w}`));
    expect(badZh).toEqual([]);
    const badEn = (keys(EN) as MessageKey[]).filter((k) => !OTHER_LANGUAGE.includes(k) && strayCjk(EN[k]));
    expect(badEn).toEqual([]);
  });

  it('messages nest: a skipped record reads in either language', () => {
    const m = msg('whereIs', { where: msg('whereRow', { n: 4 }), reason: msg('skipUnknownSpeaker', { speaker: '"narrator"' }) });
    expect(enText(m)).toBe('row 4: unknown speaker "narrator"');
    expect(formatMsg(m, ZH)).toBe('第 4 行：无法识别的说话人 "narrator"');
  });
});
