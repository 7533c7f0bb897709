import { describe, expect, it } from 'vitest';
import { matchPrefix, parseText } from '../../../src/lib/transcripts/parse/text.ts';
import { fixtureText } from '../../helpers/fixtures.ts';
import { skippedEn } from '../../helpers/i18n-text.ts';

describe('plain-text transcripts', () => {
  it('splits dialogues on separators and keeps multi-line turns whole', () => {
    const r = parseText(fixtureText('transcript.txt'), 'transcript.txt');
    expect(r.format).toBe('text');
    expect(skippedEn(r.skipped)).toEqual([]);
    expect(r.dialogues).toHaveLength(2);
    const [d1, d2] = r.dialogues;
    expect(d1.turns.map((t) => t.speaker)).toEqual(['seeker', 'supporter', 'seeker', 'supporter']);
    expect(d1.turns[2].text).toBe('大概两个星期了，\n一躺下就开始想很多事情。');
    expect(d2.turns).toEqual([
      { speaker: 'seeker', text: '我觉得没人喜欢我。' },
      { speaker: 'supporter', text: '为什么这么说呢？能举个例子吗？' },
    ]);
  });

  it('handles A/B and 用户/助手 prefixes and reports text before the first prefix', () => {
    const r = parseText(fixtureText('transcript-ab.txt'), 'transcript-ab.txt');
    expect(r.dialogues.map((d) => d.turns.map((t) => t.speaker))).toEqual([
      ['seeker', 'supporter'],
      ['seeker', 'supporter'],
    ]);
    expect(skippedEn(r.skipped)).toEqual([{ where: 'line 1', reason: 'no speaker prefix before this line' }]);
  });

  it.each([
    ['来访者：你好', 'seeker', '你好'],
    ['咨询师: 嗯', 'supporter', '嗯'],
    ['心理咨询师：嗯', 'supporter', '嗯'],
    ['[supporter]好的', 'supporter', '好的'],
    ['【来访者】我在', 'seeker', '我在'],
    ['User: hi', 'seeker', 'hi'],
    ['b：好', 'supporter', '好'],
  ])('reads the prefix of %s', (line, speaker, rest) => {
    expect(matchPrefix(line)).toEqual({ speaker, rest });
  });

  it('does not take ordinary sentences for prefixes', () => {
    expect(matchPrefix('今天：天气很好')).toBeUndefined();
    expect(matchPrefix('Anna: hi')).toBeUndefined();
  });

  it('keeps an empty line inside a turn but drops prefix-only turns', () => {
    const r = parseText('来访者：第一段\n\n第二段\n咨询师：\n---\n', 't.txt');
    expect(r.dialogues[0].turns).toEqual([{ speaker: 'seeker', text: '第一段\n\n第二段' }]);
  });
});

describe('blank lines between sessions', () => {
  it('a blank line before a turn starts a new dialogue', () => {
    const r = parseText('来访者：我睡不着。\n咨询师：多久了？\n\n来访者：我和室友吵架了。\n咨询师：发生了什么？\n', 'two.txt');
    expect(r.dialogues.map((d) => d.turns.map((t) => t.text))).toEqual([
      ['我睡不着。', '多久了？'],
      ['我和室友吵架了。', '发生了什么？'],
    ]);
  });

  it('a blank line inside a turn (a paragraph) does not', () => {
    const r = parseText('来访者：第一段\n\n第二段\n咨询师：嗯。\n', 'p.txt');
    expect(r.dialogues).toHaveLength(1);
  });

  it('with a blank line between every turn, two blank lines separate dialogues', () => {
    const r = parseText('来访者：一\n\n咨询师：二\n\n来访者：三\n\n\n来访者：四\n\n咨询师：五\n', 'spaced.txt');
    expect(r.dialogues.map((d) => d.turns.length)).toEqual([3, 2]);
  });

  it('explicit separators win: then blank lines never separate', () => {
    const r = parseText('来访者：一\n\n咨询师：二\n---\n来访者：三\n咨询师：四\n', 'sep.txt');
    expect(r.dialogues.map((d) => d.turns.length)).toEqual([2, 2]);
  });
});
