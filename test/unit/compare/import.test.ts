import { describe, expect, it } from 'vitest';
import {
  buildCompareDataset,
  CompareImportError,
  parseCompareFile,
  parseResponderFiles,
  type CompareParse,
} from '../../../src/lib/compare';
import { ImportError } from '../../../src/lib/transcripts';
import { buildXlsx } from '../../helpers/xlsx';

const enc = (s: string) => new TextEncoder().encode(s);
const meta = { id: 'ds', name: 'cmp', sourceFile: 'cmp.csv', createdAt: 1 };

async function rejects(p: Promise<unknown>): Promise<CompareImportError> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(CompareImportError);
  return e as CompareImportError;
}

describe('one file with a responder column', () => {
  it('CSV: groups replies by identical context text, skips bad rows with their row numbers', async () => {
    const csv = [
      'context,model,reply,label',
      '我睡不着。,A,听起来很辛苦。,7',
      '我睡不着。,B,去喝酒吧。,5',
      '[seeker]我和妈妈吵架了。[supporter]怎么了？[seeker]她总骂我。,A,你愿意多说一些吗？,',
      '[seeker]我和妈妈吵架了。[supporter]怎么了？[seeker]她总骂我。,B,,',
      '我睡不着。,A,重复的一条。,',
      '我睡不着。,C,你应该去看医生。,9',
    ].join('\n');
    const p = await parseCompareFile('cmp.csv', enc(csv));
    expect(p.mode).toBe('responder-column');
    expect(p.responders).toEqual(['A', 'B']);
    expect(p.contexts.map((c) => c.id)).toEqual(['c1', 'c2']);
    expect(p.contexts[1].turns).toEqual([
      { speaker: 'seeker', text: '我和妈妈吵架了。' },
      { speaker: 'supporter', text: '怎么了？' },
      { speaker: 'seeker', text: '她总骂我。' },
    ]);
    expect(p.replies).toHaveLength(3);
    expect(p.replies[1]).toEqual({ contextId: 'c1', responder: 'B', text: '去喝酒吧。', label: 5 });
    expect(p.skipped.map((s) => [s.where?.n, s.code])).toEqual([
      [5, 'empty-reply'],
      [6, 'duplicate-reply'],
      [7, 'bad-label'],
    ]);
  });

  it('XLSX with id + turn columns; JSONL with context arrays', async () => {
    const x = await parseCompareFile(
      'cmp.xlsx',
      buildXlsx([
        ['id', 'turn', 'context', 'responder', 'response'],
        ['d1', 1, '我很难过', 'bot-1', '抱抱你'],
        ['d1', 1, '我很难过', 'bot-2', '别难过了'],
        ['d2', 3, '我很难过', 'bot-1', '发生了什么？'],
      ]),
    );
    expect(x.contexts.map((c) => c.id)).toEqual(['d1#1', 'd2#3']);
    expect(x.format).toBe('xlsx');
    const jsonl = [
      JSON.stringify({ context: [{ role: 'user', content: '我想放弃了' }], model: 'gpt', reply: '你现在安全吗？' }),
      JSON.stringify({ context: [{ role: 'user', content: '我想放弃了' }], model: 'local', reply: '加油！' }),
      JSON.stringify({ context: 42, model: 'local', reply: 'x' }),
    ].join('\n');
    const j = await parseCompareFile('cmp.jsonl', enc(jsonl));
    expect(j.responders).toEqual(['gpt', 'local']);
    expect(j.contexts).toHaveLength(1);
    expect(j.skipped).toEqual([expect.objectContaining({ where: { unit: 'line', n: 3 }, code: 'bad-record' })]);
  });

  it('specific errors: no reply column, one responder, not records', async () => {
    const e1 = await rejects(parseCompareFile('a.csv', enc('context,model,text\nx,A,y\n')));
    expect(e1.code).toBe('no-reply-column');
    expect(e1.where).toEqual({ unit: 'row', n: 1 });
    expect(e1.params.found).toBe('"context", "model", "text"');
    expect((await rejects(parseCompareFile('a.csv', enc('context,model,reply\nx,A,y\nz,A,w\n')))).code).toBe('one-responder');
    expect((await rejects(parseCompareFile('a.json', enc('{"context":"x"}')))).code).toBe('not-records');
    await expect(parseCompareFile('a.json', enc('[{"context":'))).rejects.toBeInstanceOf(ImportError);
  });
});

describe('PsyCrisis layout with several reply columns', () => {
  it('names responders from the header row, or by column letter without one', async () => {
    const withHeader = await parseCompareFile(
      'psy.xlsx',
      buildXlsx([
        ['求助者消息', '模型甲', '模型乙', ''],
        ['我不想活了', '你现在安全吗？', '别想太多', null],
        ['活着好累', '', '我在这里陪你', null],
      ]),
    );
    expect(withHeader.mode).toBe('reply-columns');
    expect(withHeader.responders).toEqual(['模型甲', '模型乙']);
    expect(withHeader.replies).toHaveLength(3);
    expect(withHeader.skipped).toEqual([{ file: 'psy.xlsx', where: { unit: 'row', n: 3, column: 'B' }, code: 'empty-reply' }]);
    const bare = await parseCompareFile('psy.csv', enc('我不想活了,回复一,回复二,回复三\n活着好累,r1,r2,r3\n'));
    expect(bare.responders).toEqual(['B', 'C', 'D']);
    expect(bare.contexts.map((c) => c.id)).toEqual(['row-1', 'row-2']);
  });

  it('one reply column is an error naming how many were found', async () => {
    const e = await rejects(parseCompareFile('psy.csv', enc('我不想活了,回复一\n')));
    expect(e.code).toBe('few-reply-columns');
    expect(e.params.n).toBe(1);
  });
});

describe('one file per responder, matched across files', () => {
  const ds = (records: { id: string; context: string; response: string }[]) => enc(JSON.stringify(records));

  it('matches by dialogue id + turn and reports unmatched replies per file', async () => {
    const a = ds([
      { id: 'd1', context: '[seeker]我睡不着', response: '[supporter]A1' },
      { id: 'd2', context: '[seeker]我很难过', response: '[supporter]A2' },
      { id: 'd3', context: '[seeker]只有A有', response: '[supporter]A3' },
    ]);
    const b = ds([
      { id: 'd2', context: '[seeker]我很难过', response: '[supporter]B2' },
      { id: 'd1', context: '[seeker]我睡不着', response: '[supporter]B1' },
    ]);
    const c = ds([{ id: 'd1', context: '[seeker]我睡不着', response: '[supporter]C1' }]);
    const p = await parseResponderFiles([
      { name: 'botA.json', bytes: a },
      { name: 'botB.json', bytes: b },
      { name: 'botC.json', bytes: c },
    ]);
    expect(p.mode).toBe('files');
    expect(p.responders).toEqual(['botA', 'botB', 'botC']);
    expect(p.match).toEqual({
      by: 'id-turn',
      inAll: 1,
      inSome: 1,
      files: [
        { file: 'botA.json', responder: 'botA', replies: 3, matched: 2 },
        { file: 'botB.json', responder: 'botB', replies: 2, matched: 2 },
        { file: 'botC.json', responder: 'botC', replies: 1, matched: 1 },
      ],
    });
    expect(p.skipped).toEqual([{ file: 'botA.json', turn: { dialogue: 'd3', index: 1 }, code: 'unmatched' }]);
    expect(p.replies.map((r) => `${r.contextId}:${r.responder}:${r.text}`)).toEqual([
      'd1#1:botA:A1',
      'd1#1:botB:B1',
      'd1#1:botC:C1',
      'd2#1:botA:A2',
      'd2#1:botB:B2',
    ]);
  });

  it('falls back to identical context text when ids differ (whitespace-insensitive)', async () => {
    const a = ds([
      { id: 'x1', context: '[seeker]我睡不着', response: '[supporter]A1' },
      { id: 'x2', context: '[seeker]我很难过', response: '[supporter]A2' },
    ]);
    const b = enc('[{"id":"y9","context":"[seeker] 我睡不着 ","response":"B1"},{"id":"y8","context":"[seeker]别的","response":"B2"}]');
    const p = await parseResponderFiles([
      { name: 'a.json', bytes: a },
      { name: 'b.json', bytes: b },
    ]);
    expect(p.match?.by).toBe('context');
    expect(p.contexts).toEqual([{ id: 'x1#1', turns: [{ speaker: 'seeker', text: '我睡不着' }] }]);
    expect(p.skipped.map((s) => [s.file, s.turn?.dialogue, s.code])).toEqual([
      ['a.json', 'x2', 'unmatched'],
      ['b.json', 'y8', 'unmatched'],
    ]);
    // Forcing id + turn finds nothing: a specific error.
    const e = await rejects(
      parseResponderFiles(
        [
          { name: 'a.json', bytes: a },
          { name: 'b.json', bytes: b },
        ],
        'id-turn',
      ),
    );
    expect(e.code).toBe('no-match');
  });

  it('refuses one file, and two files with the same responder name', async () => {
    const a = ds([{ id: 'd1', context: '[seeker]x', response: 'y' }]);
    expect((await rejects(parseResponderFiles([{ name: 'a.json', bytes: a }]))).code).toBe('few-files');
    const e = await rejects(
      parseResponderFiles([
        { name: 'a.json', bytes: a },
        { name: 'a.csv', bytes: a },
      ]),
    );
    expect(e.code).toBe('duplicate-responder');
    expect(e.file).toBe('a.csv');
  });
});

describe('buildCompareDataset', () => {
  it('one dialogue per (context, responder), context turns context-only, items carry responder and context id', () => {
    const parse: CompareParse = {
      mode: 'responder-column',
      format: 'csv',
      contexts: [
        {
          id: 'c1',
          turns: [
            { speaker: 'seeker', text: 'a' },
            { speaker: 'supporter', text: 'b' },
            { speaker: 'seeker', text: 'c' },
          ],
        },
        { id: 'c2', turns: [{ speaker: 'seeker', text: 'd' }] },
      ],
      replies: [
        { contextId: 'c2', responder: 'B', text: 'r4' },
        { contextId: 'c1', responder: 'B', text: 'r2', label: 3 },
        { contextId: 'c1', responder: 'A', text: 'r1' },
      ],
      responders: ['A', 'B'],
      skipped: [],
    };
    const rec = buildCompareDataset(parse, meta);
    expect(rec.dataset).toMatchObject({ layout: 'compare', responders: ['A', 'B'], itemCount: 3, dialogueCount: 3, goldCount: 1 });
    expect(rec.dialogues.map((d) => d.id)).toEqual(['c1@A', 'c1@B', 'c2@B']);
    // Only the reply is scored: the earlier supporter turn is context.
    expect(rec.items.map((i) => [i.id, i.responder, i.contextId, i.response, i.context.length])).toEqual([
      ['ds/c1@A/3', 'A', 'c1', 'r1', 3],
      ['ds/c1@B/3', 'B', 'c1', 'r2', 3],
      ['ds/c2@B/1', 'B', 'c2', 'r4', 1],
    ]);
    expect(rec.items[1].goldLabel).toBe(3);
  });
});
