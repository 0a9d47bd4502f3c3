/**
 * Writing `--out FILE` without trusting what is at that path. In CI the path is inside a checkout a
 * pull request controls: `plan.md -> /home/runner/secret` must neither be written through nor be
 * left in place for a later step to publish. So the file is always a NEW file: written to a temp
 * file created exclusively (O_CREAT|O_EXCL|O_NOFOLLOW, random name) in the same directory, flushed
 * (fsync), then renamed over the target — rename replaces the directory entry itself and never
 * follows a symlink, and a reader sees either the old file or the whole new one. A target that is
 * a symlink or anything but a regular file is refused up front (exit 3), and nothing is written.
 */
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { lstat, open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { SupasyncError, UsageError } from '../errors.js';

const OUT_FILE_MODE = 0o644;

/** The file could not be written for a reason that is not the user's path (a full disk...). Exit 1. */
export class OutFileError extends SupasyncError {
  readonly code = 'E_OUT_FILE';
}

/** A path the user can fix (no such directory, no permission) is a usage error; anything else is not. */
function failure(flag: string, target: string, what: string, err: unknown): SupasyncError {
  const code = (err as NodeJS.ErrnoException).code;
  const why: Record<string, string> = { ENOENT: 'its directory does not exist', ENOTDIR: 'a part of the path is not a directory', EACCES: 'permission denied', EPERM: 'permission denied', EROFS: 'read-only file system', EISDIR: 'it is a directory' };
  const known = code !== undefined && Object.hasOwn(why, code);
  const message = `${flag} ${target}: cannot ${what} (${known ? why[code] : (code ?? 'error')})`;
  return known ? new UsageError(message) : new OutFileError(message);
}

/** Throws a UsageError when `target` exists as anything but a regular file (a symlink included). */
export async function checkOutTarget(target: string, flag = '--out'): Promise<void> {
  if (!target) throw new UsageError(`${flag}: empty path`);
  let kind: string | undefined;
  try {
    const st = await lstat(target);
    if (st.isSymbolicLink()) kind = 'a symbolic link';
    else if (st.isDirectory()) kind = 'a directory';
    else if (!st.isFile()) kind = 'not a regular file (a FIFO, socket or device)';
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return; // a new file: its directory is checked when writing
    throw failure(flag, target, 'check the path', err);
  }
  if (kind) {
    throw new UsageError(`${flag} ${target} is ${kind}; refusing to write to it (nothing written). Remove it or choose another path.`);
  }
}

/** Replaces `target` with a new regular file holding `text` (see the top of this file). */
export async function writeOutFile(target: string, text: string, flag = '--out'): Promise<void> {
  await checkOutTarget(target, flag);
  const temp = join(dirname(target), `.${basename(target)}.${randomBytes(8).toString('hex')}.tmp`);
  let handle;
  try {
    handle = await open(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, OUT_FILE_MODE);
  } catch (err) {
    throw failure(flag, target, 'create the file', err);
  }
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
    await handle.close();
    handle = undefined;
    await rename(temp, target);
  } catch (err) {
    await handle?.close().catch(() => undefined);
    await unlink(temp).catch(() => undefined);
    throw failure(flag, target, 'write the file', err);
  }
}
