/** card.json next to the 8-class model: the card's numbers, and fingerprints that find dev.json (its training data) in an import. */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SAMPLE_RECORDS } from '../../../src/lib/sample/sample.ts';
import { countOverlap, fingerprint, fingerprintKey } from '../../../src/lib/transcripts/fingerprint.ts';
import { parseTextInput } from '../../../src/lib/transcripts/import.ts';
import { itemsFromDialogue } from '../../../src/lib/transcripts/model.ts';

const card = JSON.parse(readFileSync('models/xinan-safety-zh/card.json', 'utf8')) as {
  perClass: { id: number; recall: number }[];
  rarelyPredicted: number[];
  trainedOn: { items: number };
  trainingFingerprints: { hashes: string[] };
};
const known = new Set(card.trainingFingerprints.hashes);
const DEV = '../shared/data/dialoguesafety/dev.json';
const itemsOf = (name: string, text: string) => parseTextInput(name, text).dialogues.flatMap((d) => itemsFromDialogue('t', d));

describe('model card.json', () => {
  it('holds per-class recall for all 8 classes and the rarely predicted ones, and hashes only', () => {
    expect(card.perClass.map((c) => c.id)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(card.rarelyPredicted).toEqual(card.perClass.filter((c) => c.recall < 0.05).map((c) => c.id));
    expect(card.trainingFingerprints.hashes).toHaveLength(card.trainedOn.items);
    expect(card.trainingFingerprints.hashes.every((h) => /^[0-9a-f]{16}$/.test(h))).toBe(true);
  });

  it('fingerprints ignore whitespace but not the words', async () => {
    const a = await fingerprint([{ speaker: 'seeker', text: '我 睡不着' }], '多久了？ ');
    expect(await fingerprint([{ speaker: 'seeker', text: '我睡不着' }], '多久了？')).toBe(a);
    expect(await fingerprint([{ speaker: 'seeker', text: '我睡不着' }], '多久了')).not.toBe(a);
    expect(fingerprintKey([], 'x')).toBe('\nx');
  });

  it('the built-in sample does not overlap the training data', async () => {
    expect(await countOverlap(itemsOf('s.json', JSON.stringify(SAMPLE_RECORDS)), known)).toBe(0);
  });

  it.skipIf(!existsSync(DEV))('dev.json imported as a file overlaps it completely', async () => {
    const items = itemsOf('dev.json', readFileSync(DEV, 'utf8'));
    expect(await countOverlap(items, known)).toBe(items.length);
  });
});
