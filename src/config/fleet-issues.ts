/**
 * Issues of a configuration with templates, made to say whom they concern. An issue located in a
 * template names the template and the projects it affects; the issues of many projects found at
 * one place (a template value that fails for each project extending it) become one. Issues located
 * in a project's own documents read exactly as without templates.
 */
import type { ConfigIssue, SourceLocation } from '../errors.js';
import type { ProjectIssue } from './compose.js';
import type { Layer } from './merge.js';

/** How many refs a message lists before "and N more". */
const LISTED = 3;

export function projectList(refs: readonly string[]): string {
  if (refs.length === 1) return `project ${refs[0]}`;
  if (refs.length <= LISTED) return `projects ${refs.slice(0, -1).join(', ')} and ${refs[refs.length - 1]}`;
  return `projects ${refs.slice(0, LISTED).join(', ')} and ${refs.length - LISTED} more`;
}

/** A document of the configuration: where it starts, and the layer it belongs to. */
export interface DocumentSpan {
  start: SourceLocation;
  layer: Pick<Layer, 'kind' | 'name'>;
}

const before = (a: SourceLocation, b: SourceLocation): boolean => a.line < b.line || (a.line === b.line && a.col <= b.col);

export class LayerLocator {
  private readonly byFile = new Map<string, DocumentSpan[]>();

  constructor(spans: Iterable<DocumentSpan>) {
    for (const span of spans) {
      const list = this.byFile.get(span.start.file);
      if (list) list.push(span);
      else this.byFile.set(span.start.file, [span]);
    }
    for (const list of this.byFile.values()) list.sort((a, b) => a.start.line - b.start.line || a.start.col - b.start.col);
  }

  /** The template whose document holds the location, if it is one. */
  templateAt(location: SourceLocation | undefined): string | undefined {
    if (!location) return undefined;
    let found: DocumentSpan | undefined;
    for (const span of this.byFile.get(location.file) ?? []) {
      if (before(span.start, location)) found = span;
      else break;
    }
    return found?.layer.kind === 'template' ? found.layer.name : undefined;
  }
}

export function fleetIssues(
  documentIssues: readonly ConfigIssue[],
  projectIssues: readonly ProjectIssue[],
  locator: LayerLocator,
  users: ReadonlyMap<string, readonly string[]>,
): ConfigIssue[] {
  const out: ConfigIssue[] = documentIssues.map((issue) => {
    const template = locator.templateAt(issue.location);
    if (template === undefined) return issue;
    const refs = users.get(template) ?? [];
    const used = refs.length ? `used by ${projectList(refs)}` : 'used by no project';
    return { ...issue, message: `${issue.message} (template ${template}, ${used})` };
  });
  const groups = new Map<string, { issue: ProjectIssue; refs: string[] }>();
  for (const issue of projectIssues) {
    const l = issue.location;
    const key = JSON.stringify([l.file, l.line, l.col, issue.path, issue.message, issue.unsetVariable ?? '']);
    const group = groups.get(key);
    if (group) {
      if (!group.refs.includes(issue.project)) group.refs.push(issue.project);
    } else groups.set(key, { issue, refs: [issue.project] });
  }
  for (const { issue, refs } of groups.values()) {
    const template = locator.templateAt(issue.location);
    refs.sort();
    let message = issue.message;
    if (issue.unsetVariable !== undefined) {
      const hint = 'set it under vars: in the project or in a template it extends';
      message += ` for ${projectList(refs)} (${template === undefined ? hint : `template ${template}; ${hint}`})`;
    } else if (template !== undefined) {
      message += ` (template ${template}, in ${projectList(refs)})`;
    }
    out.push({ location: issue.location, path: issue.path, message });
  }
  return out;
}
