/** `supasync apply`: plan, show, confirm, write only what differs, verify, report. */
import type { ExitCode } from '../errors.js';
import { createLogger } from '../log.js';
import { providerBySection } from '../providers/index.js';
import { apply } from '../reconcile/apply.js';
import { outcomeExitCode, planExitCode, renderOutcome } from '../reconcile/outcome.js';
import { renderPlan, type PlanFormat } from '../reconcile/render/index.js';
import { confirmApply } from './confirm.js';
import { createClient, loadProjects, planProjects, useColor, type ClientOptions, type ConfigOptions } from './context.js';

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
  const client = await createClient(opts, logger, desired.sensitive);
  const planned = await planProjects(desired.projects, client, {
    allowRisky: opts.allowRisky ?? false,
    warnings: desired.warnings,
    sensitive: desired.sensitive,
  });
  const json = opts.format === 'json';
  if (!json) process.stdout.write(await renderPlan(planned.plan, opts.format, { color: useColor(opts.color, process.stdout) }));
  if (planned.writes.size > 0) await confirmApply(opts.yes);
  const outcome = planned.writes.size > 0 || planned.plan.summary.refused > 0
    ? await apply(planned, client, { providers: providerBySection, desired: desired.projects, logger, sensitive: desired.sensitive })
    : undefined;
  if (json) {
    const { toJsonPlan } = await import('../reconcile/render/json.js');
    process.stdout.write(`${JSON.stringify({ plan: toJsonPlan(planned.plan), outcome: outcome ?? null }, null, 2)}\n`);
  }
  if (!outcome) return planExitCode(planned.plan, false);
  if (!json) process.stdout.write(`\n${renderOutcome(outcome)}`);
  return outcomeExitCode(outcome);
}
