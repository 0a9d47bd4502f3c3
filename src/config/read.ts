/**
 * Reads one configuration file, refusing what cannot be a hand-written YAML configuration:
 * oversized files, binary files (NUL bytes) and anything that is not UTF-8.
 */
import { readFile, stat } from 'node:fs/promises';
import type { ConfigIssue } from '../errors.js';
import { LIMITS, MIB } from './limits.js';
import { bytePosition, decodeUtf8 } from './text.js';

export type ReadResult = { ok: true; text: string } | { ok: false; issue: ConfigIssue };

/** Bytes still allowed for the whole load; shared by every file read in it. */
export interface ReadBudget {
  remainingBytes: number;
}

export function newReadBudget(): ReadBudget {
  return { remainingBytes: LIMITS.totalBytes };
}

export async function readConfigFile(file: string, budget: ReadBudget): Promise<ReadResult> {
  const fail = (line: number, col: number, message: string): ReadResult => ({
    ok: false,
    issue: { location: { file, line, col }, path: '', message },
  });
  let bytes: Buffer;
  try {
    const { size } = await stat(file);
    if (size > LIMITS.fileBytes) {
      return fail(1, 1, `file is too large (${size} bytes; at most ${LIMITS.fileBytes / MIB} MiB per file)`);
    }
    if (size > budget.remainingBytes) {
      return fail(1, 1, `configuration is too large (at most ${LIMITS.totalBytes / MIB} MiB for all files together)`);
    }
    bytes = await readFile(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return fail(1, 1, `cannot read the file (${code === 'EACCES' ? 'permission denied' : (code ?? 'read failed')})`);
  }
  // The file may have grown since stat; the cap holds for what was actually read.
  if (bytes.length > LIMITS.fileBytes) return fail(1, 1, `file is too large (at most ${LIMITS.fileBytes / MIB} MiB per file)`);
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
