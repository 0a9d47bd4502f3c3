/**
 * One project's effective desired state from its layers (./layers.ts): each layer overrides the
 * previous ones key by key within a section (a list or mapping value is replaced whole), `mode`
 * included; `unmanage` drops inherited keys; `allow_risky` entries add up. Then the strings that
 * wait for the project (`${var:...}`, `${project}`) are resolved with the project's variables — a
 * template's defaults overridden by later layers — and every key remembers its origin: the
 * document position and the template chain it came through.
 */
import type { SourceLocation } from '../errors.js';
import { providers } from '../providers/index.js';
import type { LayerSource } from './layers.js';
import { formatPath } from './locate.js';
import type { Layer, MergeInput, SectionBuilder } from './merge.js';
import { SensitiveValues } from './sensitive.js';
import type { DeferredString, WrittenString } from './tree.js';
import type { AllowRiskyEntry, DesiredProject, DesiredSection, SectionMode, ValueOrigin, ValuePath, VariableInfo } from './types.js';
import { copyData, resolveDeferred, type ExternalReferences, type VariableBinding } from './variables.js';

export interface ComposeOptions {
  /**
   * `${VAR}`, `${VAR:-d}` and `${file:...}` inside strings that wait for the project: resolved
   * through these sources, or (`keep`, the default) left as written — and then the strings resolved
   * while reading are put back as written too: the reference form, which never holds a secret.
   */
  external?: ExternalReferences;
}

/** A problem found while composing one project; issues of many projects at one place are grouped (./fleet-issues.ts). */
export interface ProjectIssue {
  project: string;
  location: SourceLocation;
  path: string;
  message: string;
  /** The message is about this variable not being set: it names the project(s). */
  unsetVariable?: string;
}

export interface ComposedProject {
  project: DesiredProject;
  issues: ProjectIssue[];
  warnings: string[];
  /** Paths (section first) whose values were resolved here: the schema checks them again, as they are now. */
  resolvedPaths: ValuePath[];
}

interface Owner {
  doc: MergeInput;
  source: LayerSource;
}

/** Sections in the registry's order, whichever layer brought them. */
const SECTION_ORDER = providers.map((p) => p.section);

type Entry = { kind: 'deferred'; item: DeferredString } | { kind: 'written'; item: WrittenString };

const entryIndex = new WeakMap<MergeInput, Map<string, Entry[]>>();
const keyOf = (a: string | number | undefined, b: string | number | undefined): string => `${String(a)}\u0000${String(b)}`;

/** The deferred and written strings of a document, by their first two path segments (section and key). */
function entriesOf(doc: MergeInput): Map<string, Entry[]> {
  let index = entryIndex.get(doc);
  if (!index) {
    index = new Map();
    const add = (path: ValuePath, entry: Entry) => {
      const k = keyOf(path[0], path[1]);
      const list = index!.get(k);
      if (list) list.push(entry);
      else index!.set(k, [entry]);
    };
    for (const item of doc.deferred ?? []) add(item.path, { kind: 'deferred', item });
    for (const item of doc.written ?? []) add(item.path, { kind: 'written', item });
    entryIndex.set(doc, index);
  }
  return index;
}

const setOwn = (target: Record<string, unknown>, key: string, value: unknown): void => {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
};

/** `value` with `replacement` at `path` (modifies the copy it is given; `[]` replaces the whole). */
function setAt(value: unknown, path: ValuePath, replacement: unknown): unknown {
  if (!path.length) return replacement;
  let node = value as Record<string | number, unknown>;
  for (const segment of path.slice(0, -1)) node = node[segment] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (Array.isArray(node)) node[last as number] = replacement;
  else setOwn(node as Record<string, unknown>, String(last), replacement);
  return value;
}

const joined = (path: ValuePath): string => path.map(String).join('/');
const below = (path: string, prefix: string): boolean => path === prefix || path.startsWith(`${prefix}/`);

function originOf(owner: Owner, location: SourceLocation): ValueOrigin {
  const { layer, via } = owner.source;
  if (layer.kind !== 'template') return { location };
  return { location, template: layer.name, ...(via.length ? { via } : {}) };
}

/** One section as the layers so far make it. */
class ComposedSection {
  readonly values: Record<string, unknown> = {};
  readonly owners = new Map<string, Owner>();
  fromFile = new Set<string>();
  mode: SectionMode = 'enforce';
  /** Every key was unmanaged and no later layer set one again: the section is not managed at all. */
  dropped = false;

  constructor(
    readonly name: string,
    readonly declaredAt: Owner,
  ) {}

  overlay(layer: SectionBuilder, source: LayerSource): void {
    this.dropped = false;
    for (const [key, doc] of layer.owners) {
      this.forget(key);
      this.owners.set(key, { doc, source });
      if (key === 'mode') this.mode = layer.mode;
      else setOwn(this.values, key, layer.values[key]);
      for (const path of layer.fromFile) if (below(path, key)) this.fromFile.add(path);
    }
  }

  /** Stops managing a key; true when it was set. */
  unmanage(key: string): boolean {
    if (!this.owners.has(key)) return false;
    this.forget(key);
    if (key === 'mode') this.mode = 'enforce';
    if (!this.owners.size) this.dropped = true;
    return true;
  }

  private forget(key: string): void {
    this.owners.delete(key);
    delete this.values[key];
    for (const path of this.fromFile) if (below(path, key)) this.fromFile.delete(path);
  }

  build(): DesiredSection {
    const { name, owners, declaredAt } = this;
    const sectionAt = (): SourceLocation => declaredAt.doc.positions.key([name]);
    return {
      name,
      mode: this.mode,
      values: this.values,
      fromFile: this.fromFile,
      locate(path: ValuePath): SourceLocation {
        if (!path.length) return sectionAt();
        const owner = owners.get(String(path[0]));
        return owner ? owner.doc.positions.value([name, ...path]) : sectionAt();
      },
      origin(path: ValuePath): ValueOrigin | undefined {
        if (!path.length) return originOf(declaredAt, sectionAt());
        const owner = owners.get(String(path[0]));
        return owner && originOf(owner, owner.doc.positions.key([name, ...path]));
      },
    };
  }
}

class ProjectComposer {
  readonly issues: ProjectIssue[] = [];
  readonly warnings: string[] = [];
  readonly resolvedPaths: ValuePath[] = [];
  private readonly external: ExternalReferences;
  private readonly variables = new Map<string, Owner>();
  private readonly bindings = new Map<string, VariableBinding | undefined>();
  /** Where each variable was used (paths, section first): `explain` masks one used in a secret field. */
  private readonly uses = new Map<string, ValuePath[]>();

  constructor(
    private readonly ref: string,
    private readonly chain: readonly LayerSource[],
    opts: ComposeOptions,
  ) {
    this.external = opts.external ?? { kind: 'keep' };
    for (const source of chain) for (const [name, doc] of source.layer.vars) this.variables.set(name, { doc, source });
  }

  compose(): DesiredProject {
    const sections = new Map<string, ComposedSection>();
    const allowRisky: AllowRiskyEntry[] = [];
    for (const source of this.chain) {
      for (const entry of source.layer.unmanage) this.unmanage(sections, entry.value, entry.location);
      for (const [name, layerSection] of source.layer.sections) {
        let section = sections.get(name);
        if (!section) sections.set(name, (section = new ComposedSection(name, { doc: layerSection.declaredAt, source })));
        section.overlay(layerSection, source);
      }
      allowRisky.push(
        ...source.layer.allowRisky.map((e) =>
          source.layer.kind === 'template' ? { ...e, origin: originOf({ doc: source.layer.documents[0]!, source }, e.location) } : e,
        ),
      );
    }
    for (const section of sections.values()) this.resolveSection(section);
    const own = this.chain[this.chain.length - 1]!.layer;
    const templates = this.chain.filter((s) => s.layer.kind === 'template').map((s) => s.layer.name);
    const project: DesiredProject = {
      ref: this.ref,
      sections: new Map(
        SECTION_ORDER.flatMap((name) => {
          const section = sections.get(name);
          return section && !section.dropped ? [[name, section.build()] as const] : [];
        }),
      ),
      allowRisky,
      location: own.location,
    };
    if (templates.length) project.templates = templates;
    if (this.variables.size) project.variables = this.describeVariables();
    return project;
  }

  private unmanage(sections: Map<string, ComposedSection>, entry: string, location: SourceLocation): void {
    const [name = '', key] = entry.split('.');
    const section = sections.get(name);
    let removed = false;
    if (section && key === undefined) {
      for (const k of [...section.owners.keys()]) removed = section.unmanage(k) || removed;
      section.dropped = true;
      removed = true;
    } else if (section && key !== undefined) removed = section.unmanage(key);
    if (!removed) {
      this.warnings.push(
        `${location.file}:${location.line}:${location.col}: unmanage: "${entry}" is not set by a layer before this one, so there is nothing to stop managing`,
      );
    }
  }

  private resolveSection(section: ComposedSection): void {
    for (const [key, owner] of section.owners) {
      if (key === 'mode') continue;
      const entries = entriesOf(owner.doc).get(keyOf(section.name, key));
      if (!entries) continue;
      const applied = this.materialise(owner.doc, [section.name, key], section.values[key], entries, false);
      if (!applied) continue;
      setOwn(section.values, key, applied.value);
      for (const path of applied.fromFile) section.fromFile.add(joined([key, ...path]));
    }
  }

  /**
   * The value at `base` of a document with its waiting strings resolved (and, in keep mode, the
   * strings resolved while reading put back as written); undefined when nothing was to be done.
   */
  private materialise(
    doc: MergeInput,
    base: ValuePath,
    value: unknown,
    entries: readonly Entry[],
    inVariable: boolean,
  ): { value: unknown; fromFile: ValuePath[] } | undefined {
    const keep = this.external.kind === 'keep';
    const relevant = entries.filter((e) => e.kind === 'deferred' || keep);
    if (!relevant.length) return undefined;
    let out = copyData(value);
    const fromFile: ValuePath[] = [];
    for (const entry of relevant) {
      const rel = entry.item.path.slice(base.length);
      if (entry.kind === 'written') {
        out = setAt(out, rel, entry.item.raw);
        continue;
      }
      const item = entry.item;
      const result = resolveDeferred(item.raw, item.plain, {
        project: this.ref,
        variable: (name) => {
          if (!inVariable) this.uses.set(name, [...(this.uses.get(name) ?? []), item.path]);
          return this.binding(name);
        },
        external: this.external,
        inVariable,
        secret: SensitiveValues.isSensitivePath(item.path, []),
      });
      for (const e of result.errors) {
        this.issues.push({
          project: this.ref,
          location: item.locate(e.raw, e.occurrence),
          path: formatPath(item.path),
          message: e.message,
          ...(e.unsetVariable ? { unsetVariable: e.unsetVariable } : {}),
        });
      }
      if (result.errors.length) continue;
      out = setAt(out, rel, result.value);
      fromFile.push(...result.fromFile.map((p) => [...rel, ...p]));
      if (!inVariable) this.resolvedPaths.push(item.path);
    }
    if (!keep) {
      // What was read from files at reading time stays sensitive (the rest of the value is unchanged).
      const prefix = joined(base);
      for (const path of doc.fromFile) if (below(joined(path), prefix)) fromFile.push(path.slice(base.length));
    }
    return { value: out, fromFile };
  }

  /** A variable's value for this project (its own `${project}` resolved), computed once. */
  private binding(name: string): VariableBinding | undefined {
    if (this.bindings.has(name)) return this.bindings.get(name);
    this.bindings.set(name, undefined); // a variable's value may not refer to variables: no recursion
    const owner = this.variables.get(name);
    let binding: VariableBinding | undefined;
    if (owner) {
      const base = ['vars', name];
      const value = (owner.doc.value.vars as Record<string, unknown>)[name];
      const entries = entriesOf(owner.doc).get(keyOf('vars', name));
      const applied = entries && this.materialise(owner.doc, base, value, entries, true);
      const fileOf = owner.doc.fromFile.filter((p) => below(joined(p), joined(base))).map((p) => p.slice(base.length));
      binding = applied ?? { value, fromFile: fileOf };
    }
    this.bindings.set(name, binding);
    return binding;
  }

  /** The project's variables as written, with where each comes from (for `explain`). */
  private describeVariables(): Map<string, VariableInfo> {
    const out = new Map<string, VariableInfo>();
    for (const name of [...this.variables.keys()].sort()) {
      const owner = this.variables.get(name)!;
      let written = copyData((owner.doc.value.vars as Record<string, unknown>)[name]);
      for (const entry of entriesOf(owner.doc).get(keyOf('vars', name)) ?? []) {
        written = setAt(written, entry.item.path.slice(2), entry.item.raw);
      }
      const fromFile = owner.doc.fromFile.some((p) => p[0] === 'vars' && p[1] === name);
      out.set(name, {
        written,
        origin: originOf(owner, owner.doc.positions.key(['vars', name])),
        usedAt: this.uses.get(name) ?? [],
        fromFile,
      });
    }
    return out;
  }
}

export function composeProject(ref: string, chain: readonly LayerSource[], opts: ComposeOptions = {}): ComposedProject {
  const composer = new ProjectComposer(ref, chain, opts);
  const project = composer.compose();
  return { project, issues: composer.issues, warnings: composer.warnings, resolvedPaths: composer.resolvedPaths };
}

export type { Layer };
