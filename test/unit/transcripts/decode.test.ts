import { describe, expect, it } from 'vitest';
import { decodeText } from '../../../src/lib/transcripts/decode.ts';
import { ImportError } from '../../../src/lib/transcripts/errors.ts';
import { fixtureBytes } from '../../helpers/fixtures.ts';

describe('decodeText', () => {
  it('reads UTF-8 without a BOM', () => {
    const r = decodeText(new TextEncoder().encode('来访者：你好'), 'a.txt');
    expect(r).toEqual({ text: '来访者：你好', encoding: 'utf-8', bom: false });
  });

  it('strips a UTF-8 BOM and reports it', () => {
    const r = decodeText(fixtureBytes('dialogues-bom-zh.csv'), 'b.csv');
    expect(r.bom).toBe(true);
    expect(r.encoding).toBe('utf-8');
    expect(r.text.startsWith('对话ID,')).toBe(true);
  });

  it('falls back to GB18030 when the bytes are not UTF-8', () => {
    const r = decodeText(fixtureBytes('dialogues-gb18030.csv'), 'g.csv');
    expect(r.encoding).toBe('gb18030');
    expect(r.text).toContain('想哭的时候你一般在做什么呢？');
  });

  it('decodes UTF-16LE with a BOM', () => {
    const body = '咨询师：嗯';
    const bytes = new Uint8Array(2 + body.length * 2);
    bytes.set([0xff, 0xfe]);
    for (let i = 0; i < body.length; i++) {
      const c = body.charCodeAt(i);
      bytes[2 + 2 * i] = c & 0xff;
      bytes[3 + 2 * i] = c >> 8;
    }
    expect(decodeText(bytes, 'u.txt')).toEqual({ text: body, encoding: 'utf-16le', bom: true });
  });

  it('rejects bytes that are neither UTF-8 nor GB18030', () => {
    expect(() => decodeText(fixtureBytes('wrong-encoding.txt'), 'wrong-encoding.txt')).toThrow(
      expect.objectContaining({ code: 'encoding', file: 'wrong-encoding.txt' }),
    );
  });

  it('rejects binary files with NUL bytes', () => {
    const e = (() => {
      try {
        decodeText(new Uint8Array([0x41, 0, 0x42]), 'x.bin');
      } catch (err) {
        return err;
      }
    })();
    expect(e).toBeInstanceOf(ImportError);
    expect((e as ImportError).message).toMatch(/^x\.bin: .*binary/);
  });
});
