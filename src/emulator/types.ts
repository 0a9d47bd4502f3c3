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
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface HandlerContext extends SectionContext {
  params: Record<string, string>;
  body: unknown;
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

/** An operation on the account rather than on one project (GET /v1/projects). */
export interface AccountRouteDef {
  method: HttpMethod;
  path: string;
  account: true;
  /** Answers from the projects the token may see. */
  handle(projects: ProjectMeta[]): HandlerResult;
}
