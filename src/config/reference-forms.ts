/**
 * Reference forms: each project's effective desired state with `${VAR}` and `${file:...}` as
 * written (templates merged, `${var:...}` and `${project}` resolved), for comparing two versions of
 * a configuration (./effective-diff.ts). A project's effective state is a function of its layers,
 * in order; so each project first has a fingerprint of those layers' contents, cheap to compare,
 * and is composed only when the fingerprints differ.
 */
import { composeProject } from './compose.js';
import { canonicalJson } from './effective-diff.js';
import type { LayerSource } from './layers.js';
import type { Layer, MergeInput } from './merge.js';
import type { DesiredProject, ValuePath } from './types.js';
import { copyData } from './variables.js';

export interface ReferenceForms {
  /** Project refs. */
  refs(): string[];
  has(ref: string): boolean;
  /** What the project is built from: its layers' contents in order, as written. Equal → equal effective states. */
  layers(ref: string): string;
  /** The project's effective desired state in reference form, composed when first asked for. */
  project(ref: string): DesiredProject;
}

const layerPrints = new WeakMap<Layer, string>();

/** The value at `base` of a document, with the strings resolved while reading put back as written. */
function asWritten(doc: MergeInput, base: ValuePath, value: unknown): unknown {
  const written = (doc.written ?? []).filter((w) => base.every((segment, i) => w.path[i] === segment));
  if (!written.length) return value;
  let out = copyData(value);
  for (const w of written) {
    const rel = w.path.slice(base.length);
    if (!rel.length) {
      out = w.raw;
      continue;
    }
    let node = out as Record<string | number, unknown>;
    for (const segment of rel.slice(0, -1)) node = node[segment] as Record<string | number, unknown>;
    Object.defineProperty(node, rel[rel.length - 1]!, { value: w.raw, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function layerPrint(layer: Layer): string {
  let print = layerPrints.get(layer);
  if (print === undefined) {
    const sections: Record<string, Record<string, unknown>> = {};
    for (const [name, section] of layer.sections) {
      const keys: Record<string, unknown> = {};
      for (const [key, doc] of section.owners) {
        Object.defineProperty(keys, key, {
          value: key === 'mode' ? section.mode : asWritten(doc, [name, key], section.values[key]),
          enumerable: true,
        });
      }
      sections[name] = keys;
    }
    const vars: Record<string, unknown> = {};
    for (const [name, doc] of layer.vars) {
      Object.defineProperty(vars, name, { value: asWritten(doc, ['vars', name], (doc.value.vars as Record<string, unknown>)[name]), enumerable: true });
    }
    print = canonicalJson({
      kind: layer.kind,
      name: layer.name,
      extends: layer.extends.map((e) => e.value),
      unmanage: layer.unmanage.map((e) => e.value),
      allowRisky: layer.allowRisky.map((e) => e.key),
      vars,
      sections,
    });
    layerPrints.set(layer, print);
  }
  return print;
}

export function referenceForms(chains: ReadonlyMap<string, readonly LayerSource[]>): ReferenceForms {
  const composed = new Map<string, DesiredProject>();
  return {
    refs: () => [...chains.keys()],
    has: (ref) => chains.has(ref),
    layers: (ref) => (chains.get(ref) ?? []).map((s) => layerPrint(s.layer)).join('\n'),
    project(ref) {
      let project = composed.get(ref);
      if (!project) composed.set(ref, (project = composeProject(ref, chains.get(ref)!, { external: { kind: 'keep' } }).project));
      return project;
    },
  };
}
