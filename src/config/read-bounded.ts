/**
 * Reads a file that a pull request may have replaced with anything: opened once, without blocking
 * (a FIFO opened for reading with O_NONBLOCK returns at once instead of waiting for a writer),
 * checked through the descriptor (fstat: a regular file, not over the limit) and read from that same
 * descriptor, at most `maxBytes + 1` bytes. No check-then-open race: what was checked is what is read.
 */
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';

export type BoundedRead =
  | { ok: true; bytes: Buffer }
  | { ok: false; reason: 'not-regular'; kind: string }
  | { ok: false; reason: 'too-large'; size: number | undefined }
  | { ok: false; reason: 'error'; code: string | undefined };

/** What a non-regular file is, in words for a message. */
export function fileKind(stat: Pick<Stats, 'isDirectory' | 'isFIFO' | 'isSocket' | 'isCharacterDevice' | 'isBlockDevice' | 'isSymbolicLink'>): string {
  if (stat.isDirectory()) return 'a directory';
  if (stat.isFIFO()) return 'a FIFO';
  if (stat.isSocket()) return 'a socket';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isSymbolicLink()) return 'a symbolic link';
  return 'a special file';
}

const ERRNO_WORDS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOENT: 'no such file',
  ENOTDIR: 'no such file',
  ELOOP: 'too many levels of symbolic links',
  ENXIO: 'a socket or device with nothing behind it',
  ENAMETOOLONG: 'the path is too long',
};

/** An errno code in words (`EACCES` → permission denied), for a one-line message. */
export function errnoWords(code: string | undefined): string {
  return (code && Object.hasOwn(ERRNO_WORDS, code) ? ERRNO_WORDS[code] : undefined) ?? code ?? 'read failed';
}

const errnoCode = (err: unknown): string | undefined => (err as NodeJS.ErrnoException | undefined)?.code;

/** `noFollow`: refuse a symlink as the last path component (O_NOFOLLOW: ELOOP). */
export function readBounded(path: string, maxBytes: number, opts: { noFollow?: boolean } = {}): BoundedRead {
  const flags = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (opts.noFollow ? (constants.O_NOFOLLOW ?? 0) : 0);
  let fd: number;
  try {
    fd = openSync(path, flags);
  } catch (err) {
    return { ok: false, reason: 'error', code: errnoCode(err) };
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) return { ok: false, reason: 'not-regular', kind: fileKind(stat) };
    if (stat.size > maxBytes) return { ok: false, reason: 'too-large', size: stat.size };
    // The file may grow after fstat: read until end of file, but never more than the limit + 1.
    let buffer = Buffer.allocUnsafe(Math.min(stat.size, maxBytes) + 1);
    let length = 0;
    for (;;) {
      if (length === buffer.length) {
        if (buffer.length > maxBytes) return { ok: false, reason: 'too-large', size: undefined };
        const grown = Buffer.allocUnsafe(Math.min(buffer.length * 2, maxBytes + 1));
        buffer.copy(grown, 0, 0, length);
        buffer = grown;
      }
      const read = readSync(fd, buffer, length, buffer.length - length, null);
      if (read === 0) break;
      length += read;
    }
    return { ok: true, bytes: buffer.subarray(0, length) };
  } catch (err) {
    return { ok: false, reason: 'error', code: errnoCode(err) };
  } finally {
    closeSync(fd);
  }
}
