/**
 * `${file:/path}`: reads below the directories the operator allowed with --secrets-dir, and nowhere
 * else. A pull request must not be able to make supasync read (and publish) an arbitrary file, so
 * relative paths, `..` segments, paths outside the directories and symlinks leading out are refused.
 */
import { realpathSync, statSync } from 'node:fs';
import { isAbsolute, normalize, resolve, sep } from 'node:path';
import type { ConfigIssue } from '../errors.js';
import type { FileReadResult } from './interpolate.js';
import { LIMITS, MIB } from './limits.js';
import { errnoWords, readBounded } from './read-bounded.js';
import { decodeUtf8 } from './text.js';

interface AllowedDir {
  given: string;
  /** Both the resolved and the real (symlink-free) form, with a trailing separator. */
  prefixes: string[];
  realPrefix: string;
}

const withSep = (dir: string): string => (dir.endsWith(sep) ? dir : dir + sep);
const errnoCode = (err: unknown): string | undefined => (err as NodeJS.ErrnoException | undefined)?.code;

function allowedDirs(dirs: readonly string[], issues: ConfigIssue[]): AllowedDir[] {
  const out: AllowedDir[] = [];
  for (const given of dirs) {
    if (given.trim() === '') {
      // resolve('') is the current directory: never what an empty option meant.
      issues.push({ path: '', message: '--secrets-dir "": an empty value is not a directory' });
      continue;
    }
    try {
      const absolute = resolve(given);
      const real = realpathSync(absolute);
      if (!statSync(real).isDirectory()) {
        issues.push({ path: '', message: `--secrets-dir ${given}: not a directory` });
        continue;
      }
      out.push({ given, prefixes: [withSep(absolute), withSep(real)], realPrefix: withSep(real) });
    } catch (err) {
      const why = errnoCode(err) === 'ENOENT' ? 'does not exist' : 'cannot be read';
      issues.push({ path: '', message: `--secrets-dir ${given}: ${why}` });
    }
  }
  return out;
}

export interface SecretFileReader {
  read(path: string): FileReadResult;
  /** Problems with the --secrets-dir options themselves. */
  issues: ConfigIssue[];
}

export function createSecretFileReader(dirs: readonly string[]): SecretFileReader {
  const issues: ConfigIssue[] = [];
  const allowed = allowedDirs(dirs, issues);
  const cache = new Map<string, FileReadResult>();
  const where = allowed.length ? ` (allowed: ${allowed.map((d) => d.given).join(', ')})` : '';
  const fail = (message: string): FileReadResult => ({ ok: false, message });

  function readChecked(path: string): FileReadResult {
    if (!dirs.length) return fail(`cannot read \${file:${path}}: file references need --secrets-dir`);
    if (!isAbsolute(path)) return fail(`cannot read \${file:${path}}: the path must be absolute`);
    if (path.split(/[\\/]/).includes('..')) return fail(`cannot read \${file:${path}}: ".." is not allowed in the path`);
    const lexical = normalize(path);
    if (!allowed.some((d) => d.prefixes.some((p) => lexical.startsWith(p)))) {
      return fail(`cannot read \${file:${path}}: the path is outside the secrets directories${where}`);
    }
    let real: string;
    try {
      real = realpathSync(lexical);
    } catch (err) {
      const code = errnoCode(err);
      return fail(`cannot read \${file:${path}}: ${code === 'ENOENT' ? 'no such file' : `cannot be resolved (${code ?? 'error'})`}`);
    }
    if (!allowed.some((d) => real.startsWith(d.realPrefix))) {
      return fail(`cannot read \${file:${path}}: it is a symlink to a path outside the secrets directories${where}`);
    }
    // Opened once, by its real path, without following a symlink swapped in since realpath, and
    // without blocking on a FIFO; checked (fstat) and read through that one descriptor.
    const read = readBounded(real, LIMITS.secretFileBytes, { noFollow: true });
    if (!read.ok) {
      if (read.reason === 'not-regular') return fail(`cannot read \${file:${path}}: not a regular file (${read.kind})`);
      if (read.reason === 'too-large') return fail(`cannot read \${file:${path}}: larger than ${LIMITS.secretFileBytes / MIB} MiB`);
      if (read.code === 'ELOOP') return fail(`cannot read \${file:${path}}: it became a symbolic link while being read`);
      return fail(`cannot read \${file:${path}}: ${read.code === 'ENOENT' ? 'no such file' : errnoWords(read.code)}`);
    }
    const bytes = read.bytes;
    // As for configuration files: a NUL byte means a binary file, not a text value.
    if (bytes.includes(0)) return fail(`cannot read \${file:${path}}: binary file (contains a NUL byte), not text`);
    const decoded = decodeUtf8(bytes);
    if (!decoded.ok) return fail(`cannot read \${file:${path}}: not UTF-8 text`);
    // Secret files usually end with one newline that is not part of the value.
    return { ok: true, text: decoded.text.replace(/\r?\n$/, '') };
  }

  return {
    issues,
    read(path: string): FileReadResult {
      let result = cache.get(path);
      if (!result) cache.set(path, (result = readChecked(path)));
      return result;
    },
  };
}
