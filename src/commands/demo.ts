/**
 * `supasync demo` (hidden; `npm start`): the whole loop on the embedded default, no setup. Starts the
 * emulator in-process (seeded with the projects of examples/), runs the daemon against it on
 * examples/config with a short schedule, and every so often changes a setting behind its back through
 * the API, so that drift shows up in the logs and is put back on the next cycle. Ctrl-C ends it (exit 0).
 *
 * The daemon's JSON log lines go to stdout as in production; the demo's own narration goes to stderr.
 */
import { fileURLToPath } from 'node:url';
import { ExitCode, UsageError } from '../errors.js';
import { createLogger } from '../log.js';
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
const EXIT_GRACE_MS = 2_000;

/** The out-of-band changes, in turn: what a colleague clicking in the dashboard might do. */
const DRIFTS = [
  { what: 'auth site_url', path: `/v1/projects/${PRODUCTION}/config/auth`, body: { site_url: 'https://changed-in-the-dashboard.example.com' } },
  { what: 'pooler default_pool_size', path: `/v1/projects/${PRODUCTION}/config/database/pooler`, body: { default_pool_size: 7 } },
  { what: 'auth jwt_exp', path: `/v1/projects/${PRODUCTION}/config/auth`, body: { jwt_exp: 86_400 } },
] as const;

const say = (text: string) => process.stderr.write(`supasync demo: ${text}\n`);

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
  say(`emulator of the Management API at ${emulator.url} (projects of examples/, plan pro)`);

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
      env: { ...process.env, SUPABASE_API_URL: emulator.url, SUPABASE_ACCESS_TOKEN: DEMO_TOKEN },
    });
  } catch (err) {
    await emulator.close();
    throw err;
  }
  say(`daemon reconciling examples/config on "${opts.schedule}"; probes at ${daemon.url}/healthz, /readyz, /metrics`);
  say(`every ${formatDuration(driftEveryMs)} a setting is changed behind its back; watch for "change applied". Ctrl-C to stop.`);

  let turn = 0;
  const drift = setInterval(() => {
    const change = DRIFTS[turn++ % DRIFTS.length]!;
    fetch(`${emulator.url}${change.path}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${DEMO_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify(change.body),
    }).then(
      (res) => say(`out-of-band change: ${change.what} of ${PRODUCTION} set to ${Object.values(change.body)[0]} (HTTP ${res.status})`),
      (err: unknown) => say(`out-of-band change failed: ${err instanceof Error ? err.message : String(err)}`),
    );
  }, driftEveryMs);

  const code = await daemon.done;
  clearInterval(drift);
  await emulator.close();
  say(code === ExitCode.ok ? 'stopped.' : 'stopped at once.');
  setTimeout(() => process.exit(), EXIT_GRACE_MS).unref(); // as in `run`: a signalled process must end
  return code;
}
