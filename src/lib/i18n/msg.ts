/**
 * A message as data: a key into messages.ts and its parameters, so pure layers (parsers, storage)
 * say what went wrong without choosing a language; the UI renders it in the current one, the CLI
 * and Error.message in English. Parameters may be messages themselves (e.g. a reason inside "row 4: …").
 */
import { EN, type MessageKey } from './messages.ts';

export type MsgParam = string | number | Msg;

export interface Msg {
  key: MessageKey;
  params?: Record<string, MsgParam>;
}

export function msg(key: MessageKey, params?: Record<string, MsgParam>): Msg {
  return params ? { key, params } : { key };
}

export function isMsg(x: unknown): x is Msg {
  return typeof x === 'object' && x !== null && typeof (x as { key?: unknown }).key === 'string';
}

/** Fills `{name}` placeholders; nested messages are rendered with the same dictionary. */
export function formatMsg(m: Msg, dict: Readonly<Record<MessageKey, string>>): string {
  const template = dict[m.key] ?? m.key;
  const params = m.params;
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, k: string) => {
    if (!(k in params)) return whole;
    const v = params[k];
    return isMsg(v) ? formatMsg(v, dict) : String(v);
  });
}

/** English text of a message: for Error.message, the CLI and logs. */
export function enText(m: Msg): string {
  return formatMsg(m, EN);
}
