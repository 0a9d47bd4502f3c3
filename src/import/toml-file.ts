/**
 * Reading the official CLI's `config.toml`: bounded like the YAML loader (a regular file of at most
 * 1 MiB, opened once without blocking on a FIFO, UTF-8, no NUL byte), parsed with smol-toml (nesting
 * capped, `__proto__`-like keys refused). A syntax error is one located line and never quotes the
 * file's text: a line of a config.toml may hold a secret.
 */
import { parse, TomlError, type TomlTableWithoutBigInt } from 'smol-toml';
import { ConfigError, type SourceLocation } from '../errors.js';
import { LIMITS, MIB } from '../config/limits.js';
import { errnoWords, readBounded } from '../config/read-bounded.js';
import { bytePosition, decodeUtf8 } from '../config/text.js';
import { TomlLocator } from './toml-locator.js';

export type TomlTable = TomlTableWithoutBigInt;

export interface TomlFile {
  /** The path as given. */
  file: string;
  root: TomlTable;
  locator: TomlLocator;
}

const fail = (file: string, line: number, col: number, message: string): never => {
  throw new ConfigError([{ location: { file, line, col }, path: '', message }]);
};

/** The first line of a smol-toml message: the rest is a code block quoting the file. */
const firstLine = (message: string): string => (message.split('\n', 1)[0] ?? '').replace(/^Invalid TOML document: /, '');

export function readTomlFile(file: string): TomlFile {
  const read = readBounded(file, LIMITS.fileBytes);
  if (!read.ok) {
    if (read.reason === 'not-regular') return fail(file, 1, 1, `not a regular file (${read.kind}): not read`);
    if (read.reason === 'error') return fail(file, 1, 1, `cannot read the file (${errnoWords(read.code)})`);
    const size = read.size === undefined ? '' : `${read.size} bytes; `;
    return fail(file, 1, 1, `file is too large (${size}at most ${LIMITS.fileBytes / MIB} MiB)`);
  }
  const nul = read.bytes.indexOf(0);
  if (nul >= 0) {
    const at = bytePosition(read.bytes, nul);
    return fail(file, at.line, at.col, 'binary file (contains a NUL byte), not TOML text');
  }
  const decoded = decodeUtf8(read.bytes);
  if (!decoded.ok) return fail(file, decoded.position.line, decoded.position.col, 'not valid UTF-8 text');
  return parseToml(file, decoded.text);
}

export function parseToml(file: string, text: string): TomlFile {
  let root: TomlTable;
  try {
    root = parse(text, { maxDepth: LIMITS.depth, unsafeKeyBehaviour: 'throw' });
  } catch (err) {
    if (err instanceof TomlError) return fail(file, err.line, err.column, `invalid TOML: ${firstLine(err.message)}`);
    throw err;
  }
  return { file, root, locator: new TomlLocator(file, text) };
}

/** Where a dotted TOML key stands, for messages; the file's first line when it cannot be found. */
export function locate(toml: TomlFile, path: string): SourceLocation {
  return toml.locator.find(path) ?? { file: toml.file, line: 1, col: 1 };
}
