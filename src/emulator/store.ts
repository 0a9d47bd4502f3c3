/**
 * All emulated state: projects (each section created from defaults on first use), the token policy,
 * and the state file's JSON form.
 */
import { HttpError } from './http-error.js';
import { SECTIONS } from './resources/index.js';
import { SeedError, type SeedDocument } from './seed.js';
import { TokenPolicy, digestToken } from './tokens.js';
import type { ConfigIssue } from '../errors.js';
import type { EmulatorSettings, OrganizationRecord, ProjectMeta, ProjectRecord, Section, SectionContext } from './types.js';
import { PLANS, type Plan } from './types.js';

/** Shown as the organisation of seeded projects that name none (20 lowercase letters, like real slugs). */
export const DEFAULT_ORGANIZATION_SLUG = 'emulatororganisation';
export const DEFAULT_REGION = 'us-east-1';

export interface StateFile {
  version: 1;
  tokens: { digest: string; projects?: string[] }[] | null;
  /** Organisations named in the seed (absent in state files written before organisations existed). */
  organizations?: OrganizationRecord[];
  projects: ProjectRecord[];
}

export class Store {
  private constructor(
    readonly projects: Map<string, ProjectRecord>,
    readonly tokens: TokenPolicy,
    private readonly settings: EmulatorSettings,
    /** Organisations named in the seed; others are implied by the projects that name their slug. */
    private readonly namedOrganizations: OrganizationRecord[] = [],
  ) {}

  /** Builds the state a seed describes; throws SeedError listing every invalid section value. */
  static fromSeed(seed: SeedDocument, settings: EmulatorSettings, now = new Date()): Store {
    const projects = new Map<string, ProjectRecord>();
    const issues: ConfigIssue[] = [];
    seed.projects.forEach((p, i) => {
      const record: ProjectRecord = {
        ref: p.ref,
        name: p.name ?? p.ref,
        plan: p.plan ?? 'pro',
        organization_slug: p.organization_slug ?? DEFAULT_ORGANIZATION_SLUG,
        region: p.region ?? DEFAULT_REGION,
        created_at: now.toISOString(),
        sections: {},
      };
      const ctx: SectionContext = { project: record, now, settings };
      for (const section of SECTIONS) {
        if (p[section.name] === undefined) continue;
        try {
          record.sections[section.name] = section.seed(section.initial(ctx), p[section.name], ctx);
        } catch (err) {
          if (!(err instanceof HttpError)) throw err;
          // The API's message names the field first ("jwt_exp must be ..."): point at that field when the seed has it.
          const value = p[section.name];
          const field = /^[\w.]+/.exec(err.message)?.[0];
          const named = field !== undefined && value !== null && typeof value === 'object' && Object.hasOwn(value, field);
          issues.push({ path: `/projects/${i}/${section.name}${named ? `/${field}` : ''}`, message: err.message });
        }
      }
      projects.set(record.ref, record);
    });
    if (issues.length > 0) throw new SeedError(issues);
    const tokens = seed.tokens
      ? TokenPolicy.fromDigests(seed.tokens.map((t) => ({ digest: digestToken(t.token), projects: t.projects })))
      : TokenPolicy.anyWellFormed();
    return new Store(projects, tokens, settings, (seed.organizations ?? []).map((o) => ({ slug: o.slug, name: o.name })));
  }

  /** Restores a state file; throws SeedError when it is not one. */
  static fromStateFile(data: unknown, settings: EmulatorSettings): Store {
    const file = data as Partial<StateFile> | null;
    if (!file || file.version !== 1 || !Array.isArray(file.projects)) {
      throw new SeedError([{ path: '', message: 'not an emulator state file (expected {"version": 1, "projects": [...]})' }]);
    }
    const projects = new Map<string, ProjectRecord>();
    const issues: ConfigIssue[] = [];
    file.projects.forEach((p: Partial<ProjectRecord> | null, i) => {
      if (!p || typeof p !== 'object') issues.push({ path: `/projects/${i}`, message: 'must be a mapping (a project: ref, plan, sections, ...)' });
      else {
        if (typeof p.ref !== 'string') issues.push({ path: `/projects/${i}/ref`, message: 'must be a string (the project ref)' });
        if (!PLANS.includes(p.plan as Plan)) issues.push({ path: `/projects/${i}/plan`, message: `must be one of: ${PLANS.map((x) => JSON.stringify(x)).join(', ')}` });
        if (!p.sections || typeof p.sections !== 'object') issues.push({ path: `/projects/${i}/sections`, message: 'must be a mapping (section name → state)' });
      }
    });
    if (issues.length > 0) throw new SeedError(issues);
    for (const p of file.projects) {
      for (const section of SECTIONS) {
        if (section.restore && p.sections[section.name] !== undefined) p.sections[section.name] = section.restore(p.sections[section.name]);
      }
      projects.set(p.ref, p);
    }
    const tokens = Array.isArray(file.tokens) ? TokenPolicy.fromDigests(file.tokens) : TokenPolicy.anyWellFormed();
    const organizations = Array.isArray(file.organizations)
      ? file.organizations.filter((o) => typeof o?.slug === 'string' && typeof o.name === 'string')
      : [];
    return new Store(projects, tokens, settings, organizations);
  }

  toStateFile(): StateFile {
    return { version: 1, tokens: this.tokens.toJSON(), organizations: this.namedOrganizations, projects: [...this.projects.values()] };
  }

  /**
   * Every organisation: those named in the seed, then those only implied by a project's slug (named
   * after their slug — assumption: the real API always has a name; the seed can give one).
   */
  organizations(): OrganizationRecord[] {
    const out = new Map(this.namedOrganizations.map((o) => [o.slug, o]));
    for (const p of this.projects.values()) if (!out.has(p.organization_slug)) out.set(p.organization_slug, { slug: p.organization_slug, name: p.organization_slug });
    return [...out.values()];
  }

  /** Whether a token may see an organisation: any, unless it is limited to projects (then theirs). */
  mayAccessOrganization(tokenDigest: string, slug: string): boolean {
    if (!this.tokens.isLimited(tokenDigest)) return true;
    return this.visibleProjects(tokenDigest).some((p) => p.organization_slug === slug);
  }

  /** Every project of an organisation, in seed order. */
  projectsOf(slug: string): ProjectMeta[] {
    return [...this.projects.values()].filter((p) => p.organization_slug === slug);
  }

  project(ref: string): ProjectRecord | undefined {
    return this.projects.get(ref);
  }

  /** Projects a token may see, in seed order. */
  visibleProjects(tokenDigest: string): ProjectMeta[] {
    return [...this.projects.values()].filter((p) => this.tokens.allows(tokenDigest, p.ref));
  }

  /** A section's state, created from the defaults the first time it is touched. */
  section<S>(project: ProjectRecord, def: Section<S>, now: Date): S {
    let state = project.sections[def.name] as S | undefined;
    if (state === undefined) {
      state = def.initial({ project, now, settings: this.settings });
      project.sections[def.name] = state;
    }
    return state;
  }

  setSection<S>(project: ProjectRecord, def: Section<S>, value: S): void {
    project.sections[def.name] = value;
  }
}
