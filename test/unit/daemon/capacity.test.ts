import { describe, expect, it } from 'vitest';
import { logSink } from '../../helpers/log-sink.js';
import { reportCapacity } from '../../../src/daemon/capacity.js';
import type { SweepCapacity } from '../../../src/daemon/metrics.js';

function sink() {
  const { lines, logger } = logSink();
  const seen: SweepCapacity[] = [];
  return { lines, seen, logger, metrics: { capacity: (c: SweepCapacity) => void seen.push(c) } };
}

describe('reportCapacity', () => {
  it('says in one line, with the figures, when a sweep cannot fit in the interval; the metric says it either way', () => {
    const s = sink();
    expect(reportCapacity(s.logger, s.metrics, { projects: 500, sections: 2_500 }, 120, 300_000)).toBe(false);
    expect(s.lines).toHaveLength(1);
    expect(s.lines[0]).toMatchObject({
      projects: 500,
      sections: 2_500,
      rate_limit: 120,
      sweep_rate: 108,
      shortest_sweep: '23m9s',
      interval: '5m',
    });
    expect(String(s.lines[0]!.msg)).toMatch(/^sweeps cannot fit in the schedule's interval at --rate-limit/);
    expect(s.seen[0]).toMatchObject({ fits: false, intervalSeconds: 300, shortestSeconds: 1388.889, projects: 500, requests: 2_500 });

    expect(reportCapacity(s.logger, s.metrics, { projects: 30, sections: 150 }, 120, 300_000)).toBe(true);
    expect(reportCapacity(s.logger, s.metrics, { projects: 1_000, sections: 5_000 }, 0, 1_000)).toBe(true);
    expect(s.lines).toHaveLength(1);
    expect(s.seen.map((c) => c.fits)).toEqual([false, true, true]);
    expect(s.seen[2]!.shortestSeconds).toBeUndefined();
  });
});
