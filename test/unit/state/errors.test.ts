/**
 * A full disk in every shape browsers report it becomes one storage-full message that says what became of the
 * data and how to make room, in both languages; other errors are not mistaken for it. The importer keeps its
 * preview after a full disk, stores nothing, and imports the same file once space is there.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { EN, ZH } from '../../../src/lib/i18n/messages.ts';
import { formatMsg } from '../../../src/lib/i18n/msg.ts';
import { StorageFullError } from '../../../src/lib/storage/errors.ts';
import { listDatasets } from '../../../src/lib/storage/datasets.ts';
import { isStorageFull, storageFullMsg, toUiError, type UiError } from '../../../src/lib/state/errors.ts';
import { Importer } from '../../../src/lib/state/importer.svelte.ts';
import type { Workspace } from '../../../src/lib/state/workspace.svelte.ts';
import { strayCjk, strayLatin } from '../../helpers/i18n-text.ts';
import { openFreshDb, simulateQuotaAfter } from '../../helpers/storage.ts';

const zh = (e: UiError) => (e.kind === 'storage-full' ? formatMsg(e.msg, ZH) : '');
const en = (e: UiError) => (e.kind === 'storage-full' ? formatMsg(e.msg, EN) : '');

describe('toUiError: a full disk', () => {
  const shapes: [string, unknown][] = [
    ['StorageFullError (writeTx)', new StorageFullError()],
    ['QuotaExceededError DOMException', new DOMException('quota', 'QuotaExceededError')],
    ['Firefox NS_ERROR_DOM_QUOTA_REACHED', { name: 'NS_ERROR_DOM_QUOTA_REACHED' }],
    ['legacy code 22', { name: 'Error', code: 22 }],
  ];
  for (const [name, e] of shapes) {
    it(`maps ${name} to storage-full`, () => {
      expect(isStorageFull(e)).toBe(true);
      expect(toUiError(e).kind).toBe('storage-full');
    });
  }

  it('does not mistake other failures for a full disk', () => {
    for (const e of [new DOMException('aborted', 'AbortError'), new Error('quota'), { code: 21 }, null, 'QuotaExceededError']) {
      expect(isStorageFull(e)).toBe(false);
      expect(toUiError(e).kind).toBe('message');
    }
  });

  it('an import says nothing was stored, how to make room, and which button retries', () => {
    const e = toUiError(new StorageFullError(), { action: 'import' });
    expect(zh(e)).toContain('没有导入');
    expect(zh(e)).toContain('已保存的数据没有任何改动');
    for (const ways of ['删除不再需要的数据集', `“${ZH.backup}”`, `“${ZH.wipe}”`, '浏览器设置', `“${ZH.confirmImport}”`]) {
      expect(zh(e)).toContain(ways);
    }
    for (const ways of ['delete datasets', `“${EN.backup}”`, `“${EN.wipe}”`, 'browser’s settings', `“${EN.confirmImport}”`]) {
      expect(en(e)).toContain(ways);
    }
  });

  it('scoring says every finished result is kept, how many, and that resume carries on', () => {
    const e = toUiError(new StorageFullError(), { action: 'scoring', scored: 96, total: 480 });
    expect(zh(e)).toContain('已评估 96 / 480');
    expect(zh(e)).toContain(`“${ZH.resume}”`);
    expect(en(e)).toContain('96 of 480 scored');
    expect(en(e)).toContain(`“${EN.resume}”`);
  });

  it('every action has its own text, in the right script', () => {
    const all = [
      storageFullMsg({ action: 'import' }),
      storageFullMsg({ action: 'scoring', scored: 1, total: 2 }),
      storageFullMsg({ action: 'restore' }),
      storageFullMsg({ action: 'other' }),
    ];
    expect(new Set(all.map((m) => m.key)).size).toBe(4);
    for (const m of all) {
      expect(strayLatin(formatMsg(m, ZH)), m.key).toEqual([]);
      expect(strayCjk(formatMsg(m, EN)), m.key).toBe(false);
      expect(formatMsg(m, EN), m.key).not.toMatch(/\{\w+\}/);
    }
  });
});

describe('Importer on a full disk', () => {
  let restore: (() => void) | undefined;
  afterEach(() => restore?.());

  it('keeps the preview with the message, stores nothing, and imports once there is room', async () => {
    const db = await openFreshDb();
    const workspace = { db: () => Promise.resolve(db), askPersistence: () => Promise.resolve(), refresh: () => Promise.resolve() };
    const importer = new Importer(workspace as unknown as Workspace);
    await importer.fromSample();
    expect(importer.status).toBe('preview');
    restore = simulateQuotaAfter(3);
    expect(await importer.confirm()).toBeUndefined();
    expect(importer.status).toBe('preview');
    expect(importer.error?.kind).toBe('storage-full');
    expect(importer.error?.kind === 'storage-full' && importer.error.msg.key).toBe('storageFullImport');
    expect(await listDatasets(db)).toEqual([]);
    expect(await db.count('dialogues')).toBe(0);
    expect(await db.count('items')).toBe(0);
    restore();
    restore = undefined;
    const id = await importer.confirm();
    expect(id).toBeTypeOf('string');
    expect((await listDatasets(db)).map((d) => d.id)).toEqual([id]);
  });
});
