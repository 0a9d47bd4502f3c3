/**
 * apply: a thin executor over a Plan. It sends the WriteSet's requests for the projects the plan
 * lets through, then confirms each written section: it waits for the change to settle where the
 * resource says when that is (SSL enforcement's `appliedSuccessfully`), re-reads the section and
 * diffs again. A section is applied only once confirmed: a change the plan held that the API
 * answered but did not take (it still differs after the re-read, listed in the outcome's
 * `not_taken`), or one that could not be confirmed, fails the section (exit 1) like a failed
 * request. What differs that the plan did not hold is a further change due (a rotation to the
 * standby key just created), shown by the next plan, not a failure. A state machine's steps (a
 * custom domain's setup) may stop the section's requests to wait for something outside the API:
 * the outcome says where (`waiting`), and that section is not confirmed: what is still to come is
 * no failure. `applyProject` is the per-project step: the reconcile engine (./project.ts) runs it
 * right after that project's own reads, and ./fleet.ts over a confirmed Plan.
 */
import type { ApiClient, ApiRequest } from '../api/types.js';
import type { DesiredProject } from '../config/types.js';
import { silentLogger, type Logger } from '../log.js';
import { NO_SECRETS, type SensitiveText } from '../redact.js';
import type { AnyProvider } from '../providers/types.js';
import { refusedIn } from './guardrails.js';
import { toProblem } from './problem.js';
import { readSection } from './read.js';
import { ItemLabels, markSensitive, publicChange, publicProblem } from './sensitive-changes.js';
import type {
  ProjectOutcome,
  ProjectPlan,
  ProjectStatus,
  SectionOutcome,
  SectionPlan,
} from './types.js';

export interface ApplyProjectOptions {
  providers: ReadonlyMap<string, AnyProvider>;
  /** The project's desired state the plan was made from, for the read-after-write check. */
  desired: DesiredProject | undefined;
  logger?: Logger;
  /** The configuration's secret values: kept out of the outcome's warnings and errors, as out of the plan. */
  sensitive?: SensitiveText;
  /**
   * The caller logs each failed section of the outcome itself (the daemon: when a failure starts or
   * changes, not at every retry), so `apply failed` goes at debug instead of error.
   */
  callerLogsFailures?: boolean;
}

/** One project's writes, by section (the project's entry of a WriteSet). */
export type ProjectWrites = ReadonlyMap<string, readonly ApiRequest[]>;

function projectStatus(sections: readonly SectionOutcome[]): ProjectStatus {
  if (sections.some((s) => s.status === 'error')) return 'error';
  if (sections.some((s) => s.status === 'refused')) return 'refused';
  if (sections.some((s) => s.status === 'applied')) return 'changed';
  if (sections.some((s) => s.status === 'drift')) return 'drift';
  return 'unchanged';
}

const outcomeOf = (s: SectionPlan, status: SectionOutcome['status']): SectionOutcome => ({
  section: s.section,
  status,
  changes: s.changes.length,
  requests: 0,
  warnings: [],
  ...(s.error ? { error: s.error } : {}),
});

/** Outcome of a section that is not written: by what the plan says of it. */
function passiveOutcome(s: SectionPlan, refusedProject: boolean): SectionOutcome {
  if (s.error) return outcomeOf(s, 'error');
  if (!s.changes.length) return outcomeOf(s, 'unchanged');
  if (s.mode === 'observe') return outcomeOf(s, 'drift');
  if (refusedIn(s).length) return outcomeOf(s, 'refused');
  return outcomeOf(s, refusedProject ? 'skipped' : 'unchanged');
}

async function applySection(
  ref: string,
  section: SectionPlan,
  client: ApiClient,
  writes: ProjectWrites | undefined,
  opts: ApplyProjectOptions,
): Promise<SectionOutcome> {
  const requests = writes?.get(section.section);
  if (!requests?.length) return passiveOutcome(section, false);
  const log = (opts.logger ?? silentLogger).child({ project: ref, section: section.section });
  const failureLevel = opts.callerLogsFailures ? 'debug' : 'error';
  const sensitive = opts.sensitive ?? NO_SECRETS;
  const outcome = outcomeOf(section, 'applied');
  try {
    for (const req of requests) {
      outcome.requests++;
      const answer = await client.request(req);
      // A state machine's step: its answer says whether the next one can follow now.
      const verdict = req.check?.(answer.body);
      if (verdict && 'fail' in verdict) {
        outcome.status = 'error';
        outcome.error = publicProblem({ kind: 'api', code: 'E_STEP', message: verdict.fail }, sensitive);
        log[failureLevel]({ err: outcome.error }, 'apply failed');
        return outcome;
      }
      if (verdict) {
        outcome.waiting = sensitive.redact(verdict.wait);
        break;
      }
    }
  } catch (err) {
    outcome.status = 'error';
    outcome.error = publicProblem(toProblem(err), sensitive);
    log[failureLevel]({ err: outcome.error }, 'apply failed');
    return outcome;
  }
  if (outcome.waiting !== undefined) {
    // Not converged by design: a re-read would only report what is still being waited for as "not taken".
    log.info({ waiting: outcome.waiting }, 'waiting: a later apply goes on from here');
    return outcome;
  }
  const verdict = await confirm(ref, section, client, opts, log);
  outcome.warnings.push(...verdict.warnings);
  const notTaken = new Set(verdict.notTaken);
  for (const change of section.changes) {
    // Sent and answered; what the re-read found not taken was logged as such.
    if (!notTaken.has(change.path)) log.info({ path: change.path, action: change.action, sensitive: change.sensitive }, 'change applied');
  }
  if (verdict.failure) {
    outcome.status = 'error';
    outcome.error = { kind: 'api', code: verdict.failure.code, message: sensitive.redact(verdict.failure.message) };
    if (verdict.notTaken.length) outcome.not_taken = verdict.notTaken;
    log[failureLevel]({ err: outcome.error }, 'apply failed');
  }
  return outcome;
}

interface Confirmation {
  /** Paths of the plan that still differ after the re-read (sorted, each once), shown as the plan shows them. */
  notTaken: string[];
  /** Findings that do not fail the section: further changes due. */
  warnings: string[];
  failure?: { code: 'E_NOT_TAKEN' | 'E_NOT_CONFIRMED'; message: string };
}

/**
 * After a section's writes: waits for it to settle, re-reads it and diffs again. A change of the plan
 * that still differs was answered but not taken; a change that cannot be re-read or never settles is
 * not confirmed. Either way the section failed: the user asked for a state the API does not hold.
 */
async function confirm(ref: string, section: SectionPlan, client: ApiClient, opts: ApplyProjectOptions, log: Logger): Promise<Confirmation> {
  const provider = opts.providers.get(section.section);
  const want = opts.desired?.sections.get(section.section);
  if (!provider || !want) return { notTaken: [], warnings: [] };
  const sensitive = opts.sensitive ?? NO_SECRETS;
  try {
    await provider.settle?.(client, ref);
  } catch (err) {
    return { notTaken: [], warnings: [], failure: { code: 'E_NOT_CONFIRMED', message: `written, but not confirmed: ${toProblem(err).message}` } };
  }
  const reread = await readSection(provider, client, ref);
  if (!reread.ok) {
    return { notTaken: [], warnings: [], failure: { code: 'E_NOT_CONFIRMED', message: `written, but could not be re-read to confirm it: ${reread.error.message}` } };
  }
  const notTaken = new Set<string>();
  const warnings: string[] = [];
  const labels = new ItemLabels(sensitive);
  const plannedPaths = new Set(section.changes.map((c) => c.path));
  for (const change of provider.diff({ ref, desired: want, live: reread.value }).changes) {
    // What still differs is shown by path only, a path that reveals no secret (as in the plan).
    const left = publicChange(markSensitive(change, sensitive), sensitive, labels);
    if (!plannedPaths.has(left.path)) {
      // Not in the plan, so not "not taken": a next step that what was applied made possible (a
      // rotation to the standby key just created); the next plan shows it, with its guardrails.
      warnings.push(`${left.path}: a further change is due now that this one is applied (the next plan shows it)`);
      log.info({ path: left.path }, 'further change due');
      continue;
    }
    notTaken.add(left.path);
    log.warn({ path: left.path }, 'change not taken by the API');
  }
  if (!notTaken.size) return { notTaken: [], warnings };
  const paths = [...notTaken].sort();
  const shown = paths.length > 5 ? `${paths.slice(0, 5).join(', ')} and ${paths.length - 5} more` : paths.join(', ');
  return {
    notTaken: paths,
    warnings,
    failure: { code: 'E_NOT_TAKEN', message: `the API answered but did not take ${paths.length === 1 ? 'this change' : `${paths.length} changes`}: ${shown} still ${paths.length === 1 ? 'differs' : 'differ'} after apply` },
  };
}

/** Applies one project's plan: refused as a whole when it holds a risky change nothing allowed. */
export async function applyProject(
  project: ProjectPlan,
  writes: ProjectWrites | undefined,
  client: ApiClient,
  opts: ApplyProjectOptions,
): Promise<ProjectOutcome> {
  if (project.error) {
    const sections = project.sections.map((s) => (s.error ? outcomeOf(s, 'error') : outcomeOf(s, 'skipped')));
    return { ref: project.ref, status: 'error', sections, error: project.error };
  }
  const refused = project.sections.some((s) => refusedIn(s).length > 0);
  if (refused) {
    // Nothing is written to a project holding a risky change that was not allowed.
    const sections = project.sections.map((s) => passiveOutcome(s, true));
    return { ref: project.ref, status: 'refused', sections };
  }
  const sections: SectionOutcome[] = [];
  for (const section of project.sections) {
    sections.push(await applySection(project.ref, section, client, writes, opts));
  }
  return { ref: project.ref, status: projectStatus(sections), sections };
}
