/**
 * `explain`: one project's effective desired state, key by key, with where each value came from
 * (file:line:col and the template chain). Secret values are masked as plans mask them: values of
 * secret fields, values read from files, and variables used for either are never shown.
 */
import { escapeHidden } from './printable.js';
import { SensitiveValues } from './sensitive.js';
import type { DesiredProject, ValueOrigin, ValuePath } from './types.js';

export const SENSITIVE = '(sensitive value)';

export interface ExplainedOrigin {
  file: string;
  line: number;
  col: number;
  template?: string;
  via?: string[];
}

export interface ExplainedValue {
  /** Absent when sensitive. */
  value?: unknown;
  sensitive?: true;
  /** Absent for a default (`mode` nobody set). */
  origin?: ExplainedOrigin;
}

export interface Explained {
  project: string;
  declared_at: ExplainedOrigin;
  /** Templates in layer order (each after those it builds on); the project's own documents come last. */
  templates: string[];
  sections: Record<string, Record<string, ExplainedValue>>;
  allow_risky: Array<{ key: string; origin: ExplainedOrigin }>;
  /** Variables as written (references not resolved). */
  vars: Record<string, ExplainedValue>;
}

function explainOrigin(origin: ValueOrigin): ExplainedOrigin {
  const { file, line, col } = origin.location;
  return {
    file: escapeHidden(file),
    line,
    col,
    ...(origin.template !== undefined ? { template: origin.template } : {}),
    ...(origin.via?.length ? { via: [...origin.via] } : {}),
  };
}

/** `value` with every sensitive part below `path` replaced by the marker (undefined: the whole is sensitive). */
function masked(value: unknown, path: ValuePath, isSensitive: (p: ValuePath) => boolean): { value?: unknown; sensitive?: true } {
  if (isSensitive(path)) return { sensitive: true };
  const walk = (v: unknown, p: ValuePath): unknown => {
    if (isSensitive(p)) return SENSITIVE;
    if (Array.isArray(v)) return v.map((item, i) => walk(item, [...p, i]));
    if (v && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, item] of Object.entries(v)) Object.defineProperty(out, k, { value: walk(item, [...p, k]), enumerable: true });
      return out;
    }
    return v;
  };
  return { value: walk(value, path) };
}

export function explainProject(project: DesiredProject): Explained {
  const fromFile: ValuePath[] = [];
  for (const [name, section] of project.sections) for (const p of section.fromFile) fromFile.push([name, ...p.split('/')]);
  const isSensitive = (path: ValuePath) => SensitiveValues.isSensitivePath(path.map(String), fromFile);

  const sections: Explained['sections'] = {};
  for (const [name, section] of project.sections) {
    const keys: Record<string, ExplainedValue> = {};
    const modeOrigin = section.origin?.(['mode']);
    keys.mode = { value: section.mode, ...(modeOrigin ? { origin: explainOrigin(modeOrigin) } : {}) };
    for (const [key, value] of Object.entries(section.values)) {
      const origin = section.origin?.([key]);
      const location = origin ? undefined : section.locate([key]);
      Object.defineProperty(keys, key, {
        value: {
          ...masked(value, [name, key], isSensitive),
          origin: explainOrigin(origin ?? { location: location! }),
        },
        enumerable: true,
      });
    }
    sections[name] = keys;
  }
  const vars: Explained['vars'] = {};
  for (const [name, info] of project.variables ?? []) {
    const secret = info.fromFile || info.usedAt.some(isSensitive);
    vars[name] = { ...(secret ? { sensitive: true as const } : { value: info.written }), origin: explainOrigin(info.origin) };
  }
  return {
    project: project.ref,
    declared_at: explainOrigin({ location: project.location }),
    templates: [...(project.templates ?? [])],
    sections,
    allow_risky: project.allowRisky.map((e) => ({ key: e.key, origin: explainOrigin(e.origin ?? { location: e.location }) })),
    vars,
  };
}
