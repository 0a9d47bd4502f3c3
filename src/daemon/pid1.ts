/**
 * Node as PID 1 (the container image runs without tini, see the Dockerfile). The kernel delivers no
 * signal to PID 1 for which it has no handler, so `docker stop` or a Kubernetes SIGTERM would be
 * ignored by a one-shot command (`apply` in a CronJob) until the SIGKILL. This gives PID 1 back
 * what every other process has: SIGTERM / SIGINT / SIGHUP terminate it, with the usual 128+n code.
 * A command that handles the signal itself (`run`) adds its own listener, and then this one steps aside.
 */
import { constants } from 'node:os';

const SIGNALS = ['SIGTERM', 'SIGINT', 'SIGHUP'] as const;

export function restoreSignalDefaultsAsPid1(pid = process.pid): void {
  if (pid !== 1) return;
  for (const signal of SIGNALS) {
    process.on(signal, () => {
      if (process.listenerCount(signal) > 1) return; // someone else handles it
      // The conventional status of a process ended by a signal; no cleanup is pending in a one-shot command.
      process.exit(128 + constants.signals[signal]);
    });
  }
}
