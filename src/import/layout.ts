/**
 * Converted projects → supasync documents. Without remotes: one project document. With
 * `[remotes.<name>]`: the base config becomes a template, and each remote a project that extends
 * it and writes only what differs from it — a key its remote changed is set, a key the base has
 * and the remote's effective config does not send (a provider it turns off) is unmanaged — so each
 * project's effective state is exactly its own converted config. Written secrets get their
 * variable names here: `AUTH_SMTP_PASS` (as `supasync export` names them), `AUTH_SMTP_PASS_STAGING`
 * for a remote's own value.
 */
import { variableName } from '../providers/normalise.js';
import { Included, Reference, type Sections } from './model.js';

export interface OutDocument {
  kind: 'project' | 'template';
  /** The project ref, or the template name. */
  id: string;
  /** Output path relative to the output directory. */
  path: string;
  extends?: string[];
  unmanage?: string[];
  sections: Sections;
  /** `section.key` → the TOML key it came from. */
  provenance: Map<string, string>;
}

export interface LayoutProject {
  ref: string;
  sections: Sections;
  provenance: Map<string, string>;
}

export interface LayoutRemote extends LayoutProject {
  name: string;
}

/** A name for files and templates: letters, digits, `_`, `.`, `-`, not starting with a symbol. */
export function safeName(text: string, fallback: string): string {
  const cleaned = text.replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^[^A-Za-z0-9]+/, '');
  return cleaned.slice(0, 64) || fallback;
}

const envSuffix = (name: string): string => name.toUpperCase().replace(/[^A-Z0-9_]/g, '_');

export function sameValue(a: unknown, b: unknown): boolean {
  if (a instanceof Reference || b instanceof Reference) return a instanceof Reference && b instanceof Reference && a.sameAs(b);
  if (a instanceof Included || b instanceof Included) return a instanceof Included && b instanceof Included && a.file === b.file;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((v, i) => sameValue(v, b[i]));
  }
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  }
  return a === b;
}

/** Gives every written secret of the sections its variable name (`suffix` for a remote's own). */
function nameSecrets(sections: Sections, suffix: string): void {
  const visit = (section: string, key: string, value: unknown): void => {
    if (value instanceof Reference && value.name === undefined) value.name = variableName(section, key) + suffix;
    else if (Array.isArray(value)) value.forEach((v) => visit(section, key, v));
    else if (value && typeof value === 'object' && !(value instanceof Included)) for (const v of Object.values(value)) visit(section, key, v);
  };
  for (const [section, values] of Object.entries(sections)) for (const [key, value] of Object.entries(values)) visit(section, key, value);
}

/** What a remote writes on top of the template: its differing keys, and the keys it does not send. */
function overrides(base: Sections, own: Sections): { sections: Sections; unmanage: string[] } {
  const sections: Sections = {};
  const unmanage: string[] = [];
  for (const [name, values] of Object.entries(own)) {
    for (const [key, value] of Object.entries(values)) {
      if (!sameValue(base[name]?.[key], value)) (sections[name] ??= {})[key] = value;
    }
  }
  for (const [name, values] of Object.entries(base)) {
    if (!own[name]) {
      unmanage.push(name);
      continue;
    }
    for (const key of Object.keys(values)) if (!Object.hasOwn(own[name], key)) unmanage.push(`${name}.${key}`);
  }
  return { sections, unmanage };
}

export interface LayoutInput {
  /** The base config converted; its ref when the base is a project of its own (--project, linked). */
  base: LayoutProject | (Omit<LayoutProject, 'ref'> & { ref?: undefined });
  remotes: LayoutRemote[];
  /** The config.toml's project_id, for file and template names. */
  name: string;
}

export function layout(input: LayoutInput): OutDocument[] {
  const name = safeName(input.name, 'supabase');
  const { base } = input;
  nameSecrets(base.sections, '');
  if (!input.remotes.length) {
    if (!base.ref) throw new Error('layout: a project needs a ref');
    return [{ kind: 'project', id: base.ref, path: `${name}.yaml`, sections: base.sections, provenance: base.provenance }];
  }
  const docs: OutDocument[] = [{ kind: 'template', id: name, path: `templates/${name}.yaml`, sections: base.sections, provenance: base.provenance }];
  const usedPaths = new Set<string>();
  const projectPath = (wanted: string): string => {
    let path = `projects/${safeName(wanted, 'project')}.yaml`;
    for (let n = 2; usedPaths.has(path); n++) path = `projects/${safeName(wanted, 'project')}-${n}.yaml`;
    usedPaths.add(path);
    return path;
  };
  for (const remote of input.remotes) {
    const { sections, unmanage } = overrides(base.sections, remote.sections);
    nameSecrets(sections, `_${envSuffix(remote.name)}`);
    docs.push({
      kind: 'project',
      id: remote.ref,
      path: projectPath(remote.name),
      extends: [name],
      ...(unmanage.length ? { unmanage } : {}),
      sections,
      provenance: remote.provenance,
    });
  }
  if (base.ref && !input.remotes.some((r) => r.ref === base.ref)) {
    docs.push({ kind: 'project', id: base.ref, path: projectPath(name), extends: [name], sections: {}, provenance: new Map() });
  }
  return docs;
}
