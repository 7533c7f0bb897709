import { describe, expect, it } from 'vitest';
import { parseFile } from '../../../src/lib/transcripts/import.ts';
import { parseXlsx } from '../../../src/lib/transcripts/parse/xlsx.ts';
import { fixtureBytes } from '../../helpers/fixtures.ts';
import { buildXlsx } from '../../helpers/xlsx.ts';
import { skippedEn } from '../../helpers/i18n-text.ts';

describe('XLSX', () => {
  it('reads the PsyCrisis layout: A = seeker, B = reply, header row skipped', async () => {
    const r = await parseFile('psycrisis.xlsx', fixtureBytes('psycrisis.xlsx'));
    expect(r.format).toBe('xlsx');
    expect(r.dialogues.map((d) => d.id)).toEqual(['row-2', 'row-4']);
    expect(r.dialogues[0].turns[0]).toEqual({ speaker: 'seeker', text: '我真的撑不下去了，每天都想消失。' });
    expect(r.dialogues[0].turns[1].speaker).toBe('supporter');
    expect(skippedEn(r.skipped)).toEqual([{ where: 'row 5', reason: 'empty reply (column B)' }]);
  });

  it('reads a first row that is data, and a gold label in column C', async () => {
    const r = await parseXlsx(buildXlsx([['我很难过', '发生什么了？', 7]]), 'nohead.xlsx');
    expect(r.dialogues).toEqual([
      {
        id: 'row-1',
        turns: [
          { speaker: 'seeker', text: '我很难过' },
          { speaker: 'supporter', text: '发生什么了？', label: 7 },
        ],
      },
    ]);
  });

  it('reads a generic sheet with known headers in the long layout', async () => {
    const r = await parseFile('generic.xlsx', fixtureBytes('generic.xlsx'));
    expect(r.dialogues.map((d) => d.id)).toEqual(['s1', 's2']);
    expect(r.dialogues[1].turns[1]).toEqual({ speaker: 'supporter', text: '你应该马上开始节食。', label: 5 });
  });

  it('uses a column mapping for unknown headers', async () => {
    const bytes = buildXlsx([
      ['编号x', '发言者', '话'],
      ['k', '来访者', '我睡不着'],
      ['k', '咨询师', '多久了？'],
    ]);
    const r = await parseXlsx(bytes, 'm.xlsx', { mapping: { dialogueId: 0, speaker: 1, text: 2 } });
    expect(r.dialogues[0].turns.map((t) => t.text)).toEqual(['我睡不着', '多久了？']);
  });

  it('says which file is not a spreadsheet', async () => {
    await expect(parseFile('not-a-spreadsheet.xlsx', fixtureBytes('not-a-spreadsheet.xlsx'))).rejects.toMatchObject({
      code: 'invalid-xlsx',
      file: 'not-a-spreadsheet.xlsx',
    });
  });

  it('rejects a sheet with no text', async () => {
    await expect(parseXlsx(buildXlsx([[null, '']]), 'blank.xlsx')).rejects.toMatchObject({ code: 'empty' });
  });
});

describe('XLSX that is neither layout', () => {
  it('asks for a column mapping instead of misreading columns as pairs', async () => {
    const bytes = buildXlsx([
      ['编号x', '发言者', '话'],
      ['k', '来访者', '我睡不着'],
    ]);
    await expect(parseXlsx(bytes, 'odd.xlsx')).rejects.toMatchObject({
      code: 'missing-column',
      where: { key: 'whereRow', params: { n: 1 } },
    });
  });
});
