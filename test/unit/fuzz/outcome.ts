/**
 * What every importer call must end in: an ImportError that names the file, says what is wrong in a bounded
 * message and has a translated title (zh + en), or a result every later step can use. Anything else (a
 * TypeError, a RangeError from deep recursion, a hang) fails the property that produced it.
 */
import { expect } from 'vitest';
import { EN, ZH, type MessageKey } from '../../../src/lib/i18n/messages.ts';
import { enText, formatMsg } from '../../../src/lib/i18n/msg.ts';
import { isLabelId } from '../../../src/lib/taxonomy.ts';
import { buildDataset } from '../../../src/lib/transcripts/dataset.ts';
import { ImportError, type ImportErrorCode } from '../../../src/lib/transcripts/errors.ts';
import type { ParseResult } from '../../../src/lib/transcripts/model.ts';
import type { Outcome } from '../../helpers/fuzz.ts';

/** An error or skip reason that quotes a megabyte cell is unreadable; values are quoted short. */
export const MAX_MESSAGE = 600;

const CODES: readonly ImportErrorCode[] = [
  'empty',
  'too-large',
  'encoding',
  'malformed-json',
  'unknown-format',
  'missing-column',
  'invalid-xlsx',
  'no-dialogues',
];

/** The message key ErrorBox.svelte shows as the title for a code (importCodeMalformedJson for 'malformed-json'). */
export function codeKey(code: ImportErrorCode): MessageKey {
  return `importCode${code
    .split('-')
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join('')}` as MessageKey;
}

/** Codes whose cause is at one place in the file must say where. */
const WHERE: Partial<Record<ImportErrorCode, RegExp>> = {
  'malformed-json': /^line \d+(, column \d+)?$/,
  'missing-column': /^row 1$/,
};

export function expectImportError(file: string, error: unknown): ImportError {
  if (!(error instanceof ImportError)) {
    // Fail with the escaped error itself, so the counterexample shows what was thrown.
    throw new Error(
      `escaped a non-ImportError: ${error instanceof Error ? `${error.name}: ${error.message.slice(0, 300)}` : String(error)}`,
    );
  }
  expect(CODES).toContain(error.code);
  expect(error.file).toBe(file);
  expect(error.message.startsWith(`${file}: `)).toBe(true);
  expect(enText(error.detail).trim()).not.toBe('');
  expect(formatMsg(error.msg, ZH).length).toBeLessThanOrEqual(file.length + MAX_MESSAGE);
  expect(error.message.length).toBeLessThanOrEqual(file.length + MAX_MESSAGE);
  const where = WHERE[error.code];
  if (where) expect(enText(error.where!)).toMatch(where);
  const key = codeKey(error.code);
  expect(ZH[key]).toBeTruthy();
  expect(EN[key]).toBeTruthy();
  return error;
}

/** A parse result that storage and the views can take: real turns, labels 0–7, skips that say where and why. */
export function expectUsableResult(result: ParseResult): void {
  expect(result.dialogues.length).toBeGreaterThan(0);
  const ids = new Set<string>();
  for (const d of result.dialogues) {
    expect(typeof d.id).toBe('string');
    expect(ids.has(d.id)).toBe(false);
    ids.add(d.id);
    expect(d.turns.length).toBeGreaterThan(0);
    for (const t of d.turns) {
      expect(['seeker', 'supporter']).toContain(t.speaker);
      expect(typeof t.text).toBe('string');
      expect(t.text.trim()).not.toBe('');
      if (t.label !== undefined) expect(isLabelId(t.label)).toBe(true);
    }
  }
  for (const s of result.skipped) {
    expect(enText(s.where)).toMatch(/^(row \d+|line \d+(, column \d+)?|item \d+|file)$/);
    expect(enText(s.reason).trim()).not.toBe('');
    expect(enText(s.reason).length).toBeLessThanOrEqual(MAX_MESSAGE);
    expect(formatMsg(s.reason, ZH).length).toBeLessThanOrEqual(MAX_MESSAGE);
  }
  // What the confirm step does next must work too: item ids unique, gold labels valid.
  const { items, dataset } = buildDataset(result, { id: 'fuzz', name: 'f', sourceFile: 'f', createdAt: 0 });
  expect(new Set(items.map((i) => i.id)).size).toBe(items.length);
  expect(dataset.goldCount).toBe(items.filter((i) => isLabelId(i.goldLabel)).length);
}

/** The whole contract for one import call. */
export function expectImportOutcome(file: string, out: Outcome<ParseResult>): void {
  if (out.ok) expectUsableResult(out.value);
  else expectImportError(file, out.error);
}
