/**
 * Schema checks of values resolved per project (`${var:...}`, `${project}`): each document was
 * validated as written, with those strings skipped; here the project's effective sections are
 * validated with the same schema, and the problems at or below a resolved value are kept, located
 * where the value is written (often in a template).
 */
import type { ConfigIssue } from '../errors.js';
import { formatPath, PositionMap, type NodePosition } from './locate.js';
import { SensitiveValues } from './sensitive.js';
import type { DesiredProject, ValuePath } from './types.js';
import type { Pause } from './slicer.js';
import { validateDocumentSliced } from './validate.js';

/** Positions of a project's effective state: each key's from the document that set it. */
class EffectivePositions extends PositionMap {
  constructor(private readonly project: DesiredProject) {
    super(project.location);
  }

  override get(path: ValuePath): NodePosition | undefined {
    return this.nearest(path);
  }

  override nearest(path: ValuePath): NodePosition {
    const [name, ...rest] = path;
    const section = typeof name === 'string' ? this.project.sections.get(name) : undefined;
    if (!section) return { value: this.root };
    return { key: section.origin?.(rest)?.location ?? section.locate([]), value: section.locate(rest) };
  }
}

const within = (path: string, prefix: string): boolean =>
  path === prefix || path.startsWith(`${prefix}.`) || path.startsWith(`${prefix}[`);

export async function checkResolvedValues(project: DesiredProject, resolved: readonly ValuePath[], pause: Pause): Promise<ConfigIssue[]> {
  if (!resolved.length) return [];
  const data: Record<string, unknown> = { project: project.ref };
  const fromFile: ValuePath[] = [];
  for (const [name, section] of project.sections) {
    data[name] = section.mode === 'enforce' ? { ...section.values } : { ...section.values, mode: section.mode };
    for (const path of section.fromFile) fromFile.push([name, ...path.split('/')]);
  }
  const issues = await validateDocumentSliced(
    {
      data,
      positions: new EffectivePositions(project),
      unresolved: [],
      isSensitive: (path) => SensitiveValues.isSensitivePath(path, fromFile),
    },
    pause,
  );
  const prefixes = resolved.map(formatPath);
  return issues.filter((issue) => prefixes.some((p) => within(issue.path, p)));
}
