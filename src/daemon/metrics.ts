/**
 * Prometheus metrics through prom-client, imported lazily so that no other command pays for it.
 * Every label value is bounded and public: project refs, section names, route templates
 * (`/v1/projects/{ref}/config/auth`, never a raw path), methods, statuses, priorities, the shard
 * and result words. No value from the configuration ever becomes a label.
 */
import type { ApiAttemptEvent } from '../api/index.js';
import type { CycleResult } from './cycle-result.js';
import type { QueueDepth } from './work-queue.js';

export interface SectionObservation {
  project: string;
  section: string;
  /** SectionStatus of the outcome, or `held` (see held-sections.ts). */
  result: string;
  /** Changes the plan found (drift); absent when the section could not be read. */
  drift?: number;
}

export interface ProjectObservation {
  project: string;
  /** ProjectStatus of the outcome: unchanged, changed, drift, refused, error. */
  result: string;
  priority: 'high' | 'low';
  durationSeconds: number;
  sections: readonly SectionObservation[];
}

export interface SweepCapacity {
  projects: number;
  requests: number;
  /** Absent without a client-side rate limit. */
  shortestSeconds?: number;
  intervalSeconds: number;
  fits: boolean;
}

export type PassKind = 'sweep' | 'change';

export interface DaemonMetrics {
  readonly contentType: string;
  render(): Promise<string>;
  apiAttempt(event: ApiAttemptEvent): void;
  configValid(valid: boolean): void;
  /** A pass over the projects it enqueued ended: a sweep (start, schedule, request) or a configuration change. */
  cycle(result: CycleResult, durationSeconds: number, kind: PassKind): void;
  project(observation: ProjectObservation): void;
  queueWait(priority: 'high' | 'low', seconds: number): void;
  retry(): void;
  capacity(capacity: SweepCapacity): void;
  /** Drops the gauges of a project that left the configuration (or this shard). */
  forgetProject(ref: string, sections: readonly string[]): void;
  held(sections: ReadonlyArray<{ ref: string; section: string }>): void;
  /** Queue depth, read at each scrape. */
  watchQueue(depth: () => QueueDepth): void;
}

const RESULTS: readonly CycleResult[] = ['ok', 'refused', 'error', 'auth_error', 'config_error'];
const PROJECT_RESULTS = ['unchanged', 'changed', 'drift', 'refused', 'error'] as const;

export async function createMetrics(opts: { shard?: string } = {}): Promise<DaemonMetrics> {
  const prom = await import('prom-client');
  const registry = new prom.Registry();
  if (opts.shard) registry.setDefaultLabels({ shard: opts.shard });
  prom.collectDefaultMetrics({ register: registry });
  let depth: (() => QueueDepth) | undefined;
  /** The sections each project's drift gauge has, so that a section dropped from the configuration drops too. */
  const driftSections = new Map<string, Set<string>>();

  const cycles = new prom.Counter({
    name: 'supasync_cycles_total',
    help: 'Passes over the projects they enqueued (a sweep, or a configuration change), by result (ok, refused, error, auth_error, config_error).',
    labelNames: ['result'],
    registers: [registry],
  });
  const sectionResults = new prom.Counter({
    name: 'supasync_section_results_total',
    help: 'Section outcomes per reconcile (unchanged, applied, drift, refused, error, skipped, held).',
    labelNames: ['project', 'section', 'result'],
    registers: [registry],
  });
  const drift = new prom.Gauge({
    name: 'supasync_drift',
    help: "Changes between desired and live state found by the project's last reconcile, per project and section.",
    labelNames: ['project', 'section'],
    registers: [registry],
  });
  const lastSuccess = new prom.Gauge({
    name: 'supasync_last_success_timestamp_seconds',
    help: 'Unix time at which the last pass with result ok finished.',
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
    help: 'Duration of passes (sweeps and configuration changes).',
    buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900, 1800, 3600],
    registers: [registry],
  });
  const sweepDuration = new prom.Histogram({
    name: 'supasync_sweep_duration_seconds',
    help: 'Duration of sweeps over every project (the first one, scheduled resyncs, ones asked for).',
    buckets: [1, 5, 10, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200],
    registers: [registry],
  });
  const configValid = new prom.Gauge({
    name: 'supasync_config_valid',
    help: '1 when the configuration files on disk are valid, 0 when the last (re)load failed.',
    registers: [registry],
  });
  const heldSections = new prom.Gauge({
    name: 'supasync_held_sections',
    help: 'Sections not written any more because the API did not take their keys several reconciles in a row (1 = held).',
    labelNames: ['project', 'section'],
    registers: [registry],
  });
  const projectLast = new prom.Gauge({
    name: 'supasync_project_last_reconcile_timestamp_seconds',
    help: 'Unix time at which the last reconcile of the project finished.',
    labelNames: ['project'],
    registers: [registry],
  });
  const projectLastSuccess = new prom.Gauge({
    name: 'supasync_project_last_success_timestamp_seconds',
    help: 'Unix time at which the last reconcile of the project that did not fail finished.',
    labelNames: ['project'],
    registers: [registry],
  });
  const projectResult = new prom.Gauge({
    name: 'supasync_project_result',
    help: "1 for the result of the project's last reconcile (unchanged, changed, drift, refused, error).",
    labelNames: ['project', 'result'],
    registers: [registry],
  });
  const reconciles = new prom.Counter({
    name: 'supasync_reconciles_total',
    help: 'Per-project reconciles by queue priority (high: a configuration change; low: a sweep or a retry) and result.',
    labelNames: ['priority', 'result'],
    registers: [registry],
  });
  const reconcileDuration = new prom.Histogram({
    name: 'supasync_reconcile_duration_seconds',
    help: 'Duration of one per-project reconcile (read, plan, apply, verify).',
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [registry],
  });
  const queueWait = new prom.Histogram({
    name: 'supasync_queue_wait_seconds',
    help: 'Time a project waited in the work queue before its reconcile started, by priority (paced sweeps wait on purpose).',
    labelNames: ['priority'],
    buckets: [0.01, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 900, 3600],
    registers: [registry],
  });
  new prom.Gauge({
    name: 'supasync_queue_depth',
    help: 'Projects waiting in the work queue: high and low priority ready to start, retry waiting out a backoff delay.',
    labelNames: ['priority'],
    registers: [registry],
    collect() {
      const d = depth?.();
      this.set({ priority: 'high' }, d?.high ?? 0);
      this.set({ priority: 'low' }, d?.low ?? 0);
      this.set({ priority: 'retry' }, d?.retrying ?? 0);
    },
  });
  new prom.Gauge({
    name: 'supasync_reconciles_in_flight',
    help: 'Per-project reconciles running now.',
    registers: [registry],
    collect() {
      this.set(depth?.().inFlight ?? 0);
    },
  });
  const retries = new prom.Counter({
    name: 'supasync_queue_retries_total',
    help: 'Failed reconciles scheduled for another try after a backoff delay.',
    registers: [registry],
  });
  const sweepFits = new prom.Gauge({
    name: 'supasync_sweep_fits_interval',
    help: "1 when a sweep of this daemon's projects fits in the schedule's interval at its share of --rate-limit; 0 when sweeps run long.",
    registers: [registry],
  });
  const sweepShortest = new prom.Gauge({
    name: 'supasync_sweep_shortest_seconds',
    help: "The shortest possible sweep of this daemon's projects at its share of --rate-limit (absent without a limit).",
    registers: [registry],
  });
  const sweepInterval = new prom.Gauge({
    name: 'supasync_sweep_interval_seconds',
    help: "The schedule's interval between sweeps.",
    registers: [registry],
  });
  const fleetProjects = new prom.Gauge({
    name: 'supasync_projects',
    help: 'Projects this daemon reconciles (its shard of the configuration).',
    registers: [registry],
  });
  for (const result of RESULTS) cycles.inc({ result }, 0);
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
    cycle(result, durationSeconds, kind) {
      cycles.inc({ result });
      cycleDuration.observe(durationSeconds);
      if (kind === 'sweep') sweepDuration.observe(durationSeconds);
      if (result === 'ok') lastSuccess.set(Date.now() / 1000);
    },
    project(o) {
      const now = Date.now() / 1000;
      projectLast.set({ project: o.project }, now);
      if (o.result !== 'error') projectLastSuccess.set({ project: o.project }, now);
      for (const result of PROJECT_RESULTS) projectResult.remove({ project: o.project, result });
      projectResult.set({ project: o.project, result: o.result }, 1);
      reconciles.inc({ priority: o.priority, result: o.result });
      reconcileDuration.observe(o.durationSeconds);
      const measured = new Set<string>();
      for (const s of o.sections) {
        sectionResults.inc({ project: o.project, section: s.section, result: s.result });
        if (s.drift === undefined) continue;
        drift.set({ project: o.project, section: s.section }, s.drift);
        measured.add(s.section);
      }
      for (const section of driftSections.get(o.project) ?? []) if (!measured.has(section)) drift.remove({ project: o.project, section });
      driftSections.set(o.project, measured);
    },
    queueWait(priority, seconds) {
      queueWait.observe({ priority }, seconds);
    },
    retry() {
      retries.inc();
    },
    capacity(c) {
      sweepFits.set(c.fits ? 1 : 0);
      sweepInterval.set(c.intervalSeconds);
      fleetProjects.set(c.projects);
      if (c.shortestSeconds === undefined) sweepShortest.reset();
      else sweepShortest.set(c.shortestSeconds);
    },
    forgetProject(ref, sections) {
      projectLast.remove({ project: ref });
      projectLastSuccess.remove({ project: ref });
      for (const result of PROJECT_RESULTS) projectResult.remove({ project: ref, result });
      for (const section of new Set([...sections, ...(driftSections.get(ref) ?? [])])) drift.remove({ project: ref, section });
      driftSections.delete(ref);
    },
    held(sections) {
      heldSections.reset();
      for (const s of sections) heldSections.set({ project: s.ref, section: s.section }, 1);
    },
    watchQueue(fn) {
      depth = fn;
    },
  };
}
