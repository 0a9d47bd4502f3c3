/**
 * The order of each project's layers: the templates its `extends` lists, in order, each one after
 * its own `extends` (depth-first), then the project itself. A template reached twice (a diamond)
 * counts once, where it is first reached. Unknown names and cycles are errors at the `extends`
 * entry; a template no project reaches is a warning.
 */
import type { ConfigIssue, SourceLocation } from '../errors.js';
import { LIMITS } from './limits.js';
import type { Layer, ListEntry } from './merge.js';
import { didYouMean } from './suggest.js';

/** A layer as one project reaches it. */
export interface LayerSource {
  layer: Layer;
  /** The templates it was inherited through, from the project's own `extends` entry on; [] when direct. */
  via: readonly string[];
}

export interface Chains {
  /** Project ref → its layers, in order (the project's own last). */
  chains: Map<string, LayerSource[]>;
  /** Template name → refs of the projects that use it, sorted. */
  users: Map<string, string[]>;
  issues: ConfigIssue[];
  warnings: string[];
}

const at = (l: SourceLocation): string => `${l.file}:${l.line}:${l.col}`;

/** Unknown names, and every cycle (once, at the entry that closes it). */
function checkGraph(layers: readonly Layer[], templates: ReadonlyMap<string, Layer>, issues: ConfigIssue[]): void {
  const names = [...templates.keys()];
  for (const layer of layers) {
    for (const entry of layer.extends) {
      if (!templates.has(entry.value)) {
        issues.push({ location: entry.location, path: 'extends', message: `unknown template "${entry.value}"${didYouMean(entry.value, names)}` });
      }
    }
  }
  // Iterative depth-first search with the path on a stack (no recursion: the chain length is up to the user).
  const done = new Set<string>();
  for (const start of templates.values()) {
    if (done.has(start.name)) continue;
    const path: Array<{ layer: Layer; next: number }> = [{ layer: start, next: 0 }];
    const onPath = new Set([start.name]);
    while (path.length) {
      const top = path[path.length - 1]!;
      const entry: ListEntry | undefined = top.layer.extends[top.next++];
      if (!entry) {
        path.pop();
        onPath.delete(top.layer.name);
        done.add(top.layer.name);
        continue;
      }
      const child = templates.get(entry.value);
      if (!child || done.has(child.name)) continue;
      if (onPath.has(child.name)) {
        const from = path.findIndex((p) => p.layer.name === child.name);
        const cycle = [...path.slice(from).map((p) => p.layer.name), child.name].join(' → ');
        issues.push({ location: entry.location, path: 'extends', message: `template cycle: ${cycle}` });
        continue;
      }
      path.push({ layer: child, next: 0 });
      onPath.add(child.name);
    }
  }
}

/**
 * The project's layers in order. Nesting deeper than the cap is reported at the entry that goes too
 * deep (once, whichever project reaches it) and not followed: the chain length is up to the input.
 */
function linearise(project: Layer, templates: ReadonlyMap<string, Layer>, tooDeep: Map<string, ConfigIssue>): LayerSource[] {
  const sources: LayerSource[] = [];
  const placed = new Set<string>();
  const visiting = new Set<string>();
  const visit = (layer: Layer, via: readonly string[]): void => {
    if (placed.has(layer.name) || visiting.has(layer.name)) return; // reached before, or a cycle (reported)
    visiting.add(layer.name);
    for (const entry of layer.extends) {
      const parent = templates.get(entry.value);
      if (!parent) continue;
      if (via.length + 2 > LIMITS.extendsDepth) {
        const key = `${at(entry.location)}`;
        if (!tooDeep.has(key)) {
          tooDeep.set(key, { location: entry.location, path: 'extends', message: `templates nest deeper than ${LIMITS.extendsDepth} levels` });
        }
        continue;
      }
      visit(parent, [...via, layer.name]);
    }
    visiting.delete(layer.name);
    placed.add(layer.name);
    sources.push({ layer, via });
  };
  for (const entry of project.extends) {
    const template = templates.get(entry.value);
    if (template) visit(template, []);
  }
  sources.push({ layer: project, via: [] });
  return sources;
}

export function resolveChains(projects: readonly Layer[], templateLayers: readonly Layer[]): Chains {
  const templates = new Map(templateLayers.map((t) => [t.name, t]));
  const issues: ConfigIssue[] = [];
  checkGraph([...projects, ...templateLayers], templates, issues);
  const chains = new Map<string, LayerSource[]>();
  const users = new Map<string, string[]>(templateLayers.map((t) => [t.name, []]));
  const tooDeep = new Map<string, ConfigIssue>();
  for (const project of projects) {
    const chain = linearise(project, templates, tooDeep);
    if (chain.length > LIMITS.layers) {
      issues.push({ location: project.location, path: 'extends', message: `project ${project.name} has ${chain.length - 1} templates (at most ${LIMITS.layers - 1})` });
      chains.set(project.name, [chain[chain.length - 1]!]);
      continue;
    }
    chains.set(project.name, chain);
    for (const source of chain) if (source.layer.kind === 'template') users.get(source.layer.name)!.push(project.name);
  }
  issues.push(...tooDeep.values());
  const warnings: string[] = [];
  for (const [name, refs] of users) {
    refs.sort();
    if (!refs.length) warnings.push(`${at(templates.get(name)!.location)}: template "${name}" is not used by any project`);
  }
  return { chains, users, issues, warnings };
}
