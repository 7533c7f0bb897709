import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { classEvent, crisisEvent, mergeLogs, noteEvent, replay, reviewerSource } from '../../../src/lib/review/audit.ts';
import { compareSources } from '../../../src/lib/review/agreement.ts';
import type { ReviewEvent } from '../../../src/lib/review/types.ts';
import {
  eventsForDataset,
  eventsFromTable,
  parseReviewFile,
  ReviewFileError,
  reviewTable,
  toReviewFile,
} from '../../../src/lib/review/file.ts';

const model = { id: 'm', sha256: 'h', label: 7 };
const base = (reviewer: string, datasetId: string, item: string, at: number) => ({
  reviewer,
  datasetId,
  itemId: `${datasetId}/${item}`,
  at,
  id: `${reviewer}${at}`,
  model,
  blind: true,
});

function fileOf(reviewer: string, datasetId: string, labels: number[]) {
  const events: ReviewEvent[] = labels.map((l, i) => classEvent(base(reviewer, datasetId, `d${i}/1`, i + 1), null, l as 0));
  events.push(noteEvent(base(reviewer, datasetId, 'd0/1', 99), null, '备注, with "quotes"'));
  events.push(crisisEvent(base(reviewer, datasetId, 'd1/1', 100), 'risk', null, 'wrong'));
  return toReviewFile(events, { datasetName: 'sample', reviewer, exportedAt: '2026-11-30T00:00:00.000Z' });
}

const items = new Set(['d0/1', 'd1/1', 'd2/1', 'd3/1'].map((k) => `local/${k}`));

describe('review file', () => {
  it('holds item keys and no transcript text unless asked', () => {
    const f = fileOf('A', 'devA', [7, 3]);
    expect(f.events[0]).toMatchObject({ item: 'd0/1', reviewer: 'A', blind: true });
    expect(f.events[0]).not.toHaveProperty('datasetId');
    expect(JSON.stringify(f)).not.toContain('response');
    const withText = toReviewFile([classEvent(base('A', 'devA', 'd0/1', 1), null, 7)], {
      datasetName: 's',
      reviewer: 'A',
      exportedAt: 'x',
      texts: new Map([
        ['devA/d0/1', '你好'],
        ['devA/d9/1', '不在'],
      ]),
    });
    expect(withText.texts).toEqual({ 'd0/1': '你好' });
  });

  it("two reviewers' files from different devices merge into one dataset, and κ follows", () => {
    const fa = parseReviewFile(JSON.stringify(fileOf('A', 'devA', [7, 3, 7, 2])));
    const fb = parseReviewFile(JSON.stringify(fileOf('B', 'devB', [7, 3, 5, 2])));
    const merged = mergeLogs(eventsForDataset(fa, 'local', items), eventsForDataset(fb, 'local', items));
    expect(merged.added).toHaveLength(6);
    const book = replay(merged.events);
    const r = compareSources(reviewerSource(book, 'A'), reviewerSource(book, 'B'), 8);
    // Hand count: 3 of 4 agree; A marginals 7:2, 3:1, 2:1; B 7:1, 3:1, 5:1, 2:1; p_e = (2·1 + 1 + 1)/16 = 0.25.
    expect(r.accuracy).toBe(0.75);
    expect(r.kappa).toBeCloseTo((0.75 - 0.25) / 0.75, 12);
    expect(book.byReviewer.get('B')!.get('local/d1/1')!.crisis).toEqual({ risk: 'wrong' });
  });

  it('round-trips through the CSV columns', () => {
    const f = fileOf('A', 'devA', [7, 3]);
    const csv = Papa.unparse(reviewTable(f));
    const rows = Papa.parse<string[]>(csv, { skipEmptyLines: true }).data;
    expect(eventsFromTable(rows)).toEqual(f.events);
  });

  it('rejects bad files with specific errors', () => {
    const err = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        expect(e).toBeInstanceOf(ReviewFileError);
        return e as ReviewFileError;
      }
      throw new Error('no error');
    };
    expect(err(() => parseReviewFile('{')).code).toBe('not-json');
    expect(err(() => parseReviewFile('{"type":"xinan-backup"}')).code).toBe('not-review-file');
    expect(err(() => parseReviewFile('{"type":"xinan-review","version":9,"events":[]}')).code).toBe('newer-version');
    const f = fileOf('A', 'devA', [7]);
    (f.events[0] as { after: unknown }).after = 9;
    const e = err(() => parseReviewFile(JSON.stringify(f)));
    expect([e.code, e.where, e.field]).toEqual(['bad-field', 'events[0]', 'after']);
    const g = fileOf('A', 'devA', [7]);
    g.events[0].item = 'nope/1';
    const u = err(() => eventsForDataset(g, 'local', items));
    expect([u.code, u.where, u.message]).toEqual(['unknown-item', 'events[0]', 'events[0]: item: "nope/1" is not a reply of this dataset']);
    const rows = reviewTable(fileOf('A', 'devA', [7]));
    rows[1][rows[0].indexOf('blind')] = 'yes';
    expect(err(() => eventsFromTable(rows)).message).toBe('row 2: blind: expected true or false, got "yes"');
    expect(err(() => eventsFromTable([['event_id']])).code).toBe('missing-column');
  });
});
