import { msg, type Msg } from '../i18n/msg.ts';
import { isLabelId, LABELS, LABELS_ZH, type LabelId } from '../taxonomy.ts';
import { quoteValue } from './describe.ts';

/** Result of reading a gold-label cell: absent, a valid id, or a value we must report. */
export type LabelRead = { ok: true; label?: LabelId } | { ok: false; reason: Msg };

/**
 * Accepts 0–7 as a number or numeric string, or a class name in English or Chinese
 * (case-insensitive), because annotators' spreadsheets use all three. Empty means "no label".
 */
export function readLabel(raw: unknown): LabelRead {
  if (raw === undefined || raw === null || raw === '') return { ok: true };
  if (typeof raw === 'number') {
    return isLabelId(raw) ? { ok: true, label: raw } : { ok: false, reason: msg('skipLabelNotId', { label: raw }) };
  }
  if (typeof raw !== 'string') return { ok: false, reason: msg('skipLabelNotId', { label: quoteValue(raw) }) };
  const s = raw.trim();
  if (s === '') return { ok: true };
  if (/^\d+$/.test(s)) return readLabel(Number(s));
  const en = LABELS.findIndex((l) => l.toLowerCase() === s.toLowerCase());
  if (en >= 0) return { ok: true, label: en as LabelId };
  const zh = LABELS_ZH.findIndex((l) => l === s);
  if (zh >= 0) return { ok: true, label: zh as LabelId };
  return { ok: false, reason: msg('skipLabelUnknown', { label: quoteValue(s) }) };
}
