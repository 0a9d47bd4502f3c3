/** Bytes → text, refusing what is not UTF-8 text, with the position of the first offending byte. */
import { isUtf8 } from 'node:buffer';

export interface TextPosition {
  line: number;
  col: number;
}

export type Decoded = { ok: true; text: string } | { ok: false; position: TextPosition };

const strict = new TextDecoder('utf-8', { fatal: true });
const lenient = new TextDecoder('utf-8');

/** Decodes UTF-8 (a leading BOM is dropped); on failure, where the first invalid sequence is. */
export function decodeUtf8(bytes: Uint8Array): Decoded {
  try {
    return { ok: true, text: strict.decode(bytes) };
  } catch {
    return { ok: false, position: firstInvalidUtf8(bytes) };
  }
}

function firstInvalidUtf8(bytes: Uint8Array): TextPosition {
  let start = 0;
  for (let line = 1; start <= bytes.length; line++) {
    const newline = bytes.indexOf(0x0a, start);
    const end = newline < 0 ? bytes.length : newline;
    const lineBytes = bytes.subarray(start, end);
    if (!isUtf8(lineBytes)) {
      // The replacement character marks the first sequence the decoder could not read.
      const col = lenient.decode(lineBytes).indexOf('\uFFFD') + 1;
      return { line, col: Math.max(col, 1) };
    }
    if (newline < 0) break;
    start = newline + 1;
  }
  return { line: 1, col: 1 };
}

/** Line and column (1-based; the column counts bytes) of a byte offset. */
export function bytePosition(bytes: Uint8Array, offset: number): TextPosition {
  let line = 1;
  let lineStart = 0;
  for (let i = bytes.indexOf(0x0a); i >= 0 && i < offset; i = bytes.indexOf(0x0a, i + 1)) {
    line += 1;
    lineStart = i + 1;
  }
  return { line, col: offset - lineStart + 1 };
}
