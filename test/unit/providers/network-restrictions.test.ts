import { describe, expect, it } from 'vitest';
import { networkRestrictionsProvider, parseCidr } from '../../../src/providers/network-restrictions.js';
import { REF, section } from '../../helpers/desired.js';
import { messageOf } from './finding.js';
import { riskCases, upd } from './risk-cases.js';

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

describe('network restrictions risk rules', () => {
  riskCases(networkRestrictionsProvider, [
    { rule: 'network_restrictions.emptied', risky: upd('dbAllowedCidrs', ['10.0.0.0/8'], []), safe: upd('dbAllowedCidrs', [], ['10.0.0.0/8']) },
    { rule: 'network_restrictions.opened', risky: upd('dbAllowedCidrsV6', ['2001:db8::/32'], ['::/0']), safe: upd('dbAllowedCidrs', ['0.0.0.0/0'], ['0.0.0.0/0', '10.0.0.0/8']) },
  ]);
});
