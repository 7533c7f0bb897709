/** A comparison is an ordinary dataset: it is stored in one transaction and survives backup/restore whole. */
import { describe, expect, it } from 'vitest';
import { buildCompareDataset, parseCompareFile } from '../../../src/lib/compare';
import { createBackup, restoreBackup, serializeBackup } from '../../../src/lib/storage/backup';
import { getDataset, getDialogues, getItems, importDataset } from '../../../src/lib/storage/datasets';
import { openFreshDb } from '../../helpers/storage';

describe('comparison dataset in storage', () => {
  it('keeps responders, context ids and item pairing through import and backup/restore', async () => {
    const csv = '求助者消息,甲,乙\n我睡不着,早点休息,听起来很辛苦\n我很难过,别难过,发生了什么？\n';
    const parse = await parseCompareFile('two.csv', new TextEncoder().encode(csv));
    const records = buildCompareDataset(parse, { id: 'cmp1', name: 'two.csv', sourceFile: 'two.csv', createdAt: 1 });
    const db = await openFreshDb();
    await importDataset(db, records);
    const backup = serializeBackup(await createBackup(db, 'v', 't'));
    const fresh = await openFreshDb();
    await restoreBackup(fresh, backup);
    for (const d of [db, fresh]) {
      expect(await getDataset(d, 'cmp1')).toMatchObject({ layout: 'compare', responders: ['甲', '乙'], itemCount: 4 });
      const items = await getItems(d, 'cmp1');
      expect(items.map((i) => [i.contextId, i.responder, i.response])).toEqual([
        ['row-2', '甲', '早点休息'],
        ['row-2', '乙', '听起来很辛苦'],
        ['row-3', '甲', '别难过'],
        ['row-3', '乙', '发生了什么？'],
      ]);
      expect((await getDialogues(d, 'cmp1')).map((x) => x.responder)).toEqual(['甲', '乙', '甲', '乙']);
    }
    db.close();
    fresh.close();
  });
});
