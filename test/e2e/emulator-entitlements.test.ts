/** Plan entitlements: on the free plan SAML is not enabled and network restrictions are disallowed. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REF, startTestEmulator, type TestEmulator } from '../helpers/emulator.js';

const FREE = 'freeplanprojectaaaaa';
const SAML_OFF = { message: 'SAML 2.0 support is not enabled for this project' };
const XML =
  '<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://idp.free.test"><md:IDPSSODescriptor/></md:EntityDescriptor>';

describe('emulator: plan entitlements', () => {
  let emu: TestEmulator;
  beforeAll(async () => {
    emu = await startTestEmulator({ seed: { projects: [{ ref: FREE, plan: 'free' }, { ref: REF, plan: 'pro' }] } });
  });
  afterAll(() => emu.close());

  it('free plan: every SSO operation answers 404 with the real API message', async () => {
    const list = `/v1/projects/${FREE}/config/auth/sso/providers`;
    const item = `${list}/77777777-7777-4777-8777-777777777777`;
    for (const [method, path, body] of [
      ['GET', list, undefined],
      ['POST', list, { type: 'saml', metadata_xml: XML }],
      ['GET', item, undefined],
      ['PUT', item, { domains: ['free.test'] }],
      ['DELETE', item, undefined],
    ] as const) {
      const res = await emu.call(method, path, body);
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.body).toEqual(SAML_OFF);
    }
  });

  it('pro plan: SSO is enabled', async () => {
    expect((await emu.call('GET', `/v1/projects/${REF}/config/auth/sso/providers`)).status).toBe(200);
  });

  it('free plan: network restrictions read disallowed and writes are refused with 403, changing nothing', async () => {
    const path = `/v1/projects/${FREE}/network-restrictions`;
    const read = await emu.call('GET', path);
    expect(read.status).toBe(200);
    expect(read.body).toEqual({
      entitlement: 'disallowed',
      config: { dbAllowedCidrs: ['0.0.0.0/0'], dbAllowedCidrsV6: ['::/0'] },
      status: 'applied',
    });
    const apply = await emu.call<{ message: string }>('POST', `${path}/apply`, { dbAllowedCidrs: ['10.0.0.0/8'], dbAllowedCidrsV6: [] });
    expect(apply.status).toBe(403);
    expect(apply.body.message).toMatch(/free plan/);
    const patch = await emu.call('PATCH', path, { add: { dbAllowedCidrs: ['10.0.0.0/8'] } });
    expect(patch.status).toBe(403);
    expect((await emu.call('GET', path)).body).toEqual(read.body);
  });

  it('pro plan: network restrictions are allowed', async () => {
    const res = await emu.call<{ entitlement: string }>('GET', `/v1/projects/${REF}/network-restrictions`);
    expect(res.body.entitlement).toBe('allowed');
  });

  it('a seed cannot give a free project SSO providers', async () => {
    const res = await emu.control<{ message: string }>('POST', '/_emulator/reset', {
      projects: [{ ref: FREE, plan: 'free', sso_providers: [{ metadata_xml: XML }] }],
    });
    expect(res.status).toBe(400);
    expect(res.body.message).toContain('sso_providers');
  });
});
