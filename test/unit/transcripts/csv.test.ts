import { describe, expect, it } from 'vitest';
import { parseFile, previewTable } from '../../../src/lib/transcripts/import.ts';
import { parseCsv } from '../../../src/lib/transcripts/parse/csv.ts';
import { matchHeaders } from '../../../src/lib/transcripts/parse/table.ts';
import { fixtureBytes, fixtureText } from '../../helpers/fixtures.ts';
import { skippedEn } from '../../helpers/i18n-text.ts';

describe('CSV', () => {
  it('groups rows by dialogue id, keeps quoted multi-line text, inherits empty ids', () => {
    const r = parseCsv(fixtureText('dialogues.csv'), 'dialogues.csv');
    expect(r.format).toBe('csv');
    expect(r.dialogues.map((d) => d.id)).toEqual(['d1', 'd2']);
    expect(r.dialogues[0].turns[1]).toEqual({
      speaker: 'supporter',
      text: '这种感觉一定让你很不安，是发生了什么让你这样想吗？',
      label: 7,
    });
    const d2 = r.dialogues[1].turns;
    expect(d2.map((t) => t.speaker)).toEqual(['seeker', 'supporter', 'seeker', 'supporter']);
    expect(d2[1].text).toBe('不想吃饭，是胃口不好，还是心情不好？\n能和我说说吗？');
    expect(d2[3].label).toBe(2);
  });

  it('reports rows it skipped by spreadsheet row number', () => {
    const r = parseCsv(fixtureText('dialogues.csv'), 'dialogues.csv');
    // Row 5 spans two physical lines, so papaparse's record numbers are what a spreadsheet shows.
    expect(skippedEn(r.skipped)).toEqual([
      { where: 'row 8', reason: 'unknown speaker "narrator"' },
      { where: 'row 9', reason: 'empty text' },
    ]);
  });

  it('recognises Chinese headers, class names as labels, and a BOM', async () => {
    const r = await parseFile('dialogues-bom-zh.csv', fixtureBytes('dialogues-bom-zh.csv'));
    expect(r.encoding).toBe('utf-8');
    expect(r.dialogues.map((d) => d.id)).toEqual(['1', '2']);
    expect(r.dialogues[0].turns[1].label).toBe(7);
    expect(r.dialogues[1].turns[1]).toEqual({ speaker: 'supporter', text: '你就是太矫情了。', label: 3 });
  });

  it('reads GB18030 files the same as UTF-8 ones', async () => {
    const gb = await parseFile('dialogues-gb18030.csv', fixtureBytes('dialogues-gb18030.csv'));
    const utf = await parseFile('dialogues-bom-zh.csv', fixtureBytes('dialogues-bom-zh.csv'));
    expect(gb.encoding).toBe('gb18030');
    expect(gb.dialogues).toEqual(utf.dialogues);
  });

  it('asks for a mapping when headers are unknown, and uses one by name or index', () => {
    const text = fixtureText('unknown-headers.csv');
    expect(() => parseCsv(text, 'unknown-headers.csv')).toThrow(
      expect.objectContaining({ code: 'missing-column', where: { key: 'whereRow', params: { n: 1 } } }),
    );
    const byName = parseCsv(text, 'u.csv', { dialogueId: '会话', speaker: '谁', text: '说了什么' });
    const byIndex = parseCsv(text, 'u.csv', { dialogueId: 0, speaker: 1, text: 2 });
    expect(byName.dialogues).toEqual(byIndex.dialogues);
    expect(byName.dialogues[0]).toEqual({
      id: 'x1',
      turns: [
        { speaker: 'seeker', text: '我和男朋友分手了。' },
        { speaker: 'supporter', text: '分手之后你过得怎么样？' },
      ],
    });
  });

  it('treats the whole table as one dialogue without an id column, and honours hasHeader: false', () => {
    const r = parseCsv('来访者,你好\n咨询师,你好呀\n', 'n.csv', { speaker: 0, text: 1, hasHeader: false });
    expect(r.dialogues).toHaveLength(1);
    expect(r.dialogues[0].turns).toHaveLength(2);
  });

  it('names the missing speaker column', () => {
    expect(() => parseCsv(fixtureText('missing-speaker.csv'), 'missing-speaker.csv')).toThrow(
      /missing-speaker\.csv: row 1: no speaker column \(found "dialogue_id", "text"/,
    );
  });

  it('rejects a mapping to a column that does not exist', () => {
    expect(() => parseCsv('a,b\n1,2\n', 'm.csv', { speaker: 'who', text: 'b' })).toThrow(/speaker column "who"/);
  });

  it('matches header aliases loosely', () => {
    expect(matchHeaders(['Dialogue ID', 'Role', 'Content'])).toEqual({ dialogueId: 0, speaker: 1, text: 2 });
  });
});

describe('previewTable (for the column-mapping step)', () => {
  it('returns the first rows of a CSV', async () => {
    const rows = await previewTable('unknown-headers.csv', fixtureBytes('unknown-headers.csv'), { rows: 2 });
    expect(rows).toEqual([
      ['会话', '谁', '说了什么'],
      ['x1', '来访者', '我和男朋友分手了。'],
    ]);
  });

  it('returns the first rows of an XLSX sheet', async () => {
    const rows = await previewTable('generic.xlsx', fixtureBytes('generic.xlsx'), { rows: 1 });
    expect(rows).toEqual([['session_id', 'role', 'content', 'label']]);
  });
});
