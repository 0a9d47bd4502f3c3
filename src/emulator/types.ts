/** Shapes shared by the emulator's modules: projects, sections, routes. */
import type { Redactor } from './redact.js';

export const PLANS = ['free', 'pro', 'team', 'enterprise'] as const;
export type Plan = (typeof PLANS)[number];

/** What a project is, apart from its configuration sections. */
export interface ProjectMeta {
  ref: string;
  name: string;
  plan: Plan;
  organization_slug: string;
  region: string;
  created_at: string;
}

/**
 * A project and the sections materialised so far. A section is created from its defaults the first
 * time anything touches it, so a thousand seeded projects cost little until they are used.
 */
export interface ProjectRecord extends ProjectMeta {
  sections: Record<string, unknown>;
}

/** Where the rules of a section run: the project, the clock and the emulator's settings. */
export interface SectionContext {
  project: ProjectMeta;
  now: Date;
  settings: EmulatorSettings;
}

/**
 * One resource family's state: how a new project's state looks, and how a seed document's value for
 * the section is applied to it (through the same rules as the API's writes).
 */
export interface Section<S> {
  /** Key in the seed document and in the state file. */
  name: string;
  initial(ctx: SectionContext): S;
  /** Applies a seed value; throws HttpError(400) when it is invalid. */
  seed(state: S, value: unknown, ctx: SectionContext): S;
  /** Rebuilds the state from its JSON form in a state file (default: the JSON value as it is). */
  restore?(saved: unknown): S;
}

export interface EmulatorSettings {
  /** How long after a network-restrictions write its status stays `stored` before reading `applied`. */
  networkRestrictionsApplyMs: number;
  /** How long after reverify verified a custom hostname's DNS its origin setup completes (status 3 → 4). */
  customHostnameOriginSetupMs: number;
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface HandlerContext extends SectionContext {
  params: Record<string, string>;
  /** The operation's query parameters, checked and converted per the spec (query.ts). */
  query: Record<string, unknown>;
  body: unknown;
  /** Every project of the emulator, for rules that span projects (a vanity subdomain is unique). */
  projects(): Iterable<ProjectRecord>;
  /** Another project's section state when it has been created; never creates it. */
  peek<S>(project: ProjectRecord, def: Section<S>): S | undefined;
  /** The section's state, created from defaults on first use. */
  section<S>(def: Section<S>): S;
  /** Replaces a section's state (for sections whose state is a plain value). */
  setSection<S>(def: Section<S>, value: S): void;
}

export interface HandlerResult {
  status: number;
  /** Omitted: the response has no body (and, as recorded, no content-type). */
  body?: unknown;
  /** The state changed: persist it before answering. */
  mutated?: boolean;
}

/** An emulated operation: the spec's method and path template, and the rules that answer it. */
export interface RouteDef {
  method: HttpMethod;
  /** Exactly as in the spec, e.g. `/v1/projects/{ref}/config/auth`. */
  path: string;
  handle(ctx: HandlerContext): HandlerResult;
  /** Checked after the project is known: SAML not enabled, network restrictions not entitled. */
  entitlement?: (project: ProjectMeta) => void;
  /** What the request log keeps of the body: the secret fields replaced (see redact.ts). */
  redact?: Redactor;
}

/** An organisation: named in the seed, or implied by the projects that name its slug. */
export interface OrganizationRecord {
  slug: string;
  name: string;
}

/** What an account-level operation sees: what the token may see, and the path and query parameters. */
export interface AccountContext {
  /** Projects the token may see, in seed order. */
  projects: ProjectMeta[];
  /** Organisations the token may see. */
  organizations: OrganizationRecord[];
  /** Every project of an organisation (for its plan), whatever the token may see. */
  projectsOf(slug: string): ProjectMeta[];
  /** Whether the token may see this organisation (a token limited to projects sees only theirs). */
  mayAccessOrganization(slug: string): boolean;
  params: Record<string, string>;
  query: Record<string, unknown>;
}

/** An operation on the account rather than on one project (GET /v1/projects, organisations). */
export interface AccountRouteDef {
  method: HttpMethod;
  path: string;
  account: true;
  handle(ctx: AccountContext): HandlerResult;
}
