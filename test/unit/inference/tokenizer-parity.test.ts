import { readFileSync } from 'node:fs';
import { AutoTokenizer, env } from '@huggingface/transformers';
import { describe, expect, it } from 'vitest';

/**
 * Ids from training/tokenizer.py (the fixture) must equal transformers.js' ids for the character WordPiece tokenizer
 * of v1/v2 (kept with the v2 model in test/fixtures/models: finetune --fresh-encoder and wide_probe still use it).
 * The shipped model's Unigram tokenizer has its own parity test (unigram-parity).
 */
const fixture = JSON.parse(readFileSync('test/fixtures/tokenizer-parity.json', 'utf8')) as {
  cases: { text: string; ids: number[] }[];
};

describe('tokenizer parity with the Python training tokenizer', async () => {
  env.allowRemoteModels = false;
  env.localModelPath = 'test/fixtures/models/';
  const tokenizer = await AutoTokenizer.from_pretrained('xinan-safety-zh-v2', { local_files_only: true });

  it.each(fixture.cases.map((c) => [c.text.slice(0, 40), c] as const))('%s', (_, c) => {
    expect(tokenizer.encode(c.text, { add_special_tokens: false })).toEqual(c.ids);
  });

  it('keeps speaker markers as single tokens and Chinese chars known', () => {
    const ids = tokenizer.encode('[seeker]你好[supporter]嗯嗯', { add_special_tokens: false });
    expect(ids).toHaveLength(6);
    const unk = tokenizer.encode('[UNK]', { add_special_tokens: false })[0];
    expect(ids).not.toContain(unk);
  });
});
