import { describe, expect, it } from 'vitest';
import {
  adjudicateEvent,
  classEvent,
  crisisEvent,
  eventTime,
  finalSource,
  itemHistory,
  mergeLogs,
  noteEvent,
  replay,
  reviewers,
  reviewerSource,
} from '../../../src/lib/review/audit.ts';
import type { ReviewEvent } from '../../../src/lib/review/types.ts';

const model = { id: 'xinan-safety-zh', sha256: 'abc', label: 7 };
const who = (reviewer: string, itemId: string, at: number, blind = false) => ({
  reviewer,
  datasetId: 'ds',
  itemId,
  at,
  id: `${reviewer}-${at}`,
  model,
  blind,
});

describe('audit replay', () => {
  it('derives the current verdict: latest event per reviewer, item and target wins', () => {
    const log: ReviewEvent[] = [
      classEvent(who('A', 'ds/d1/1', 3), 7, 3),
      classEvent(who('A', 'ds/d1/1', 1, true), null, 7),
      noteEvent(who('A', 'ds/d1/1', 2), null, '说教'),
      crisisEvent(who('A', 'ds/d1/1', 4), 'risk', null, 'wrong'),
      classEvent(who('A', 'ds/d1/3', 5), null, 'unsure'),
      classEvent(who('B', 'ds/d1/1', 2, true), null, 5),
    ];
    const book = replay(log);
    const a = book.byReviewer.get('A')!.get('ds/d1/1')!;
    expect(a).toMatchObject({ value: 3, blindValue: 7, blind: false, note: '说教', crisis: { risk: 'wrong' }, at: 4 });
    // The first event confirmed the model's label blind, the second changed it after the reveal.
    expect(log[1]).toMatchObject({ action: 'confirm', before: null, after: 7 });
    expect(log[0]).toMatchObject({ action: 'set', before: 7, after: 3 });
    expect(log[4]).toMatchObject({ action: 'unsure' });
    expect(reviewerSource(book, 'A')).toEqual(new Map([['ds/d1/1', 3]]));
    expect(reviewerSource(book, 'A', true)).toEqual(new Map([['ds/d1/1', 7]]));
    expect(reviewerSource(book, 'B')).toEqual(new Map([['ds/d1/1', 5]]));
    expect(reviewers(log)).toEqual(['A', 'B']);
    expect(itemHistory(log, 'ds/d1/1').map((e) => e.at)).toEqual([1, 2, 2, 3, 4]);
  });

  it('clearing removes the value, note and crisis verdict; adjudication sets the final label', () => {
    const book = replay([
      classEvent(who('A', 'x', 1), null, 2),
      classEvent(who('A', 'x', 2), 2, null),
      noteEvent(who('A', 'x', 3), null, 'n'),
      noteEvent(who('A', 'x', 4), 'n', '  '),
      crisisEvent(who('A', 'x', 5), 'empathy', null, 'correct'),
      crisisEvent(who('A', 'x', 6), 'empathy', 'correct', null),
      adjudicateEvent(who('C', 'x', 7), null, 4, { A: 2, B: 4 }),
    ]);
    const v = book.byReviewer.get('A')!.get('x')!;
    expect(v.value).toBeUndefined();
    expect(v.note).toBeUndefined();
    expect(v.crisis).toEqual({});
    expect(finalSource(book)).toEqual(new Map([['x', 4]]));
    expect(book.byReviewer.has('C')).toBe(false);
  });

  it('equal timestamps replay in id order, whatever the array order', () => {
    const e1 = classEvent({ ...who('A', 'x', 1), id: 'a' }, null, 1);
    const e2 = classEvent({ ...who('A', 'x', 1), id: 'b' }, 1, 2);
    expect(replay([e2, e1]).byReviewer.get('A')!.get('x')!.value).toBe(2);
  });
});

describe("merge of two reviewers' logs", () => {
  const a = [classEvent(who('A', 'x', 1), null, 7), classEvent(who('A', 'y', 2), null, 3)];
  const b = [classEvent(who('B', 'x', 1), null, 5), classEvent(who('B', 'y', 3), null, 3)];

  it('is a union by event id; importing the same file twice adds nothing', () => {
    const m = mergeLogs(a, b);
    expect(m.events).toHaveLength(4);
    expect(m.added).toHaveLength(2);
    expect(m.conflicts).toEqual([]);
    const again = mergeLogs(m.events, b);
    expect(again.added).toEqual([]);
    expect(again.events).toHaveLength(4);
    const book = replay(m.events);
    expect(reviewerSource(book, 'A')).toEqual(
      new Map([
        ['x', 7],
        ['y', 3],
      ]),
    );
    expect(reviewerSource(book, 'B')).toEqual(
      new Map([
        ['x', 5],
        ['y', 3],
      ]),
    );
  });

  it('never overwrites: a changed event under an existing id is kept as it was and reported', () => {
    const forged = { ...a[0], after: 0 as const };
    const m = mergeLogs(a, [forged]);
    expect(m.conflicts).toEqual([a[0].id]);
    expect(m.events.find((e) => e.id === a[0].id)).toEqual(a[0]);
  });

  it('events made here get strictly increasing times, so two in one millisecond replay in the order made', () => {
    const c = { reviewer: 'A', datasetId: 'ds', itemId: 'ds/d1/1', model, blind: false };
    const first = classEvent(c, null, 5);
    const second = classEvent(c, 5, 3);
    expect(second.at).toBeGreaterThan(first.at);
    const t = eventTime(1000);
    expect([eventTime(1000), eventTime(999)]).toEqual([t + 1, t + 2]);
    // Whatever the random ids, the later decision wins.
    for (const ids of [
      ['a', 'b'],
      ['b', 'a'],
    ]) {
      const log = [classEvent({ ...c, id: ids[0] }, null, 5), classEvent({ ...c, id: ids[1] }, 5, 3)];
      expect(replay(log).byReviewer.get('A')?.get('ds/d1/1')?.value).toBe(3);
    }
  });
});
