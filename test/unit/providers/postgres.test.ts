import { describe, expect, it } from 'vitest';
import { postgresProvider } from '../../../src/providers/postgres.js';
import { REF, section } from '../../helpers/desired.js';

describe('postgres provider', () => {
  it('PUTs the live overrides merged with the desired keys', () => {
    const live = { shared_buffers: '256MB', statement_timeout: '8s' };
    const desired = section('postgres', { statement_timeout: '10s', work_mem: '8MB' });
    const diff = postgresProvider.diff({ ref: REF, desired, live });
    expect(diff.requests).toEqual([
      {
        method: 'PUT',
        path: `/v1/projects/${REF}/config/database/postgres`,
        body: { shared_buffers: '256MB', statement_timeout: '10s', work_mem: '8MB' },
      },
    ]);
  });

  it('writes nothing when the desired keys already match', () => {
    const diff = postgresProvider.diff({ ref: REF, desired: section('postgres', { statement_timeout: '8s' }), live: { statement_timeout: '8s', work_mem: '4MB' } });
    expect(diff.requests).toEqual([]);
  });

  it('flags restart parameters and sends restart_database only when asked', () => {
    const live = { max_connections: 100 };
    const noRestart = postgresProvider.diff({ ref: REF, desired: section('postgres', { max_connections: 200 }), live });
    expect(noRestart.changes[0]?.restart).toBe(true);
    expect(noRestart.requests[0]?.body).toEqual({ max_connections: 200 });
    expect(noRestart.notes?.[0]).toMatch(/restart/);
    const restart = postgresProvider.diff({ ref: REF, desired: section('postgres', { max_connections: 200, restart_database: true }), live });
    expect(restart.requests[0]?.body).toEqual({ max_connections: 200, restart_database: true });
  });
});
