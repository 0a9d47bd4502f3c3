import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PATTERN_MESSAGES } from '../../../src/config/messages.js';
import { postgresProvider } from '../../../src/providers/postgres.js';
import { MEMORY_PATTERN, TIME_PATTERN } from '../../../src/providers/quantity.js';
import { ROOT } from '../../helpers/cli.js';
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

describe('postgres units (issue 17, item 12)', () => {
  const spec = JSON.parse(readFileSync(`${ROOT}/vendor/openapi/supabase-management-api.json`, 'utf8')) as {
    components: { schemas: { UpdatePostgresConfigBody: { properties: Record<string, { type?: string; enum?: unknown[] }> } } };
  };
  const schema = JSON.parse(readFileSync(`${ROOT}/config.schema.json`, 'utf8')) as { properties: { postgres: { properties: Record<string, { pattern?: string; type?: unknown }> } } };

  it('declares a memory or time format for every string parameter of the spec', () => {
    const strings = Object.entries(spec.components.schemas.UpdatePostgresConfigBody.properties)
      .filter(([, p]) => p.type === 'string' && !p.enum)
      .map(([name]) => name)
      .sort();
    expect(Object.keys(postgresProvider.schema.formats ?? {}).sort()).toEqual(strings);
  });

  it('the generated schema checks the form, accepts a number, and words the error', () => {
    const fields = schema.properties.postgres.properties;
    for (const name of Object.keys(postgresProvider.schema.formats ?? {})) {
      expect(fields[name]?.type, name).toEqual(['string', 'integer']);
      expect([MEMORY_PATTERN, TIME_PATTERN], name).toContain(fields[name]?.pattern);
    }
    expect(PATTERN_MESSAGES[MEMORY_PATTERN]).toMatch(/memory size/);
    expect(PATTERN_MESSAGES[TIME_PATTERN]).toMatch(/duration/);
  });

  it('sees equal amounts in other units as no change, and sends a number as the API’s string', () => {
    const live = { work_mem: '1024MB', shared_buffers: '16384', statement_timeout: '60000', checkpoint_timeout: '300' };
    const same = section('postgres', { work_mem: '1GB', shared_buffers: '128MB', statement_timeout: '1min', checkpoint_timeout: '5min' });
    expect(postgresProvider.diff({ ref: REF, desired: same, live })).toEqual({ changes: [], requests: [] });
    const diff = postgresProvider.diff({ ref: REF, desired: section('postgres', { statement_timeout: 0 }), live });
    expect(diff.changes).toEqual([{ path: 'statement_timeout', action: 'update', before: '60000', after: '0', sensitive: false }]);
    expect(diff.requests[0]?.body).toEqual({ ...live, statement_timeout: '0' });
  });
});
