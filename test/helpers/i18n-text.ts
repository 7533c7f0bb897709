/**
 * Language checks over UI text: in zh mode no text run that is Latin only (outside a whitelist of
 * names that stay as they are: model ids, file formats, κ, P(unsafe)…), in en mode no CJK outside
 * user data (transcripts, dataset names). Used on server-rendered components and in the e2e run.
 */

/** Latin runs allowed in the Chinese UI: formats, symbols, ids and names that are not translated. */
export const ZH_LATIN_WHITELIST: readonly RegExp[] = [
  /^(CSV|JSONL|JSON|XLSX|HTML|TSV|TXT|DialogueSafety|PsyCrisis|PsyCrisis-Bench|UTF-8|GB18030|utf-8|utf-16le|utf-16be|gb18030)$/,
  /^(wasm|webgpu|WASM|WebGPU|SHA-256)$/,
  /^(Cohen|Fleiss|κ|F1|P|n|N|MB|NUL|LLM|Excel|true|false|correct|wrong|seeker|supporter|English)$/,
  /^(Wilson|McNemar|bootstrap|PNG|SVG|p)$/, // names of statistical methods and image formats, as Chinese texts write them
  /^[A-Z]$/, // spreadsheet columns A, B
  /^(Enter|Esc|Ctrl|Shift|Tab|[a-z])$/, // keyboard keys named in the review help
  /^\.?(xls|xlsx|csv)$/,
  /^(context|response|label|messages|role|content|type|version|id|responder|reply)$/, // field names inside files, as written there
  /^(dev\.json|train\.jsonl|valid|test|SMILECHAT|PsySUICIDE)$/, // training data names in the model cards
  /^xinan[-\w.]*$/, // model ids, e.g. xinan-safety-zh
  /^[a-f0-9]{8,}$/, // hashes
  /^(dialoguesafety-json|chat-json|chat-jsonl|csv|text|xlsx)$/, // format ids shown in the dataset list
  // model folders: file and field names as written in them, the runtime's terms
  /^(ONNX|OPFS|opset|onnx|model\.onnx|model_quantized\.onnx|config\.json|tokenizer\.json|tokenizer_config\.json|README\.md)$/,
  /^(id2label|model_max_length|model_type|label_set|custom|model|logits|input_ids|attention_mask|token_type_ids|int64|base64|com\.microsoft)$/,
];

const LATIN_WORD = /\.?[A-Za-z][A-Za-z0-9'’\-_.]*[A-Za-z0-9]|\.?[A-Za-z]/g;
const CJK = /[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff01-\uff60]/;

/** Latin words/phrases in `text` that are not whitelisted (only in runs with no CJK around them count). */
export function strayLatin(text: string, extra: readonly string[] = []): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(LATIN_WORD)) {
    const w = m[0].trim();
    if (extra.some((e) => e.includes(w))) continue;
    if (ZH_LATIN_WHITELIST.some((re) => re.test(w))) continue;
    out.push(w);
  }
  return out;
}

/** Whether `text` has CJK characters that are not part of the given user data strings. */
export function strayCjk(text: string, userData: readonly string[] = []): boolean {
  let rest = text;
  for (const d of userData) if (d && CJK.test(d)) rest = rest.split(d).join(' ');
  return CJK.test(rest);
}

/** Text nodes and accessible names (aria-label, title, placeholder, alt) of server-rendered HTML. */
export function htmlTexts(html: string): string[] {
  const noTags = html.replace(/<!--[\s\S]*?-->/g, '').replace(/<(style|script)[\s\S]*?<\/\1>/g, '');
  const attrs = [...noTags.matchAll(/\s(?:aria-label|title|placeholder|alt)="([^"]*)"/g)].map((m) => decode(m[1]));
  const texts = noTags
    .split(/<[^>]*>/)
    .map((s) => decode(s).trim())
    .filter(Boolean);
  return [...texts, ...attrs];
}

function decode(s: string): string {
  return s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

import { enText, type Msg } from '../../src/lib/i18n/msg.ts';

/** Skipped records in English, as the CLI prints them, for readable assertions. */
export function skippedEn(skipped: readonly { where: Msg; reason: Msg }[]): { where: string; reason: string }[] {
  return skipped.map((s) => ({ where: enText(s.where), reason: enText(s.reason) }));
}

export { enText };
