/**
 * The command line (commander), and the only place where errors become exit codes:
 * 0 ok / no changes · 1 runtime or API error · 2 changes pending (plan --detailed-exitcode) ·
 * 3 invalid configuration or usage · 4 refused.
 * Command handlers are imported lazily so that each command pays only for what it uses.
 * src/cli.ts is the executable that runs `main`; this module has no side effect on import, so tests
 * can introspect `buildProgram()`.
 */
import { createRequire } from 'node:module';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
// The limiter's defaults, from its two small pure modules (not api/index.ts: that would load got).
import { DEFAULT_RATE_LIMIT } from './api/rate-limit-policy.js';
import { DEFAULT_MAX_IN_FLIGHT } from './api/rate-limiter.js';
import { isCommit } from './commands/plan-context.js';
import { ConfigError, ExitCode, SupasyncError, exitCodeFor, formatIssue } from './errors.js';
import { LOG_FORMATS, setLogFormat, type LogFormat } from './log-format.js';

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** A repeatable path option that refuses an empty value: `''` would resolve to the current directory. */
const collectPath = (what: string) => (value: string, previous: string[] = []): string[] => {
  if (value.trim() === '') throw new InvalidArgumentError(`expected ${what}; an empty value would mean the current directory`);
  return collect(value, previous);
};

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a non-negative integer');
  return n;
}

function atLeastOne(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected an integer >= 1');
  return n;
}

function commitSha(value: string): string {
  if (!isCommit(value.trim())) throw new InvalidArgumentError('expected a git commit SHA (7 to 64 hex digits)');
  return value.trim();
}

const configOption = () =>
  new Option('-c, --config <path>', 'configuration file or directory (repeatable; directories are read recursively)')
    .argParser(collectPath('a file or directory'))
    .makeOptionMandatory();
const secretsDirOption = () =>
  new Option('--secrets-dir <dir>', 'directory that ${file:...} references may read below (repeatable)').argParser(
    collectPath('a directory'),
  );
const projectOption = () =>
  new Option('-p, --project <ref>', 'only this project (repeatable; default: every project in the configuration)').argParser(
    collect,
  );
const tokenFileOption = () =>
  new Option('--token-file <file>', 'read the access token from this file (default: $SUPABASE_ACCESS_TOKEN)');
const logLevelOption = () =>
  new Option('--log-level <level>', 'log level')
    .choices(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('warn');
const allowRiskyOption = () =>
  new Option('--allow-risky', 'allow changes the guardrails classify as risky (see README: Guardrails)');
const rateLimitOption = () =>
  new Option(
    '--rate-limit <n>',
    "Management API requests per minute, shared by every project (0 = no client-side limit; the API's x-ratelimit-* headers and 429s are followed either way)",
  )
    .argParser(positiveInt)
    .default(DEFAULT_RATE_LIMIT.limit);
const maxInFlightOption = () =>
  new Option('--max-in-flight <n>', 'Management API requests in flight at once').argParser(atLeastOne).default(DEFAULT_MAX_IN_FLIGHT);

export function buildProgram(): Command {
  const program = new Command('supasync')
    .description(
      'Declarative config sync for Supabase projects: plan and apply settings from YAML through the Management API.',
    )
    .version(version, '-V, --version')
    .addOption(
      new Option('--log-format <format>', 'log lines: pretty (one short line per event) or json (pino, one object per line); default: pretty when the log goes to a terminal, else json')
        .choices(LOG_FORMATS)
        .env('SUPASYNC_LOG_FORMAT'),
    )
    .configureHelp({ showGlobalOptions: true })
    .showSuggestionAfterError()
    .configureOutput({ outputError: (str, write) => write(str) })
    .addHelpText(
      'after',
      `
Exit codes: 0 ok / no changes, 1 runtime or API error, 2 changes pending (plan --detailed-exitcode),
            3 invalid configuration or usage, 4 refused (guardrail or declined confirmation).

Environment: SUPABASE_ACCESS_TOKEN (token), SUPABASE_API_URL (default https://api.supabase.com),
             SUPASYNC_API_TIMEOUT_MS (per-request timeout, default 30000),
             SUPASYNC_LOG_FORMAT (json or pretty, as --log-format),
             HTTPS_PROXY / NO_PROXY (egress proxy through CONNECT; lower-case forms too).`,
    );
  program.exitOverride();
  // A program option, given before or after the command's name; every logger the command makes uses it.
  program.hook('preAction', () => setLogFormat(program.opts<{ logFormat?: LogFormat }>().logFormat));

  program
    .command('validate')
    .description('check configuration files against the schema; contacts nothing')
    .addOption(configOption())
    .addOption(secretsDirOption())
    .addHelpText('after', '\nExamples:\n  $ supasync validate -c examples/\n  $ supasync validate -c auth.yaml -c postgres.yaml')
    .action(async (opts) => {
      const { validateCommand } = await import('./commands/validate.js');
      return finish(await validateCommand(opts));
    });

  program
    .command('explain')
    .description("show a project's effective configuration (templates, variables and its own files merged), each key with where it came from; contacts nothing")
    .addOption(configOption())
    .addOption(new Option('-p, --project <ref>', 'the project to explain').makeOptionMandatory())
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'yaml', 'json']).default('text'))
    .addOption(secretsDirOption())
    .addHelpText(
      'after',
      `
Examples:
  $ supasync explain -c config/ --project abcdefghijklmnopqrst
  $ supasync explain -c config/ --project abcdefghijklmnopqrst --format json`,
    )
    .action(async (opts) => {
      const { explainCommand } = await import('./commands/explain.js');
      return finish(await explainCommand(opts));
    });

  program
    .command('plan')
    .description('show what apply would change; writes nothing')
    .addOption(configOption())
    .addOption(projectOption())
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'markdown', 'json']).default('text'))
    .option('--detailed-exitcode', 'exit 2 when changes are pending, 0 when none')
    .option('-o, --out <file>', 'also write the plan to this file (a new file; never through a symlink); the errors when the configuration is invalid')
    .option(
      '--changed-since <git-rev>',
      'plan only the projects whose effective configuration differs from that git revision (e.g. the pull request base); needs the history',
    )
    .addOption(
      new Option('--commit <sha>', 'the commit of the configuration, shown in the plan (default: $GITHUB_SHA, else $CI_COMMIT_SHA)').argParser(commitSha),
    )
    .option('--no-color', 'no colour in text output (default: colour only on a terminal)')
    .addOption(secretsDirOption())
    .addOption(tokenFileOption())
    .addOption(rateLimitOption())
    .addOption(maxInFlightOption())
    .addOption(logLevelOption())
    .addHelpText(
      'after',
      `
Examples:
  $ supasync plan -c config/
  $ supasync plan -c config/ --format markdown --out plan.md --detailed-exitcode
  $ supasync plan -c config/ --project abcdefghijklmnopqrst --format json
  $ supasync plan -c config/ --changed-since origin/main --format markdown --out plan.md
  $ supasync plan -c config/ --format markdown --out plan.md --commit "$PR_HEAD_SHA"`,
    )
    .action(async (opts) => {
      const { planCommand } = await import('./commands/plan.js');
      return finish(await planCommand(opts));
    });

  program
    .command('apply')
    .description('apply the plan: write only what differs')
    .addOption(configOption())
    .addOption(projectOption())
    .option('-y, --yes', 'do not ask for confirmation (required without a terminal)')
    .addOption(allowRiskyOption())
    .addOption(new Option('-f, --format <format>', 'plan output format').choices(['text', 'markdown', 'json']).default('text'))
    .option('--no-color', 'no colour in text output')
    .addOption(secretsDirOption())
    .addOption(tokenFileOption())
    .addOption(rateLimitOption())
    .addOption(maxInFlightOption())
    .addOption(logLevelOption())
    .addHelpText(
      'after',
      `
Examples:
  $ supasync apply -c config/                 # shows the plan, asks before writing
  $ supasync apply -c config/ --yes           # CI / CronJob: no prompt
  $ supasync apply -c config/ --yes --allow-risky`,
    )
    .action(async (opts) => {
      const { applyCommand } = await import('./commands/apply.js');
      return finish(await applyCommand(opts));
    });

  program
    .command('run')
    .description('reconcile on a schedule (daemon / Kubernetes sidecar), with health, readiness and metrics')
    .addOption(configOption())
    .option('--schedule <cron>', 'when a resync sweep of every project starts: a cron expression (seconds field allowed); configuration changes are applied at once', '*/5 * * * *')
    .addOption(new Option('--mode <mode>', 'enforce: apply drift; observe: report only').choices(['enforce', 'observe']).default('enforce'))
    .option('--listen <host:port>', 'address of /healthz, /readyz and /metrics', '0.0.0.0:9464')
    .option('--jitter <duration>', 'random delay before each scheduled sweep, e.g. 10s', '0s')
    .option('--shutdown-timeout <duration>', 'how long SIGTERM waits for the projects being reconciled', '25s')
    .option(
      '--shard <n/m>',
      'reconcile only shard N of M (0-based; projects split by a rendezvous hash of the ref); hostname/M takes N from the host name\'s trailing ordinal (StatefulSet pods name-0, name-1, …)',
    )
    .addOption(allowRiskyOption())
    .addOption(secretsDirOption())
    .addOption(tokenFileOption())
    .addOption(rateLimitOption())
    .addOption(maxInFlightOption())
    .addOption(logLevelOption().default('info'))
    .addHelpText(
      'after',
      `
Examples:
  $ supasync run -c /etc/supasync --schedule "*/2 * * * *"
  $ supasync run -c config/ --mode observe --listen 127.0.0.1:9464
  $ supasync run -c /etc/supasync --shard hostname/3 --rate-limit 40   # one of 3 StatefulSet replicas sharing 120/min`,
    )
    .action(async (opts) => {
      const { runCommand } = await import('./commands/run.js');
      return finish(await runCommand(opts));
    });

  program
    .command('demo', { hidden: true })
    .description('npm start: the emulator, the daemon on examples/config, and drift made now and then')
    .option('--schedule <cron>', 'cron expression of the daemon', '*/10 * * * * *')
    .option('--drift-every <duration>', 'how often a setting is changed behind the daemon\'s back', '20s')
    .option('--listen <host:port>', 'address of /healthz, /readyz and /metrics', '127.0.0.1:0')
    .addOption(logLevelOption().default('info'))
    .action(async (opts) => {
      const { demoCommand } = await import('./commands/demo.js');
      return finish(await demoCommand(opts));
    });

  program
    .command('emulator')
    .description('run the Management API emulator (a sandbox that answers like api.supabase.com)')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--port <port>', 'port (0 picks a free one)', positiveInt, 54321)
    .option('--seed <file>', 'seed document (YAML or JSON): projects, plans, tokens, initial state')
    .option('--state <file>', 'persist state to this file across restarts')
    .option('--rate-limit <n/min>', 'answer 429 beyond n requests per minute per token')
    .addHelpText(
      'after',
      `
Examples:
  $ supasync emulator --port 0
  $ supasync emulator --seed seed.yaml --state .emulator.json --rate-limit 120/min`,
    )
    .action(async (opts) => {
      const { emulatorCommand } = await import('./commands/emulator.js');
      return finish(await emulatorCommand(opts));
    });

  program
    .command('export')
    .description('write YAML for a live project (to adopt an existing project); secrets become ${VAR} references')
    .requiredOption('-p, --project <ref>', 'the project to export')
    .option('--sections <names>', 'comma-separated sections (default: every section)', collect)
    .option('--all', 'include values that equal a new project\'s defaults')
    .option('-o, --out <file>', 'write the YAML to this file instead of stdout')
    .addOption(tokenFileOption())
    .addOption(rateLimitOption())
    .addOption(maxInFlightOption())
    .addOption(logLevelOption())
    .addHelpText(
      'after',
      `
Examples:
  $ supasync export --project abcdefghijklmnopqrst > config/production.yaml
  $ supasync export --project abcdefghijklmnopqrst --sections auth,postgres --all --out auth.yaml`,
    )
    .action(async (opts) => {
      const { exportCommand } = await import('./commands/export.js');
      return finish(await exportCommand(opts));
    });

  program
    .command('import')
    .description("convert the Supabase CLI's supabase/config.toml into supasync YAML (what `supabase config push` sends); contacts nothing")
    .argument('<file>', 'the config.toml')
    .option('-p, --project <ref>', 'the project the config.toml is for (default: the one `supabase link` recorded; [remotes] name their own)')
    .option('-o, --out <dir>', 'write the YAML (and copies of email templates) into this directory instead of stdout')
    .option('--force', 'replace files that already exist under --out')
    .addHelpText(
      'after',
      `
Examples:
  $ supasync import supabase/config.toml --project abcdefghijklmnopqrst > supasync.yaml
  $ supasync import supabase/config.toml --out config/`,
    )
    .action(async (file: string, opts) => {
      const { importCommand } = await import('./commands/import.js');
      return finish(await importCommand(file, opts));
    });

  return program;
}

let exitCode: ExitCode = ExitCode.ok;
function finish(code: ExitCode): void {
  exitCode = code;
}

export async function main(argv: string[]): Promise<ExitCode> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version exit 0; every other parse failure is a usage error.
      return err.exitCode === 0 ? ExitCode.ok : ExitCode.invalidConfig;
    }
    const code = exitCodeFor(err);
    if (err instanceof ConfigError) {
      // One self-contained line per issue (file:line:col first), as compilers print them.
      for (const issue of err.issues) process.stderr.write(`Error: ${formatIssue(issue)}\n`);
    } else if (err instanceof SupasyncError) {
      process.stderr.write(`Error: ${err.message}\n`);
    } else {
      // An unexpected failure is a bug: keep the stack for the report.
      process.stderr.write(`Internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    }
    return code;
  }
}
