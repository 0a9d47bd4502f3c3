import { describe, expect, it } from 'vitest';
import type { ApiClient } from '../../../src/api/types.js';
import { networkRestrictionsProvider, parseCidr } from '../../../src/providers/network-restrictions.js';
import { REF, section } from '../../helpers/desired.js';
import { messageOf } from './finding.js';
import { riskCases, upd } from './risk-cases.js';

/** The live state as read() makes it from an answer (a client that only answers this GET). */
const read = (answer: object) =>
  networkRestrictionsProvider.read({ get: async () => answer, request: async () => { throw new Error('no writes here'); } } as ApiClient, REF);
const liveOf = (config: { dbAllowedCidrs?: string[]; dbAllowedCidrsV6?: string[] }, status = 'applied') =>
  read({ entitlement: 'allowed', config, status });

describe('network restrictions provider', () => {
  const live = { dbAllowedCidrs: ['0.0.0.0/0'], dbAllowedCidrsV6: ['::/0'], asRead: { dbAllowedCidrs: ['0.0.0.0/0'], dbAllowedCidrsV6: ['::/0'] }, status: 'applied' };

  it('canonicalises CIDRs', () => {
    expect(parseCidr('10.1.2.3/8')).toMatchObject({ canonical: '10.0.0.0/8', kind: 'ipv4' });
    expect(parseCidr('2001:0db8:0:0::/32')).toMatchObject({ canonical: '2001:db8::/32', kind: 'ipv6' });
    expect(parseCidr('300.1.1.1/8')).toHaveProperty('error');
  });

  it('ignores order and always sends both lists', async () => {
    const reordered = await liveOf({ dbAllowedCidrs: ['192.0.2.0/24', '10.0.0.0/8'], dbAllowedCidrsV6: ['::/0'] });
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

  it('sends an unmanaged list back exactly as it was read', async () => {
    const asRead = ['2001:db8:2::/48', '2001:0db8:1::/48'];
    const diff = networkRestrictionsProvider.diff({
      ref: REF,
      desired: section('network_restrictions', { dbAllowedCidrs: ['192.0.2.0/24'] }),
      live: await liveOf({ dbAllowedCidrs: ['0.0.0.0/0'], dbAllowedCidrsV6: asRead }),
    });
    expect(diff.requests[0]?.body).toEqual({ dbAllowedCidrs: ['192.0.2.0/24'], dbAllowedCidrsV6: asRead });
  });

  it('refuses to write when the answer lacks a list the YAML leaves unmanaged, instead of sending it empty (issue 17, item 14)', async () => {
    const noV6 = await liveOf({ dbAllowedCidrs: ['0.0.0.0/0'] });
    const write = () => networkRestrictionsProvider.diff({ ref: REF, desired: section('network_restrictions', { dbAllowedCidrs: ['192.0.2.0/24'] }), live: noV6 });
    expect(write).toThrow(/not written: the API's answer has no dbAllowedCidrsV6 and the configuration does not list it; the apply call replaces both lists, so it would be sent empty and deny every IPv6 client/);
    expect(write).toThrow(expect.objectContaining({ code: 'E_LIVE_INCOMPLETE' }));
    // Nothing to write: no error, a note.
    const inSync = networkRestrictionsProvider.diff({ ref: REF, desired: section('network_restrictions', { dbAllowedCidrs: ['0.0.0.0/0'] }), live: noV6 });
    expect(inSync.requests).toEqual([]);
    expect(inSync.notes).toEqual([expect.stringMatching(/has no dbAllowedCidrsV6/)]);
    // Managed in the YAML: both lists are known, the write goes ahead.
    const both = networkRestrictionsProvider.diff({ ref: REF, desired: section('network_restrictions', { dbAllowedCidrs: ['192.0.2.0/24'], dbAllowedCidrsV6: ['2001:db8::/32'] }), live: noV6 });
    expect(both.requests[0]?.body).toEqual({ dbAllowedCidrs: ['192.0.2.0/24'], dbAllowedCidrsV6: ['2001:db8::/32'] });
    expect(both.changes.map((c) => [c.path, c.before])).toEqual([['dbAllowedCidrs', ['0.0.0.0/0']], ['dbAllowedCidrsV6', null]]);
    // Emptying a list whose live value is unknown is risky as well.
    const emptied = networkRestrictionsProvider.diff({ ref: REF, desired: section('network_restrictions', { dbAllowedCidrsV6: [] }), live: noV6 });
    expect(networkRestrictionsProvider.risks![0]!.test(emptied.changes[0]!)).toMatch(/empties dbAllowedCidrsV6/);
    // And the export leaves the unknown list out.
    expect(networkRestrictionsProvider.export!(noV6, { ref: REF, all: true, allowedKeys: new Set() })?.values).toEqual({ dbAllowedCidrs: ['0.0.0.0/0'] });
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
