/**
 * The daemon's lifecycle: signals, drain and shutdown, apart from what the daemon does.
 *
 *   first SIGTERM/SIGINT (or `stop`): not ready at once; stop taking work (schedule, watcher, queue:
 *     queued projects are dropped — the next start sweeps them anyway); let the reconciles in flight
 *     finish within the shutdown timeout; close the probe server; `done` resolves with 0.
 *   timeout: the requests in flight are aborted; `done` resolves with 1.
 *   second signal: abort at once, close everything, `done` resolves with 1.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { ExitCode } from '../errors.js';
import type { Logger } from '../log.js';
import { formatDuration } from './duration.js';

export interface LifecycleHooks {
  /** Reconciles running now. */
  inFlight(): number;
  /** Stops taking work: the schedule, the configuration watcher, the queue. */
  quiesce(): Promise<void>;
  /** Resolves once no reconcile is running. */
  drained(): Promise<void>;
  /** Aborts every request in flight. */
  abort(): void;
  /** Closes the probe server; `force` also cuts the connections in use. */
  closeServer(force: boolean): Promise<void>;
  /** Last of all: timers, clients. */
  release(): void;
}

export interface SignalSource {
  on(signal: NodeJS.Signals, handler: (signal: NodeJS.Signals) => void): unknown;
  off(signal: NodeJS.Signals, handler: (signal: NodeJS.Signals) => void): unknown;
}

export interface LifecycleOptions {
  logger: Logger;
  shutdownTimeoutMs: number;
  hooks: LifecycleHooks;
  /** Where SIGTERM and SIGINT come from (default: the process); false: none. */
  signals?: SignalSource | false;
  /** Resolves after `ms` unless aborted (default: timers/promises). */
  wait?: (ms: number, signal: AbortSignal) => Promise<void>;
}

export interface Lifecycle {
  readonly stopping: boolean;
  /** Resolves with the exit code once everything is closed. */
  readonly done: Promise<ExitCode>;
  /** What a signal does: the first stops gracefully, the second at once. */
  stop(reason: string): void;
}

const SIGNALS: NodeJS.Signals[] = ['SIGTERM', 'SIGINT'];

export function createLifecycle(opts: LifecycleOptions): Lifecycle {
  const { logger, hooks } = opts;
  const wait = opts.wait ?? ((ms: number, signal: AbortSignal) => sleep(ms, undefined, { signal }));
  const signals = opts.signals === false ? undefined : (opts.signals ?? process);
  let stopping = false;
  let finished = false;
  let resolveDone!: (code: ExitCode) => void;
  const done = new Promise<ExitCode>((resolve) => (resolveDone = resolve));

  const onSignal = (signal: NodeJS.Signals) => stop(signal);
  for (const s of SIGNALS) signals?.on(s, onSignal);

  function finish(code: ExitCode): void {
    if (finished) return;
    finished = true;
    for (const s of SIGNALS) signals?.off(s, onSignal);
    hooks.release();
    logger.info({ exit_code: code }, 'stopped');
    resolveDone(code);
  }

  async function shutdown(reason: string): Promise<void> {
    const inFlight = hooks.inFlight();
    const timeout = formatDuration(opts.shutdownTimeoutMs);
    if (inFlight) logger.info({ reason, timeout, in_flight: inFlight }, 'shutting down: finishing the projects in flight');
    else logger.info({ reason, timeout }, 'shutting down');
    await hooks.quiesce();
    const timer = new AbortController();
    const outcome = await Promise.race([
      hooks.drained().then(() => 'drained' as const),
      wait(opts.shutdownTimeoutMs, timer.signal).then(
        () => 'timeout' as const,
        () => 'drained' as const,
      ),
    ]);
    timer.abort();
    let code: ExitCode = ExitCode.ok;
    if (outcome === 'timeout' && !finished) {
      logger.error({ timeout }, 'shutdown timeout: abandoning the projects in flight');
      hooks.abort();
      code = ExitCode.runtime;
    }
    if (finished) return;
    await hooks.closeServer(code !== ExitCode.ok);
    finish(code);
  }

  function stop(reason: string): void {
    if (finished) return;
    if (!stopping) {
      stopping = true;
      shutdown(reason).catch((err: unknown) => {
        logger.error({ err: err instanceof Error ? err.message : String(err) }, 'shutdown failed');
        finish(ExitCode.runtime);
      });
      return;
    }
    logger.warn({ reason }, 'second signal: stopping at once, abandoning the projects in flight');
    hooks.abort();
    void hooks.closeServer(true);
    finish(ExitCode.runtime);
  }

  return {
    get stopping() {
      return stopping;
    },
    done,
    stop,
  };
}
