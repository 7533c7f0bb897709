import { describe, expect, it } from 'vitest';
import { detectTextFormat } from '../../../src/lib/transcripts/detect.ts';
import { ImportError } from '../../../src/lib/transcripts/errors.ts';
import { assertImportSize, MAX_IMPORT_BYTES, parseFile, parseTextInput } from '../../../src/lib/transcripts/import.ts';
import { fixtureBytes, fixtureText } from '../../helpers/fixtures.ts';
import { enText } from '../../helpers/i18n-text.ts';

async function importError(name: string, bytes = fixtureBytes(name)): Promise<ImportError> {
  try {
    await parseFile(name, bytes);
  } catch (e) {
    if (e instanceof ImportError) return e;
    throw e;
  }
  throw new Error(`${name} imported without error`);
}

describe('format detection', () => {
  it.each([
    ['dialoguesafety.json', 'dialoguesafety-json'],
    ['chat.json', 'chat-json'],
    ['chat.jsonl', 'chat-jsonl'],
    ['dialogues.csv', 'csv'],
    ['transcript.txt', 'text'],
  ])('detects %s by name', (name, format) => {
    expect(detectTextFormat(name, fixtureText(name))).toBe(format);
  });

  it.each([
    ['dialoguesafety.json', 'dialoguesafety-json'],
    ['chat.json', 'chat-json'],
    ['chat.jsonl', 'chat-jsonl'],
    ['dialogues.csv', 'csv'],
    ['transcript.txt', 'text'],
  ])('sniffs the content of %s when the name says nothing', (name, format) => {
    expect(detectTextFormat('pasted', fixtureText(name))).toBe(format);
  });

  it('detects XLSX from its zip bytes whatever the name', async () => {
    const r = await parseFile('export', fixtureBytes('psycrisis.xlsx'));
    expect(r.format).toBe('xlsx');
  });
});

describe('parseFile end to end', () => {
  it.each([
    ['dialoguesafety.json', 4, 'dialoguesafety-json'],
    ['chat.json', 2, 'chat-json'],
    ['chat.jsonl', 2, 'chat-jsonl'],
    ['dialogues.csv', 2, 'csv'],
    ['dialogues-gb18030.csv', 2, 'csv'],
    ['transcript.txt', 2, 'text'],
    ['transcript-ab.txt', 2, 'text'],
    ['psycrisis.xlsx', 2, 'xlsx'],
    ['generic.xlsx', 2, 'xlsx'],
  ])('%s → %i dialogues', async (name, n, format) => {
    const r = await parseFile(name, fixtureBytes(name));
    expect(r.dialogues).toHaveLength(n);
    expect(r.format).toBe(format);
  });

  it('makes duplicate dialogue ids unique so item ids stay unique', () => {
    const rec = { id: 'same', context: '[seeker]a', response: '[supporter]b' };
    const r = parseTextInput('dup.json', JSON.stringify([rec, rec, rec]));
    expect(r.dialogues.map((d) => d.id)).toEqual(['same', 'same#2', 'same#3']);
  });

  it('lets the caller force a format', () => {
    const r = parseTextInput('x.dat', '[seeker]你好\n[supporter]你好呀', { format: 'text' });
    expect(r.dialogues[0].turns).toHaveLength(2);
  });
});

describe('bad input', () => {
  it('empty file', async () => {
    const e = await importError('empty.txt');
    expect(e.code).toBe('empty');
    expect(e.message).toBe('empty.txt: the file is empty');
  });

  it('whitespace-only file', async () => {
    expect((await importError('whitespace.json')).code).toBe('empty');
  });

  it('malformed JSON names the line and column', async () => {
    const e = await importError('malformed.json');
    expect(e.code).toBe('malformed-json');
    // Line 3 is ` {"context": "[seeker]在吗" "response": …}`: a comma is missing, so the
    // parser stops at the quote opening "response", the 27th character (在/吗 count as one each).
    expect(enText(e.where!)).toBe('line 3, column 27');
    expect(e.message).toMatch(/^malformed\.json: line 3, column 27: malformed JSON: /);
  });

  it('unknown format', async () => {
    const e = await importError('unknown.dat');
    expect(e.code).toBe('unknown-format');
    expect(e.file).toBe('unknown.dat');
  });

  it('old binary .xls', async () => {
    const e = await importError('old.xls', new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 1, 2]));
    expect(e.code).toBe('unknown-format');
    expect(enText(e.detail)).toMatch(/\.xlsx/);
  });

  it('missing speaker column', async () => {
    const e = await importError('missing-speaker.csv');
    expect(e.code).toBe('missing-column');
    expect(enText(e.where!)).toBe('row 1');
  });

  it('wrong encoding', async () => {
    expect((await importError('wrong-encoding.txt')).code).toBe('encoding');
  });

  it('text with no dialogue in it', async () => {
    const e = await importError('only-seeker.txt');
    expect(e.code).toBe('no-dialogues');
    expect(enText(e.detail)).toMatch(/2 records skipped; first: line 1: no speaker prefix/);
  });

  it('a file over the size limit fails before it is read', async () => {
    expect(() => assertImportSize('huge.csv', 300 * 1024 * 1024)).toThrow(
      'huge.csv: is 300 MB; the limit is 200 MB. Split it into smaller files.',
    );
    expect(MAX_IMPORT_BYTES).toBe(200 * 1024 * 1024);
    const e = await parseFile('big.csv', new Uint8Array(2048), { maxBytes: 1024 }).catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'too-large', file: 'big.csv' });
  });
});

describe('JSON Lines saved as .json', () => {
  it('is read as JSONL', () => {
    const r = parseTextInput('chat-export.json', fixtureText('chat.jsonl'));
    expect(r.format).toBe('chat-jsonl');
    expect(r.dialogues).toHaveLength(2);
  });
});
