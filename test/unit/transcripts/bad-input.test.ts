/**
 * Regression tests for what the importer fuzzing (test/unit/fuzz/importers.test.ts) found, one per
 * counterexample, kept as plain tests so they run every time whatever the fuzz seed.
 */
import { strToU8, unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { ImportError } from '../../../src/lib/transcripts/errors.ts';
import { parseFile, parseTextInput } from '../../../src/lib/transcripts/import.ts';
import { buildXlsx, patchDeclaredSize } from '../../helpers/xlsx.ts';
import { nestJson } from '../../helpers/fuzz.ts';
import { enText, skippedEn } from '../../helpers/i18n-text.ts';

async function importError(name: string, bytes: Uint8Array): Promise<ImportError> {
  const e = await parseFile(name, bytes).then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ImportError);
  return e as ImportError;
}

describe('bad input found by fuzzing', () => {
  it('malformed JSON says where even when V8 gives no position (a control character)', async () => {
    const e = await importError('t.json', Uint8Array.from([14]));
    expect(e.code).toBe('malformed-json');
    expect(enText(e.where!)).toBe('line 1, column 1');
  });

  it('a GBK transcript saved as .json: malformed JSON at line 1, column 1, not a position-less error', async () => {
    const gbk = Uint8Array.from([0xc0, 0xb4, 0xb7, 0xc3, 0xd5, 0xdf, 0xa3, 0xba, 0xce, 0xd2, 0x0a]); // 来访者：我\n
    const e = await importError('t.json', gbk);
    expect(e.code).toBe('malformed-json');
    expect(enText(e.where!)).toBe('line 1, column 1');
  });

  it('malformed JSON Lines: the skipped line says line and column', () => {
    const r = parseTextInput(
      't.jsonl',
      '{"messages":[{"role":"user","content":"嗯"},{"role":"assistant","content":"好"}]}\n{"messages": x}',
    );
    expect(skippedEn(r.skipped)).toEqual([{ where: 'line 2, column 14', reason: expect.stringMatching(/^malformed JSON: /) }]);
  });

  it('a role nested 200,000 deep is a skipped message, not a stack overflow', () => {
    const text = `[{"messages":[{"role":${nestJson('"x"', 200_000, 'array')},"content":"你好"}]},{"messages":[{"role":"user","content":"嗯"},{"role":"assistant","content":"好的"}]}]`;
    const r = parseTextInput('t.json', text);
    expect(skippedEn(r.skipped)).toEqual([{ where: 'item 1', reason: 'message 1: unknown role an array of 1' }]);
  });

  it('a label nested deep or a megabyte long is reported in a short reason', () => {
    const deep = parseTextInput('t.json', `[{"response":"好的","label":${nestJson('7', 100_000, 'array')}},{"response":"嗯"}]`);
    expect(skippedEn(deep.skipped)).toEqual([{ where: 'item 1', reason: 'label an array of 1 is not a class id 0–7' }]);
    const long = parseTextInput('t.json', JSON.stringify([{ response: '好的', label: '好'.repeat(1_000_000) }, { response: '嗯' }]));
    expect(enText(long.skipped[0].reason)).toBe(`label "${'好'.repeat(40)}…" is neither a class id 0–7 nor a class name`);
  });

  it('a 100,000-character role or speaker cell is quoted short in the error', async () => {
    const e = await importError(
      't.json',
      new TextEncoder().encode(JSON.stringify([{ messages: [{ role: '好'.repeat(100_000), content: '嗯' }] }])),
    );
    expect(e.code).toBe('no-dialogues');
    expect(e.message.length).toBeLessThan(300);
    const csv = parseTextInput('t.csv', `speaker,text\n${'x'.repeat(100_000)},好的\nsupporter,嗯\n`);
    expect(skippedEn(csv.skipped)).toContainEqual({ where: 'row 2', reason: `unknown speaker "${'x'.repeat(40)}…"` });
  });

  it('a huge header cell is quoted short in the missing-column error', () => {
    expect(() => parseTextInput('t.csv', `${'h'.repeat(100_000)},text\na,b\n`)).toThrow(
      /^t\.csv: row 1: no speaker column \(found "h{20}…", "text"; /,
    );
  });

  it('an XLSX whose parts declare gigabytes (zip bomb) is refused before anything is inflated', async () => {
    const bomb = patchDeclaredSize(
      buildXlsx([
        ['speaker', 'text'],
        ['seeker', '你好'],
      ]),
      'xl/worksheets/sheet1.xml',
      0xfffffff0,
    );
    const e = await importError('bomb.xlsx', bomb);
    expect(e.code).toBe('too-large');
    expect(enText(e.detail)).toMatch(/unpacks to 4096 MB; the limit is 1024 MB/);
  });

  it('an XLSX with one cell at XFD1048576 is refused before the reader allocates 17 billion cells', async () => {
    const parts = unzipSync(buildXlsx([['speaker', 'text']]));
    const ns = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
    parts['xl/worksheets/sheet1.xml'] = strToU8(
      `<worksheet xmlns="${ns}"><sheetData><row r="1048576"><c r="XFD1048576" t="s"><v>0</v></c></row></sheetData></worksheet>`,
    );
    const e = await importError('far.xlsx', zipSync(parts));
    expect(e.code).toBe('too-large');
    expect(enText(e.detail)).toMatch(/^sheet1\.xml spans 1048576 rows × 16384 columns; the limit is 20,000,000 cells/);
  });
});
