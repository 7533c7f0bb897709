/**
 * Bytes → text for imported files. Chinese spreadsheets exported from Excel on
 * Windows are often GB18030/GBK, so when the bytes are not valid UTF-8 we try
 * GB18030 before giving up. Both decoders run with `fatal: true` so a wrong
 * guess fails loudly instead of producing mojibake.
 */
import { msg } from '../i18n/msg.ts';
import { ImportError } from './errors.ts';

export type TextEncodingName = 'utf-8' | 'utf-16le' | 'utf-16be' | 'gb18030';

export interface DecodedText {
  text: string;
  encoding: TextEncodingName;
  /** True when the file started with a byte-order mark (which is not part of `text`). */
  bom: boolean;
}

function tryDecode(encoding: TextEncodingName, bytes: Uint8Array): string | undefined {
  try {
    // ignoreBOM: true keeps the BOM in the output; we strip it ourselves so `bom` is reported.
    return new TextDecoder(encoding, { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

function bomOf(bytes: Uint8Array): { encoding: TextEncodingName; length: number } | undefined {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { encoding: 'utf-8', length: 3 };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { encoding: 'utf-16le', length: 2 };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { encoding: 'utf-16be', length: 2 };
  return undefined;
}

/** Decodes a text file: BOM if present, else UTF-8, else GB18030; throws ImportError('encoding') otherwise. */
export function decodeText(bytes: Uint8Array, fileName: string): DecodedText {
  const bom = bomOf(bytes);
  if (bom) {
    const text = tryDecode(bom.encoding, bytes.subarray(bom.length));
    if (text === undefined) {
      throw new ImportError('encoding', fileName, msg('errBomInvalid', { encoding: bom.encoding }));
    }
    return { text, encoding: bom.encoding, bom: true };
  }
  if (bytes.includes(0)) {
    throw new ImportError('encoding', fileName, msg('errNulBytes'));
  }
  for (const encoding of ['utf-8', 'gb18030'] as const) {
    const text = tryDecode(encoding, bytes);
    if (text !== undefined) return { text, encoding, bom: false };
  }
  throw new ImportError('encoding', fileName, msg('errNotUtf8'));
}
