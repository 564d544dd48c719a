/**
 * Bytes on disk to the text the rules read, and back. Editors drop a byte-order mark and decode
 * UTF-16 by it, so positions are counted in the decoded text; `--fix` writes a file back in the
 * encoding it had, mark included.
 */

export type TextEncoding = 'utf8' | 'utf8-bom' | 'utf16le' | 'utf16be';

export interface DecodedText {
  text: string;
  encoding: TextEncoding;
}

/** Decodes by the byte-order mark (none: UTF-8). */
export function decodeText(bytes: Uint8Array): DecodedText {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return { text: b.subarray(3).toString('utf8'), encoding: 'utf8-bom' };
  if (b.length >= 2 && b[0] === 0xff && b[1] === 0xfe) return { text: b.subarray(2).toString('utf16le'), encoding: 'utf16le' };
  if (b.length >= 2 && b[0] === 0xfe && b[1] === 0xff) return { text: swapPairs(b.subarray(2)).toString('utf16le'), encoding: 'utf16be' };
  return { text: b.toString('utf8'), encoding: 'utf8' };
}

/** The bytes of `text` in `encoding`, with its byte-order mark. */
export function encodeText(text: string, encoding: TextEncoding = 'utf8'): Buffer {
  switch (encoding) {
    case 'utf8':
      return Buffer.from(text, 'utf8');
    case 'utf8-bom':
      return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
    case 'utf16le':
      return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    case 'utf16be':
      return Buffer.concat([Buffer.from([0xfe, 0xff]), swapPairs(Buffer.from(text, 'utf16le'))]);
  }
}

function swapPairs(b: Buffer): Buffer {
  const out = Buffer.alloc(b.length - (b.length % 2));
  for (let i = 0; i + 1 < b.length; i += 2) {
    out[i] = b[i + 1];
    out[i + 1] = b[i];
  }
  return out;
}
