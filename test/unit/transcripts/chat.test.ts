import { describe, expect, it } from 'vitest';
import { ImportError } from '../../../src/lib/transcripts/errors.ts';
import { parseJsonFile, parseJsonl, lineColumn } from '../../../src/lib/transcripts/parse/json.ts';
import { fixtureText } from '../../helpers/fixtures.ts';
import { enText, skippedEn } from '../../helpers/i18n-text.ts';

describe('chat JSON', () => {
  const r = parseJsonFile(fixtureText('chat.json'), 'chat.json');

  it('maps roles, drops system messages and keeps message labels', () => {
    expect(r.format).toBe('chat-json');
    expect(r.dialogues).toHaveLength(2);
    const [c1, c2] = r.dialogues;
    expect(c1.id).toBe('c1');
    expect(c1.turns.map((t) => t.speaker)).toEqual(['seeker', 'supporter', 'seeker', 'supporter']);
    expect(c1.turns[1].label).toBe(7);
    expect(c2.id).toBe('dialogue-2');
  });

  it('joins OpenAI-style content parts', () => {
    expect(r.dialogues[1].turns[1].text).toBe('谢谢你愿意告诉我这些。你最近有没有想过伤害自己？');
  });

  it('accepts a single dialogue object', () => {
    const one = parseJsonFile('{"messages":[{"role":"user","content":"在吗"},{"role":"assistant","content":"在的"}]}', 'one.json');
    expect(one.dialogues).toHaveLength(1);
  });

  it('rejects JSON of an unknown shape', () => {
    expect(() => parseJsonFile(fixtureText('unknown-json.json'), 'unknown-json.json')).toThrow(
      expect.objectContaining({ code: 'unknown-format' }),
    );
  });
});

describe('chat JSONL', () => {
  it('keeps good lines and reports bad ones by line number', () => {
    const r = parseJsonl(fixtureText('chat.jsonl'), 'chat.jsonl');
    expect(r.format).toBe('chat-jsonl');
    expect(r.dialogues.map((d) => d.id)).toEqual(['j1', 'j4']);
    expect(r.dialogues[1].turns[1].label).toBe(7);
    expect(r.skipped).toHaveLength(2);
    expect(enText(r.skipped[0].where)).toMatch(/^line 2, column \d+$/);
    expect(enText(r.skipped[0].reason)).toMatch(/^malformed JSON/);
    expect(skippedEn(r.skipped)[1]).toEqual({ where: 'line 4', reason: 'message 1: unknown role "narrator"' });
  });

  it('throws when no line is valid JSON', () => {
    expect(() => parseJsonl('{bad\n{worse', 'bad.jsonl')).toThrow(ImportError);
  });
});

describe('lineColumn', () => {
  it('is 1-based', () => {
    expect(lineColumn('ab\ncd', 0)).toEqual({ line: 1, column: 1 });
    expect(lineColumn('ab\ncd', 4)).toEqual({ line: 2, column: 2 });
  });
});

describe('DialogueSafety records as JSON Lines', () => {
  it('uses the DialogueSafety parser and reports skipped records by line', () => {
    const text = [
      '{"id":"a","context":"[seeker]我很累","response":"[supporter]最近发生了什么？","label":7}',
      '{"id":"b","context":"[seeker]嗯"}',
    ].join('\n');
    const r = parseJsonl(text, 'ds.jsonl');
    expect(r.format).toBe('dialoguesafety-json');
    expect(r.dialogues.map((d) => d.id)).toEqual(['a']);
    expect(skippedEn(r.skipped)).toEqual([{ where: 'line 2', reason: 'missing "response" string' }]);
  });
});
