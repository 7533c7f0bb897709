/**
 * Errors and skipped records of the comparison import, as codes with parameters so the UI can show
 * them in Chinese or English (messages.ts `cmpErr_*`, `cmpSkip_*`); `message` is an English fallback.
 */
import type { Msg } from '../i18n/msg.ts';

export type CompareErrorCode =
  | 'no-reply-column'
  | 'no-context-column'
  | 'one-responder'
  | 'few-reply-columns'
  | 'few-files'
  | 'duplicate-responder'
  | 'no-match'
  | 'no-replies'
  | 'not-records';

/** Where in a file: a 1-based row (CSV/XLSX), line (JSONL) or item (JSON array). */
export interface Where {
  unit: 'row' | 'line' | 'item';
  n: number;
  /** Spreadsheet column letter, when the problem is one cell. */
  column?: string;
}

export class CompareImportError extends Error {
  override name = 'CompareImportError';
  readonly code: CompareErrorCode;
  readonly file: string;
  readonly where?: Where;
  /** Values the translated message fills in (e.g. the header cells found). */
  readonly params: Record<string, string | number>;

  constructor(code: CompareErrorCode, file: string, english: string, params: Record<string, string | number> = {}, where?: Where) {
    super(`${file}: ${where ? `${formatWhere(where)}: ` : ''}${english}`);
    this.code = code;
    this.file = file;
    this.where = where;
    this.params = params;
  }
}

export type SkipCode =
  'empty-reply' | 'empty-context' | 'empty-responder' | 'duplicate-reply' | 'bad-label' | 'bad-record' | 'unmatched' | 'parser';

/** A record left out of the comparison, and why. `detail` is the parser's own reason, as a translatable message. */
export interface CompareSkip {
  file: string;
  where?: Where;
  /** For unmatched replies of per-responder files: the dialogue id and turn. */
  turn?: { dialogue: string; index: number };
  code: SkipCode;
  detail?: Msg;
}

export function formatWhere(w: Where): string {
  return `${w.unit} ${w.n}${w.column ? `, column ${w.column}` : ''}`;
}

/** 0 → A, 25 → Z, 26 → AA. */
export function columnLetter(i: number): string {
  let s = '';
  for (let n = i + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}
