/** Two-column message/reply CSVs read like the same columns in XLSX, and pairs chosen by hand. */
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../../src/lib/transcripts/parse/csv.ts';
import { parseTextInput } from '../../../src/lib/transcripts/import.ts';
import { skippedEn } from '../../helpers/i18n-text.ts';

describe('pairs in CSV', () => {
  it('a 问题,回答 CSV is read as message/reply pairs', () => {
    const r = parseTextInput('qa.csv', '问题,回答\n我最近总是失眠。,听起来你很辛苦，多久了？\n我想结束一切。,\n');
    expect(r.layout).toBe('pairs');
    expect(r.dialogues).toHaveLength(1);
    expect(r.dialogues[0].turns).toEqual([
      { speaker: 'seeker', text: '我最近总是失眠。' },
      { speaker: 'supporter', text: '听起来你很辛苦，多久了？' },
    ]);
    expect(skippedEn(r.skipped)).toEqual([{ where: 'row 3', reason: 'empty reply (column B)' }]);
  });

  it('a mapping can name the seeker and reply columns (any order, with a label column)', () => {
    const text = '编号,回复内容,来访者说,标注\n1,你可以试试深呼吸。,我好紧张,7\n2,别想那么多。,我睡不着,5\n';
    const r = parseCsv(text, 'x.csv', { layout: 'pairs', seeker: 2, reply: '回复内容', label: 3 });
    expect(r.layout).toBe('pairs');
    expect(r.dialogues.map((d) => d.turns.map((t) => t.text))).toEqual([
      ['我好紧张', '你可以试试深呼吸。'],
      ['我睡不着', '别想那么多。'],
    ]);
    expect(r.dialogues[1].turns[1].label).toBe(5);
  });

  it('three text columns with unknown headers still ask for a mapping', () => {
    expect(() => parseCsv('会话,谁,说了什么\n1,A,你好\n', 'u.csv')).toThrow(expect.objectContaining({ code: 'missing-column' }));
  });
});
