/**
 * The import flow's rune classes against real storage (fake-indexeddb): preview before storing,
 * specific errors, the column-mapping step, and existing data untouched by a failed import or restore.
 */
import { readFileSync } from 'node:fs';
import { IDBFactory } from 'fake-indexeddb';
import { beforeEach, describe, expect, it } from 'vitest';
import { getItems } from '../../src/lib/storage/index.ts';
import { Importer } from '../../src/lib/state/importer.svelte.ts';
import { Workspace } from '../../src/lib/state/workspace.svelte.ts';
import { enText } from '../helpers/i18n-text.ts';

const FIXTURES = 'test/fixtures/transcripts';
const file = (name: string) => new File([readFileSync(`${FIXTURES}/${name}`)], name);

describe('Importer + Workspace', () => {
  let workspace: Workspace;
  let importer: Importer;

  beforeEach(async () => {
    globalThis.indexedDB = new IDBFactory();
    workspace = new Workspace();
    importer = new Importer(workspace);
    await workspace.init();
  });

  it('previews the sample without storing, then stores it on confirm', async () => {
    await importer.fromSample();
    expect(importer.status).toBe('preview');
    expect(importer.preview?.itemCount).toBe(9);
    expect(importer.preview?.goldCount).toBe(9);
    await workspace.refresh();
    expect(workspace.datasets).toHaveLength(0);
    const id = await importer.confirm();
    expect(importer.status).toBe('idle');
    expect(workspace.datasets.map((d) => d.id)).toEqual([id]);
    expect(await getItems(await workspace.db(), id!)).toHaveLength(9);
  });

  it('a malformed file gives a specific error and leaves stored data as it was', async () => {
    await importer.fromSample();
    await importer.confirm();
    const before = workspace.datasets;
    await importer.fromFile(file('malformed.json'));
    expect(importer.status).toBe('error');
    expect(importer.error).toMatchObject({ kind: 'message' });
    expect(importer.error?.kind === 'message' && importer.error.message).toMatch(/^malformed\.json: line \d+/);
    await workspace.refresh();
    expect(workspace.datasets).toEqual(before);
  });

  it('an empty file is refused before it is read', async () => {
    await importer.fromFile(new File([], 'empty.csv'));
    expect(importer.status).toBe('error');
    expect(importer.error?.kind === 'message' && importer.error.message).toMatch(/empty\.csv: the file is empty/);
  });

  it('a file of several hundred MB is refused by its size, before it is read', async () => {
    let read = false;
    const huge = {
      name: 'huge.csv',
      size: 400 * 1024 * 1024,
      arrayBuffer: async () => ((read = true), new ArrayBuffer(0)),
    } as unknown as File;
    await importer.fromFile(huge);
    expect(importer.status).toBe('error');
    expect(importer.error).toMatchObject({ code: 'too-large' });
    expect(importer.error?.kind === 'message' && importer.error.message).toMatch(/huge\.csv: is 400 MB; the limit is \d+ MB/);
    expect(read).toBe(false);
  });

  it('unknown CSV headers lead to the mapping step, and the mapping reads the file', async () => {
    await importer.fromFile(file('unknown-headers.csv'));
    expect(importer.status).toBe('mapping');
    expect(importer.headers).toEqual(['会话', '谁', '说了什么']);
    await importer.applyMapping({ dialogueId: 0, speaker: 1, text: 2 });
    expect(importer.status).toBe('preview');
    expect(importer.preview?.format).toBe('csv');
    expect(importer.preview!.itemCount).toBeGreaterThan(0);
  });

  it('a partly valid file lists the skipped records before confirming', async () => {
    await importer.fromFile(file('dialoguesafety-partial.json'));
    expect(importer.status).toBe('preview');
    const where = importer.preview!.skipped.map((s) => enText(s.where));
    expect(where).toEqual(expect.arrayContaining(['item 2', 'item 3', 'item 4']));
    importer.reset();
    expect(importer.preview).toBeUndefined();
  });

  it('a wipe whose backup does not read back is refused, says why, and keeps everything', async () => {
    await importer.fromSample();
    const id = await importer.confirm();
    const db = await workspace.db();
    // A record restore would refuse (e.g. written by a buggy version): the backup taken before the wipe cannot be read back.
    const [item] = await getItems(db, id!);
    await db.put('items', { ...item, goldLabel: 9 as 7 });
    const before = await db.getAll('items');
    expect(await workspace.wipe({ backupFirst: true })).toBe(false);
    expect(workspace.wipeRefused).toBe(true);
    expect(workspace.error).toMatchObject({
      kind: 'message',
      msg: { key: 'restoreInvalidAt', params: { path: 'items[0].goldLabel', detail: { key: 'restoreExpLabel' } } },
    });
    expect(await db.getAll('items')).toEqual(before);
    expect(workspace.datasets.map((d) => d.id)).toEqual([id]);
    // Without a backup (the user's explicit choice) the wipe goes ahead.
    expect(await workspace.wipe({ backupFirst: false })).toBe(true);
    expect(workspace.wipeRefused).toBe(false);
    expect(workspace.datasets).toEqual([]);
  });

  it('a bad backup is refused and the workspace is unchanged; delete removes a dataset', async () => {
    await importer.fromSample();
    const id = await importer.confirm();
    expect(await workspace.restore(file('malformed.json'))).toBeUndefined();
    expect(workspace.error).toMatchObject({
      kind: 'message',
      msg: { key: 'restoreInvalid', params: { detail: { key: 'restoreNotJson' } } },
    });
    expect(workspace.datasets.map((d) => d.id)).toEqual([id]);
    await workspace.remove(id!);
    expect(workspace.datasets).toEqual([]);
  });
});
