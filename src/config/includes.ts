/**
 * `${include:relative/path}`: a long text that is not a secret (an email template, an SMS template,
 * SAML metadata) kept in its own file of the configuration repository. Configuration arrives through
 * pull requests, so an include may read only below the `-c` directory its YAML file was found under:
 * the path is relative (to the directory of the YAML file naming it), `..` only while it stays
 * inside, no symbolic link leading out, a regular file only (a FIFO must not block the load), within
 * a size limit and the load's byte budget, UTF-8 text. Reads go through the loader's ConfigFs, so a
 * base git revision (`plan --changed-since`) reads its own version of the file from git objects.
 *
 * The reference must be a string's whole value; the text replaces it as written, and `${...}` inside
 * the included text is never interpolated (./tree.ts escapes it). Included texts are not sensitive.
 */
import { dirname, isAbsolute, resolve, sep } from 'node:path';
import { visit, type Document } from 'yaml';
import type { ConfigFs } from './config-fs.js';
import type { FileReadResult } from './interpolate.js';
import { LIMITS, MIB } from './limits.js';
import { printable } from './printable.js';
import type { ReadBudget } from './read.js';
import { errnoWords } from './read-bounded.js';
import { scanReferences } from './references.js';
import { bytePosition, decodeUtf8 } from './text.js';

export const INCLUDE_PREFIX = 'include:';

/** The `-c` directory a configuration file was found under: as given, and its real path. */
export interface ConfigRoot {
  given: string;
  real: string;
}

/** What a string value asks to include: its path, the whole value's only reference; or why not. */
export type IncludeReference = { kind: 'none' } | { kind: 'include'; raw: string; path: string } | { kind: 'invalid'; raw: string; message: string };

/**
 * Whether a string is (or misuses) an include reference. Only a value that is exactly one
 * `${include:PATH}` includes; one mixed with other text or references is refused, so that what the
 * file holds is never read again as references or text around it.
 */
export function includeReference(value: string): IncludeReference {
  if (!value.includes(`\${${INCLUDE_PREFIX}`)) return { kind: 'none' };
  const tokens = scanReferences(value);
  const include = tokens.find((t) => t.kind === 'reference' && t.body.startsWith(INCLUDE_PREFIX));
  if (!include || include.kind !== 'reference') return { kind: 'none' }; // only `$${include:` (a literal)
  const { raw } = include;
  if (include.body.includes('${')) return { kind: 'invalid', raw, message: 'nested references are not supported' };
  if (tokens.length !== 1) {
    return { kind: 'invalid', raw, message: `${printable(raw)} must be the whole value (put the text around it into the included file)` };
  }
  return { kind: 'include', raw, path: include.body.slice(INCLUDE_PREFIX.length) };
}

/** `${` in an included text as a literal for the reference grammar (`$${`): never read as a reference. */
export function escapeIncluded(text: string): string {
  return text.replaceAll('${', () => '$${');
}

/** The include paths a parsed document names (its string values that are include references). */
export function includesOf(doc: Document.Parsed): string[] {
  const paths = new Set<string>();
  visit(doc, {
    Scalar(key, node) {
      // Keys are never interpolated (./tree.ts refuses references in them): nothing is read for one.
      if (key === 'key' || typeof node.value !== 'string') return;
      const ref = includeReference(node.value);
      if (ref.kind === 'include') paths.add(ref.path);
    },
  });
  return [...paths];
}

const withSep = (dir: string): string => (dir.endsWith(sep) ? dir : dir + sep);
const inside = (dir: string, path: string): boolean => path === dir || path.startsWith(withSep(dir));
// eslint-disable-next-line no-control-regex -- control characters are what is refused
const CONTROL = /[\u0000-\u001f\u007f]/;

const OVER_BUDGET = `the configuration is too large (at most ${LIMITS.totalBytes / MIB} MiB for all files together, included files too)`;

type Read = { ok: true; text: string } | { ok: false; why: string };

/**
 * Reads includes for one load. Each reference is checked where it is written (its root and
 * directory); each file is read once by its real path, and counted once against the byte budget.
 */
export class IncludeReader {
  private readonly results = new Map<string, FileReadResult>();
  private readonly byRealPath = new Map<string, Read>();

  constructor(
    private readonly fs: ConfigFs,
    private readonly budget: ReadBudget,
  ) {}

  private static key(file: string, path: string): string {
    return `${file}\u0000${path}`;
  }

  /** Checks and reads every include `file` names (before its documents are built, which is synchronous). */
  async prepare(file: string, root: ConfigRoot, paths: readonly string[]): Promise<void> {
    const todo = [...new Set(paths)].filter((p) => !this.results.has(IncludeReader.key(file, p)));
    if (!todo.length) return;
    const located = await Promise.all(todo.map(async (path) => ({ path, target: await this.locate(file, root, path) })));
    const unread = [...new Set(located.flatMap((l) => (l.target.ok && !this.byRealPath.has(l.target.real) ? [l.target.real] : [])))];
    if (unread.length) await this.fs.prefetch?.(unread, LIMITS.includeFileBytes);
    for (const { path, target } of located) {
      let result: Read;
      if (target.ok) {
        result = this.byRealPath.get(target.real) ?? this.read(target.real);
        this.byRealPath.set(target.real, result);
      } else result = target;
      this.results.set(IncludeReader.key(file, path), result.ok ? result : { ok: false, message: `\${include:${printable(path)}}: ${result.why}` });
    }
  }

  /** What `${include:path}` in `file` gives (prepared before; anything else is an internal error). */
  get(file: string, path: string): FileReadResult {
    return this.results.get(IncludeReader.key(file, path)) ?? { ok: false, message: `\${include:${printable(path)}}: not read (internal error)` };
  }

  /** The include's real path, once it is known to stay inside the root. */
  private async locate(file: string, root: ConfigRoot, path: string): Promise<{ ok: true; real: string } | { ok: false; why: string }> {
    const fail = (why: string) => ({ ok: false as const, why });
    if (path === '') return fail('no path (write ${include:relative/path/to/file})');
    if (CONTROL.test(path)) return fail('the path holds a control character');
    if (isAbsolute(path)) return fail('the path must be relative to the directory of this file (absolute paths are not allowed)');
    const lexical = resolve(dirname(file), path);
    if (!inside(resolve(root.given), lexical)) {
      return fail(`the path leads outside ${printable(root.given)}, the -c directory this file was found under`);
    }
    let real: string;
    try {
      real = await this.fs.realpath(lexical);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      return fail(code === 'ENOENT' || code === 'ENOTDIR' ? 'no such file' : `cannot be resolved (${errnoWords(code)})`);
    }
    if (!inside(root.real, real)) return fail(`a symbolic link to a path outside ${printable(root.given)}: not followed`);
    return { ok: true, real };
  }

  private read(real: string): Read {
    const fail = (why: string): Read => ({ ok: false, why });
    if (this.budget.remainingBytes <= 0) return fail(OVER_BUDGET);
    const limit = Math.min(LIMITS.includeFileBytes, this.budget.remainingBytes);
    // Opened once without following a link swapped in since realpath and without blocking on a
    // FIFO; checked (fstat) and read through that one descriptor (./read-bounded.ts).
    const read = this.fs.readBounded(real, limit, { noFollow: true });
    if (!read.ok) {
      if (read.reason === 'not-regular') return fail(`not a regular file (${read.kind})`);
      if (read.reason === 'error') {
        if (read.code === 'ELOOP') return fail('it became a symbolic link while being read');
        return fail(read.code === 'ENOENT' ? 'no such file' : `cannot be read (${errnoWords(read.code)})`);
      }
      const overFile = read.size === undefined ? limit === LIMITS.includeFileBytes : read.size > LIMITS.includeFileBytes;
      return fail(overFile ? `larger than ${LIMITS.includeFileBytes / MIB} MiB (the limit for an included file)` : OVER_BUDGET);
    }
    this.budget.remainingBytes -= read.bytes.length;
    const nul = read.bytes.indexOf(0);
    if (nul >= 0) {
      const at = bytePosition(read.bytes, nul);
      return fail(`binary file (a NUL byte at line ${at.line}, col ${at.col} of the included file), not text`);
    }
    const decoded = decodeUtf8(read.bytes);
    if (!decoded.ok) {
      return fail(`not UTF-8 text (line ${decoded.position.line}, col ${decoded.position.col} of the included file; save it as UTF-8)`);
    }
    return { ok: true, text: decoded.text };
  }
}
