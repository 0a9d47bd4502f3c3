import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../../src/providers/normalise.js';
import { postgrestProvider } from '../../../src/providers/postgrest.js';
import { secretsProvider } from '../../../src/providers/secrets.js';
import { sslEnforcementProvider } from '../../../src/providers/ssl-enforcement.js';
import { REF, section } from '../../helpers/desired.js';

describe('postgrest provider', () => {
  const live = { db_schema: 'public,graphql_public', db_extra_search_path: 'public, extensions', max_rows: 1000, db_pool: null };

  it('treats YAML lists and comma strings alike, spaces aside', () => {
    const desired = section('postgrest', { db_schema: ['public', 'graphql_public'], db_extra_search_path: 'public,extensions', max_rows: 1000 });
    expect(postgrestProvider.diff({ ref: REF, desired, live })).toEqual({ changes: [], requests: [] });
  });

  it('compares schema lists in order, since order is search priority', () => {
    const desired = section('postgrest', { db_schema: ['graphql_public', 'public'] });
    const diff = postgrestProvider.diff({ ref: REF, desired, live });
    expect(diff.requests).toEqual([{ method: 'PATCH', path: `/v1/projects/${REF}/postgrest`, body: { db_schema: 'graphql_public,public' } }]);
  });
});

describe('ssl enforcement provider', () => {
  it('PUTs the requested config only when it differs', () => {
    const live = { database: true, appliedSuccessfully: true };
    expect(sslEnforcementProvider.diff({ ref: REF, desired: section('ssl_enforcement', { database: true }), live }).requests).toEqual([]);
    const diff = sslEnforcementProvider.diff({ ref: REF, desired: section('ssl_enforcement', { database: false }), live });
    expect(diff.changes).toEqual([{ path: 'database', action: 'update', before: true, after: false, sensitive: false }]);
    expect(diff.requests).toEqual([{ method: 'PUT', path: `/v1/projects/${REF}/ssl-enforcement`, body: { requestedConfig: { database: false } } }]);
  });
});

describe('secrets provider', () => {
  const live = new Map([
    ['SAME', sha256Hex('same-value')],
    ['CHANGED', sha256Hex('old-value')],
    ['EXTRA', sha256Hex('x')],
  ]);

  it('upserts only new and changed secrets in one POST, by digest, never showing values', () => {
    const desired = section('secrets', { values: { SAME: 'same-value', CHANGED: 'canary-new', NEW: 'canary-fresh' } });
    const diff = secretsProvider.diff({ ref: REF, desired, live });
    expect(diff.changes).toEqual([
      { path: 'CHANGED', item: 'CHANGED', action: 'update', sensitive: true, beforeSet: true },
      { path: 'NEW', item: 'NEW', action: 'create', sensitive: true, beforeSet: false },
    ]);
    expect(JSON.stringify(diff.changes) + JSON.stringify(diff.notes)).not.toMatch(/canary/);
    expect(diff.requests).toEqual([
      { method: 'POST', path: `/v1/projects/${REF}/secrets`, body: [{ name: 'CHANGED', value: 'canary-new' }, { name: 'NEW', value: 'canary-fresh' }], idempotent: true },
    ]);
    expect(diff.notes?.[0]).toMatch(/EXTRA/);
  });

  it('deletes unlisted secrets only with prune', () => {
    const diff = secretsProvider.diff({ ref: REF, desired: section('secrets', { prune: true, values: { SAME: 'same-value', CHANGED: 'old-value' } }), live });
    expect(diff.changes).toEqual([{ path: 'EXTRA', item: 'EXTRA', action: 'delete', sensitive: false }]);
    expect(diff.requests).toEqual([{ method: 'DELETE', path: `/v1/projects/${REF}/secrets`, body: ['EXTRA'] }]);
  });
});
