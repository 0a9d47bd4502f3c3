/**
 * Reads one configuration file, refusing what cannot be a hand-written YAML configuration:
 * anything but a regular file (a FIFO must not block the load), oversized files, binary files (NUL
 * bytes) and anything that is not UTF-8.
 */
import type { ConfigIssue } from '../errors.js';
import { LIMITS, MIB } from './limits.js';
import { nodeFs, type ConfigFs } from './config-fs.js';
import { errnoWords } from './read-bounded.js';
import { bytePosition, decodeUtf8 } from './text.js';

export type ReadResult = { ok: true; text: string } | { ok: false; issue: ConfigIssue };

/** Bytes still allowed for the whole load; shared by every file read in it. */
export interface ReadBudget {
  remainingBytes: number;
}

export function newReadBudget(): ReadBudget {
  return { remainingBytes: LIMITS.totalBytes };
}

export async function readConfigFile(file: string, budget: ReadBudget, fs: ConfigFs = nodeFs): Promise<ReadResult> {
  const fail = (line: number, col: number, message: string): ReadResult => ({
    ok: false,
    issue: { location: { file, line, col }, path: '', message },
  });
  const tooMuch = () => fail(1, 1, `configuration is too large (at most ${LIMITS.totalBytes / MIB} MiB for all files together)`);
  if (budget.remainingBytes <= 0) return tooMuch();
  const limit = Math.min(LIMITS.fileBytes, budget.remainingBytes);
  const read = fs.readBounded(file, limit);
  if (!read.ok) {
    if (read.reason === 'not-regular') return fail(1, 1, `not a regular file (${read.kind}): not read`);
    if (read.reason === 'error') return fail(1, 1, `cannot read the file (${errnoWords(read.code)})`);
    // No size: the file grew past the limit while being read.
    const overFileLimit = read.size === undefined ? limit === LIMITS.fileBytes : read.size > LIMITS.fileBytes;
    if (!overFileLimit) return tooMuch();
    const size = read.size === undefined ? '' : `${read.size} bytes; `;
    return fail(1, 1, `file is too large (${size}at most ${LIMITS.fileBytes / MIB} MiB per file)`);
  }
  const bytes = read.bytes;
  budget.remainingBytes -= bytes.length;
  const nul = bytes.indexOf(0);
  if (nul >= 0) {
    const at = bytePosition(bytes, nul);
    return fail(at.line, at.col, 'binary file (contains a NUL byte), not YAML text');
  }
  const decoded = decodeUtf8(bytes);
  if (!decoded.ok) return fail(decoded.position.line, decoded.position.col, 'not valid UTF-8 text (save the file as UTF-8)');
  return { ok: true, text: decoded.text };
}
