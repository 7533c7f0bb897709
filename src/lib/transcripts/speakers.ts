/**
 * Speaker names seen in Chinese counseling transcripts and chat logs, mapped to
 * the engine's two roles. Keys are lower-case; lookups lower-case their input.
 * 'A'/'B' follow the common convention that A is the help-seeker.
 */
import type { Speaker } from '../inference/types.ts';

const SPEAKER_NAMES: Record<string, Speaker> = {
  seeker: 'seeker',
  user: 'seeker',
  client: 'seeker',
  patient: 'seeker',
  human: 'seeker',
  a: 'seeker',
  来访者: 'seeker',
  求助者: 'seeker',
  用户: 'seeker',
  患者: 'seeker',
  提问者: 'seeker',
  supporter: 'supporter',
  assistant: 'supporter',
  counselor: 'supporter',
  counsellor: 'supporter',
  therapist: 'supporter',
  bot: 'supporter',
  gpt: 'supporter',
  b: 'supporter',
  咨询师: 'supporter',
  支持者: 'supporter',
  助手: 'supporter',
  心理咨询师: 'supporter',
  回复者: 'supporter',
};

/** Maps a speaker name or role to seeker/supporter, or undefined when unknown. */
export function normalizeSpeaker(raw: unknown): Speaker | undefined {
  if (typeof raw !== 'string') return undefined;
  return SPEAKER_NAMES[raw.trim().toLowerCase()];
}

/** Names usable as a line prefix in plain-text transcripts, longest first so 心理咨询师 wins over 咨询师. */
export const SPEAKER_PREFIXES: readonly string[] = Object.keys(SPEAKER_NAMES).sort((x, y) => y.length - x.length);
