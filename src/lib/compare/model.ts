/** What a comparison import produces before it is stored: shared contexts and the responders' replies to them. */
import type { LabelId } from '../taxonomy.ts';
import type { FormatId, Turn } from '../transcripts/model.ts';
import type { CompareSkip } from './errors.ts';

/** 'responder-column': one file, one row/record per reply; 'reply-columns': A = seeker message, B, C… = replies; 'files': one file per responder. */
export type CompareMode = 'responder-column' | 'reply-columns' | 'files';

export interface CompareContext {
  id: string;
  /** The turns before the replies, oldest first (the last is usually the seeker's). */
  turns: Turn[];
}

export interface CompareReply {
  contextId: string;
  responder: string;
  text: string;
  label?: LabelId;
}

export interface FileMatch {
  file: string;
  responder: string;
  /** Replies the file holds. */
  replies: number;
  /** Of those, replies whose context another file also answers. */
  matched: number;
}

/** How per-responder files were lined up, for the preview. */
export interface MatchReport {
  by: 'id-turn' | 'context';
  files: FileMatch[];
  /** Contexts every file answers. */
  inAll: number;
  /** Contexts at least two files (but not all) answer. */
  inSome: number;
}

export interface CompareParse {
  mode: CompareMode;
  format: FormatId;
  contexts: CompareContext[];
  replies: CompareReply[];
  /** In order of first appearance. */
  responders: string[];
  skipped: CompareSkip[];
  match?: MatchReport;
}
