/**
 * `supasync demo` (hidden; `npm start`): the whole loop on the embedded default, no setup. Starts the
 * emulator in-process (seeded with the projects of examples/), runs the daemon against it on
 * examples/config with a short schedule, and every so often changes a setting behind its back through
 * the API, so that drift shows up in the logs and is put back on the next cycle. Ctrl-C ends it (exit 0).
 *
 * The daemon's log lines go to stdout as in production (pretty on a terminal, JSON otherwise); the
 * demo's own narration — a short banner, then one line per out-of-band change — goes to stderr.
 */
import { fileURLToPath } from 'node:url';
import { ExitCode, UsageError } from '../errors.js';
import { createLogger } from '../log.js';
import { exitAtOnceWhenDone } from '../exit-at-once.js';
import { signalCopyFilter } from './signal-copy.js';
import { DurationSyntaxError, formatDuration, parseDuration } from '../daemon/duration.js';
import { ListenSyntaxError, parseListen } from '../daemon/listen.js';

export interface DemoCommandOptions {
  schedule: string;
  driftEvery: string;
  listen: string;
  logLevel?: string;
}

/** A token of the shape the emulator accepts (any well-formed token is; this one is only for the demo). */
const DEMO_TOKEN = `sbp_${'de'.repeat(20)}`;
const EXAMPLE_CONFIG = fileURLToPath(new URL('../../examples/config', import.meta.url));
const PRODUCTION = 'abcdefghijklmnopqrst';
const STAGING = 'zyxwvutsrqponmlkjihg';
/**
 * How long after the first signal a second one is taken for a wrapper's copy of it (signal-copy.ts).
 * Under npm, which forwards every Ctrl-C the terminal has already delivered, the second signal is that
 * copy however late it comes: npm always sends it, and nothing bounds when (a reconcile in flight may
 * still be finishing). A second press (a third signal) stops at once. A copy that comes after the demo has
 * stopped cannot end it with 130 either: the process exits at once (exit-at-once.ts).
 */
const COPY_WINDOW_MS = 500;

/** The out-of-band changes, in turn: what a colleague clicking in the dashboard might do. */
const DRIFTS = [
  { what: 'auth.site_url', path: `/v1/projects/${PRODUCTION}/config/auth`, body: { site_url: 'https://changed-in-the-dashboard.example.com' } },
  { what: 'pooler.default_pool_size', path: `/v1/projects/${PRODUCTION}/config/database/pooler`, body: { default_pool_size: 7 } },
  { what: 'auth.jwt_exp', path: `/v1/projects/${PRODUCTION}/config/auth`, body: { jwt_exp: 86_400 } },
] as const;

const say = (text: string) => process.stderr.write(`supasync demo: ${text}\n`);

/** What the demo is and what to watch for: a few lines, printed before the daemon's first cycle. */
function banner(emulatorUrl: string, schedule: string, driftEvery: string): string {
  return [
    'supasync demo: the daemon keeps two projects as examples/config describes them.',
    `  API       a local emulator of the Supabase Management API at ${emulatorUrl} (no account; nothing leaves this machine)`,
    `  projects  ${PRODUCTION} (enforce: drift is put back), ${STAGING} (its auth is in observe mode: drift reported once, never applied)`,
    `  drift     every ${driftEvery} a setting is changed behind the daemon's back; a cycle ("${schedule}") puts it back`,
    '  Ctrl-C to stop.',
    '',
  ].join('\n');
}

function flag<T>(name: string, parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    if (err instanceof DurationSyntaxError || err instanceof ListenSyntaxError) throw new UsageError(`${name}: ${err.message}`);
    throw err;
  }
}

export async function demoCommand(opts: DemoCommandOptions): Promise<ExitCode> {
  const driftEveryMs = flag('--drift-every', () => parseDuration(opts.driftEvery));
  if (driftEveryMs < 1_000) throw new UsageError('--drift-every: at least 1s');
  const listen = flag('--listen', () => parseListen(opts.listen));
  const logger = createLogger({ level: (opts.logLevel ?? 'info') as 'info', destination: 'stdout' });

  const { startEmulator } = await import('../emulator/index.js');
  const { startDaemon } = await import('../daemon/daemon.js');
  const emulator = await startEmulator({ port: 0 });
  process.stderr.write(banner(emulator.url, opts.schedule, formatDuration(driftEveryMs)));

  let daemon;
  try {
    daemon = await startDaemon({
      config: [EXAMPLE_CONFIG],
      secretsDir: [],
      schedule: opts.schedule,
      mode: 'enforce',
      listen,
      jitterMs: 0,
      shutdownTimeoutMs: 10_000,
      allowRisky: false,
      logger,
      handleSignals: false, // see onSignal below

      env: { ...process.env, SUPABASE_API_URL: emulator.url, SUPABASE_ACCESS_TOKEN: DEMO_TOKEN },
    });
  } catch (err) {
    await emulator.close();
    throw err;
  }
  const started = daemon;
  // npm sets npm_lifecycle_event for the script it runs (`npm start` execs the demo: npm is the parent).
  const underNpm = process.env.npm_lifecycle_event !== undefined;
  const meaning = signalCopyFilter(underNpm ? Number.POSITIVE_INFINITY : COPY_WINDOW_MS);
  // Installed for the rest of the process, so that a late copy is never met by the default action.
  const onSignal = (signal: NodeJS.Signals) => {
    if (meaning(Date.now()) === 'stop') started.stop(signal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  let turn = 0;
  const drift = setInterval(() => {
    const change = DRIFTS[turn++ % DRIFTS.length]!;
    fetch(`${emulator.url}${change.path}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${DEMO_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify(change.body),
    }).then(
      (res) => say(`changed ${change.what} of ${PRODUCTION} to ${Object.values(change.body)[0]} behind the daemon's back (HTTP ${res.status}); the next cycle puts it back`),
      (err: unknown) => say(`out-of-band change failed: ${err instanceof Error ? err.message : String(err)}`),
    );
  }, driftEveryMs);

  const code = await daemon.done;
  clearInterval(drift);
  await emulator.close();
  say(code === ExitCode.ok ? 'stopped.' : 'stopped at once.');
  // npm's copy of the Ctrl-C may still be on its way; the process ends before it can matter.
  exitAtOnceWhenDone();
  return code;
}
