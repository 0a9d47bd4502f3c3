/**
 * One project's effective config.toml → supasync sections, by the mapping tables (./tables/). A key
 * is imported only when the file writes it (absent means unmanaged, as everywhere in supasync) and
 * only when the CLI would send it; every other key of the file gets a note saying why it was not
 * imported. Nothing is dropped without a word.
 */
import { dirname } from 'node:path';
import type { ConfigIssue } from '../errors.js';
import type { Converted, Note, RuleContext, Sections, TableRule, TomlTable } from './model.js';
import { ALL_TABLES } from './tables/index.js';
import { unmappedRule } from './tables/unmapped.js';
import { isOn } from './tables/field.js';
import { convertValue } from './values.js';

export interface ConvertInput {
  /** The project's effective config.toml (base merged with its remote, without `remotes`). */
  toml: TomlTable;
  /** The config.toml's path: content paths are relative to its directory or the one above. */
  file: string;
  /** A dotted key → the key as written in the file (a remote's own keys live under `remotes.NAME.`). */
  sourceOf(path: string): string;
  /** Where a key as written stands, for issues. */
  locate(path: string): ConfigIssue['location'];
}

export const isTable = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);

export function getPath(root: unknown, path: string): unknown {
  let node = root;
  for (const part of path.split('.')) {
    if (!isTable(node) || !Object.hasOwn(node, part)) return undefined;
    node = node[part];
  }
  return node;
}

/** Every leaf key of a table (arrays and empty tables count as leaves), as dotted paths. */
export function leaves(table: Record<string, unknown>, prefix = ''): string[] {
  const out: string[] = [];
  for (const [key, v] of Object.entries(table)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (isTable(v) && Object.keys(v).length) out.push(...leaves(v, path));
    else out.push(path);
  }
  return out;
}

function setPath(section: Record<string, unknown>, dotted: string, v: unknown): void {
  const parts = dotted.split('.');
  let node = section;
  for (const part of parts.slice(0, -1)) node = (isTable(node[part]) ? node[part] : (node[part] = {})) as Record<string, unknown>;
  node[parts[parts.length - 1]!] = v;
}

const isBelow = (path: string, table: string): boolean => path === table || path.startsWith(`${table}.`);

class Conversion {
  readonly sections: Sections = {};
  readonly provenance = new Map<string, string>();
  readonly notes: Note[] = [];
  readonly issues: ConfigIssue[] = [];
  /** Dotted paths taken or explained: their leaves need no other note. */
  private readonly handled: string[] = [];
  readonly ctx: RuleContext;

  constructor(private readonly input: ConvertInput) {
    this.ctx = { get: (path) => getPath(input.toml, path) };
  }

  /** The key as written (a remote's own keys under `remotes.NAME.`). */
  source(path: string): string {
    return this.input.sourceOf(path);
  }

  handle(path: string): void {
    this.handled.push(path);
  }

  isHandled(path: string): boolean {
    return this.handled.some((h) => isBelow(path, h));
  }

  set(section: string, to: string, v: unknown, tomlPath: string): void {
    setPath((this.sections[section] ??= {}), to, v);
    const key = `${section}.${to.split('.')[0]}`;
    if (!this.provenance.has(key)) this.provenance.set(key, this.input.sourceOf(tomlPath));
  }

  note(path: string, kind: Note['kind'], reason: string): void {
    if (this.isHandled(path)) return;
    this.notes.push({ path: this.input.sourceOf(path), kind, reason });
    this.handle(path);
  }

  issue(path: string, message: string): void {
    const source = this.input.sourceOf(path);
    this.issues.push({ location: this.input.locate(source), path: source, message });
    this.handle(path);
  }

  /** Notes every leaf of `table` not taken yet (and not inside one of its sub-tables that has rules of its own). */
  noteRest(table: string, reason: string, except: (path: string) => boolean = () => false): void {
    const value = this.ctx.get(table);
    if (!isTable(value)) return;
    for (const leaf of leaves(value, table)) if (!except(leaf)) this.note(leaf, 'inactive', reason);
  }
}

/** Whether a rule's switch is on in `table` (its key, else its default). */
function switchOn(rule: TableRule, table: Record<string, unknown>): boolean {
  const sw = rule.switch!;
  const fallback = typeof sw.default === 'function' ? sw.default(table) : sw.default;
  return isOn(table[sw.key], fallback);
}

/** Switches that are off, by table: they silence everything below them. */
function offSwitches(conv: Conversion): Map<string, string> {
  const off = new Map<string, string>();
  for (const rule of ALL_TABLES) {
    if (!rule.switch || !isTable(conv.ctx.get(rule.table))) continue;
    const raw = conv.ctx.get(`${rule.table}.${rule.switch.key}`);
    if (raw !== undefined && typeof raw !== 'boolean') continue; // reported by applyRule
    if (!switchOn(rule, conv.ctx.get(rule.table) as Record<string, unknown>)) off.set(rule.table, rule.switch.offNote);
  }
  return off;
}

function applyRule(conv: Conversion, rule: TableRule, off: ReadonlyMap<string, string>, dirs: { repo: string; supabase: string }): void {
  const table = conv.ctx.get(rule.table);
  if (table === undefined) return;
  if (!isTable(table)) return conv.issue(rule.table, 'expected a table');
  const fieldPaths = new Set(rule.fields.map((f) => `${rule.table}.${f.key}`));
  const ownLeaf = (path: string) => fieldPaths.has(path) || (rule.switch !== undefined && path === `${rule.table}.${rule.switch.key}`) || [...fieldPaths].some((p) => isBelow(path, p));
  const ancestorOff = [...off].find(([t]) => t !== rule.table && isBelow(rule.table, t));
  if (ancestorOff) return conv.noteRest(rule.table, ancestorOff[1], (p) => !ownLeaf(p));
  const notSent = rule.unless?.(conv.ctx);
  if (notSent) return conv.noteRest(rule.table, notSent, (p) => !ownLeaf(p));

  if (rule.switch) {
    const key = `${rule.table}.${rule.switch.key}`;
    const raw = table[rule.switch.key];
    if (raw !== undefined && typeof raw !== 'boolean') return conv.issue(key, 'expected true or false (a switch must be written as such to be imported)');
    const on = switchOn(rule, table);
    conv.handle(key);
    if (rule.switch.to) conv.set(rule.section, rule.switch.to, on, key);
    if (!on) {
      // A switch that is not a field of its own is not imported either: say so.
      if (!rule.switch.to && raw !== undefined) conv.notes.push({ path: conv.source(key), kind: 'inactive', reason: rule.switch.offNote });
      for (const [to, v] of Object.entries(rule.switch.off ?? {})) conv.set(rule.section, to, v, key);
      return conv.noteRest(rule.table, rule.switch.offNote, (p) => !ownLeaf(p));
    }
  }
  for (const [to, v] of Object.entries(rule.constants ?? {})) conv.set(rule.section, to, v, rule.table);
  for (const f of rule.fields) {
    const path = `${rule.table}.${f.key}`;
    const raw = table[f.key];
    if (raw === undefined) {
      if (f.whenAbsent !== undefined) conv.set(rule.section, f.to, f.whenAbsent, rule.table);
      continue;
    }
    const reason = f.unless?.(conv.ctx);
    if (reason) {
      conv.note(path, 'inactive', reason);
      continue;
    }
    const converted = convertValue(raw, f, { target: `${rule.section}.${f.to}`, tomlPath: conv.source(path), dirs });
    if (converted.kind === 'invalid') {
      conv.issue(path, converted.message);
    } else if (converted.kind === 'unconverted') {
      conv.note(path, 'unconverted', converted.reason);
    } else if (converted.kind === 'skip') {
      conv.note(path, 'inactive', 'empty: the CLI does not send it');
    } else {
      const adjusted = f.adjust ? f.adjust(converted.value, conv.ctx) : { value: converted.value };
      conv.set(rule.section, f.to, adjusted.value, path);
      if (adjusted.note) conv.notes.push({ path: conv.source(path), kind: 'inactive', reason: adjusted.note });
      conv.handle(path);
    }
  }
}

export function convert(input: ConvertInput): Converted {
  const conv = new Conversion(input);
  const supabaseDir = dirname(input.file);
  const dirs = { supabase: supabaseDir, repo: dirname(supabaseDir) };
  const off = offSwitches(conv);
  for (const rule of ALL_TABLES) applyRule(conv, rule, off, dirs);
  // Every key left: local-only, not pushed by the CLI, or unknown.
  for (const leaf of leaves(input.toml)) {
    if (conv.isHandled(leaf)) continue;
    const switched = [...off].find(([t]) => isBelow(leaf, t));
    const rule = unmappedRule(leaf);
    if (rule) conv.note(leaf, rule.kind, rule.reason);
    else if (switched) conv.note(leaf, 'inactive', switched[1]);
    else conv.note(leaf, 'unknown', 'not a key the Supabase CLI knows (it would refuse the file)');
  }
  return { sections: conv.sections, provenance: conv.provenance, notes: conv.notes, issues: conv.issues };
}
