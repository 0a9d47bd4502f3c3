/**
 * The produced YAML is loaded by the real loader before anything is written: an importer that hands
 * out an invalid configuration is a bug. The files are laid out in a private temporary directory as
 * they will be written (YAML and included files at their relative paths) and loaded with `-c` on
 * it, every `${VAR}` set to a stand-in that fits its field (a number where a number is wanted...),
 * so the check does not depend on the importing shell's environment.
 *
 * A problem at a key that came from config.toml is the file's (a value supasync refuses, e.g. a
 * jwt_expiry above the API's maximum): reported at that TOML key, exit 3. Anything else is ours.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { loadDesiredState } from '../config/load.js';
import { configSchema } from '../config/validate.js';
import { ConfigError, SupasyncError, type ConfigIssue } from '../errors.js';
import type { OutDocument } from './layout.js';
import { Reference, type Sections } from './model.js';

/** The import produced YAML supasync refuses, for a reason not in config.toml: a bug. Exit 1. */
export class ImportInvalid extends SupasyncError {
  readonly code = 'E_IMPORT_INVALID';
}

export interface OutFile {
  /** Relative to the output directory. */
  path: string;
  text: string;
}

/** A file to check and the document it holds. */
export interface CheckedFile extends OutFile {
  doc: OutDocument;
}

type Schema = { type?: string | string[]; minimum?: number; format?: string };

/** A stand-in for a variable, by the schema of the first field it fills. */
function standIn(ref: Reference): string {
  const [section = '', key = ''] = ref.field.split('.');
  const schema = (configSchema().properties[section]?.properties?.[key] ?? {}) as Schema;
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  if (types.includes('integer') || types.includes('number')) return String(Math.max(schema.minimum ?? 1, 1));
  if (types.includes('boolean')) return 'true';
  if (schema.format === 'email') return 'stand-in@example.com';
  return 'stand-in';
}

function standIns(docs: readonly OutDocument[]): Record<string, string> {
  const env: Record<string, string> = {};
  const visit = (value: unknown): void => {
    if (value instanceof Reference) {
      if (value.name && !Object.hasOwn(env, value.name)) env[value.name] = standIn(value);
    } else if (Array.isArray(value)) value.forEach(visit);
    else if (value && typeof value === 'object') Object.values(value).forEach(visit);
  };
  for (const doc of docs) visit(doc.sections as Sections);
  return env;
}

/** A loader issue back at the config.toml key its value came from, when it came from one. */
function toTomlIssue(issue: ConfigIssue, dir: string, files: readonly CheckedFile[], locate: (path: string) => ConfigIssue['location']): ConfigIssue | undefined {
  if (!issue.location) return undefined;
  const file = relative(dir, issue.location.file).split(sep).join('/');
  const doc = files.find((f) => f.path === file)?.doc;
  const [section, key] = issue.path.split(/[.[]/);
  const from = doc && section && key ? doc.provenance.get(`${section}.${key}`) : undefined;
  if (!from) return undefined;
  // The loader's message may name the template and its users: keep only what is about the value.
  const cut = issue.message.lastIndexOf(' (template ');
  const message = cut > 0 && issue.message.endsWith(')') ? issue.message.slice(0, cut) : issue.message;
  return { location: locate(from), path: from, message: `${message} (imported as ${issue.path})` };
}

/** Loads `files` as they will be written; throws ConfigError (the file's values) or ImportInvalid. */
export async function checkOutput(
  files: readonly CheckedFile[],
  copies: ReadonlyArray<{ path: string; bytes: Buffer }>,
  locate: (path: string) => ConfigIssue['location'],
): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'supasync-import-'));
  try {
    for (const f of [...files.map((f) => ({ path: f.path, data: f.text })), ...copies.map((c) => ({ path: c.path, data: c.bytes }))]) {
      const target = join(dir, ...f.path.split('/'));
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, f.data, { mode: 0o600 });
    }
    await loadDesiredState([dir], { secretsDirs: [], env: standIns(files.map((f) => f.doc)) });
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    const mapped = err.issues.map((i) => toTomlIssue(i, dir, files, locate));
    if (mapped.every((i) => i !== undefined)) throw new ConfigError(mapped as ConfigIssue[]);
    const ours = err.issues.filter((_, n) => mapped[n] === undefined).map((i) => {
      const where = i.location ? `${relative(dir, i.location.file)}:${i.location.line}:${i.location.col}: ` : '';
      return `  ${where}${i.path ? `${i.path}: ` : ''}${i.message}`;
    });
    throw new ImportInvalid(`the imported YAML does not validate (a bug of the import; please report it):\n${ours.join('\n')}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
