/**
 * Documents → desired state per project. Several documents may address one project; their sections
 * merge key by key, and a key (including `mode`) set in two places is an error naming both.
 */
import type { ConfigIssue, SourceLocation } from '../errors.js';
import { providers } from '../providers/index.js';
import type { PositionMap } from './locate.js';
import { formatPath } from './locate.js';
import type { AllowRiskyEntry, DesiredProject, DesiredSection, SectionMode, ValuePath } from './types.js';

export interface MergeInput {
  value: Record<string, unknown>;
  positions: PositionMap;
  fromFile: readonly ValuePath[];
}

const where = (l: SourceLocation): string => `${l.file}:${l.line}:${l.col}`;
const SECTION_ORDER = providers.map((p) => p.section);

class SectionBuilder {
  readonly values: Record<string, unknown> = {};
  readonly fromFile = new Set<string>();
  mode: SectionMode = 'enforce';
  /** Which document set each key (its positions answer `locate`). */
  private readonly owners = new Map<string, PositionMap>();

  constructor(
    readonly name: string,
    private readonly declaredAt: PositionMap,
  ) {}

  add(ref: string, body: Record<string, unknown>, doc: MergeInput, issues: ConfigIssue[]): void {
    for (const [key, value] of Object.entries(body)) {
      const here = doc.positions.key([this.name, key]);
      const owner = this.owners.get(key);
      if (owner) {
        issues.push({
          location: here,
          path: formatPath([this.name, key]),
          message: `set twice for project ${ref}: here and at ${where(owner.key([this.name, key]))}`,
        });
        continue;
      }
      this.owners.set(key, doc.positions);
      if (key === 'mode') this.mode = value as SectionMode;
      else Object.defineProperty(this.values, key, { value, enumerable: true, writable: true, configurable: true });
      for (const path of doc.fromFile) {
        if (path[0] === this.name && path[1] === key) this.fromFile.add(path.slice(1).map(String).join('/'));
      }
    }
  }

  build(): DesiredSection {
    const { name, owners, declaredAt } = this;
    return {
      name,
      mode: this.mode,
      values: this.values,
      fromFile: this.fromFile,
      locate(path: ValuePath): SourceLocation {
        if (!path.length) return declaredAt.key([name]);
        const owner = owners.get(String(path[0]));
        return owner ? owner.value([name, ...path]) : declaredAt.key([name]);
      },
    };
  }
}

interface ProjectBuilder {
  ref: string;
  location: SourceLocation;
  sections: Map<string, SectionBuilder>;
  allowRisky: AllowRiskyEntry[];
}

export function mergeDocuments(documents: readonly MergeInput[]): { projects: DesiredProject[]; issues: ConfigIssue[] } {
  const issues: ConfigIssue[] = [];
  const byRef = new Map<string, ProjectBuilder>();
  for (const doc of documents) {
    const ref = doc.value.project;
    if (typeof ref !== 'string') continue;
    let project = byRef.get(ref);
    if (!project) {
      project = { ref, location: doc.positions.value(['project']), sections: new Map(), allowRisky: [] };
      byRef.set(ref, project);
    }
    const allow = doc.value.allow_risky;
    if (Array.isArray(allow)) {
      allow.forEach((key, i) => {
        if (typeof key === 'string') project.allowRisky.push({ key, location: doc.positions.value(['allow_risky', i]) });
      });
    }
    for (const name of SECTION_ORDER) {
      const body = doc.value[name];
      if (!body || typeof body !== 'object' || Array.isArray(body)) continue;
      let section = project.sections.get(name);
      if (!section) project.sections.set(name, (section = new SectionBuilder(name, doc.positions)));
      section.add(ref, body as Record<string, unknown>, doc, issues);
    }
  }
  const projects = [...byRef.values()]
    .sort((a, b) => (a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0))
    .map((p) => ({
      ref: p.ref,
      location: p.location,
      allowRisky: p.allowRisky,
      sections: new Map(
        SECTION_ORDER.filter((name) => p.sections.has(name)).map((name) => [name, p.sections.get(name)!.build()]),
      ),
    }));
  return { projects, issues };
}
