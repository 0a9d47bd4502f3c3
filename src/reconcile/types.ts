/**
 * The Plan: pure data, serialisable (it is the JSON renderer's input), deterministic (sorted) and
 * free of secret values: a sensitive change carries only `sensitive: true`.
 */
import type { ApiRequest } from '../api/types.js';
import type { SectionMode } from '../config/types.js';

/**
 * The JSON plan's format (docs/plan-format.md): the major number changes when a field is renamed,
 * removed or changes meaning, the minor one when a field is added.
 */
export const PLAN_FORMAT_VERSION = '2.0';

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export type ChangeAction = 'create' | 'update' | 'delete';

export interface Risk {
  /** The guardrail rule that matched, e.g. `auth.password_min_length.lowered`. */
  rule: string;
  /** What an `allow_risky:` entry or `--allow-risky` must name to let it through, e.g. `auth.password_min_length`. */
  key: string;
  reason: string;
  /** Whether an `allow_risky:` entry (or `--allow-risky`) lets this change through. */
  allowed: boolean;
}

export interface Change {
  /** The field, relative to the section: `site_url`, `providers[acme.com].domains`. */
  path: string;
  /** For collections: the item the change belongs to (`acme.com`). */
  item?: string;
  action: ChangeAction;
  /**
   * Live value, normalised. A provider may set it on a sensitive change too (the guardrails judge
   * it); the plan never holds it there.
   */
  before?: JsonValue;
  /** Desired value, normalised; like `before`, absent from the plan when sensitive. */
  after?: JsonValue;
  /** The change shows a secret or a value read from a file (any part of one): rendered `(sensitive value)`. */
  sensitive: boolean;
  /** For a sensitive change: whether a value was set before (the hash changes either way). */
  beforeSet?: boolean;
  /** The change takes effect only after a restart of the service. */
  restart?: boolean;
  risk?: Risk;
  /** Where the desired value was set, for projects built from templates (absent otherwise). */
  origin?: ChangeOrigin;
}

/** A position in the configuration and the template chain a value came through. */
export interface ChangeOrigin {
  file: string;
  line: number;
  col: number;
  /** The template that set the value; absent when the project's own documents did. */
  template?: string;
  /** The templates it was inherited through, from the one the project extends on. */
  via?: string[];
}

/**
 * `auth`: the API did not accept the token (401). `forbidden`: it was accepted but may not do this
 * (403: a project outside its reach, or a feature the project's plan lacks), not a token problem.
 */
export type ProblemKind = 'config' | 'api' | 'unsupported' | 'auth' | 'forbidden';

/** Why a project or section could not be planned or applied. Never holds a secret. */
export interface Problem {
  kind: ProblemKind;
  /** Error code, e.g. `E_API_STATUS`. */
  code: string;
  message: string;
  status?: number;
}

export interface SectionPlan {
  section: string;
  mode: SectionMode;
  changes: Change[];
  /** Things the user should know but that are not changes (unmanaged live items, pending status...). */
  notes: string[];
  warnings: string[];
  error?: Problem;
}

export interface ProjectPlan {
  ref: string;
  sections: SectionPlan[];
  /** Set when the project cannot be applied at all (a read failed, an ambiguous match...). */
  error?: Problem;
}

/**
 * The plan's counts. The unit is the change: one line of the plan — one field of a section, or one
 * item of a collection created or deleted (the lines under an SSO provider being updated are one
 * change each).
 */
export interface PlanSummary {
  /** Changes apply would make, by action: in enforce-mode sections of projects that could be planned. */
  create: number;
  update: number;
  delete: number;
  /** Of those, risky ones nothing allowed: apply refuses the projects that hold them (and writes nothing to them). */
  refused: number;
  /** Changes in observe-mode sections: reported, never applied. */
  observed: number;
  /** Changes found in projects that could not be planned: nothing is applied to such a project. */
  not_applied: number;
  /** Projects planned. */
  projects: number;
  /** Projects that could not be planned (a read failed, an ambiguous match...): nothing is written to them. */
  projects_failed: number;
  /** Sections whose live state could not be read or compared. */
  sections_failed: number;
}

/** Where a project stands in a plan: what `apply` would do with it. */
export type ProjectPlanStatus = 'no_changes' | 'pending' | 'observed' | 'refused' | 'failed';

export interface Plan {
  format_version: string;
  /**
   * When the live state was read (ISO 8601, UTC), and the commit of the configuration planned:
   * context the command passes in (`plan` itself reads no clock), shown in the PR comment.
   */
  planned_at?: string;
  commit?: string;
  projects: ProjectPlan[];
  summary: PlanSummary;
  warnings: string[];
  /** Set when only some projects were planned (`plan --changed-since`). */
  partial?: PartialPlan;
}

/** A plan of the projects whose effective configuration changed since a git revision. */
export interface PartialPlan {
  /** The revision given to `--changed-since`. */
  changed_since: string;
  /** The commit it named. */
  commit: string;
  /** Projects not planned: their effective configuration is the same at that commit. */
  unchanged: number;
  /** Projects the configuration had at that commit and has no more: not managed any longer (nothing is deleted). */
  no_longer_managed: string[];
}

/**
 * The writes that realise a Plan, held apart from it because request bodies may carry secret values.
 * Keyed by `ref` then section; never rendered, never logged.
 */
export type WriteSet = Map<string, Map<string, ApiRequest[]>>;

export interface Planned {
  plan: Plan;
  writes: WriteSet;
}

export type SectionStatus = 'unchanged' | 'applied' | 'drift' | 'refused' | 'error' | 'skipped';

export interface SectionOutcome {
  section: string;
  status: SectionStatus;
  /** Number of changes applied (or, in observe mode, seen). */
  changes: number;
  /** Requests sent for this section. */
  requests: number;
  /** Findings that do not fail the section. */
  warnings: string[];
  /**
   * Where a state machine stopped to wait for something outside the API (e.g. a custom hostname's DNS
   * records): not a failure; a later apply continues from there.
   */
  waiting?: string;
  /** Why the section failed: a request, a step (E_STEP), or the confirmation after the writes (E_NOT_TAKEN, E_NOT_CONFIRMED). */
  error?: Problem;
  /**
   * Read-after-write: the paths the API answered but did not take — they still differ after the
   * section was written (sorted, each once). Set only with `error` E_NOT_TAKEN. snake_case: it is a
   * field of `apply --format json` (docs/plan-format.md).
   */
  not_taken?: string[];
}

export type ProjectStatus = 'unchanged' | 'changed' | 'drift' | 'refused' | 'error';

export interface ProjectOutcome {
  ref: string;
  status: ProjectStatus;
  sections: SectionOutcome[];
  error?: Problem;
}

export interface Outcome {
  projects: ProjectOutcome[];
}
