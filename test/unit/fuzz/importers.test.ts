/**
 * Property-based tests of every importer (parseFile / parseTextInput / previewTable and through them the
 * decoder, the detector and each format's parser). Every call must end in a specific ImportError or a usable
 * result (see outcome.ts), within a time budget. FUZZ_RUNS sets the runs per property (test/helpers/fuzz.ts);
 * `npm run fuzz` runs them long. The bad-input kinds covered are listed in test/unit/fuzz/README.md.
 */
import fc from 'fast-check';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { parseFile, parseTextInput, previewTable } from '../../../src/lib/transcripts/import.ts';
import { parseCsv } from '../../../src/lib/transcripts/parse/csv.ts';
import type { ColumnMapping } from '../../../src/lib/transcripts/parse/table.ts';
import { fixtureBytes } from '../../helpers/fixtures.ts';
import { boundedAsync, boundedSync, CALL_BUDGET_MS, fuzzParams, fuzzTimeout, nestJson, utf16 } from '../../helpers/fuzz.ts';
import { buildXlsx, patchDeclaredSize } from '../../helpers/xlsx.ts';
import { expectImportError, expectImportOutcome } from './outcome.ts';
import { enText } from '../../../src/lib/i18n/msg.ts';

const NAMES = ['t.json', 't.jsonl', 't.ndjson', 't.csv', 't.tsv', 't.txt', 't.md', 't.xlsx', 't.xls', 't', 't.dat', 'T.JSON', '对话.csv'];
const TEXT_FIXTURES = [
  'chat.json',
  'chat.jsonl',
  'dialogues.csv',
  'dialogues-bom-zh.csv',
  'dialogues-gb18030.csv',
  'dialoguesafety.json',
  'dialoguesafety-partial.json',
  'transcript.txt',
  'transcript-ab.txt',
  'unknown-headers.csv',
];
const XLSX_FIXTURES = ['psycrisis.xlsx', 'generic.xlsx'];
/** "来访者：我最近总是睡不着。\n咨询师：听起来你很辛苦，愿意多说一些吗？\n" in GBK (python3 str.encode('gbk')). */
const GBK_TRANSCRIPT = Uint8Array.from(
  'c0b4b7c3d5dfa3baced2d7eebdfcd7dccac7cbafb2bbd7c5a1a30ad7c9d1afcaa6a3baccfdc6f0c0b4c4e3badcd0c1bfe0a3acd4b8d2e2b6e0cbb5d2bbd0a9c2f0a3bf0a'
    .match(/../g)!
    .map((h) => parseInt(h, 16)),
);

const importBytes = (name: string, bytes: Uint8Array, mapping?: ColumnMapping, budget = CALL_BUDGET_MS) =>
  boundedAsync(() => parseFile(name, bytes, { mapping }), budget);
const importText = (name: string, text: string) => boundedSync(() => parseTextInput(name, text));

async function expectFileOutcome(name: string, bytes: Uint8Array, mapping?: ColumnMapping) {
  expectImportOutcome(name, await importBytes(name, bytes, mapping));
}

/** Text that looks like our formats: speaker names, markers, quotes, separators, JSON punctuation, CJK. */
const tokens = fc.constantFrom(
  '来访者：',
  '咨询师：',
  '[seeker]',
  '[supporter]',
  'A:',
  'B：',
  '用户：',
  '助手:',
  '【来访者】',
  '---',
  '===',
  '"',
  '""',
  ',',
  '\t',
  ';',
  '|',
  '\n',
  '\r\n',
  '\r',
  ' ',
  '{',
  '}',
  '[',
  ']',
  ':',
  '"messages"',
  '"role"',
  '"content"',
  '"context"',
  '"response"',
  '"label"',
  'dialogue_id',
  'speaker',
  'text',
  'label',
  'seeker',
  'supporter',
  'user',
  'assistant',
  '7',
  '-1',
  '8',
  '1e400',
  'null',
  'true',
  '我很难过。',
  '你愿意多说一些吗？',
  '\u0000',
  '\uFEFF',
  '\uD800',
  '=1+1',
);
const transcriptish = fc.array(fc.oneof(tokens, fc.string({ maxLength: 8 })), { maxLength: 80 }).map((a) => a.join(''));

/** Any JSON-ish value at a field, including the shapes parsers trip on. */
const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom(
    -1,
    8,
    7.5,
    Number.MAX_VALUE,
    -0,
    '',
    ' ',
    '7',
    '07',
    ' 3 ',
    '八',
    'Safe Response',
    '安全回复',
    'system',
    'user',
    'assistant',
  ),
  fc.constantFrom({ toString: 1 }, { __proto__: { response: 'x' } }, [['deep']], { text: 1 }),
);

const chatMessage = fc.record(
  {
    role: fc.oneof(fc.constantFrom('user', 'assistant', 'system', 'seeker', 'supporter', '来访者', 'bot', 'narrator'), anyValue),
    content: fc.oneof(fc.string(), anyValue),
    label: anyValue,
  },
  { requiredKeys: [] },
);
const chatRecord = fc.record({ id: anyValue, messages: fc.oneof(fc.array(chatMessage, { maxLength: 6 }), anyValue) }, { requiredKeys: [] });
const dsRecord = fc.record(
  { id: anyValue, context: fc.oneof(transcriptish, anyValue), response: fc.oneof(transcriptish, anyValue), label: anyValue },
  { requiredKeys: [] },
);

describe('fuzz: importers', () => {
  it(
    'random bytes under any file name: an ImportError or a usable result',
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...NAMES), fc.uint8Array({ maxLength: 2048 }), async (name, bytes) => {
          await expectFileOutcome(name, bytes);
        }),
        fuzzParams(),
      );
    },
    fuzzTimeout(),
  );

  it(
    'random text in our formats’ vocabulary, as pasted text and as a file',
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...NAMES.filter((n) => !/xlsx?$/.test(n)), 'pasted'), transcriptish, async (name, text) => {
          if (text.trim() === '') return;
          if (name === 'pasted') expectImportOutcome(name, importText(name, text));
          else await expectFileOutcome(name, new TextEncoder().encode(text));
        }),
        fuzzParams(),
      );
    },
    fuzzTimeout(),
  );

  it(
    'truncated and bit-flipped fixtures of every format (text and XLSX)',
    async () => {
      const fixtures = [...TEXT_FIXTURES, ...XLSX_FIXTURES];
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...fixtures),
          fc.double({ min: 0, max: 1, noNaN: true }),
          fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }),
          async (fixture, cut, flips) => {
            const full = fixtureBytes(fixture);
            const bytes = full.slice(0, Math.floor(full.length * cut));
            for (const [at, value] of flips) if (bytes.length) bytes[at % bytes.length] = value;
            await expectFileOutcome(fixture, bytes);
          },
        ),
        fuzzParams(),
      );
    },
    fuzzTimeout(),
  );

  it(
    'wrong encodings: UTF-16 with and without BOM, GBK, BOM + invalid bytes, invalid UTF-8',
    async () => {
      const texts = ['chat.json', 'dialogues.csv', 'transcript.txt', 'dialoguesafety.json'].map((f) =>
        new TextDecoder().decode(fixtureBytes(f)),
      );
      const encoded = fc.oneof(
        fc
          .tuple(fc.constantFrom(...texts), fc.constantFrom('le', 'be') as fc.Arbitrary<'le' | 'be'>, fc.boolean())
          .map(([t, e, bom]) => utf16(t, e, bom)),
        fc.constant(GBK_TRANSCRIPT),
        // Invalid UTF-8 sequences spliced into valid text (lone continuation bytes, overlongs, surrogates).
        fc
          .tuple(
            fc.constantFrom(...texts),
            fc.nat(),
            fc.constantFrom([0x80], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xff], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xe4, 0xbd]),
          )
          .map(([t, at, bad]) => {
            const b = new TextEncoder().encode(t);
            const i = at % (b.length + 1);
            return Uint8Array.from([...b.subarray(0, i), ...bad, ...b.subarray(i)]);
          }),
        // A byte-order mark followed by bytes that do not fit it.
        fc
          .tuple(fc.constantFrom([0xef, 0xbb, 0xbf], [0xff, 0xfe], [0xfe, 0xff]), fc.uint8Array({ maxLength: 64 }))
          .map(([bom, rest]) => Uint8Array.from([...bom, ...rest])),
      );
      await fc.assert(
        fc.asyncProperty(fc.constantFrom('t.json', 't.csv', 't.txt', 't'), encoded, async (name, bytes) => {
          await expectFileOutcome(name, bytes);
        }),
        fuzzParams(),
      );
    },
    fuzzTimeout(),
  );

  it(
    'random JSON documents and records with wrong field types, labels out of range, odd roles',
    async () => {
      const doc = fc.oneof(
        fc.jsonValue({ maxDepth: 4 }),
        fc.array(chatRecord, { maxLength: 5 }),
        fc.array(dsRecord, { maxLength: 5 }),
        chatRecord,
        fc.array(fc.oneof(chatRecord, dsRecord, anyValue), { maxLength: 5 }),
      );
      await fc.assert(
        fc.property(fc.constantFrom('t.json', 't.jsonl', 't'), doc, fc.boolean(), (name, value, lines) => {
          // The same records as one JSON document or as JSON Lines (one per line).
          const text =
            lines && Array.isArray(value) ? value.map((v) => JSON.stringify(v) ?? 'undefined').join('\n') : (JSON.stringify(value) ?? '');
          if (text.trim() === '') return;
          const out = importText(name, text);
          expectImportOutcome(name, out);
        }),
        fuzzParams(),
      );
    },
    fuzzTimeout(),
  );

  it(
    'deeply nested JSON anywhere: the whole file, a role, a label, content, context, an id',
    async () => {
      const places = [
        (deep: string) => deep,
        (deep: string) => `[{"messages":[{"role":${deep},"content":"你好"}]}]`,
        (deep: string) => `[{"messages":[{"role":"user","content":"嗯"},{"role":"assistant","content":"好的","label":${deep}}]}]`,
        (deep: string) => `[{"messages":[{"role":"user","content":${deep}}]}]`,
        (deep: string) => `[{"context":${deep},"response":"好的"}]`,
        (deep: string) => `[{"response":"好的","label":${deep}}]`,
        (deep: string) => `[{"id":${deep},"response":"好的"}]`,
        (deep: string) => `{"messages":${deep}}`,
      ];
      await fc.assert(
        fc.property(
          fc.constantFrom(...places.keys()),
          fc.integer({ min: 1, max: 200_000 }),
          fc.constantFrom('array', 'object') as fc.Arbitrary<'array' | 'object'>,
          fc.constantFrom('t.json', 't.jsonl'),
          (place, depth, kind, name) => {
            expectImportOutcome(name, importText(name, places[place](nestJson('"x"', depth, kind))));
          },
        ),
        fuzzParams(0.3),
      );
    },
    fuzzTimeout(0.3, 2000),
  );

  it(
    'huge fields (up to 4 MB in one message, cell, line or label) are kept whole or refused with a short message',
    async () => {
      const huge = fc
        .tuple(fc.integer({ min: 100_000, max: 4_000_000 }), fc.constantFrom('好', 'a', '"', ',', '\n', ' ', '𝒳'))
        .map(([n, ch]) => ch.repeat(Math.ceil(n / ch.length)));
      const layouts = [
        (h: string) => [
          't.json',
          JSON.stringify([
            {
              messages: [
                { role: 'user', content: '嗯' },
                { role: 'assistant', content: h },
              ],
            },
          ]),
        ],
        (h: string) => ['t.json', JSON.stringify([{ messages: [{ role: h, content: '嗯' }] }])],
        (h: string) => ['t.json', JSON.stringify([{ response: '好的', label: h }])],
        (h: string) => ['t.csv', `speaker,text\nseeker,"${h.replaceAll('"', '""')}"\nsupporter,好的\n`],
        (h: string) => ['t.csv', `speaker,text\n${h.replaceAll(/[",\n]/g, 'x')},好的\n`],
        (h: string) => ['t.txt', `来访者：${h}\n咨询师：嗯。`],
        (h: string) => ['t.jsonl', `${h}\n{"messages":[{"role":"user","content":"嗯"}]}`],
      ] as const;
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...layouts.keys()), huge, async (layout, h) => {
          const [name, text] = layouts[layout](h);
          // Up to 8 MB of input (a cell of 4 M quotes, doubled): a larger budget, still far below a hang.
          const out = await importBytes(name, new TextEncoder().encode(text), undefined, 6 * CALL_BUDGET_MS);
          expectImportOutcome(name, out);
          // Text is never truncated: a huge turn that was imported is imported whole.
          if (out.ok && layout === 0) expect(out.value.dialogues[0].turns[1].text).toBe(h.trim());
        }),
        fuzzParams(0.15),
      );
    },
    fuzzTimeout(0.15, 5000),
  );

  it(
    'CSV with quotes, separators and newlines inside cells: well-quoted cells come back exactly',
    () => {
      const cell = fc
        .array(fc.oneof(fc.constantFrom('"', ',', '\n', '\r\n', '\t', ';', ' ', '好', '=1+1', '来访者：'), fc.string({ maxLength: 4 })), {
          maxLength: 8,
        })
        .map((a) => a.join(''));
      const row = fc.tuple(
        fc.constantFrom('d1', 'd2', ''),
        fc.constantFrom('seeker', 'supporter', 'user', '咨询师', 'nobody'),
        cell,
        fc.oneof(fc.constant(''), fc.constantFrom('7', '0', '8', '-1', '安全回复', 'x')),
      );
      const quote = (c: string) => `"${c.replaceAll('"', '""')}"`;
      fc.assert(
        fc.property(fc.array(row, { minLength: 1, maxLength: 12 }), (rows) => {
          const text = ['dialogue_id,speaker,text,label', ...rows.map((r) => r.map(quote).join(','))].join('\r\n');
          const out = boundedSync(() => parseCsv(text, 't.csv'));
          if (!out.ok) return void expectImportError('t.csv', out.error);
          // Every row with a known speaker and text is a turn with exactly that text; the rest are skipped by row.
          const turns = out.value.dialogues.flatMap((d) => d.turns.map((t) => t.text));
          const expected = rows
            .filter(([, s, t, l]) => s !== 'nobody' && t.trim() !== '' && ['', '7', '0', '安全回复'].includes(l))
            .map(([, , t]) => t.trim());
          expect(turns.sort()).toEqual(expected.sort());
          expect(out.value.skipped.length).toBe(rows.length - expected.length);
          expect(out.value.skipped.every((s) => /^row \d+$/.test(enText(s.where)))).toBe(true);
        }),
        fuzzParams(),
      );
    },
    fuzzTimeout(),
  );

  it(
    'CSV with broken quoting (stray and unterminated quotes) and random column mappings',
    async () => {
      const mapping: fc.Arbitrary<ColumnMapping | undefined> = fc.option(
        fc.record(
          {
            speaker: fc.oneof(fc.integer({ min: -2, max: 6 }), fc.constantFrom('speaker', 'role', 'nope', ''), fc.double()),
            text: fc.oneof(fc.integer({ min: -2, max: 6 }), fc.constantFrom('text', 'content', 'nope')),
            dialogueId: fc.oneof(fc.integer({ min: 0, max: 6 }), fc.constantFrom('dialogue_id', 'x')),
            label: fc.oneof(fc.integer({ min: 0, max: 6 }), fc.constantFrom('label', 'x')),
            hasHeader: fc.boolean(),
          },
          { requiredKeys: ['speaker', 'text'] },
        ),
        { nil: undefined },
      );
      const line = fc
        .array(fc.oneof(fc.constantFrom('"', '""', ',', 'seeker', 'supporter', '好', '7', '99', '\t'), fc.string({ maxLength: 3 })), {
          maxLength: 10,
        })
        .map((a) => a.join(''));
      await fc.assert(
        fc.asyncProperty(fc.array(line, { maxLength: 10 }), mapping, fc.constantFrom('\n', '\r\n'), async (lines, map, eol) => {
          const text = ['dialogue_id,speaker,text,label', ...lines].join(eol);
          await expectFileOutcome('t.csv', new TextEncoder().encode(text), map);
        }),
        fuzzParams(),
      );
    },
    fuzzTimeout(),
  );

  it(
    'XLSX that is not XLSX: random zips, XLSX parts with random XML, truncated and bit-flipped XLSX',
    async () => {
      const xml = fc.oneof(
        fc.string({ maxLength: 200 }),
        fc.constantFrom(
          '<?xml version="1.0"?><worksheet><sheetData><row r="1"><c r="A1" t="s"><v>99</v></c></row></sheetData></worksheet>',
          '<workbook><sheets></sheets></workbook>',
          '<sst><si><t>&bogus;</t></si></sst>',
          '<worksheet><sheetData><row r="1048577"><c r="XFE1"><v>1</v></c></row></sheetData></worksheet>',
        ),
      );
      const part = fc.constantFrom(
        '[Content_Types].xml',
        '_rels/.rels',
        'xl/workbook.xml',
        'xl/_rels/workbook.xml.rels',
        'xl/worksheets/sheet1.xml',
        'xl/sharedStrings.xml',
        'xl/styles.xml',
        'random.bin',
      );
      const zips = fc.oneof(
        fc
          .dictionary(part, xml, { maxKeys: 8 })
          .map((files) => zipSync(Object.fromEntries(Object.entries(files).map(([k, v]) => [k, strToU8(v)])))),
        // A real workbook with one part replaced by random XML.
        fc.tuple(part, xml).map(([p, x]) => {
          const base = buildXlsx([
            ['speaker', 'text'],
            ['seeker', '你好'],
            ['supporter', '嗯'],
          ]);
          return zipSync({ ...unzipAll(base), [p]: strToU8(x) });
        }),
        fc.uint8Array({ maxLength: 512 }).map((b) => Uint8Array.from([0x50, 0x4b, 0x03, 0x04, ...b])),
        // Cells far away: a small span, or one past the cell limit (the reader would allocate rows × columns).
        fc
          .oneof(
            fc.tuple(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 50 })),
            fc.tuple(fc.integer({ min: 2_000, max: 16_384 }), fc.integer({ min: 20_000, max: 1_048_576 })),
          )
          .map(([col, row]) => {
            const ref = `${columnName(col - 1)}${row}`;
            const sheet = `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="${row}"><c r="${ref}" t="s"><v>0</v></c></row></sheetData></worksheet>`;
            return zipSync({ ...unzipAll(buildXlsx([['speaker', 'text']])), 'xl/worksheets/sheet1.xml': strToU8(sheet) });
          }),
        // Zip-bomb-ish: a part that declares more than it holds (gigabytes) or less (its inflated data is cut).
        fc
          .tuple(
            fc.constantFrom(
              '[Content_Types].xml',
              'xl/workbook.xml',
              'xl/_rels/workbook.xml.rels',
              'xl/worksheets/sheet1.xml',
              'xl/sharedStrings.xml',
            ),
            fc.oneof(fc.integer({ min: 0, max: 65_536 }), fc.integer({ min: 2 ** 30 + 1, max: 2 ** 32 - 1 })),
          )
          .map(([p, size]) =>
            patchDeclaredSize(
              buildXlsx([
                ['speaker', 'text'],
                ['seeker', '你好'],
                ['supporter', '嗯'],
              ]),
              p,
              size,
            ),
          ),
      );
      await fc.assert(
        fc.asyncProperty(zips, fc.constantFrom('t.xlsx', 't.csv', 't'), async (bytes, name) => {
          await expectFileOutcome(name, bytes);
          const preview = await boundedAsync(() => previewTable(name, bytes));
          if (!preview.ok) expectImportError(name, preview.error);
        }),
        fuzzParams(0.5),
      );
    },
    fuzzTimeout(0.5, 1000),
  );

  it(
    'XLSX with random cell values: labels out of range, numbers, empty cells, any layout',
    async () => {
      const value = fc.oneof(
        fc.constant(null),
        fc.string({ maxLength: 6 }),
        fc.integer({ min: -10, max: 20 }),
        fc.double({ noNaN: true }),
        fc.constantFrom('seeker', 'supporter', 'speaker', 'text', 'label', '来访者', '7', '8', '安全回复'),
      );
      await fc.assert(
        fc.asyncProperty(fc.array(fc.array(value, { maxLength: 5 }), { maxLength: 8 }), async (rows) => {
          await expectFileOutcome('t.xlsx', buildXlsx(rows));
        }),
        fuzzParams(0.5),
      );
    },
    fuzzTimeout(0.5, 1000),
  );
});

function columnName(i: number): string {
  let s = '';
  for (let n = i + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

function unzipAll(bytes: Uint8Array): Record<string, Uint8Array> {
  return unzipSync(bytes);
}
