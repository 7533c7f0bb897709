/** What went wrong, so the UI can choose a message (zh/en) and tests can assert it. */
export type ImportErrorCode =
  | 'empty'
  | 'too-large'
  | 'encoding'
  | 'malformed-json'
  | 'unknown-format'
  | 'missing-column'
  | 'invalid-xlsx'
  | 'no-dialogues';

/**
 * A file that cannot be imported at all. `message` reads
 * "<file>: <where>: <detail>" so it is useful even when shown raw.
 */
export class ImportError extends Error {
  override name = 'ImportError';
  readonly code: ImportErrorCode;
  readonly file: string;
  /** e.g. 'line 3, column 7', 'row 1', or undefined when it concerns the whole file. */
  readonly where?: string;
  readonly detail: string;

  constructor(code: ImportErrorCode, file: string, detail: string, where?: string) {
    super(where ? `${file}: ${where}: ${detail}` : `${file}: ${detail}`);
    this.code = code;
    this.file = file;
    this.where = where;
    this.detail = detail;
  }
}
