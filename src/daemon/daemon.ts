/**
 * The daemon, wired: a controller in the Kubernetes sense. The unit of work is one project
 * (src/reconcile/project.ts: read → plan → apply → verify, its writes planned from its own fresh
 * reads), taken from a deduplicating work queue (./work-queue.ts) by a bounded number of workers.
 * Three things put a project in the queue:
 *
 *   a configuration change that alters its effective desired state — high priority, at once;
 *   a sweep: at start, at each `--schedule` tick (low priority, paced over the interval within
 *     the rate budget: ./pacer.ts), or when asked (`cycleNow`);
 *   its own failure — again after a jittered exponential backoff (./backoff.ts).
 *
 * Every request shares one rate limiter. A project removed from the configuration leaves the queue.
 * With `--shard N/M` only this shard's projects are ever queued (./shard.ts). The lifecycle
 * (signals, drain, shutdown) is ./lifecycle.ts; this file only connects the parts.
 */
import { setMaxListeners } from 'node:events';
import cron, { type ScheduledTask } from 'node-cron';
import { createClientFromEnv, createRateLimiter } from '../api/index.js';
import { DEFAULT_MAX_IN_FLIGHT } from '../api/rate-limiter.js';
import { DEFAULT_RATE_LIMIT } from '../api/rate-limit-policy.js';
import { ConfigError, ExitCode, UsageError } from '../errors.js';
import type { Logger } from '../log.js';
import { NO_SECRETS, type SensitiveText } from '../redact.js';
import { ItemBackoff } from './backoff.js';
import { reportCapacity } from './capacity.js';
import { ClientSource } from './client-source.js';
import { ConfigState } from './config-state.js';
import { formatDuration } from './duration.js';
import { OwnedFleet } from './fleet.js';
import { HeldSections } from './held-sections.js';
import { createLifecycle } from './lifecycle.js';
import { listenUrl, type ListenAddress } from './listen.js';
import { logMemory } from './log-memory.js';
import { startLiveness } from './liveness.js';
import { createMetrics } from './metrics.js';
import { logProjectDone } from './project-log.js';
import { Pacer, sweepPace } from './pacer.js';
import { FleetStatus, Pass, type Trigger } from './passes.js';
import { readiness } from './readiness.js';
import { createReconciler, type DaemonMode, type ProjectReport } from './reconciler.js';
import { startProbeServer, type ProbeServer } from './server.js';
import { formatShard, type Shard } from './shard.js';
import { watchConfig, type ConfigWatcher } from './watch.js';
import { WorkQueue, type Priority, type StartInfo } from './work-queue.js';

export type { DaemonMode } from './reconciler.js';

export interface DaemonOptions {
  config: string[];
  secretsDir: string[];
  tokenFile?: string;
  schedule: string;
  mode: DaemonMode;
  listen: ListenAddress;
  /** Random delay in [0, jitterMs) before each scheduled sweep (not the first). */
  jitterMs: number;
  shutdownTimeoutMs: number;
  allowRisky: boolean;
  logger: Logger;
  env: Record<string, string | undefined>;
  /** Debounce of configuration file events (default 500 ms). */
  debounceMs?: number;
  /** Install SIGTERM/SIGINT handlers (default true). */
  handleSignals?: boolean;
  /** `--rate-limit`: requests per minute shared by everything the daemon sends (0 = no client-side window; default 120). */
  rateLimit?: number;
  /** `--max-in-flight`: requests in flight at once (default 8); also the number of projects reconciled at once. */
  maxInFlight?: number;
  /** `--shard`: reconcile only this shard's projects. */
  shard?: Shard;
}

export interface Daemon {
  /** Where /healthz, /readyz and /metrics answer. */
  readonly url: string;
  /** Resolves with the exit code once the daemon has stopped. */
  readonly done: Promise<ExitCode>;
  /** What a signal does: the first stops gracefully, the second at once. */
  stop(reason: string): void;
  /**
   * Sweeps every project now, as a schedule tick would but unpaced (while a sweep is under way, waits
   * for that one instead), and resolves once the sweep has finished: lets soak and fault tests drive
   * the real daemon faster than cron.
   */
  cycleNow(): Promise<void>;
}

/** node-cron logs through this: its messages become pino lines. */
function cronLogger(logger: Logger) {
  const text = (m: unknown) => (m instanceof Error ? m.message : String(m));
  return {
    info: (m: string) => logger.debug({ source: 'node-cron' }, m),
    warn: (m: string) => logger.warn({ source: 'node-cron' }, m),
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

/** Milliseconds between the schedule's next two ticks. */
function scheduleInterval(task: ScheduledTask): number {
  const [a, b] = task.getNextRuns(2);
  return a && b ? b.getTime() - a.getTime() : Number.POSITIVE_INFINITY;
}

export async function startDaemon(opts: DaemonOptions): Promise<Daemon> {
  checkSchedule(opts.schedule);
  const shardLabel = opts.shard ? formatShard(opts.shard) : undefined;
  const logger = shardLabel ? opts.logger.child({ shard: shardLabel }) : opts.logger;
  const rateLimit = opts.rateLimit ?? DEFAULT_RATE_LIMIT.limit;
  const maxInFlight = opts.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT;

  const config = new ConfigState({ config: opts.config, secretsDir: opts.secretsDir }, logger);
  if ((await config.reload()) === 'invalid') throw new ConfigError(config.issues ?? []);
  // Fails with a UsageError (exit 3) before anything listens when the token or URL is unusable.
  createClientFromEnv({ env: opts.env, tokenFile: opts.tokenFile, limiter: false }).close();

  const metrics = await createMetrics(shardLabel ? { shard: shardLabel } : {});
  metrics.configValid(true);
  let lastReloadValid = true;
  const liveness = startLiveness();
  const held = new HeldSections();
  const fleet = new OwnedFleet(opts.shard);
  fleet.update(config.current!);
  const status = new FleetStatus();
  // One limiter for the daemon's life: every reconcile shares its budget.
  const limiter = createRateLimiter({ limit: rateLimit, maxInFlight });
  // The secret values of the configuration in force (its last valid load), read at each use: the
  // client keeps them out of the API's error text, the engine out of plans, outcomes and logs.
  const secrets = () => config.current?.sensitive ?? NO_SECRETS;
  const sensitive: SensitiveText = { redact: (text) => secrets().redact(text), reveals: (text) => secrets().reveals(text) };
  const abort = new AbortController();
  // Every request waiting for a rate-limit slot listens for shutdown on this signal.
  setMaxListeners(0, abort.signal);
  const clients = new ClientSource({
    env: opts.env,
    tokenFile: opts.tokenFile,
    logger,
    limiter,
    signal: abort.signal,
    onResponse: (event) => metrics.apiAttempt(event),
    sensitive,
    ...(shardLabel ? { userAgent: `supasync (shard ${shardLabel})` } : {}),
  });

  const pacer = new Pacer(() => performance.now());
  const reconcile = createReconciler({
    mode: opts.mode,
    allowRisky: opts.allowRisky,
    held,
    logger,
    metrics,
    desired: (ref) => fleet.get(ref),
    sensitive,
    client: () => clients.lease(),
    requestSpacingMs: () => pacer.spacingMs,
  });
  const queue = new WorkQueue<ProjectReport>({
    // One worker is kept for configuration changes (low priority uses the others).
    workers: Math.max(2, maxInFlight),
    work: reconcile,
    costOf: (ref) => fleet.cost(ref),
    pacer,
    backoff: new ItemBackoff(),
    onDone: (ref, report, info, retryInMs) => projectDone(ref, report, info, retryInMs),
    onCrash: (ref, err) => logger.error({ project: ref, err: err instanceof Error ? err.message : String(err) }, 'reconcile crashed'),
  });
  metrics.watchQueue(() => queue.depth());

  // Readiness waits for the first reconcile, not the whole first sweep: over a large fleet paced at
  // the rate limit that sweep takes the better part of an hour, and a StatefulSet's rolling update
  // waits for each pod to be ready. A configuration or token problem shows with the first project.
  let reconciledOnce = false;
  let sweep: Pass | undefined;
  let stopping = () => false;

  const currentReadiness = () =>
    readiness({
      hasValidConfig: config.current !== undefined,
      ...(config.issues ? { invalidReload: { issues: config.issues.length } } : {}),
      ...(reconciledOnce ? { lastCycle: status.verdict() } : {}),
      shuttingDown: stopping(),
    });

  let server: ProbeServer;
  try {
    server = await startProbeServer({ ...opts.listen, liveness, readiness: currentReadiness, metrics });
  } catch (err) {
    liveness.stop();
    clients.close();
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(`--listen ${opts.listen.host}:${opts.listen.port}: cannot listen (${code ?? (err as Error).message})`);
  }
  const url = listenUrl(server.host, server.port);

  function projectDone(ref: string, report: ProjectReport | undefined, info: StartInfo, retryInMs: number | undefined): void {
    if (report && !report.outcome) return; // it left the configuration before its turn
    if (report?.outcome) {
      status.record(report.outcome);
      reconciledOnce = true;
    }
    if (retryInMs !== undefined) metrics.retry();
    logProjectDone(logger, ref, report, info, retryInMs);
  }

  function enqueue(trigger: Trigger, refs: readonly string[], priority: Priority, paced: boolean): Pass {
    const pass = new Pass(trigger, refs.length, { logger, metrics, mode: opts.mode, configValid: () => lastReloadValid });
    for (const ref of refs) queue.add(ref, { priority, paced, ticket: pass.ticket() });
    return pass;
  }

  /** Says once (at start and after each reload) when a sweep cannot fit in the schedule's interval. */
  const announceCapacity = (task: ScheduledTask) =>
    reportCapacity(logger, metrics, { projects: fleet.size, sections: fleet.requests }, rateLimit, scheduleInterval(task));

  // Reloads are serialised: the watcher and the schedule may ask at the same time.
  let reloading: Promise<void> = Promise.resolve();
  function reload(after: 'watch' | 'sweep'): Promise<void> {
    const run = reloading.then(async () => {
      // The watcher saw a change: read. A sweep: read only when the files on disk changed.
      const result = await config.reload({ ifChanged: after === 'sweep' });
      if (result === 'unchanged') return;
      lastReloadValid = result === 'loaded';
      metrics.configValid(lastReloadValid);
      if (result !== 'loaded' || stopping()) return;
      const change = fleet.update(config.current!);
      for (const { ref, sections } of change.removed) {
        queue.forget(ref);
        status.forget(ref);
        metrics.forgetProject(ref, sections);
        logMemory(logger).forgetProject(ref);
      }
      held.retain(fleet.sectionKeys());
      if (change.changed.length || change.removed.length) {
        logger.info(
          { changed: change.changed.length, removed: change.removed.length, projects: fleet.size },
          'configuration changed: reconciling the projects it changed',
        );
      }
      if (change.changed.length) {
        clients.refresh();
        enqueue('config change', change.changed, 'high', false);
      }
      if (after === 'watch' || change.changed.length || change.removed.length) announceCapacity(task);
    });
    reloading = run.catch((err: unknown) => logger.error({ err: err instanceof Error ? err.message : String(err) }, 'reload failed'));
    return reloading;
  }

  /** A sweep of every project at low priority; paced when it has an interval (a scheduled one) or exceeds the budget. */
  function startSweep(trigger: Exclude<Trigger, 'config change'>, intervalMs?: number): Promise<unknown> {
    if (sweep && !sweep.finished) return sweep.done;
    clients.refresh();
    const pace = sweepPace({
      projects: fleet.size,
      requests: fleet.requests,
      rateLimitPerMinute: rateLimit,
      ...(intervalMs === undefined ? {} : { intervalMs }),
    });
    pacer.setRate(pace.ratePerSecond, pace.atShare);
    const paced = Number.isFinite(pace.ratePerSecond);
    logger.debug({ trigger, projects: fleet.size, sections: fleet.requests, ...(paced ? { requests_per_minute: Math.round(pace.ratePerSecond * 600) / 10 } : {}) }, 'sweep started');
    const pass = enqueue(trigger, fleet.refs(), 'low', paced);
    sweep = pass;
    void pass.done.then(() => {
      reconciledOnce = true; // also when there is nothing to reconcile
    });
    return pass.done;
  }

  async function onTick(): Promise<void> {
    if (stopping()) return;
    if (sweep && !sweep.finished) {
      logger.warn({ trigger: 'schedule' }, 'cycle skipped: the previous cycle is still running');
      return;
    }
    await reload('sweep');
    if (stopping()) return;
    const next = task.getNextRun();
    void startSweep('schedule', next ? Math.max(1, next.getTime() - Date.now()) : undefined);
  }

  const task: ScheduledTask = cron.createTask(opts.schedule, () => onTick(), {
    name: 'supasync-reconcile',
    noOverlap: true,
    ...(opts.jitterMs > 0 ? { maxRandomDelay: opts.jitterMs } : {}),
    logger: cronLogger(logger),
  });

  let watcher: ConfigWatcher | undefined;
  try {
    watcher = await watchConfig({
      configPaths: opts.config,
      secretsDirs: opts.secretsDir,
      ...(opts.debounceMs === undefined ? {} : { debounceMs: opts.debounceMs }),
      logger,
      onChange: (changed) => {
        logger.info({ paths: changed.length }, 'configuration changed on disk: reloading');
        void reload('watch');
      },
    });
  } catch (err) {
    // Without a watcher the daemon still reloads at every sweep; say so rather than fail.
    logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'cannot watch the configuration; it is reloaded at every sweep only');
  }
  await task.start();

  const lifecycle = createLifecycle({
    logger,
    shutdownTimeoutMs: opts.shutdownTimeoutMs,
    signals: opts.handleSignals === false ? false : process,
    hooks: {
      inFlight: () => queue.depth().inFlight,
      async quiesce() {
        queue.shutDown();
        await task.destroy();
        await watcher?.close();
      },
      drained: () => queue.idle(),
      abort: () => abort.abort(),
      closeServer: (force) => server.close(force),
      release() {
        liveness.stop();
        clients.close();
        void watcher?.close();
      },
    },
  });
  stopping = () => lifecycle.stopping;

  logger.info(
    {
      url,
      schedule: opts.schedule,
      mode: opts.mode,
      jitter: formatDuration(opts.jitterMs),
      projects: fleet.size,
      ...(opts.shard ? { of_projects: fleet.total } : {}),
      sections: fleet.requests,
      rate_limit: rateLimit,
      next: task.getNextRun()?.toISOString(),
    },
    'supasync daemon started',
  );
  announceCapacity(task);
  void startSweep('start');

  return {
    url,
    done: lifecycle.done,
    stop: (reason) => lifecycle.stop(reason),
    async cycleNow() {
      if (stopping()) return;
      if (sweep && !sweep.finished) {
        await sweep.done;
        return;
      }
      await reload('sweep');
      if (stopping()) return;
      await startSweep('request');
    },
  };
}
