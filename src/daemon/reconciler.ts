/**
 * The daemon's work for one queue item: the per-project reconcile of src/reconcile/project.ts for
 * the project as the configuration wants it now, plus what only the daemon does around it —
 * `--mode observe`, held sections (not written while the API keeps not taking their keys), the
 * per-change log lines and the per-project metrics. Nothing survives a reconcile except what
 * HeldSections remembers on purpose.
 */
import type { ApiClient } from '../api/types.js';
import type { DesiredProject, DesiredSection } from '../config/types.js';
import { UsageError } from '../errors.js';
import type { Logger } from '../log.js';
import type { SensitiveText } from '../redact.js';
import { desiredSectionDigest } from '../reconcile/desired-digest.js';
import { toProblem } from '../reconcile/problem.js';
import { reconcileProject } from '../reconcile/project.js';
import type { ProjectOutcome, ProjectPlan } from '../reconcile/types.js';
import type { FailureVerdict } from './failure-streak.js';
import { sectionKey, type HeldSections } from './held-sections.js';
import { logMemory } from './log-memory.js';
import { spaceRequests } from './pacer.js';
import type { DaemonMetrics, SectionObservation } from './metrics.js';
import { recordProjectOutcome } from './project-log.js';
import { logSection } from './section-log.js';
import type { StartInfo, WorkResult } from './work-queue.js';

export type DaemonMode = 'enforce' | 'observe';

export interface ProjectReport extends WorkResult {
  ref: string;
  /** Absent when the project had left the configuration by the time its turn came. */
  outcome?: ProjectOutcome;
  /** Changes written (enforce) or seen (observe). */
  changes: number;
  /** Write requests sent. */
  requests: number;
  /** Sections with drift that were not written because they are held. */
  held: number;
  durationMs: number;
  /** Where the project stands in its failure streak: how loudly its failure lines are logged (./project-log.ts). */
  verdict?: FailureVerdict;
}

export interface LeasedClient {
  client: ApiClient;
  release(): void;
}

export interface ReconcilerOptions {
  mode: DaemonMode;
  allowRisky: boolean;
  held: HeldSections;
  logger: Logger;
  metrics: Pick<DaemonMetrics, 'project' | 'held' | 'queueWait'>;
  /** The project as the configuration wants it now; undefined once it left. */
  desired(ref: string): DesiredProject | undefined;
  /** The configuration's secret values: kept out of plans, outcomes and logs. */
  sensitive?: SensitiveText;
  /** The current client (throws when the token cannot be read). */
  client(): LeasedClient;
  /** Milliseconds between the requests of a paced project (a sweep's); 0 = none. */
  requestSpacingMs?(): number;
}

/** `--mode observe`: every section is observed whatever its file says. Keeps each section's `locate`. */
export function observeAll(project: DesiredProject): DesiredProject {
  return {
    ...project,
    sections: new Map(
      [...project.sections].map(([name, s]): [string, DesiredSection] => [
        name,
        Object.assign(Object.create(Object.getPrototypeOf(s) as object) as DesiredSection, s, { mode: 'observe' as const }),
      ]),
    ),
  };
}

/** Failures a later try may fix: the API's (outages, 5xx, timeouts) and authentication (a rotated token). */
function retryable(outcome: ProjectOutcome): boolean {
  if (outcome.status !== 'error') return false;
  const problems = [outcome.error, ...outcome.sections.map((s) => s.error)].filter((p) => p !== undefined);
  return problems.some((p) => p.kind === 'api' || p.kind === 'auth');
}

export function createReconciler(opts: ReconcilerOptions): (ref: string, info: StartInfo) => Promise<ProjectReport> {
  const { held, logger, metrics } = opts;

  return async function reconcile(ref, info) {
    const started = performance.now();
    metrics.queueWait(info.priority, info.waitedMs / 1000);
    const wanted = opts.desired(ref);
    // Gone from the configuration: the reload that removed it forgot it too (daemon.ts).
    if (!wanted) return { ref, retry: false, extraRequests: 0, changes: 0, requests: 0, held: 0, durationMs: 0 };
    const project = opts.mode === 'observe' ? observeAll(wanted) : wanted;

    const fingerprints = new Map<string, string>();
    const holding = new Set<string>();
    for (const [name, section] of project.sections) {
      const fingerprint = desiredSectionDigest(section);
      fingerprints.set(name, fingerprint);
      const check = held.check(ref, name, fingerprint);
      if (check === 'released') logger.info({ project: ref, section: name }, 'section released: its configuration changed, writing again');
      if (check === 'held') holding.add(name);
    }

    let outcome: ProjectOutcome;
    let plan: ProjectPlan | undefined;
    let leased: LeasedClient | undefined;
    try {
      leased = opts.client();
      const spacing = info.paced ? (opts.requestSpacingMs?.() ?? 0) : 0;
      const result = await reconcileProject(project, {
        client: spacing > 0 ? spaceRequests(leased.client, spacing) : leased.client,
        allowRisky: opts.allowRisky,
        logger,
        ...(opts.sensitive ? { sensitive: opts.sensitive } : {}),
        withhold: (section) => holding.has(section),
        // Each failed section is logged by logSection below: in full when the failure starts or changes.
        callerLogsFailures: true,
      });
      ({ outcome, plan } = result);
    } catch (err) {
      // The engine reports failures in its outcome; this is the client that could not be made (an
      // unreadable --token-file): the operator's to fix, a configuration problem for /readyz.
      const error = err instanceof UsageError ? { kind: 'config' as const, code: err.code, message: err.message } : toProblem(err);
      outcome = { ref, status: 'error', sections: [], error };
    } finally {
      leased?.release();
    }

    // A failure that repeats the attempt before is logged at debug: said when it starts or changes, not at every retry.
    const verdict = recordProjectOutcome(logger, outcome);
    // It left the configuration while being reconciled (the reload forgot it then): nothing to remember.
    if (!opts.desired(ref)) logMemory(logger).forgetProject(ref);
    const repeat = verdict.kind === 'repeated';
    const report: ProjectReport = {
      ref,
      outcome,
      retry: retryable(outcome),
      extraRequests: 0,
      changes: 0,
      requests: 0,
      held: 0,
      durationMs: Math.round(performance.now() - started),
      verdict,
    };
    if (outcome.error && !outcome.sections.some((s) => s.error)) {
      logger[repeat ? 'debug' : 'error']({ project: ref, code: outcome.error.code, status: outcome.error.status }, outcome.error.message);
    }
    const sections: SectionObservation[] = [];
    for (const section of outcome.sections) {
      const sectionPlan = plan?.sections.find((s) => s.section === section.section);
      let result: string = section.status;
      if (holding.has(section.section) && sectionPlan?.changes.length) {
        result = 'held';
        report.held++;
        for (const change of sectionPlan.changes) {
          logger.warn({ project: ref, section: section.section, path: change.path, action: change.action }, 'drift held: not written (the API did not take it before)');
        }
      }
      logSection(logger, ref, section, sectionPlan?.changes ?? [], repeat);
      if (section.status === 'applied' || section.status === 'drift') report.changes += section.changes;
      report.requests += section.requests;
      // Writes and their re-read, beyond the one read per section a paced admission counted.
      if (section.status === 'applied') report.extraRequests += section.requests + 1;
      sections.push({
        project: ref,
        section: section.section,
        result,
        ...(sectionPlan && !sectionPlan.error ? { drift: sectionPlan.changes.length } : {}),
      });
      // The streak of keys not taken: a reconcile that wrote and had keys not taken counts, one that
      // took everything (or had nothing to write) ends it; one that failed otherwise says nothing.
      const notTaken = section.not_taken ?? [];
      if (sectionPlan?.mode === 'enforce' && !holding.has(section.section) && (section.status !== 'error' || notTaken.length)) {
        if (held.record(ref, section.section, fingerprints.get(section.section) ?? '', notTaken) === 'held') {
          logger.warn(
            { project: ref, section: section.section, keys: notTaken },
            'section held: the API did not take these keys several reconciles in a row; not written again until its configuration changes',
          );
        }
      }
    }
    metrics.project({ project: ref, result: outcome.status, priority: info.priority, durationSeconds: report.durationMs / 1000, sections });
    metrics.held(held.list());
    return report;
  };
}

/** The held-section keys of a project, for HeldSections.retain. */
export function sectionKeysOf(projects: Iterable<DesiredProject>): Set<string> {
  const keys = new Set<string>();
  for (const p of projects) for (const name of p.sections.keys()) keys.add(sectionKey(p.ref, name));
  return keys;
}
