import { describe, expect, it } from 'vitest';
import { authProvider } from '../../../src/providers/auth.js';
import { hmacHex } from '../../../src/providers/normalise.js';
import { networkRestrictionsProvider, parseCidr } from '../../../src/providers/network-restrictions.js';
import { messageOf } from './finding.js';
import { poolerProvider } from '../../../src/providers/pooler.js';
import { postgresProvider } from '../../../src/providers/postgres.js';
import { REF, section } from '../../helpers/desired.js';

describe('auth provider', () => {
  it('PATCHes only the changed keys, in API form', () => {
    const live = { site_url: 'https://old', jwt_exp: 3600, password_required_characters: '', smtp_pass: null };
    const desired = section('auth', {
      site_url: 'https://new',
      jwt_exp: 3600,
      password_required_characters: 'lower_upper_letters_digits',
      smtp_pass: 'canary-smtp',
    });
    const diff = authProvider.diff({ ref: REF, desired, live });
    expect(diff.changes.map((c) => c.path)).toEqual(['password_required_characters', 'site_url', 'smtp_pass']);
    expect(diff.requests).toEqual([
      {
        method: 'PATCH',
        path: `/v1/projects/${REF}/config/auth`,
        body: {
          site_url: 'https://new',
          password_required_characters: 'abcdefghijklmnopqrstuvwxyz:ABCDEFGHIJKLMNOPQRSTUVWXYZ:0123456789',
          smtp_pass: 'canary-smtp',
        },
      },
    ]);
    expect(JSON.stringify(diff.changes)).not.toContain('canary-smtp');
  });

  it('shows no change when converged, secrets included', () => {
    const live = { smtp_pass: hmacHex(REF, 's3cret'), uri_allow_list: 'https://a,https://b' };
    const desired = section('auth', { smtp_pass: 's3cret', uri_allow_list: ['https://b', 'https://a'] });
    expect(authProvider.diff({ ref: REF, desired, live })).toEqual({ changes: [], requests: [] });
  });
});

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

describe('pooler provider', () => {
  it('PATCHes changed keys of the primary entry', () => {
    const live = { default_pool_size: null, pool_mode: 'transaction' };
    const diff = poolerProvider.diff({ ref: REF, desired: section('pooler', { default_pool_size: 20, pool_mode: 'transaction' }), live });
    expect(diff.requests).toEqual([{ method: 'PATCH', path: `/v1/projects/${REF}/config/database/pooler`, body: { default_pool_size: 20 } }]);
  });
});

describe('network restrictions provider', () => {
  const live = { dbAllowedCidrs: ['0.0.0.0/0'], dbAllowedCidrsV6: ['::/0'], status: 'applied' };

  it('canonicalises CIDRs', () => {
    expect(parseCidr('10.1.2.3/8')).toMatchObject({ canonical: '10.0.0.0/8', kind: 'ipv4' });
    expect(parseCidr('2001:0db8:0:0::/32')).toMatchObject({ canonical: '2001:db8::/32', kind: 'ipv6' });
    expect(parseCidr('300.1.1.1/8')).toHaveProperty('error');
  });

  it('ignores order and always sends both lists', () => {
    const reordered = { ...live, dbAllowedCidrs: ['10.0.0.0/8', '192.0.2.0/24'] };
    const same = networkRestrictionsProvider.diff({ ref: REF, desired: section('network_restrictions', { dbAllowedCidrs: ['192.0.2.0/24', '10.0.0.0/8'] }), live: reordered });
    expect(same.requests).toEqual([]);
    const added = networkRestrictionsProvider.diff({ ref: REF, desired: section('network_restrictions', { dbAllowedCidrs: ['192.0.2.0/24'] }), live });
    expect(added.requests).toEqual([
      {
        method: 'POST',
        path: `/v1/projects/${REF}/network-restrictions/apply`,
        body: { dbAllowedCidrs: ['192.0.2.0/24'], dbAllowedCidrsV6: ['::/0'] },
        idempotent: true,
      },
    ]);
  });

  it('checks syntax and family, warns on private and non-canonical ranges', () => {
    const findings = networkRestrictionsProvider.check!(
      section('network_restrictions', { dbAllowedCidrs: ['nope', '2001:db8::/32', '10.1.2.3/8'], dbAllowedCidrsV6: ['192.0.2.0/24'] }),
    );
    expect(findings.filter((f) => f.severity === 'error').map((f) => f.path)).toEqual([
      ['dbAllowedCidrs', 0],
      ['dbAllowedCidrs', 1],
      ['dbAllowedCidrsV6', 0],
    ]);
    expect(findings.filter((f) => f.severity === 'warning').map((f) => messageOf(f)).join('\n')).toMatch(/canonical[\s\S]*private/);
  });

  it('says what is wrong with a value without quoting it (or its canonical form) when it is sensitive (issue 13, item 2)', () => {
    const findings = networkRestrictionsProvider.check!(section('network_restrictions', { dbAllowedCidrs: ['nope-secret', '10.1.2.3/8'] }));
    expect(findings.map((f) => messageOf(f))).toEqual([
      '"nope-secret" is not a CIDR (expected e.g. 203.0.113.0/24 or 2001:db8::/32; IPv4 addresses are four decimal numbers)',
      '"10.1.2.3/8" is not in canonical form; it means 10.0.0.0/8',
      '"10.1.2.3/8" is a private range: clients reach the database over the internet, so it admits no one',
    ]);
    expect(findings.map((f) => messageOf(f, true))).toEqual([
      'the value is not a CIDR (expected e.g. 203.0.113.0/24 or 2001:db8::/32; IPv4 addresses are four decimal numbers)',
      'the value is not in canonical form (host bits set)',
      'the value is a private range: clients reach the database over the internet, so it admits no one',
    ]);
  });

  it('notes a stored (not yet applied) status', () => {
    const diff = networkRestrictionsProvider.diff({ ref: REF, desired: section('network_restrictions', {}), live: { ...live, status: 'stored' } });
    expect(diff.notes?.[0]).toMatch(/stored/);
  });
});
