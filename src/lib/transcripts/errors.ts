import { enText, msg, type Msg } from '../i18n/msg.ts';

/** What went wrong, so the UI can choose a message (zh/en) and tests can assert it. */
export type ImportErrorCode =
  'empty' | 'too-large' | 'encoding' | 'malformed-json' | 'unknown-format' | 'missing-column' | 'invalid-xlsx' | 'no-dialogues';

/**
 * A file that cannot be imported at all. `where` and `detail` are messages (keys + params) the UI
 * shows in its language; `message` is the English "<file>: <where>: <detail>" for the CLI and logs.
 */
export class ImportError extends Error {
  override name = 'ImportError';
  readonly code: ImportErrorCode;
  readonly file: string;
  /** e.g. line 3, column 7 / row 1; undefined when it concerns the whole file. */
  readonly where?: Msg;
  readonly detail: Msg;
  /** The whole message, for the UI to render in the current language. */
  readonly msg: Msg;

  constructor(code: ImportErrorCode, file: string, detail: Msg, where?: Msg) {
    const m = where ? msg('errAt', { file, where, detail }) : msg('errIn', { file, detail });
    super(enText(m));
    this.code = code;
    this.file = file;
    this.where = where;
    this.detail = detail;
    this.msg = m;
  }
}
