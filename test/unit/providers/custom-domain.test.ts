import { describe, expect, it } from 'vitest';
import type { ApiClient, ApiRequest } from '../../../src/api/types.js';
import { ConfigError } from '../../../src/errors.js';
import { customDomainProvider, type CustomDomainLive, type LiveHostname } from '../../../src/providers/custom-domain.js';
import { REF, section } from '../../helpers/desired.js';
import { messageOf } from './finding.js';
import { riskCases } from './risk-cases.js';

const base = `/v1/projects/${REF}`;
const HOST = 'api.example.com';
const RECORDS: LiveHostname['records'] = [
  { type: 'CNAME', name: HOST, value: `${REF}.supabase.co` },
  { type: 'TXT', name: `_cf-custom-hostname.${HOST}`, value: 'own-1' },
  { type: 'TXT', name: `_acme-challenge.${HOST}`, value: 'ssl-1' },
];
const NONE: CustomDomainLive = { hostname: null, vanity: null };
const hostname = (status: LiveHostname['status'], name = HOST): CustomDomainLive => ({ hostname: { name, status, records: status === '2_initiated' ? RECORDS : [] }, vanity: null });
const diff = (values: Record<string, unknown>, live: CustomDomainLive = NONE, fromFile: string[] = []) =>
  customDomainProvider.diff({ ref: REF, desired: section('custom_domain', values, { fromFile }), live });
const steps = (requests: ApiRequest[]) => requests.map((r) => `${r.method} ${r.path.replace(base, '')}${r.check ? ' (checked)' : ''}`);

/** The answer of a custom-hostname endpoint at a status (UpdateCustomHostnameResponse, as the emulator gives it). */
const answer = (status: string) => ({
  status,
  custom_hostname: HOST,
  data: {
    success: true,
    errors: [],
    messages: [],
    result: {
      custom_origin_server: `${REF}.supabase.co`,
      hostname: HOST,
      id: 'x',
      ownership_verification: status === '2_initiated' ? { type: 'txt', name: `_cf-custom-hostname.${HOST}`, value: 'own-1' } : { type: '', name: '', value: '' },
      ssl: { status: 'pending_validation', validation_records: status === '2_initiated' ? [{ txt_name: `_acme-challenge.${HOST}`, txt_value: 'ssl-1' }] : [] },
      status: status === '2_initiated' ? 'pending' : 'active',
    },
  },
});

describe('custom_domain provider', () => {
  it('reads the hostname with the DNS records it asks for, and the active vanity subdomain', async () => {
    const read = (hostnameAnswer: unknown, vanity: unknown) =>
      customDomainProvider.read({ get: async (path: string) => (path.endsWith('custom-hostname') ? hostnameAnswer : vanity) } as unknown as ApiClient, REF);
    expect(await read(answer('2_initiated'), { status: 'not-used' })).toEqual({ hostname: { name: HOST, status: '2_initiated', records: RECORDS }, vanity: null });
    expect(await read({ status: '1_not_started', custom_hostname: '' }, { status: 'active', custom_domain: 'acme.supabase.co' })).toEqual({ hostname: null, vanity: 'acme' });
    expect((await read(answer('5_services_reconfigured'), { status: 'custom-domain-used', custom_domain: HOST })).vanity).toBeNull();
  });

  it('a new hostname: initialize, then the steps that wait for DNS; the plan says the records come after initialize', () => {
    const d = diff({ custom_hostname: HOST });
    expect(d.changes).toEqual([{ path: 'custom_hostname', item: HOST, action: 'create', after: HOST, sensitive: false }]);
    expect(steps(d.requests)).toEqual(['POST /custom-hostname/initialize', 'POST /custom-hostname/reverify (checked)', 'GET /custom-hostname (checked)', 'POST /custom-hostname/activate']);
    expect(d.requests[0]).toMatchObject({ body: { custom_hostname: HOST }, idempotent: false });
    expect(d.notes).toEqual([`custom hostname ${HOST}: once initialized, the API asks for DNS records; apply prints them, and so does every plan until they are in place`]);
  });

  it('a hostname waiting for DNS: the plan shows the records; reverify waits (no failure) until they are verified', () => {
    const d = diff({ custom_hostname: HOST }, hostname('2_initiated'));
    expect(d.changes).toEqual([{ path: 'custom_hostname.status', action: 'update', before: '2_initiated', after: '5_services_reconfigured', sensitive: false }]);
    expect(d.notes![0]).toBe(
      `custom hostname ${HOST} waits for its DNS records: CNAME ${HOST} → ${REF}.supabase.co; TXT _cf-custom-hostname.${HOST} "own-1"; TXT _acme-challenge.${HOST} "ssl-1"; ` +
        "once they are in place, a later apply (or the daemon's next sweep) verifies and activates it",
    );
    const [reverify, get] = d.requests as [ApiRequest, ApiRequest];
    expect(reverify.check!(answer('2_initiated'))).toEqual({ wait: d.notes![0] });
    expect(reverify.check!(answer('3_challenge_verified'))).toBeUndefined();
    expect(reverify.check!({ status: '1_not_started' })).toEqual({ fail: `custom hostname ${HOST} is not set up (the API answered status 1_not_started)` });
    expect(get.check!(answer('3_challenge_verified'))).toEqual({ wait: expect.stringMatching(/has its DNS records verified; its certificate and origin are being set up/) });
    expect(get.check!(answer('4_origin_setup_completed'))).toBeUndefined();
  });

  it('later statuses: fewer steps; active: no change', () => {
    expect(steps(diff({ custom_hostname: HOST }, hostname('3_challenge_verified')).requests)).toEqual(['GET /custom-hostname (checked)', 'POST /custom-hostname/activate']);
    expect(steps(diff({ custom_hostname: HOST }, hostname('4_origin_setup_completed')).requests)).toEqual(['POST /custom-hostname/activate']);
    expect(diff({ custom_hostname: HOST }, hostname('5_services_reconfigured'))).toEqual({ changes: [], notes: [], requests: [] });
    expect(diff({}, hostname('2_initiated'))).toEqual({ changes: [], notes: [], requests: [] });
  });

  it('another name: a pending setup is restarted with it; an active hostname is removed first (risky)', () => {
    const pending = diff({ custom_hostname: 'www.example.com' }, hostname('2_initiated'));
    expect(pending.changes).toEqual([{ path: 'custom_hostname', action: 'update', before: HOST, after: 'www.example.com', sensitive: false }]);
    expect(steps(pending.requests)[0]).toBe('POST /custom-hostname/initialize');
    const active = diff({ custom_hostname: 'www.example.com' }, hostname('5_services_reconfigured'));
    expect(active.changes.map((c) => [c.action, c.item])).toEqual([['delete', HOST], ['create', 'www.example.com']]);
    expect(steps(active.requests).slice(0, 2)).toEqual(['DELETE /custom-hostname', 'POST /custom-hostname/initialize']);
    expect(diff({ custom_hostname: null }, hostname('2_initiated')).changes).toEqual([{ path: 'custom_hostname', item: HOST, action: 'delete', before: HOST, sensitive: false }]);
  });

  it('a vanity subdomain: checked for availability (unavailable fails), then activated; replaced or removed (risky)', () => {
    const d = diff({ vanity_subdomain: 'acme' });
    expect(d.changes).toEqual([{ path: 'vanity_subdomain', item: 'acme', action: 'create', after: 'acme', sensitive: false }]);
    expect(steps(d.requests)).toEqual(['POST /vanity-subdomain/check-availability (checked)', 'POST /vanity-subdomain/activate']);
    expect(d.requests[0]!.check!({ available: false })).toEqual({ fail: 'vanity subdomain acme is not available (another project uses it, or it is reserved)' });
    expect(d.requests[0]!.check!({ available: true })).toBeUndefined();
    expect(diff({ vanity_subdomain: 'acme' }, { hostname: null, vanity: 'acme' }).changes).toEqual([]);
    const replaced = diff({ vanity_subdomain: 'acme-2' }, { hostname: null, vanity: 'acme' });
    expect(replaced.changes.map((c) => [c.path, c.action, c.item])).toEqual([['vanity_subdomain', 'delete', 'acme'], ['vanity_subdomain', 'create', 'acme-2']]);
    expect(steps(replaced.requests)[0]).toBe('DELETE /vanity-subdomain');
  });

  it('switches between the two only when the YAML removes the other; otherwise a located error', () => {
    expect(() => diff({ vanity_subdomain: 'acme' }, hostname('5_services_reconfigured'))).toThrow(ConfigError);
    expect(() => diff({ custom_hostname: HOST }, { hostname: null, vanity: 'acme' })).toThrow(/vanity subdomain acme is active on this project, which uses one or the other: set vanity_subdomain: null to remove it/);
    const switched = diff({ custom_hostname: HOST, vanity_subdomain: null }, { hostname: null, vanity: 'acme' });
    expect(steps(switched.requests).slice(0, 2)).toEqual(['DELETE /vanity-subdomain', 'POST /custom-hostname/initialize']);
  });

  it('checks names before anything is read', () => {
    const check = (values: Record<string, unknown>) => customDomainProvider.check!(section('custom_domain', values)).map((f) => `${f.path.join('.')}: ${messageOf(f)}`);
    expect(check({ custom_hostname: 'API.example.com' })).toEqual(['custom_hostname: must be a hostname in lower case with at least two labels, e.g. api.example.com']);
    expect(check({ custom_hostname: 'localhost' })).toHaveLength(1);
    expect(check({ custom_hostname: 'my-app.supabase.co' })).toEqual(['custom_hostname: is a Supabase domain: use vanity_subdomain for a subdomain of supabase.co']);
    expect(check({ vanity_subdomain: 'acme.prod' })).toHaveLength(1);
    expect(check({ custom_hostname: HOST, vanity_subdomain: 'acme' })).toEqual(['vanity_subdomain: a project uses a custom hostname or a vanity subdomain, not both']);
    expect(check({ custom_hostname: HOST, vanity_subdomain: null })).toEqual([]);
  });

  it('exports the live one; a hostname from a file is sensitive in the plan', () => {
    expect(customDomainProvider.export!(hostname('5_services_reconfigured'), { ref: REF, all: true, allowedKeys: new Set() })).toEqual({ values: { custom_hostname: HOST }, variables: [] });
    expect(customDomainProvider.export!({ hostname: null, vanity: 'acme' }, { ref: REF, all: false, allowedKeys: new Set() })!.values).toEqual({ vanity_subdomain: 'acme' });
    expect(customDomainProvider.export!(NONE, { ref: REF, all: true, allowedKeys: new Set() })).toBeUndefined();
    expect(diff({ custom_hostname: HOST }, NONE, ['custom_hostname']).changes[0]).toMatchObject({ sensitive: true });
  });

  riskCases(customDomainProvider, [
    {
      rule: 'custom_domain.custom_hostname.removed',
      risky: { path: 'custom_hostname', item: HOST, action: 'delete', before: HOST, sensitive: false },
      safe: { path: 'custom_hostname', action: 'update', before: HOST, after: 'www.example.com', sensitive: false },
    },
    {
      rule: 'custom_domain.vanity_subdomain.removed',
      risky: { path: 'vanity_subdomain', item: 'acme', action: 'delete', before: 'acme', sensitive: false },
      safe: { path: 'vanity_subdomain', item: 'acme', action: 'create', after: 'acme', sensitive: false },
    },
  ]);
});
