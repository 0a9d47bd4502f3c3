import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../../src/providers/normalise.js';
import { secretsProvider } from '../../../src/providers/secrets.js';
import { REF, section } from '../../helpers/desired.js';
import { riskCases } from './risk-cases.js';

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

describe('secrets risk rules', () => {
  riskCases(secretsProvider, [
    { rule: 'secrets.deleted', risky: { path: 'OLD_KEY', item: 'OLD_KEY', action: 'delete', sensitive: false }, safe: { path: 'NEW_KEY', item: 'NEW_KEY', action: 'create', sensitive: true, beforeSet: false } },
  ]);
});
