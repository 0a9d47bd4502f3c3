/**
 * The machine-readable plan, and apply's outcome beside it (docs/plan-format.md): every field named
 * in snake_case and written here one by one, so that the format is exactly what the documentation
 * lists — never whatever the engine's objects happen to hold — and each project carries its status
 * and counts.
 */
import { projectStatus, summariseProject } from '../summary.js';
import type { Change, ChangeOrigin, JsonValue, Outcome, Plan, Problem, ProjectOutcome, ProjectPlan, Risk, SectionOutcome, SectionPlan } from '../types.js';

type Json = { [key: string]: JsonValue | undefined };

/** Drops the fields that are absent, keeping the order they are listed in. */
function present(fields: Json): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) out[key] = value;
  return out;
}

const problem = (p: Problem | undefined): Json | undefined =>
  p && present({ kind: p.kind, code: p.code, message: p.message, status: p.status });

const risk = (r: Risk | undefined): Json | undefined => r && { rule: r.rule, key: r.key, reason: r.reason, allowed: r.allowed };

const origin = (o: ChangeOrigin | undefined): Json | undefined =>
  o && present({ file: o.file, line: o.line, col: o.col, template: o.template, via: o.via });

function change(c: Change): Json {
  return present({
    path: c.path,
    item: c.item,
    action: c.action,
    before: c.sensitive ? undefined : c.before,
    after: c.sensitive ? undefined : c.after,
    sensitive: c.sensitive,
    before_set: c.sensitive ? c.beforeSet : undefined,
    restart: c.restart,
    risk: risk(c.risk) as JsonValue | undefined,
    origin: origin(c.origin) as JsonValue | undefined,
  });
}

function section(s: SectionPlan): Json {
  return present({
    section: s.section,
    mode: s.mode,
    error: problem(s.error) as JsonValue | undefined,
    changes: s.changes.map(change) as JsonValue,
    notes: s.notes,
    warnings: s.warnings,
  });
}

function project(p: ProjectPlan): Json {
  const counts = summariseProject(p);
  return present({
    ref: p.ref,
    status: projectStatus(p, counts),
    summary: { ...counts },
    error: problem(p.error) as JsonValue | undefined,
    sections: p.sections.map(section) as JsonValue,
  });
}

/** The plan as the JSON format has it. */
export function toJsonPlan(plan: Plan): Json {
  return present({
    format_version: plan.format_version,
    planned_at: plan.planned_at,
    commit: plan.commit,
    summary: { ...plan.summary },
    partial: plan.partial && {
      changed_since: plan.partial.changed_since,
      commit: plan.partial.commit,
      unchanged: plan.partial.unchanged,
      no_longer_managed: plan.partial.no_longer_managed,
    },
    warnings: plan.warnings,
    projects: plan.projects.map(project) as JsonValue,
  });
}

function sectionOutcome(s: SectionOutcome): Json {
  return present({
    section: s.section,
    status: s.status,
    changes: s.changes,
    requests: s.requests,
    error: problem(s.error) as JsonValue | undefined,
    not_taken: s.not_taken,
    waiting: s.waiting,
    warnings: s.warnings,
  });
}

function projectOutcome(p: ProjectOutcome): Json {
  return present({
    ref: p.ref,
    status: p.status,
    error: problem(p.error) as JsonValue | undefined,
    sections: p.sections.map(sectionOutcome) as JsonValue,
  });
}

/** What `apply` did, as `apply --format json` prints it beside the plan (docs/plan-format.md, "outcome"). */
export function toJsonOutcome(outcome: Outcome): Json {
  return { projects: outcome.projects.map(projectOutcome) as JsonValue };
}

export function renderJson(plan: Plan): string {
  return `${JSON.stringify(toJsonPlan(plan), null, 2)}\n`;
}
