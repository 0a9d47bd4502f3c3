/**
 * /readyz, as a pure function of what the daemon knows: ready when a valid configuration is loaded,
 * the files on disk are valid too (an invalid reload keeps the last valid configuration running but
 * is not ready, so a broken ConfigMap shows in `kubectl get pods`), the first cycle has finished, and
 * the last cycle was not a configuration or authentication failure. API outages and refusals do not
 * make the process unready: restarting or unrouting it would not help.
 *
 * /readyz answers anyone who can reach the port, so `detail` holds only counts, result codes and
 * statuses (the verdict's `summary`), never an error message: those may quote the API.
 */
import type { CycleVerdict } from './cycle-result.js';

export interface ReadinessInput {
  /** A valid configuration has been loaded at least once (it is the one cycles use). */
  hasValidConfig: boolean;
  /** The last attempt to load the configuration files failed; holds its issue count. */
  invalidReload?: { issues: number };
  /** The last finished cycle; absent before the first one ends. */
  lastCycle?: CycleVerdict;
  shuttingDown: boolean;
}

export interface Readiness {
  ready: boolean;
  /** `ok`, or why not: a stable word for alerting, then details in `detail`. */
  reason: 'ok' | 'shutting_down' | 'no_configuration' | 'configuration_invalid' | 'starting' | 'config_error' | 'auth_error';
  /** Counts, codes and statuses only. */
  detail?: string;
}

export function readiness(input: ReadinessInput): Readiness {
  if (input.shuttingDown) return { ready: false, reason: 'shutting_down' };
  if (!input.hasValidConfig) return { ready: false, reason: 'no_configuration' };
  if (input.invalidReload) {
    return {
      ready: false,
      reason: 'configuration_invalid',
      detail: `the configuration files have ${input.invalidReload.issues} error(s); the last valid configuration is still applied`,
    };
  }
  if (!input.lastCycle) return { ready: false, reason: 'starting', detail: 'the first cycle has not finished' };
  const { result, summary } = input.lastCycle;
  if (result === 'config_error' || result === 'auth_error') {
    return { ready: false, reason: result, ...(summary ? { detail: summary } : {}) };
  }
  return { ready: true, reason: 'ok' };
}
