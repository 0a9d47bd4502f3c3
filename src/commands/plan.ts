/** `supasync plan`: read, diff, render. Writes nothing (except the --out file). */
import { ConfigError, UsageError, type ExitCode } from '../errors.js';
import { createLogger } from '../log.js';
import { planExitCode } from '../reconcile/outcome.js';
import { renderPlan, type PlanFormat } from '../reconcile/render/index.js';
import { createClient, loadProjects, planProjects, useColor, type ClientOptions, type ConfigOptions } from './context.js';
import { checkOutTarget, writeOutFile } from './out-file.js';

export interface PlanCommandOptions extends ConfigOptions, ClientOptions {
  format: PlanFormat;
  detailedExitcode?: boolean;
  out?: string;
  color?: boolean;
  logLevel?: string;
}

export async function planCommand(opts: PlanCommandOptions): Promise<ExitCode> {
  const logger = createLogger({ level: (opts.logLevel ?? 'warn') as 'warn', destination: 'stderr' });
  // An --out path that cannot be written safely is refused before anything else happens.
  if (opts.out !== undefined) await checkOutTarget(opts.out);
  let prepared;
  try {
    const desired = await loadProjects(opts);
    prepared = { desired, client: await createClient(opts, logger, desired.sensitive) };
  } catch (err) {
    // No plan: the --out file says why, so that it never holds a stale plan (the error still
    // reaches stderr and the exit code through the one exit boundary in program.ts).
    if (opts.out !== undefined) {
      await writeErrorsReport(opts.out, opts.format, err).catch((writeErr: unknown) => {
        process.stderr.write(`Error: ${writeErr instanceof Error ? writeErr.message : String(writeErr)}\n`);
      });
    }
    throw err;
  }
  const { desired } = prepared;
  const { plan } = await planProjects(desired.projects, prepared.client, { warnings: desired.warnings, sensitive: desired.sensitive });
  process.stdout.write(await renderPlan(plan, opts.format, { color: useColor(opts.color, process.stdout) }));
  if (opts.out !== undefined) await writeOutFile(opts.out, await renderPlan(plan, opts.format, { color: false }));
  return planExitCode(plan, opts.detailedExitcode ?? false);
}

async function writeErrorsReport(out: string, format: PlanFormat, err: unknown): Promise<void> {
  if (!(err instanceof ConfigError) && !(err instanceof UsageError)) return;
  const { renderConfigErrors } = await import('../reconcile/render/config-errors.js');
  const report =
    err instanceof ConfigError
      ? { kind: 'configuration' as const, issues: err.issues }
      : { kind: 'usage' as const, issues: [{ path: '', message: err.message }] };
  await writeOutFile(out, renderConfigErrors(report, format));
}
