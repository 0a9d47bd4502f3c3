/**
 * Custom hostname (a state machine whose DNS outcome the control surface drives) and vanity
 * subdomain, over HTTP.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { REF, STAGING_REF, startTestEmulator, type TestEmulator } from '../helpers/emulator.js';

const P = `/v1/projects/${REF}`;
const FREE_REF = 'freeplanprojectaaaaa';

interface Hostname {
  status: string;
  custom_hostname: string;
  data: {
    success: boolean;
    result: {
      hostname: string;
      custom_origin_server: string;
      status: string;
      ssl: { status: string; validation_records: { txt_name: string; txt_value: string }[] };
      ownership_verification: { type: string; name: string; value: string };
    };
  };
}

let emu: TestEmulator;
beforeAll(async () => {
  emu = await startTestEmulator();
});
afterAll(() => emu.close());
beforeEach(async () => {
  await emu.control('POST', '/_emulator/reset', {
    projects: [{ ref: REF, plan: 'pro' }, { ref: STAGING_REF, plan: 'pro' }, { ref: FREE_REF, plan: 'free' }],
  });
});

const hostname = async () => (await emu.call<Hostname>('GET', `${P}/custom-hostname`)).body;
const setDns = (verified: boolean, ref = REF) => emu.control('POST', `/_emulator/projects/${ref}/custom-hostname/dns`, { verified });

describe('custom hostname', () => {
  it('none configured: GET answers 1_not_started; reverify and activate answer 400', async () => {
    expect((await hostname()).status).toBe('1_not_started');
    for (const step of ['reverify', 'activate']) {
      const res = await emu.call<{ message: string }>('POST', `${P}/custom-hostname/${step}`);
      expect([res.status, res.body.message]).toEqual([400, 'No custom hostname is configured for this project']);
    }
  });

  it('walks initialize → (DNS) reverify → origin set up → activate, answering the records DNS must hold', async () => {
    const init = await emu.call<Hostname>('POST', `${P}/custom-hostname/initialize`, { custom_hostname: 'API.Example.com' });
    expect(init.status).toBe(201);
    expect(init.body).toMatchObject({ status: '2_initiated', custom_hostname: 'api.example.com' });
    const { result } = init.body.data;
    expect(result.custom_origin_server).toBe(`${REF}.supabase.co`);
    expect(result.ownership_verification).toMatchObject({ type: 'txt', name: '_cf-custom-hostname.api.example.com' });
    // Exactly one SSL validation record: the official CLI refuses an initiated answer with any other number.
    expect(result.ssl.validation_records).toHaveLength(1);
    expect(result.ssl.validation_records[0]!.txt_name).toBe('_acme-challenge.api.example.com');

    // DNS not there yet: reverify answers the same state.
    const early = await emu.call<Hostname>('POST', `${P}/custom-hostname/reverify`);
    expect([early.status, early.body.status]).toEqual([201, '2_initiated']);
    const notReady = await emu.call<{ message: string }>('POST', `${P}/custom-hostname/activate`);
    expect(notReady.status).toBe(400);
    expect(notReady.body.message).toMatch(/not ready for activation \(status 2_initiated\)/);

    expect((await setDns(true)).status).toBe(200);
    const verified = await emu.call<Hostname>('POST', `${P}/custom-hostname/reverify`);
    expect(verified.body.status).toBe('3_challenge_verified');
    expect(verified.body.data.result.ssl.status).toBe('pending_deployment');
    expect(verified.body.data.result.ssl.validation_records).toHaveLength(1);
    // Origin setup completes from the next read on (customHostnameOriginSetupMs 0).
    expect((await hostname()).status).toBe('4_origin_setup_completed');

    const active = await emu.call<Hostname>('POST', `${P}/custom-hostname/activate`);
    expect([active.status, active.body.status]).toEqual([201, '5_services_reconfigured']);
    expect(active.body.data.result).toMatchObject({ status: 'active', ssl: { status: 'active', validation_records: [] } });
    expect((await emu.call('GET', `${P}/vanity-subdomain`)).body).toEqual({ status: 'custom-domain-used', custom_domain: 'api.example.com' });

    // Active: initialize of another name is refused until the hostname is deleted.
    expect((await emu.call('POST', `${P}/custom-hostname/initialize`, { custom_hostname: 'other.example.com' })).status).toBe(400);
    const deleted = await emu.call('DELETE', `${P}/custom-hostname?remove_addon=true`);
    expect([deleted.status, deleted.text]).toEqual([200, '']);
    expect((await hostname()).status).toBe('1_not_started');
  });

  it('origin setup takes customHostnameOriginSetupMs after verification', async () => {
    const slow = await startTestEmulator({ customHostnameOriginSetupMs: 60_000 });
    try {
      await slow.call('POST', `${P}/custom-hostname/initialize`, { custom_hostname: 'api.example.com' });
      await slow.control('POST', `/_emulator/projects/${REF}/custom-hostname/dns`, { verified: true });
      await slow.call('POST', `${P}/custom-hostname/reverify`);
      expect((await slow.call<Hostname>('GET', `${P}/custom-hostname`)).body.status).toBe('3_challenge_verified');
      expect((await slow.call('POST', `${P}/custom-hostname/activate`)).status).toBe(400);
    } finally {
      await slow.close();
    }
  });

  it('initialize again restarts with the new name (DNS unverified again)', async () => {
    await emu.call('POST', `${P}/custom-hostname/initialize`, { custom_hostname: 'a.example.com' });
    await setDns(true);
    const again = await emu.call<Hostname>('POST', `${P}/custom-hostname/initialize`, { custom_hostname: 'b.example.com' });
    expect(again.body).toMatchObject({ status: '2_initiated', custom_hostname: 'b.example.com' });
    expect((await emu.call<Hostname>('POST', `${P}/custom-hostname/reverify`)).body.status).toBe('2_initiated');
  });

  it.each([
    ['not a hostname', 'not a host'],
    ['a single label', 'localhost'],
    ['a Supabase domain', `${REF}.supabase.co`],
  ])('refuses %s (400)', async (_label, name) => {
    const res = await emu.call<{ message: string }>('POST', `${P}/custom-hostname/initialize`, { custom_hostname: name });
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/^custom_hostname: /);
    expect((await hostname()).status).toBe('1_not_started');
  });

  it('free plan: 403 on initialize; the control surface needs a configured hostname', async () => {
    const res = await emu.call<{ message: string }>('POST', `/v1/projects/${FREE_REF}/custom-hostname/initialize`, { custom_hostname: 'a.example.com' });
    expect([res.status, res.body.message]).toEqual([403, 'Custom domains are not available on the free plan']);
    expect((await setDns(true)).status).toBe(404);
    expect((await emu.control('POST', `/_emulator/projects/${REF}/custom-hostname/dns`, { verified: 'yes' })).status).toBe(400);
  });

  it('the seed can start a hostname in any state', async () => {
    await emu.control('POST', '/_emulator/reset', {
      projects: [{ ref: REF, custom_hostname: { hostname: 'seeded.example.com', status: '4_origin_setup_completed' } }],
    });
    expect((await hostname()).status).toBe('4_origin_setup_completed');
    expect((await emu.call<Hostname>('POST', `${P}/custom-hostname/activate`)).body.status).toBe('5_services_reconfigured');
  });
});

describe('vanity subdomain', () => {
  it('check-availability → activate → GET → DELETE', async () => {
    expect((await emu.call('GET', `${P}/vanity-subdomain`)).body).toEqual({ status: 'not-used' });
    const check = await emu.call('POST', `${P}/vanity-subdomain/check-availability`, { vanity_subdomain: 'my-app' });
    expect([check.status, check.body]).toEqual([201, { available: true }]);
    const active = await emu.call('POST', `${P}/vanity-subdomain/activate`, { vanity_subdomain: 'my-app' });
    expect([active.status, active.body]).toEqual([201, { custom_domain: 'my-app.supabase.co' }]);
    expect((await emu.call('GET', `${P}/vanity-subdomain`)).body).toEqual({ status: 'active', custom_domain: 'my-app.supabase.co' });
    // Its own subdomain stays available to the project; another project cannot have it.
    expect((await emu.call('POST', `${P}/vanity-subdomain/check-availability`, { vanity_subdomain: 'my-app' })).body).toEqual({ available: true });
    const S = `/v1/projects/${STAGING_REF}`;
    expect((await emu.call('POST', `${S}/vanity-subdomain/check-availability`, { vanity_subdomain: 'my-app' })).body).toEqual({ available: false });
    expect((await emu.call('POST', `${S}/vanity-subdomain/activate`, { vanity_subdomain: 'my-app' })).status).toBe(400);
    // A custom hostname cannot be set up while the vanity subdomain is active.
    expect((await emu.call('POST', `${P}/custom-hostname/initialize`, { custom_hostname: 'api.example.com' })).status).toBe(400);
    const deleted = await emu.call('DELETE', `${P}/vanity-subdomain`);
    expect([deleted.status, deleted.text, deleted.headers.get('content-type')]).toEqual([200, '', null]);
    expect((await emu.call('GET', `${P}/vanity-subdomain`)).body).toEqual({ status: 'not-used' });
  });

  it('project refs and reserved names are unavailable; malformed names are refused; free plan 403', async () => {
    for (const name of [STAGING_REF, 'www', 'api']) {
      expect((await emu.call('POST', `${P}/vanity-subdomain/check-availability`, { vanity_subdomain: name })).body, name).toEqual({ available: false });
    }
    for (const name of ['-bad', 'UPPER', 'a', 'has.dot']) {
      expect((await emu.call('POST', `${P}/vanity-subdomain/check-availability`, { vanity_subdomain: name })).status, name).toBe(400);
    }
    expect((await emu.call('POST', `/v1/projects/${FREE_REF}/vanity-subdomain/activate`, { vanity_subdomain: 'free-app' })).status).toBe(403);
  });
});
