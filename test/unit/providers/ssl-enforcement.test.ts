import { describe, expect, it } from 'vitest';
import { sslEnforcementProvider } from '../../../src/providers/ssl-enforcement.js';
import { REF, section } from '../../helpers/desired.js';
import { riskCases, upd } from './risk-cases.js';

describe('ssl enforcement provider', () => {
  it('PUTs the requested config only when it differs', () => {
    const live = { database: true, appliedSuccessfully: true };
    expect(sslEnforcementProvider.diff({ ref: REF, desired: section('ssl_enforcement', { database: true }), live }).requests).toEqual([]);
    const diff = sslEnforcementProvider.diff({ ref: REF, desired: section('ssl_enforcement', { database: false }), live });
    expect(diff.changes).toEqual([{ path: 'database', action: 'update', before: true, after: false, sensitive: false }]);
    expect(diff.requests).toEqual([{ method: 'PUT', path: `/v1/projects/${REF}/ssl-enforcement`, body: { requestedConfig: { database: false } } }]);
  });
});

describe('ssl enforcement risk rules', () => {
  riskCases(sslEnforcementProvider, [{ rule: 'ssl_enforcement.database.disabled', risky: upd('database', true, false), safe: upd('database', false, true) }]);
});
