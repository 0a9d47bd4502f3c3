/**
 * What the import says on stderr: every key of config.toml it did not import, grouped by why and
 * by table, and every `${VAR}` the YAML needs with what it stands for. Key names only, never a
 * value: a config.toml holds secrets.
 */
import { printable } from '../config/printable.js';
import type { ImportedVariable } from './index.js';
import type { Note, NoteKind } from './model.js';

const HEADINGS: ReadonlyArray<[NoteKind, string]> = [
  ['local', 'Not imported: local development only (no Management API counterpart)'],
  ['not-pushed', 'Not imported: `supabase config push` does not send these either'],
  ['inactive', 'Not imported: not sent by config push in this file\'s state'],
  ['unconverted', 'Not imported: cannot be carried over as written'],
  ['unknown', 'Not imported: unknown keys'],
];

/** `auth.external.apple.secret` → [`auth.external.apple`, `secret`]; a top-level key has no table. */
function split(path: string): [string, string] {
  const dot = path.lastIndexOf('.');
  return dot < 0 ? ['', path] : [path.slice(0, dot), path.slice(dot + 1)];
}

export function notesReport(notes: readonly Note[]): string {
  let out = '';
  for (const [kind, heading] of HEADINGS) {
    const groups = new Map<string, { table: string; reason: string; keys: string[] }>();
    for (const note of notes.filter((n) => n.kind === kind)) {
      const [table, key] = split(note.path);
      const id = `${table}\u0000${note.reason}`;
      const group = groups.get(id) ?? { table, reason: note.reason, keys: [] };
      group.keys.push(key);
      groups.set(id, group);
    }
    if (!groups.size) continue;
    out += `${heading}:\n`;
    for (const { table, reason, keys } of groups.values()) {
      const where = table ? `[${table}] ${keys.join(', ')}` : keys.join(', ');
      out += `  ${printable(where)} — ${reason}\n`;
    }
  }
  return out;
}

const SOURCES: Record<ImportedVariable['source'], string> = {
  env: 'env() in config.toml',
  plain: 'written in config.toml; not copied',
  encrypted: 'encrypted in config.toml (dotenvx); set the decrypted value',
};

export function variablesReport(variables: readonly ImportedVariable[]): string {
  if (!variables.length) return '';
  const width = Math.max(...variables.map((v) => v.name.length));
  return (
    'Set these environment variables before planning (the imported YAML holds no secret values):\n' +
    variables.map((v) => `  ${v.name.padEnd(width)}  ${v.field} ← ${printable(v.tomlPath)} (${SOURCES[v.source]})\n`).join('')
  );
}
