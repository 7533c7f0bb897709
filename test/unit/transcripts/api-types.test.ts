/**
 * Type tests for the public API the UI and CLI build on. They do nothing at run
 * time; `tsc --noEmit` fails if a signature drifts (CL tests/type-checks.ts).
 */
import { describe, expectTypeOf, it } from 'vitest';
import type { ItemScore } from '../../../src/lib/inference/types.ts';
import { binaryReport, classificationReport, cohenKappa, type ClassificationReport } from '../../../src/lib/metrics/index.ts';
import {
  createBackup,
  getScores,
  importDataset,
  missingItemIds,
  putScores,
  restoreBackup,
  type Backup,
  type StoredScore,
} from '../../../src/lib/storage/index.ts';
import {
  exportCsv,
  exportHtmlReport,
  exportJsonl,
  parseFile,
  parseTextInput,
  type Dataset,
  type ImportResult,
  type ParseResult,
  type ScoredItem,
} from '../../../src/lib/transcripts/index.ts';

describe('public API types', () => {
  it('metrics', () => {
    expectTypeOf(classificationReport).parameters.toEqualTypeOf<[readonly number[], readonly number[], number]>();
    expectTypeOf(classificationReport).returns.toEqualTypeOf<ClassificationReport>();
    expectTypeOf(binaryReport).returns.toEqualTypeOf<{ accuracy: number; precision: number; recall: number; f1: number }>();
    expectTypeOf(cohenKappa).returns.toBeNumber();
  });

  it('transcripts', () => {
    expectTypeOf(parseFile).returns.resolves.toEqualTypeOf<ImportResult>();
    expectTypeOf<ImportResult>().toExtend<ParseResult>();
    expectTypeOf(parseTextInput).returns.toEqualTypeOf<ParseResult>();
    expectTypeOf(exportCsv).parameter(0).toEqualTypeOf<readonly ScoredItem[]>();
    expectTypeOf(exportJsonl).returns.toBeString();
    expectTypeOf(exportHtmlReport).returns.toBeString();
  });

  it('storage', () => {
    expectTypeOf(importDataset).returns.resolves.toEqualTypeOf<Dataset>();
    expectTypeOf(missingItemIds).returns.resolves.toEqualTypeOf<string[]>();
    expectTypeOf(getScores).returns.resolves.toEqualTypeOf<Map<string, StoredScore>>();
    expectTypeOf<StoredScore>().toExtend<ItemScore>();
    expectTypeOf(putScores).parameter(3).toEqualTypeOf<readonly { itemId: string; score: ItemScore }[]>();
    expectTypeOf(createBackup).returns.resolves.toEqualTypeOf<Backup>();
    expectTypeOf(restoreBackup).returns.resolves.toEqualTypeOf<Backup>();
  });
});
