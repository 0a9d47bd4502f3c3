/**
 * `supasync apply`: plan, show, confirm, write only what differs, verify, report.
 *
 * With a confirmation to ask, every project is read and planned first, the plan is shown, and after
 * "yes" exactly the writes shown are sent. With `--yes` nobody looks in between, so each project is
 * reconciled on its own (read → plan → write → verify): its writes go out right after its own reads,
 * not after the whole fleet has been read; the plan and the outcome are printed at the end.
 */
import { createSharedClient } from '../api/shared-client.js';
import type { ExitCode } from '../errors.js';
import { createLogger } from '../log.js';
import { applyPlanned, planFleet, reconcileFleet } from '../reconcile/fleet.js';
import { outcomeExitCode, planExitCode, renderOutcome } from '../reconcile/outcome.js';
import { renderPlan, type PlanFormat } from '../reconcile/render/index.js';
import { loadProjects } from '../reconcile/selection.js';
import type { Outcome, Planned } from '../reconcile/types.js';
import { confirmApply, nothingApplicable } from './confirm.js';
import { useColor, type ClientOptions, type ConfigOptions } from './context.js';
import { fleetConcurrency } from './plan.js';
import { tokenRejectionIn } from './token-rejected.js';

export interface ApplyCommandOptions extends ConfigOptions, ClientOptions {
  yes?: boolean;
  allowRisky?: boolean;
  format: PlanFormat;
  color?: boolean;
  logLevel?: string;
}

export async function applyCommand(opts: ApplyCommandOptions): Promise<ExitCode> {
  const logger = createLogger({ level: (opts.logLevel ?? 'warn') as 'warn', destination: 'stderr' });
  const desired = await loadProjects(opts);
  const client = createSharedClient(opts, logger, desired.sensitive);
  const fleet = {
    client,
    logger,
    allowRisky: opts.allowRisky ?? false,
    warnings: desired.warnings,
    sensitive: desired.sensitive,
    ...fleetConcurrency(opts),
  };
  const json = opts.format === 'json';
  const showPlan = async (planned: Planned) => {
    if (!json) process.stdout.write(await renderPlan(planned.plan, opts.format, { color: useColor(opts.color, process.stdout) }));
  };

  let planned: Planned;
  let outcome: Outcome | undefined;
  if (opts.yes) {
    const done = await reconcileFleet(desired.projects, fleet);
    planned = done.planned;
    // A refused token (401) before anything was written: the run's one error, no plan of failures to show.
    const rejected = tokenRejectionIn(planned.plan, opts.tokenFile);
    if (rejected && !done.outcome.projects.some((p) => p.sections.some((s) => s.requests > 0))) throw rejected;
    await showPlan(planned);
    // As before: nothing to write and nothing refused → no outcome (the plan's exit code).
    if (planned.writes.size > 0 || planned.plan.summary.refused > 0) outcome = done.outcome;
  } else {
    planned = await planFleet(desired.projects, fleet);
    const rejected = tokenRejectionIn(planned.plan, opts.tokenFile);
    if (rejected) throw rejected;
    await showPlan(planned);
    // Asked only when something can be applied; when everything is refused or failed, said so instead.
    const nothing = nothingApplicable(planned);
    if (nothing) process.stderr.write(`\n${nothing}\n`);
    else if (planned.writes.size > 0) {
      // Piped or redirected, the plan is not in view where the question is asked: it is shown there too.
      const again = process.stdout.isTTY ? undefined : await renderPlan(planned.plan, 'text', { color: useColor(opts.color, process.stderr) });
      await confirmApply(opts.yes, again);
    }
    if (planned.writes.size > 0 || planned.plan.summary.refused > 0) outcome = await applyPlanned(planned, desired.projects, fleet);
  }
  if (json) {
    const { toJsonOutcome, toJsonPlan } = await import('../reconcile/render/json.js');
    process.stdout.write(`${JSON.stringify({ plan: toJsonPlan(planned.plan), outcome: outcome ? toJsonOutcome(outcome) : null }, null, 2)}\n`);
  }
  if (!outcome) return planExitCode(planned.plan, false);
  if (!json) process.stdout.write(`\n${renderOutcome(outcome)}`);
  // Refused while writing: what was written is reported above; the token problem once, at the end.
  const refusedWhileWriting = tokenRejectionIn(outcome, opts.tokenFile);
  if (refusedWhileWriting) throw refusedWhileWriting;
  return outcomeExitCode(outcome);
}
