/**
 * The daemon: a loop over the same core as `apply`, level-based like a Kubernetes controller.
 *
 *   start: load the configuration (invalid → exit 3), check the client settings (no token → exit 3),
 *          listen for probes, watch the configuration, schedule with node-cron (noOverlap), run the
 *          first cycle at once.
 *   cycle: reload the configuration (or keep the last valid one) → read → plan → apply (enforce) or
 *          report (observe) → metrics, readiness, one summary log line.
 *   stop:  on SIGTERM/SIGINT stop scheduling and watching, let the cycle in flight finish within the
 *          shutdown timeout, close the server, resolve `done` with 0. A second signal, or the
 *          timeout, aborts the cycle's requests and resolves `done` with 1 at once.
 *
 * Nothing survives between cycles but the last valid configuration, the counters, and the memory of
 * sections whose keys the API keeps not taking (held-sections.ts). A restart loses nothing.
 */
import { setMaxListeners } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import cron, { type ScheduledTask } from 'node-cron';
import { createClientFromEnv, createRateLimiter, type ManagedApiClient } from '../api/index.js';
import { ApiError, ConfigError, ExitCode, SupasyncError, UsageError } from '../errors.js';
import type { Logger } from '../log.js';
import { ConfigState } from './config-state.js';
import { runCycle, type CycleCounts, type DaemonMode } from './cycle.js';
import { errorSummary, type CycleVerdict } from './cycle-result.js';
import { formatDuration } from './duration.js';
import { HeldSections } from './held-sections.js';
import { listenUrl, type ListenAddress } from './listen.js';
import { startLiveness } from './liveness.js';
import { createMetrics } from './metrics.js';
import { readiness } from './readiness.js';
import { startProbeServer, type ProbeServer } from './server.js';
import { watchConfig, type ConfigWatcher } from './watch.js';

export interface DaemonOptions {
  config: string[];
  secretsDir: string[];
  tokenFile?: string;
  schedule: string;
  mode: DaemonMode;
  listen: ListenAddress;
  /** Random delay in [0, jitterMs) before each scheduled cycle (not the first). */
  jitterMs: number;
  shutdownTimeoutMs: number;
  allowRisky: boolean;
  logger: Logger;
  env: Record<string, string | undefined>;
  /** Debounce of configuration file events (default 500 ms). */
  debounceMs?: number;
  /** Install SIGTERM/SIGINT handlers (default true). */
  handleSignals?: boolean;
  /** `--rate-limit`: requests per minute shared by every cycle (0 = no client-side window; default 120). */
  rateLimit?: number;
  /** `--max-in-flight`: requests in flight at once (default 8). */
  maxInFlight?: number;
}

export interface Daemon {
  /** Where /healthz, /readyz and /metrics answer. */
  readonly url: string;
  /** Resolves with the exit code once the daemon has stopped. */
  readonly done: Promise<ExitCode>;
  /** What a signal does: the first stops gracefully, the second at once. */
  stop(reason: string): void;
  /**
   * Runs a cycle now, as a schedule tick would (skipped while one is in flight), and resolves once
   * the cycle in flight has finished: lets soak and fault tests drive the real daemon faster than cron.
   */
  cycleNow(): Promise<void>;
}

type CycleTrigger = 'start' | 'schedule' | 'config change' | 'request';

/** node-cron logs through this: its messages become pino lines (and its overlap warning says what it means). */
function cronLogger(logger: Logger) {
  const text = (m: unknown) => (m instanceof Error ? m.message : String(m));
  return {
    info: (m: string) => logger.debug({ source: 'node-cron' }, m),
    warn: (m: string) =>
      /overlap/.test(m)
        ? logger.warn({ source: 'node-cron' }, 'cycle skipped: the previous cycle is still running')
        : logger.warn({ source: 'node-cron' }, m),
    error: (m: unknown) => logger.error({ source: 'node-cron' }, text(m)),
    debug: (m: unknown) => logger.debug({ source: 'node-cron' }, text(m)),
  };
}

export function checkSchedule(expression: string): void {
  let detail: string | undefined;
  try {
    const result = cron.validateDetailed(expression);
    if (!result.valid) detail = result.errors.map((e) => e.message).join('; ');
  } catch (err) {
    detail = err instanceof Error ? err.message : String(err);
  }
  if (detail !== undefined) {
    throw new UsageError(`--schedule "${expression}" is not a cron expression: ${detail} (e.g. "*/5 * * * *"; a sixth, leading field counts seconds)`);
  }
}

/** A cycle that could not even start planning: why, as a verdict. */
function verdictForError(err: unknown): CycleVerdict {
  const reason = err instanceof Error ? err.message : String(err);
  const summary = errorSummary(err); // what /readyz may show
  if (err instanceof ConfigError || err instanceof UsageError) return { result: 'config_error', reason, summary };
  if (err instanceof ApiError && err.isAuthFailure) return { result: 'auth_error', reason, summary };
  return { result: 'error', reason, summary };
}

export async function startDaemon(opts: DaemonOptions): Promise<Daemon> {
  const { logger } = opts;
  checkSchedule(opts.schedule);

  const config = new ConfigState({ config: opts.config, secretsDir: opts.secretsDir }, logger);
  if ((await config.reload()) === 'invalid') throw new ConfigError(config.issues ?? []);
  // Fails with a UsageError (exit 3) before anything listens when the token or URL is unusable.
  createClientFromEnv({ env: opts.env, tokenFile: opts.tokenFile, limiter: false }).close();

  const metrics = await createMetrics();
  metrics.configValid(true);
  const liveness = startLiveness();
  const held = new HeldSections();
  // One limiter for the daemon's life: every cycle (and every project in it) shares its budget,
  // so back-to-back cycles cannot exceed the rate either.
  const limiter = createRateLimiter({
    ...(opts.rateLimit === undefined ? {} : { limit: opts.rateLimit }),
    ...(opts.maxInFlight === undefined ? {} : { maxInFlight: opts.maxInFlight }),
  });
  const abort = new AbortController();
  // Every request waiting for a rate-limit slot listens for shutdown on this signal: hundreds at
  // the start of a cycle are expected, not a listener leak.
  setMaxListeners(0, abort.signal);
  let lastCycle: CycleVerdict | undefined;
  let stopping = false;

  const currentReadiness = () =>
    readiness({
      hasValidConfig: config.current !== undefined,
      ...(config.issues ? { invalidReload: { issues: config.issues.length } } : {}),
      ...(lastCycle ? { lastCycle } : {}),
      shuttingDown: stopping,
    });

  let server: ProbeServer;
  try {
    server = await startProbeServer({ ...opts.listen, liveness, readiness: currentReadiness, metrics });
  } catch (err) {
    liveness.stop();
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(`--listen ${opts.listen.host}:${opts.listen.port}: cannot listen (${code ?? (err as Error).message})`);
  }
  const url = listenUrl(server.host, server.port);

  let inFlight: Promise<void> | undefined;
  let rerun = false;

  async function cycleOnce(trigger: CycleTrigger): Promise<void> {
    const started = performance.now();
    const reload = await config.reload();
    metrics.configValid(reload === 'loaded');
    const desired = config.current!;
    let verdict: CycleVerdict;
    let counts: Partial<CycleCounts> = {};
    let sections: Parameters<typeof metrics.cycle>[2] = [];
    let client: ManagedApiClient | undefined;
    try {
      client = createClientFromEnv({
        env: opts.env,
        tokenFile: opts.tokenFile,
        logger,
        limiter,
        signal: abort.signal,
        onResponse: (event) => metrics.apiAttempt(event),
        sensitive: desired.sensitive,
      });
      const report = await runCycle({
        projects: desired.projects,
        warnings: desired.warnings,
        client,
        mode: opts.mode,
        allowRisky: opts.allowRisky,
        held,
        logger,
        sensitive: desired.sensitive,
      });
      ({ verdict, counts, sections } = report);
    } catch (err) {
      verdict = verdictForError(err);
      const known = err instanceof SupasyncError;
      logger.error({ code: known ? err.code : 'E_INTERNAL' }, `cycle failed: ${verdict.reason ?? 'unknown error'}`);
    } finally {
      client?.close();
    }
    const durationMs = Math.round(performance.now() - started);
    metrics.cycle(verdict.result, durationMs / 1000, sections);
    metrics.held(held.list());
    lastCycle = verdict;
    const line = {
      trigger,
      result: verdict.result,
      duration_ms: durationMs,
      mode: opts.mode,
      config_valid: reload === 'loaded',
      ...counts,
      ...(verdict.reason ? { detail: verdict.reason } : {}),
    };
    if (verdict.result === 'ok') logger.info(line, 'cycle complete');
    else logger.warn(line, 'cycle complete');
  }

  function requestCycle(trigger: CycleTrigger): Promise<void> {
    if (stopping) return Promise.resolve();
    if (inFlight) {
      // A configuration change during a cycle gets one more cycle after it; a tick is just skipped.
      if (trigger === 'config change') rerun = true;
      else logger.warn({ trigger }, 'cycle skipped: the previous cycle is still running');
      return inFlight;
    }
    inFlight = cycleOnce(trigger)
      .catch((err: unknown) => {
        logger.error({ err: err instanceof Error ? err.message : String(err) }, 'cycle crashed');
      })
      .finally(() => {
        inFlight = undefined;
        if (rerun && !stopping) {
          rerun = false;
          void requestCycle('config change');
        }
      });
    return inFlight;
  }

  let watcher: ConfigWatcher | undefined;
  try {
    watcher = await watchConfig({
      configPaths: opts.config,
      secretsDirs: opts.secretsDir,
      ...(opts.debounceMs === undefined ? {} : { debounceMs: opts.debounceMs }),
      logger,
      onChange: (changed) => {
        logger.info({ paths: changed.length }, 'configuration changed on disk: reloading');
        void requestCycle('config change');
      },
    });
  } catch (err) {
    // Without a watcher the daemon still reloads at every cycle; say so rather than fail.
    logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'cannot watch the configuration; it is reloaded at every cycle only');
  }

  const task: ScheduledTask = cron.createTask(opts.schedule, () => requestCycle('schedule'), {
    name: 'supasync-reconcile',
    noOverlap: true,
    ...(opts.jitterMs > 0 ? { maxRandomDelay: opts.jitterMs } : {}),
    logger: cronLogger(logger),
  });
  await task.start();

  let resolveDone!: (code: ExitCode) => void;
  const done = new Promise<ExitCode>((resolve) => (resolveDone = resolve));
  let finished = false;
  const finish = (code: ExitCode) => {
    if (finished) return;
    finished = true;
    removeSignalHandlers();
    liveness.stop();
    logger.info({ exit_code: code }, 'stopped');
    resolveDone(code);
  };

  async function shutdown(reason: string): Promise<void> {
    stopping = true;
    logger.info({ reason, timeout: formatDuration(opts.shutdownTimeoutMs) }, inFlight ? 'shutting down: finishing the cycle in flight' : 'shutting down');
    await task.destroy();
    await watcher?.close();
    let code: ExitCode = ExitCode.ok;
    if (inFlight) {
      const timer = new AbortController();
      const outcome = await Promise.race([
        inFlight.then(() => 'finished' as const),
        sleep(opts.shutdownTimeoutMs, 'timeout' as const, { signal: timer.signal }).catch(() => 'finished' as const),
      ]);
      timer.abort();
      if (outcome === 'timeout') {
        logger.error({ timeout: formatDuration(opts.shutdownTimeoutMs) }, 'shutdown timeout: abandoning the cycle in flight');
        abort.abort();
        code = ExitCode.runtime;
      }
    }
    await server.close(code !== ExitCode.ok);
    finish(code);
  }

  function stop(reason: string): void {
    if (finished) return;
    if (!stopping) {
      void shutdown(reason).catch((err: unknown) => {
        logger.error({ err: err instanceof Error ? err.message : String(err) }, 'shutdown failed');
        finish(ExitCode.runtime);
      });
      return;
    }
    logger.warn({ reason }, 'second signal: stopping at once, abandoning the cycle in flight');
    abort.abort();
    void server.close(true);
    void watcher?.close();
    finish(ExitCode.runtime);
  }

  const onSignal = (signal: NodeJS.Signals) => stop(signal);
  function removeSignalHandlers(): void {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  }
  if (opts.handleSignals !== false) {
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  }

  logger.info(
    {
      url,
      schedule: opts.schedule,
      mode: opts.mode,
      jitter: formatDuration(opts.jitterMs),
      projects: config.current?.projects.length ?? 0,
      next: task.getNextRun()?.toISOString(),
    },
    'supasync daemon started',
  );
  void requestCycle('start');

  return { url, done, stop, cycleNow: () => requestCycle('request') };
}
