/** `supasync plan`: read, diff, render. Writes nothing (except the --out file). */
import { writeFile } from 'node:fs/promises';
import type { ExitCode } from '../errors.js';
import { createLogger } from '../log.js';
import { planExitCode } from '../reconcile/outcome.js';
import { renderPlan, type PlanFormat } from '../reconcile/render/index.js';
import { createClient, loadProjects, planProjects, useColor, type ClientOptions, type ConfigOptions } from './context.js';

export interface PlanCommandOptions extends ConfigOptions, ClientOptions {
  format: PlanFormat;
  detailedExitcode?: boolean;
  out?: string;
  color?: boolean;
  logLevel?: string;
}

export async function planCommand(opts: PlanCommandOptions): Promise<ExitCode> {
  const logger = createLogger({ level: (opts.logLevel ?? 'warn') as 'warn', destination: 'stderr' });
  const desired = await loadProjects(opts);
  const client = await createClient(opts, logger);
  const { plan } = await planProjects(desired.projects, client, { warnings: desired.warnings });
  process.stdout.write(await renderPlan(plan, opts.format, { color: useColor(opts.color, process.stdout) }));
  if (opts.out) await writeFile(opts.out, await renderPlan(plan, opts.format, { color: false }), { mode: 0o644 });
  return planExitCode(plan, opts.detailedExitcode ?? false);
}
