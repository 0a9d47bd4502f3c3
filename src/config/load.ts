/**
 * The configuration loader: files → YAML documents → interpolated values → schema validation →
 * layers (projects, templates) → each project's effective desired state → semantic checks. Every
 * problem found is collected, and one ConfigError reports them all; if any file is invalid,
 * nothing is returned (so nothing is contacted).
 */
import { ConfigError, type ConfigIssue } from '../errors.js';
import { checkProjects } from './checks.js';
import type { ProjectIssue } from './compose.js';
import { nodeFs } from './config-fs.js';
import { checkResolvedValues } from './effective-check.js';
import { discoverConfigFiles } from './files.js';
import { fleetIssues, LayerLocator, type DocumentSpan } from './fleet-issues.js';
import { foreignDocument } from './foreign.js';
import { IncludeReader, includesOf } from './includes.js';
import { PATTERN_BUDGET } from '../redact.js';
import { checkLayers } from './layer-checks.js';
import { LIMITS } from './limits.js';
import { layerKey, mergeDocuments, type MergeInput, type MergeResult } from './merge.js';
import { parseYamlSliced } from './parse.js';
import { escapeHidden, printable } from './printable.js';
import { newReadBudget, readConfigFile } from './read.js';
import type { InterpolationSources } from './interpolate.js';
import { createSecretFileReader } from './secret-files.js';
import { SensitiveValues } from './sensitive.js';
import { timeSlicer, type Pause } from './slicer.js';
import { documentToTree } from './tree.js';
import { referenceForms, type ReferenceForms } from './reference-forms.js';
import type { DesiredProject, DesiredState, LoadOptions, ValuePath } from './types.js';
import { configSchema, validateDocumentSliced } from './validate.js';

function compareIssues(a: ConfigIssue, b: ConfigIssue): number {
  const la = a.location;
  const lb = b.location;
  if (!la || !lb) return la ? 1 : lb ? -1 : 0;
  if (la.file !== lb.file) return la.file < lb.file ? -1 : 1;
  return la.line - lb.line || la.col - lb.col;
}

/** Redacted first (a shortened secret could no longer be found), then made printable. */
function finalIssue(issue: ConfigIssue, sensitive: SensitiveValues): ConfigIssue {
  return {
    ...issue,
    ...(issue.location ? { location: { ...issue.location, file: escapeHidden(issue.location.file) } } : {}),
    path: printable(sensitive.redact(issue.path)),
    message: printable(sensitive.redact(issue.message)),
  };
}

function finalIssues(issues: ConfigIssue[], sensitive: SensitiveValues): ConfigIssue[] {
  const seen = new Set<string>();
  const unique = issues
    .map((i) => finalIssue(i, sensitive))
    .filter((i) => {
      const key = JSON.stringify(i);
      return seen.has(key) ? false : (seen.add(key), true);
    })
    .sort(compareIssues);
  if (unique.length <= LIMITS.issues) return unique;
  const rest = unique.length - LIMITS.issues;
  return [...unique.slice(0, LIMITS.issues), { path: '', message: `… and ${rest} more issue${rest === 1 ? '' : 's'}` }];
}

/** The layer a document belongs to: `project: REF` or `template: NAME`. */
function layerOf(value: Record<string, unknown>): DocumentSpan['layer'] | undefined {
  if (typeof value.template === 'string') return value.project === undefined ? { kind: 'template', name: value.template } : undefined;
  if (typeof value.project === 'string') return { kind: 'project', name: value.project };
  return undefined;
}

const sectionOf = (path: string): string => path.split(/[.[]/)[0] ?? '';

/**
 * Checks of each project's effective state: values resolved after merging against the schema, then
 * the semantic checks — skipping sections whose values (in any layer) already failed the schema.
 */
async function checkEffective(
  merged: MergeResult,
  invalidSections: ReadonlySet<string>,
  sensitive: SensitiveValues,
  pause: Pause,
): Promise<{ issues: ProjectIssue[]; warnings: string[] }> {
  const issues: ProjectIssue[] = [];
  const warnings: string[] = [];
  const schema = configSchema();
  for (const project of merged.projects) {
    await pause();
    const resolved = merged.resolvedPaths.get(project.ref) ?? [];
    registerProject(project, resolved, sensitive);
    const skip = new Set<string>();
    for (const source of merged.chains.get(project.ref) ?? []) {
      for (const name of project.sections.keys()) {
        if (invalidSections.has(`${layerKey(source.layer)}/${name}`)) skip.add(`${project.ref}/${name}`);
      }
    }
    for (const issue of await checkResolvedValues(project, resolved, pause)) {
      issues.push({ ...issue, location: issue.location!, project: project.ref });
      skip.add(`${project.ref}/${sectionOf(issue.path)}`);
    }
    const checked = checkProjects([project], schema, skip);
    for (const issue of checked.issues) issues.push({ ...issue, location: issue.location!, project: project.ref });
    warnings.push(...checked.warnings);
  }
  return { issues, warnings };
}

/**
 * The project's sensitive values as the project holds them: values resolved after merging, and,
 * for a project built from templates, every secret field and file value (its templates' documents
 * name no project, and the API's digests of a secret are keyed by the project's ref).
 */
function registerProject(project: DesiredProject, resolved: readonly ValuePath[], sensitive: SensitiveValues): void {
  const keys = project.templates?.length
    ? [...project.sections].flatMap(([name, section]) => Object.keys(section.values).map((key) => [name, key] as const))
    : resolved.map(([name, key]) => [String(name), key] as const);
  const data: Record<string, Record<string, unknown>> = {};
  const fromFile: ValuePath[] = [];
  for (const [name, key] of keys) {
    const section = project.sections.get(name);
    if (!section || typeof key !== 'string' || !Object.hasOwn(section.values, key)) continue;
    Object.defineProperty((data[name] ??= {}), key, { value: section.values[key], enumerable: true });
    for (const p of section.fromFile) if (p === key || p.startsWith(`${key}/`)) fromFile.push([name, ...p.split('/')]);
  }
  if (Object.keys(data).length) sensitive.addDocument({ project: project.ref, ...data }, fromFile, []);
}

interface ReadDocuments {
  files: string[];
  documents: MergeInput[];
  spans: DocumentSpan[];
  /** `layerKey/section` pairs with schema errors: the semantic checks of projects using them skip the section. */
  invalidSections: Set<string>;
  issues: ConfigIssue[];
  sensitive: SensitiveValues;
  /** What `${VAR}` and `${file:...}` read from after merging (one secret-file cache for the whole load). */
  sources: InterpolationSources;
  /** What `${file:...}` references resolved after merging read (sensitive by themselves). */
  fileTexts: string[];
}

/**
 * Files → documents, with every problem of the files themselves: discovery, reading, YAML, values
 * and (when resolving) the schema. Shared by both entry points below.
 */
async function readDocuments(paths: readonly string[], opts: LoadOptions, keep: boolean, pause: Pause): Promise<ReadDocuments> {
  const env = opts.env ?? process.env;
  const fs = opts.fs ?? nodeFs;
  const secrets = createSecretFileReader(keep ? [] : opts.secretsDirs);
  const discovery = await discoverConfigFiles(paths, fs);
  const fileTexts: string[] = [];
  const sources = {
    env,
    readFile: (p: string) => {
      const result = secrets.read(p);
      if (result.ok) fileTexts.push(result.text);
      return result;
    },
  };
  const out: ReadDocuments = {
    sources,
    fileTexts,
    files: discovery.files,
    documents: [],
    spans: [],
    invalidSections: new Set(),
    issues: [...secrets.issues, ...discovery.issues],
    sensitive: new SensitiveValues(),
  };
  const { issues, sensitive } = out;
  const budget = newReadBudget();
  const includes = new IncludeReader(fs, budget);

  for (const file of discovery.files) {
    const read = await readConfigFile(file, budget, fs);
    if (!read.ok) {
      issues.push(read.issue);
      continue;
    }
    // The same text as a file the cache has seen: the same documents (a base revision reuses the
    // head's parse of every unchanged file; their reference forms are the same in both modes).
    // A file with includes is never cached: the same text may include other texts at the revision.
    const cached = keep ? opts.documentCache?.get(read.text) : undefined;
    if (cached) {
      out.documents.push(...cached.documents);
      out.spans.push(...cached.spans);
      continue;
    }
    const before = { issues: issues.length, documents: out.documents.length, spans: out.spans.length };
    await pause();
    const parsed = await parseYamlSliced(file, read.text, pause);
    issues.push(...parsed.issues);
    if (parsed.issues.length) continue; // a document with syntax errors has no trustworthy content
    let includesRead = false;
    for (const doc of parsed.documents) {
      await pause();
      const included = includesOf(doc);
      if (included.length) {
        includesRead = true;
        await includes.prepare(file, discovery.roots.get(file)!, included);
      }
      // What each `${file:}` read gave is sensitive by itself, also where it is only part of a value.
      const docFileTexts: string[] = [];
      const readFile = (p: string) => {
        const result = secrets.read(p);
        if (result.ok) docFileTexts.push(result.text);
        return result;
      };
      const tree = documentToTree(doc, {
        file,
        source: read.text,
        lineCounter: parsed.lineCounter,
        sources: { env, readFile },
        interpolation: keep ? 'keep' : 'resolve',
        includes: (path) => includes.get(file, path),
      });
      // Strings resolved later still hold references as written: neither secrets nor checkable yet.
      const unresolved = [...tree.unresolved, ...tree.deferred.map((d) => d.path)];
      sensitive.addDocument(tree.value, tree.fromFile, unresolved, docFileTexts);
      issues.push(...tree.issues);
      if (tree.value === undefined) continue; // empty document
      const foreign = foreignDocument(tree.value);
      if (foreign) {
        issues.push({ location: tree.positions.root, path: '', message: foreign });
        continue;
      }
      await pause();
      const schemaErrors = keep
        ? []
        : await validateDocumentSliced(
            {
              data: tree.value,
              positions: tree.positions,
              unresolved,
              isSensitive: (path) => SensitiveValues.isSensitivePath(path, tree.fromFile),
            },
            pause,
          );
      issues.push(...schemaErrors);
      if (!tree.value || typeof tree.value !== 'object' || Array.isArray(tree.value)) continue;
      const value = tree.value as Record<string, unknown>;
      const layer = layerOf(value);
      if (layer) {
        out.spans.push({ start: tree.positions.root, layer });
        for (const issue of [...tree.issues, ...schemaErrors]) out.invalidSections.add(`${layerKey(layer)}/${sectionOf(issue.path)}`);
      }
      out.documents.push({ value, positions: tree.positions, fromFile: tree.fromFile, deferred: tree.deferred, written: tree.written });
    }
    if (!keep && opts.documentCache && issues.length === before.issues && !includesRead) {
      opts.documentCache.set(read.text, { documents: out.documents.slice(before.documents), spans: out.spans.slice(before.spans) });
    }
  }
  return out;
}

export async function loadDesiredState(paths: readonly string[], opts: LoadOptions): Promise<DesiredState> {
  // The daemon reloads on the event loop that answers its probes: every step below may pause.
  const pause = timeSlicer();
  const read = await readDocuments(paths, opts, false, pause);
  const { issues, sensitive } = read;
  await pause();
  const merged = mergeDocuments(read.documents, { external: { kind: 'resolve', sources: read.sources } });
  issues.push(...merged.issues);
  issues.push(...checkLayers(merged.layers.values(), configSchema()));
  const effective = await checkEffective(merged, read.invalidSections, sensitive, pause);
  // What ${file:} references resolved per project read is sensitive by itself too.
  sensitive.addDocument(undefined, [], [], read.fileTexts);
  if (sensitive.tooLarge) {
    // Fail closed: a secret the redactor could not index could be printed.
    issues.push({
      path: '',
      message: `the secret values and \${file:} contents of this configuration add up to more than ${PATTERN_BUDGET / 1024} Ki characters in the forms redaction looks for; supasync cannot guarantee to keep them out of its output`,
    });
  }
  const projectIssues = [...merged.projectIssues, ...effective.issues];
  const warnings = [...merged.warnings, ...effective.warnings];
  const all = fleetIssues(issues, projectIssues, new LayerLocator(read.spans), merged.templateUsers);
  if (!all.length && !merged.projects.length) {
    all.push({ path: '', message: `no project is declared in ${paths.join(', ')} (each document needs "project: <ref>")` });
  }
  await pause();
  if (all.length) throw new ConfigError(finalIssues(all, sensitive));
  const state: DesiredState = {
    projects: merged.projects,
    files: read.files,
    warnings: [...new Set(warnings)].map((w) => printable(sensitive.redact(w))),
    sensitive,
  };
  if (opts.referenceForms) state.references = referenceForms(merged.chains);
  return state;
}

/**
 * The reference forms of a configuration that is only compared, never applied (e.g. at a base git
 * revision): no reference is resolved and no secret read, the schema and semantic checks are not
 * run, and projects are composed only when asked for. Problems that leave the layers unknown
 * (files, YAML, templates) are a ConfigError. No file or no project is an empty configuration.
 */
export async function loadReferenceForms(
  paths: readonly string[],
  opts: Pick<LoadOptions, 'fs' | 'documentCache'>,
): Promise<ReferenceForms> {
  const pause = timeSlicer();
  const read = await readDocuments(paths, { ...opts, secretsDirs: [], env: {} }, true, pause);
  if (!read.files.length) return referenceForms(new Map());
  const merged = mergeDocuments(read.documents, { external: { kind: 'keep' } }, { composeProjects: false });
  const all = fleetIssues([...read.issues, ...merged.issues], [], new LayerLocator(read.spans), merged.templateUsers);
  if (all.length) throw new ConfigError(finalIssues(all, read.sensitive));
  return referenceForms(merged.chains);
}
