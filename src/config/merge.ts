/**
 * Documents → desired state per project. Documents group into layers: a project's own documents, or
 * a template's (`template: NAME`). Within one layer several documents may hold sections; they merge
 * key by key, and a key (including `mode`) set in two places is an error naming both.
 * ./layers.ts orders each project's layers (its templates depth-first, then itself) and
 * ./compose.ts lays them over each other, later layers winning key by key.
 */
import type { ConfigIssue, SourceLocation } from '../errors.js';
import { providers } from '../providers/index.js';
import { composeProject, type ComposeOptions, type ProjectIssue } from './compose.js';
import { resolveChains, type LayerSource } from './layers.js';
import type { PositionMap } from './locate.js';
import { hasProjectReference } from './references.js';
import { formatPath } from './locate.js';
import type { DeferredString, WrittenString } from './tree.js';
import type { AllowRiskyEntry, DesiredProject, SectionMode, ValuePath } from './types.js';

export interface MergeInput {
  value: Record<string, unknown>;
  positions: PositionMap;
  fromFile: readonly ValuePath[];
  /** Strings resolved per project (`${var:...}`, `${project}`; see ./tree.ts). */
  deferred?: readonly DeferredString[];
  /** Strings resolved while reading, as written (for the reference form of ./effective-diff.ts). */
  written?: readonly WrittenString[];
}

const where = (l: SourceLocation): string => `${l.file}:${l.line}:${l.col}`;
export const SECTION_ORDER: readonly string[] = providers.map((p) => p.section);

/** One section of one layer. */
export class SectionBuilder {
  readonly values: Record<string, unknown> = {};
  /** Paths (joined with `/`, relative to the section) whose value was read from a `${file:...}` reference. */
  readonly fromFile = new Set<string>();
  mode: SectionMode = 'enforce';
  /** Which document set each key (`mode` included). */
  readonly owners = new Map<string, MergeInput>();

  constructor(
    readonly name: string,
    /** The first document of the layer that holds the section. */
    readonly declaredAt: MergeInput,
    /** Who sets the keys, for messages: `for project REF`, `in this template`. */
    private readonly setter: string,
  ) {}

  add(body: Record<string, unknown>, doc: MergeInput, issues: ConfigIssue[]): void {
    for (const [key, value] of Object.entries(body)) {
      const here = doc.positions.key([this.name, key]);
      const owner = this.owners.get(key);
      if (owner) {
        issues.push({
          location: here,
          path: formatPath([this.name, key]),
          message: `set twice ${this.setter}: here and at ${where(owner.positions.key([this.name, key]))}`,
        });
        continue;
      }
      this.owners.set(key, doc);
      if (key === 'mode') this.mode = value as SectionMode;
      else Object.defineProperty(this.values, key, { value, enumerable: true, writable: true, configurable: true });
      for (const path of doc.fromFile) {
        if (path[0] === this.name && path[1] === key) this.fromFile.add(path.slice(1).map(String).join('/'));
      }
    }
  }
}

export interface ListEntry {
  /** The entry as written: a template name, `section` or `section.key`. */
  value: string;
  location: SourceLocation;
}

/** A project's own documents, or one template's. */
export interface Layer {
  kind: 'project' | 'template';
  /** The project ref or the template name. */
  name: string;
  /** Where `project:` / `template:` stands in the layer's first document. */
  location: SourceLocation;
  /** Sections in the order of the registry. */
  sections: Map<string, SectionBuilder>;
  allowRisky: AllowRiskyEntry[];
  /** Variable name → the document that sets it. */
  vars: Map<string, MergeInput>;
  extends: ListEntry[];
  unmanage: ListEntry[];
  /** The layer's documents, in load order. */
  documents: MergeInput[];
}

/** `project:REF` or `template:NAME`: how issues and skipped sections name a layer. */
export const layerKey = (layer: Pick<Layer, 'kind' | 'name'>): string => `${layer.kind}:${layer.name}`;

function stringEntries(doc: MergeInput, key: string): ListEntry[] {
  const list = doc.value[key];
  if (!Array.isArray(list)) return [];
  return list.flatMap((value, i) => (typeof value === 'string' ? [{ value, location: doc.positions.value([key, i]) }] : []));
}

/** The keys that make a document a layer, and where they may use per-project references. */
const PER_PROJECT_ALLOWED = new Set([...SECTION_ORDER, 'vars']);

function mergeLayer(kind: Layer['kind'], name: string, documents: MergeInput[], issues: ConfigIssue[]): Layer {
  const first = documents[0]!;
  const setter = kind === 'project' ? `for project ${name}` : 'in this template';
  const layer: Layer = {
    kind,
    name,
    location: first.positions.value([kind]),
    sections: new Map(),
    allowRisky: [],
    vars: new Map(),
    extends: [],
    unmanage: [],
    documents,
  };
  let extendsSetIn: MergeInput | undefined;
  for (const doc of documents) {
    layer.allowRisky.push(...stringEntries(doc, 'allow_risky').map((e) => ({ key: e.value, location: e.location })));
    layer.unmanage.push(...stringEntries(doc, 'unmanage'));
    if (Array.isArray(doc.value.extends)) {
      if (extendsSetIn) {
        issues.push({
          location: doc.positions.key(['extends']),
          path: 'extends',
          message: `set twice ${setter}: here and at ${where(extendsSetIn.positions.key(['extends']))}`,
        });
      } else {
        extendsSetIn = doc;
        layer.extends = stringEntries(doc, 'extends');
      }
    }
    const vars = doc.value.vars;
    if (vars && typeof vars === 'object' && !Array.isArray(vars)) {
      for (const key of Object.keys(vars)) {
        const owner = layer.vars.get(key);
        if (owner) {
          issues.push({
            location: doc.positions.key(['vars', key]),
            path: formatPath(['vars', key]),
            message: `set twice ${setter}: here and at ${where(owner.positions.key(['vars', key]))}`,
          });
        } else layer.vars.set(key, doc);
      }
    }
    for (const section of SECTION_ORDER) {
      const body = doc.value[section];
      if (!body || typeof body !== 'object' || Array.isArray(body)) continue;
      let builder = layer.sections.get(section);
      if (!builder) layer.sections.set(section, (builder = new SectionBuilder(section, doc, setter)));
      builder.add(body as Record<string, unknown>, doc, issues);
    }
    for (const deferred of doc.deferred ?? []) {
      const root = deferred.path[0];
      if ((typeof root === 'string' && PER_PROJECT_ALLOWED.has(root)) || !hasProjectReference(deferred.raw)) continue;
      issues.push({
        location: deferred.locate(deferred.raw, 0),
        path: formatPath(deferred.path),
        message: '${var:...} and ${project} may be used only in section values and vars',
      });
    }
  }
  // Sections in the registry's order, whatever order the documents gave them in.
  layer.sections = new Map(SECTION_ORDER.filter((s) => layer.sections.has(s)).map((s) => [s, layer.sections.get(s)!]));
  return layer;
}

export interface MergeResult {
  /** Sorted by ref. */
  projects: DesiredProject[];
  /** Problems of documents and layers (reported once, wherever many projects they touch). */
  issues: ConfigIssue[];
  /** Problems found while composing one project (a variable it does not set, ...). */
  projectIssues: ProjectIssue[];
  warnings: string[];
  /** Each project's layers, in order. */
  chains: ReadonlyMap<string, readonly LayerSource[]>;
  /** Template name → the refs of the projects that use it, sorted. */
  templateUsers: ReadonlyMap<string, readonly string[]>;
  /** Every layer (for locating issues), by layerKey. */
  layers: ReadonlyMap<string, Layer>;
  /** Per project: the paths (section first) of values resolved after merging. */
  resolvedPaths: ReadonlyMap<string, readonly ValuePath[]>;
}

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export function mergeDocuments(
  documents: readonly MergeInput[],
  opts: ComposeOptions = {},
  { composeProjects = true }: { composeProjects?: boolean } = {},
): MergeResult {
  const issues: ConfigIssue[] = [];
  const grouped = new Map<string, { kind: Layer['kind']; name: string; documents: MergeInput[] }>();
  for (const doc of documents) {
    const { project, template } = doc.value;
    if (typeof template === 'string' && project !== undefined) {
      issues.push({
        location: doc.positions.key(['template']),
        path: 'template',
        message: 'a document is either a project (project:) or a template (template:), not both',
      });
      continue;
    }
    const kind = typeof template === 'string' ? 'template' : typeof project === 'string' ? 'project' : undefined;
    if (!kind) continue; // the schema reports it
    const name = (kind === 'template' ? template : project) as string;
    const key = layerKey({ kind, name });
    let group = grouped.get(key);
    if (!group) grouped.set(key, (group = { kind, name, documents: [] }));
    group.documents.push(doc);
  }
  const layers = new Map<string, Layer>();
  for (const [key, g] of grouped) layers.set(key, mergeLayer(g.kind, g.name, g.documents, issues));

  const all = [...layers.values()];
  const resolved = resolveChains(
    all.filter((l) => l.kind === 'project'),
    all.filter((l) => l.kind === 'template'),
  );
  issues.push(...resolved.issues);
  const projects: DesiredProject[] = [];
  const projectIssues: ProjectIssue[] = [];
  const warnings = [...resolved.warnings];
  const resolvedPaths = new Map<string, readonly ValuePath[]>();
  for (const ref of composeProjects ? [...resolved.chains.keys()].sort(byText) : []) {
    const composed = composeProject(ref, resolved.chains.get(ref)!, opts);
    projects.push(composed.project);
    projectIssues.push(...composed.issues);
    warnings.push(...composed.warnings);
    if (composed.resolvedPaths.length) resolvedPaths.set(ref, composed.resolvedPaths);
  }
  return {
    projects,
    issues,
    projectIssues,
    warnings: [...new Set(warnings)],
    chains: resolved.chains,
    templateUsers: resolved.users,
    layers,
    resolvedPaths,
  };
}
