/**
 * Prometheus metrics through prom-client, imported lazily so that no other command pays for it.
 * Every label value is bounded and public: project refs, section names, route templates
 * (`/v1/projects/{ref}/config/auth`, never a raw path), methods, statuses and result words.
 * No value from the configuration ever becomes a label.
 */
import type { ApiAttemptEvent } from '../api/index.js';
import type { CycleResult } from './cycle-result.js';

export interface SectionObservation {
  project: string;
  section: string;
  /** SectionStatus of the outcome, or `held` (see held-sections.ts). */
  result: string;
  /** Changes the plan found (drift); absent when the section could not be read. */
  drift?: number;
}

export interface DaemonMetrics {
  readonly contentType: string;
  render(): Promise<string>;
  apiAttempt(event: ApiAttemptEvent): void;
  configValid(valid: boolean): void;
  cycle(result: CycleResult, durationSeconds: number, sections: readonly SectionObservation[]): void;
  held(sections: ReadonlyArray<{ ref: string; section: string }>): void;
}

export async function createMetrics(): Promise<DaemonMetrics> {
  const prom = await import('prom-client');
  const registry = new prom.Registry();
  prom.collectDefaultMetrics({ register: registry });

  const cycles = new prom.Counter({
    name: 'supasync_cycles_total',
    help: 'Reconcile cycles by result (ok, refused, error, auth_error, config_error).',
    labelNames: ['result'],
    registers: [registry],
  });
  const sectionResults = new prom.Counter({
    name: 'supasync_section_results_total',
    help: 'Section outcomes per cycle (unchanged, applied, drift, refused, error, skipped, held).',
    labelNames: ['project', 'section', 'result'],
    registers: [registry],
  });
  const drift = new prom.Gauge({
    name: 'supasync_drift',
    help: 'Changes between desired and live state found by the last cycle, per project and section.',
    labelNames: ['project', 'section'],
    registers: [registry],
  });
  const lastSuccess = new prom.Gauge({
    name: 'supasync_last_success_timestamp_seconds',
    help: 'Unix time at which the last cycle with result ok finished.',
    registers: [registry],
  });
  const apiRequests = new prom.Counter({
    name: 'supasync_api_requests_total',
    help: 'Management API request attempts by method, route template and status ("none" when no answer came).',
    labelNames: ['method', 'route', 'status'],
    registers: [registry],
  });
  const cycleDuration = new prom.Histogram({
    name: 'supasync_cycle_duration_seconds',
    help: 'Duration of reconcile cycles.',
    buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
    registers: [registry],
  });
  const configValid = new prom.Gauge({
    name: 'supasync_config_valid',
    help: '1 when the configuration files on disk are valid, 0 when the last (re)load failed.',
    registers: [registry],
  });
  const heldSections = new prom.Gauge({
    name: 'supasync_held_sections',
    help: 'Sections not written any more because the API did not take their keys several cycles in a row (1 = held).',
    labelNames: ['project', 'section'],
    registers: [registry],
  });
  for (const result of ['ok', 'refused', 'error', 'auth_error', 'config_error'] satisfies CycleResult[]) {
    cycles.inc({ result }, 0);
  }
  lastSuccess.set(0);

  return {
    contentType: registry.contentType,
    render: () => registry.metrics(),
    apiAttempt(event) {
      apiRequests.inc({ method: event.method, route: event.route, status: event.status === undefined ? 'none' : String(event.status) });
    },
    configValid(valid) {
      configValid.set(valid ? 1 : 0);
    },
    cycle(result, durationSeconds, sections) {
      cycles.inc({ result });
      cycleDuration.observe(durationSeconds);
      if (result === 'ok') lastSuccess.set(Date.now() / 1000);
      drift.reset();
      for (const s of sections) {
        sectionResults.inc({ project: s.project, section: s.section, result: s.result });
        if (s.drift !== undefined) drift.set({ project: s.project, section: s.section }, s.drift);
      }
    },
    held(sections) {
      heldSections.reset();
      for (const s of sections) heldSections.set({ project: s.ref, section: s.section }, 1);
    },
  };
}
