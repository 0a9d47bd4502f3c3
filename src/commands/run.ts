/**
 * `supasync run`: the daemon (see src/daemon/daemon.ts). Checks every flag before anything starts,
 * logs JSON to stdout, and returns the exit code once the daemon has stopped.
 */
import { ExitCode, UsageError } from '../errors.js';
import { createLogger } from '../log.js';
import { exitAtOnceWhenDone } from '../exit-at-once.js';
import { hostname } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import type { DaemonMode } from '../daemon/reconciler.js';
import { DurationSyntaxError, parseDuration } from '../daemon/duration.js';
import { ListenSyntaxError, parseListen, type ListenAddress } from '../daemon/listen.js';
import { parseShard, ShardSyntaxError, type Shard } from '../daemon/shard.js';

export interface RunCommandOptions {
  config: string[];
  schedule: string;
  mode: DaemonMode;
  listen: string;
  jitter: string;
  shutdownTimeout: string;
  allowRisky?: boolean;
  secretsDir?: string[];
  tokenFile?: string;
  logLevel?: string;
  rateLimit?: number;
  maxInFlight?: number;
  shard?: string;
}

function durationFlag(flag: string, value: string): number {
  try {
    return parseDuration(value);
  } catch (err) {
    if (err instanceof DurationSyntaxError) throw new UsageError(`${flag}: ${err.message}`);
    throw err;
  }
}

function listenFlag(value: string): ListenAddress {
  try {
    return parseListen(value);
  } catch (err) {
    if (err instanceof ListenSyntaxError) throw new UsageError(`--listen: ${err.message}`);
    throw err;
  }
}

/**
 * `--shard hostname/M` takes N from the host name: `$HOSTNAME` (Kubernetes sets it to the pod's name
 * in every container), else the system's host name.
 */
function shardFlag(value: string, env: NodeJS.ProcessEnv): Shard {
  try {
    return parseShard(value, env.HOSTNAME?.trim() || hostname());
  } catch (err) {
    if (err instanceof ShardSyntaxError) throw new UsageError(`--shard: ${err.message}`);
    throw err;
  }
}

/**
 * The daemon lives long and mostly waits (on the schedule, on the rate limit): V8 is asked to favour
 * memory over speed. Without it, V8 lets the old generation grow to several times the live heap
 * between full collections while a sweep runs — the HTTP client's short-lived objects are promoted
 * out of the young generation faster than anything else — and a first sweep over 1,000 drifted
 * projects peaked at ~213 MiB RSS for a ~30 MiB live heap (docs/benchmarks.md: the daemon's memory).
 * Set before the daemon allocates anything; V8 reads it in its heap-growing heuristics.
 */
function favourMemory(): void {
  setFlagsFromString('--optimize-for-size');
}

export async function runCommand(opts: RunCommandOptions): Promise<ExitCode> {
  favourMemory();
  const jitterMs = durationFlag('--jitter', opts.jitter);
  const shutdownTimeoutMs = durationFlag('--shutdown-timeout', opts.shutdownTimeout);
  const listen = listenFlag(opts.listen);
  const shard = opts.shard === undefined ? undefined : shardFlag(opts.shard, process.env);
  const logger = createLogger({ level: (opts.logLevel ?? 'info') as 'info', destination: 'stdout' });
  const { startDaemon } = await import('../daemon/daemon.js');
  const daemon = await startDaemon({
    config: opts.config,
    secretsDir: opts.secretsDir ?? [],
    ...(opts.tokenFile ? { tokenFile: opts.tokenFile } : {}),
    schedule: opts.schedule,
    mode: opts.mode,
    listen,
    jitterMs,
    shutdownTimeoutMs,
    allowRisky: opts.allowRisky ?? false,
    ...(opts.rateLimit === undefined ? {} : { rateLimit: opts.rateLimit }),
    ...(opts.maxInFlight === undefined ? {} : { maxInFlight: opts.maxInFlight }),
    ...(shard ? { shard } : {}),
    logger,
    env: process.env,
  });
  const code = await daemon.done;
  // Everything is closed by now. A signal stopped the daemon: the process ends as soon as cli.ts has the
  // code, neither held by a stray handle (a socket the abort missed) nor ended by a late second signal.
  exitAtOnceWhenDone();
  return code;
}
