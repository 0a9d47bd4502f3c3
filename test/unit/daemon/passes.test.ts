import { describe, expect, it } from 'vitest';
import { logSink } from '../../helpers/log-sink.js';
import { FleetStatus, Pass } from '../../../src/daemon/passes.js';
import type { ProjectReport } from '../../../src/daemon/reconciler.js';
import type { ProjectOutcome } from '../../../src/reconcile/types.js';

function context() {
  const { lines, logger } = logSink();
  const cycles: Array<[string, string]> = [];
  return { lines, cycles, ctx: { logger, mode: 'enforce' as const, configValid: () => true, metrics: { cycle: (r: string, _d: number, k: string) => void cycles.push([r, k]) } } };
}

const report = (ref: string, outcome: Partial<ProjectOutcome>, extra: Partial<ProjectReport> = {}): ProjectReport => ({
  ref,
  outcome: { ref, status: 'unchanged', sections: [], ...outcome },
  retry: false,
  extraRequests: 0,
  changes: 0,
  requests: 0,
  held: 0,
  durationMs: 1,
  ...extra,
});

describe('Pass', () => {
  it('logs one summary line once every project it enqueued has been reconciled or dropped', async () => {
    const { lines, cycles, ctx } = context();
    const pass = new Pass('schedule', 4, ctx);
    const [a, b, c, d] = [pass.ticket(), pass.ticket(), pass.ticket(), pass.ticket()];
    a.settle(report('a', { status: 'changed' }, { changes: 2, requests: 1 }));
    a.settle(report('a', { status: 'error' })); // a ticket counts once
    b.settle(report('b', {}));
    c.settle(undefined); // dropped: it left the configuration
    expect(pass.finished).toBe(false);
    expect(lines).toEqual([]);
    d.settle(report('d', { status: 'error', error: { kind: 'api', code: 'E_API_STATUS', message: 'GET … 500', status: 500 } }));
    expect(await pass.done).toMatchObject({ result: 'error', reason: 'd: GET … 500' });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      msg: 'cycle complete',
      trigger: 'schedule',
      result: 'error',
      projects: 3,
      changed: 1,
      unchanged: 1,
      failed: 1,
      changes: 2,
      requests: 1,
      dropped: 1,
      config_valid: true,
      mode: 'enforce',
    });
    expect(cycles).toEqual([['error', 'sweep']]);
  });

  it('an empty pass ends at once; a configuration change counts as a change, not a sweep', async () => {
    const { lines, cycles, ctx } = context();
    const pass = new Pass('config change', 0, ctx);
    expect(await pass.done).toEqual({ result: 'ok' });
    expect(lines[0]).toMatchObject({ trigger: 'config change', result: 'ok', projects: 0 });
    expect(cycles).toEqual([['ok', 'change']]);
  });
});

describe('FleetStatus', () => {
  it('is the verdict over the latest outcome of every project', () => {
    const status = new FleetStatus();
    const auth = { kind: 'auth' as const, code: 'E_API_STATUS', message: 'GET … 401', status: 401 };
    status.record({ ref: 'a', status: 'error', sections: [], error: auth });
    status.record({ ref: 'b', status: 'refused', sections: [] });
    expect(status.verdict().result).toBe('auth_error');
    status.record({ ref: 'a', status: 'changed', sections: [] });
    expect(status.verdict().result).toBe('refused');
    status.forget('b');
    expect(status.verdict()).toEqual({ result: 'ok' });
  });
});
