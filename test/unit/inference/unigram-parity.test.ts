import { readFileSync } from 'node:fs';
import { AutoTokenizer, env } from '@huggingface/transformers';
import { describe, expect, it } from 'vitest';

/**
 * The e5 encoder's tokenizer (XLM-R SentencePiece Unigram, vocabulary trimmed by `training import-e5`):
 * ids from training/unigram.py (the fixture) must equal transformers.js' ids. The fixture's vocabulary is
 * a real subset of e5's pieces with some removed, so Viterbi takes other paths and unknown runs occur.
 */
const fixture = JSON.parse(readFileSync('test/fixtures/unigram-parity.json', 'utf8')) as {
  cases: { text: string; ids: number[] }[];
};

describe('Unigram tokenizer parity with the Python training tokenizer', async () => {
  env.allowRemoteModels = false;
  env.localModelPath = 'test/fixtures/';
  const tokenizer = await AutoTokenizer.from_pretrained('unigram', { local_files_only: true });

  it.each(fixture.cases.map((c) => [c.text.slice(0, 40), c] as const))('%s', (_, c) => {
    expect(tokenizer.encode(c.text, { add_special_tokens: false })).toEqual(c.ids);
  });

  it('keeps the special tokens and speaker markers as single ids, as the engine looks them up', () => {
    for (const [t, id] of [
      ['[PAD]', 0],
      ['[UNK]', 1],
      ['[CLS]', 2],
      ['[SEP]', 3],
      ['[seeker]', 5],
      ['[supporter]', 6],
    ] as const) {
      expect(tokenizer.encode(t, { add_special_tokens: false })).toEqual([id]);
    }
    expect(fixture.cases.some((c) => c.ids.includes(1))).toBe(true);
  });
});
