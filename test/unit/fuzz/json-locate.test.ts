/** The JSON error locator agrees with JSON.parse on what is valid, on random and on near-valid text. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonErrorOffset } from '../../../src/lib/transcripts/parse/json-locate.ts';
import { fuzzParams, fuzzTimeout, nestJson } from '../../helpers/fuzz.ts';

const parses = (s: string) => {
  try {
    JSON.parse(s);
    return true;
  } catch {
    return false;
  }
};

/** JSON text with one random edit: a deletion, an insertion of JSON punctuation, or a cut. */
const nearJson = fc
  .tuple(
    fc.jsonValue({ maxDepth: 4 }),
    fc.nat(),
    fc.constantFrom('', '{', '}', '[', ']', ',', ':', '"', '\\', '\n', '\u0001', 'tru', '-', '01', '1.', '.5', '1e', ' '),
    fc.boolean(),
  )
  .map(([v, at, ins, cut]) => {
    const s = JSON.stringify(v, null, at % 3 === 0 ? 2 : undefined);
    const i = at % (s.length + 1);
    return cut ? s.slice(0, i) : s.slice(0, i) + ins + s.slice(i + (ins === '' ? 1 : 0));
  });

describe('fuzz: JSON error locator', () => {
  it(
    'says -1 exactly when JSON.parse accepts, and an offset inside the text otherwise',
    () => {
      fc.assert(
        fc.property(fc.oneof(nearJson, fc.string({ maxLength: 30 }), fc.json()), (s) => {
          const at = jsonErrorOffset(s);
          expect(at === -1).toBe(parses(s));
          if (at !== -1) {
            expect(at).toBeGreaterThanOrEqual(0);
            expect(at).toBeLessThanOrEqual(s.length);
          }
        }),
        fuzzParams(5),
      );
    },
    fuzzTimeout(5, 20),
  );

  it('points at the character V8 names when V8 gives a position', () => {
    expect(jsonErrorOffset('{"a": 1,}')).toBe(8);
    expect(jsonErrorOffset('[1, 2')).toBe(5);
    expect(jsonErrorOffset('{"a" 1}')).toBe(5);
    expect(jsonErrorOffset('"\u0001"')).toBe(1);
    expect(jsonErrorOffset('[1] x')).toBe(4);
  });

  it('does not overflow the stack on 1,000,000 levels of nesting', () => {
    expect(jsonErrorOffset(nestJson('1', 1_000_000, 'array'))).toBe(-1);
    expect(jsonErrorOffset(nestJson('1', 1_000_000, 'object').slice(0, -1))).toBe(6_000_000);
  });
});
