/**
 * Whether a sweep of this daemon's projects fits in the schedule's interval at its share of
 * `--rate-limit`: always in the metrics; said in one log line (at start and after each reload) when
 * it does not.
 */
import type { Logger } from '../log.js';
import { formatLongDuration } from './duration.js';
import type { DaemonMetrics } from './metrics.js';
import { sweepFits, sweepPace } from './pacer.js';

export interface Fleet {
  /** Projects this daemon reconciles. */
  projects: number;
  /** Their managed sections: the requests one sweep costs. */
  sections: number;
}

export function reportCapacity(logger: Logger, metrics: Pick<DaemonMetrics, 'capacity'>, fleet: Fleet, rateLimitPerMinute: number, intervalMs: number): boolean {
  const pace = sweepPace({ projects: fleet.projects, requests: fleet.sections, rateLimitPerMinute, intervalMs });
  const fits = sweepFits(pace, intervalMs);
  metrics.capacity({
    projects: fleet.projects,
    requests: fleet.sections,
    intervalSeconds: intervalMs / 1000,
    fits,
    ...(pace.shortestMs === undefined ? {} : { shortestSeconds: pace.shortestMs / 1000 }),
  });
  if (!fits) {
    logger.warn(
      {
        projects: fleet.projects,
        sections: fleet.sections,
        rate_limit: rateLimitPerMinute,
        sweep_rate: pace.shareOfLimitPerMinute,
        shortest_sweep: formatLongDuration(pace.shortestMs!),
        interval: formatLongDuration(intervalMs),
      },
      "sweeps cannot fit in the schedule's interval at --rate-limit: each sweep runs long and the ticks that come meanwhile are skipped",
    );
  }
  return fits;
}
