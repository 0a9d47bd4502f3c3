/**
 * Where configuration text comes from: the file system, or a git revision (./git-revision.ts) for
 * `plan --changed-since`. Discovery (./files.ts) and reading (./read.ts) go through this interface
 * only, so both sources are walked, limited and parsed by the very same loader, with the same rules
 * (symlinks only inside the -c directory, regular files only, bounded reads).
 */
import { lstat, readdir, realpath, stat } from 'node:fs/promises';
import { readBounded, type BoundedRead } from './read-bounded.js';

/** What the loader asks of a file-system entry (node's Stats and Dirent both fit). */
export interface ConfigFsStats {
  isFile(): boolean;
  isDirectory(): boolean;
  isSymbolicLink(): boolean;
  isFIFO(): boolean;
  isSocket(): boolean;
  isCharacterDevice(): boolean;
  isBlockDevice(): boolean;
}

export interface ConfigFsEntry extends ConfigFsStats {
  name: string;
}

/** The few file-system calls the loader makes; failures are errors with an errno `code` (ENOENT, ...). */
export interface ConfigFs {
  /** Follows symbolic links. */
  stat(path: string): Promise<ConfigFsStats>;
  /** Does not follow a symbolic link in the last component. */
  lstat(path: string): Promise<ConfigFsStats>;
  realpath(path: string): Promise<string>;
  readdir(dir: string): Promise<ConfigFsEntry[]>;
  /** A regular file's bytes, at most `maxBytes` (see ./read-bounded.ts); `noFollow`: refuse a symbolic link as the last component. */
  readBounded(path: string, maxBytes: number, opts?: { noFollow?: boolean }): BoundedRead;
  /**
   * Makes files (real paths) of at most `maxBytes` readable by `readBounded` when a source must
   * fetch them first (a git revision fetches only configuration files up front). Optional.
   */
  prefetch?(paths: readonly string[], maxBytes: number): Promise<void>;
}

export const nodeFs: ConfigFs = {
  stat: (path) => stat(path),
  lstat: (path) => lstat(path),
  realpath: (path) => realpath(path),
  readdir: (dir) => readdir(dir, { withFileTypes: true }),
  readBounded: (path, maxBytes, opts) => readBounded(path, maxBytes, opts),
};
