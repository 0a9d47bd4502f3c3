/**
 * Issue 5, end to end against the emulator: network restrictions as sets with both lists sent,
 * SSO providers matched without a client-side key, and guardrails that refuse risky changes.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { REF, STAGING_REF, TOKEN, clearRequestLog, loggedRequests, loggedWrites, startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import { workspace, type Workspace } from '../helpers/workspace.js';

interface LiveProvider {
  id: string;
  saml: { metadata_url?: string; attribute_mapping?: unknown };
  domains: { domain: string }[];
}

let emu: TestEmulator;
let ws: Workspace;

const cli = (args: string[]) => runCli(args, { env: { SUPABASE_API_URL: emu.url, SUPABASE_ACCESS_TOKEN: TOKEN } });
const writes = () => loggedWrites(emu);
const clearLog = () => clearRequestLog(emu);
const reset = (projects: unknown[]) => emu.control('POST', '/_emulator/reset', { projects });
const liveProviders = async (ref = REF) =>
  (await emu.call<{ items: LiveProvider[] }>('GET', `/v1/projects/${ref}/config/auth/sso/providers`)).body.items;

beforeAll(async () => {
  emu = await startTestEmulator();
});
afterAll(async () => {
  await emu.close();
});
beforeEach(() => {
  ws?.remove();
  ws = workspace();
});

describe('network restrictions', () => {
  beforeEach(async () => {
    await reset([{ ref: REF, network_restrictions: { dbAllowedCidrs: ['10.0.0.0/8', '192.0.2.0/24'], dbAllowedCidrsV6: ['2001:db8::/32'] } }]);
  });

  it('reordered CIDRs are no change', async () => {
    ws.write({ 'net.yaml': `project: ${REF}\nnetwork_restrictions:\n  dbAllowedCidrs: [192.0.2.0/24, 10.0.0.0/8]\n` });
    const plan = await cli(['plan', '-c', ws.dir, '--detailed-exitcode']);
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain('No changes.');
  });

  it('one added CIDR → one POST /apply carrying both full lists', async () => {
    ws.write({ 'net.yaml': `project: ${REF}\nnetwork_restrictions:\n  dbAllowedCidrs: [10.0.0.0/8, 192.0.2.0/24, 198.51.100.7/32]\n` });
    await clearLog();
    const apply = await cli(['apply', '-c', ws.dir, '--yes']);
    expect(apply.code, apply.stderr).toBe(0);
    expect(await writes()).toEqual([
      expect.objectContaining({
        method: 'POST',
        path: `/v1/projects/${REF}/network-restrictions/apply`,
        status: 201,
        body: { dbAllowedCidrs: ['10.0.0.0/8', '192.0.2.0/24', '198.51.100.7/32'], dbAllowedCidrsV6: ['2001:db8::/32'] },
      }),
    ]);
  });

  it('emptying a list is refused (exit 4, nothing written) unless allowed', async () => {
    const emptied = `project: ${REF}\nnetwork_restrictions:\n  dbAllowedCidrsV6: []\n`;
    ws.write({ 'net.yaml': emptied });
    await clearLog();
    const refused = await cli(['apply', '-c', ws.dir, '--yes']);
    expect(refused.code).toBe(4);
    expect(refused.stdout).toMatch(/RISKY \(network_restrictions\.emptied\)/);
    expect(await writes()).toEqual([]);

    const withFlag = await cli(['apply', '-c', ws.dir, '--yes', '--allow-risky']);
    expect(withFlag.code, withFlag.stdout).toBe(0);
    expect((await writes()).map((r) => r.body)).toEqual([{ dbAllowedCidrs: ['10.0.0.0/8', '192.0.2.0/24'], dbAllowedCidrsV6: [] }]);
  });

  it('an allow_risky entry in the YAML lets exactly that key through', async () => {
    ws.write({ 'net.yaml': `project: ${REF}\nallow_risky: [network_restrictions.dbAllowedCidrs]\nnetwork_restrictions:\n  dbAllowedCidrs: [0.0.0.0/0]\n` });
    const apply = await cli(['apply', '-c', ws.dir, '--yes']);
    expect(apply.code, apply.stdout).toBe(0);
    expect(apply.stdout).toMatch(/risky \(network_restrictions\.opened\), allowed/);
  });

  it('rejects bad CIDRs before any request, and warns on private and non-canonical ones', async () => {
    ws.write({ 'net.yaml': `project: ${REF}\nnetwork_restrictions:\n  dbAllowedCidrs:\n    - 10.0.0.0/8\n    - 2001:db8::/32\n` });
    await clearLog();
    const bad = await cli(['plan', '-c', ws.dir]);
    expect(bad.code).toBe(3);
    expect(bad.stderr).toMatch(/net\.yaml:5:7: .*IPv6 range; put it in dbAllowedCidrsV6/);
    expect(await loggedRequests(emu)).toEqual([]);

    ws.write({ 'net.yaml': `project: ${REF}\nnetwork_restrictions:\n  dbAllowedCidrs: [10.1.2.3/8, 192.0.2.0/24]\n` });
    const warned = await cli(['plan', '-c', ws.dir]);
    expect(warned.code).toBe(0);
    expect(warned.stdout + warned.stderr).toMatch(/not in canonical form; it means 10\.0\.0\.0\/8/);
    expect(warned.stdout + warned.stderr).toMatch(/private range/);
  });

  it('a project without the entitlement gets a clear error while others are reconciled', async () => {
    await reset([
      { ref: REF, plan: 'free' },
      { ref: STAGING_REF, plan: 'pro' },
    ]);
    ws.write({
      'a.yaml': `project: ${REF}\nnetwork_restrictions:\n  dbAllowedCidrs: [192.0.2.0/24]\n`,
      'b.yaml': `project: ${STAGING_REF}\nnetwork_restrictions:\n  dbAllowedCidrs: [192.0.2.0/24]\n`,
    });
    const apply = await cli(['apply', '-c', ws.dir, '--yes']);
    expect(apply.code).toBe(1);
    expect(apply.stdout).toMatch(/network restrictions are not available for project abcdefghijklmnopqrst.*entitlement: disallowed/);
    expect((await writes()).map((r) => r.path)).toEqual([`/v1/projects/${STAGING_REF}/network-restrictions/apply`]);
  });

  it('an answer without dbAllowedCidrsV6 (spec-valid) never sends an empty v6 list: the write is refused, nothing sent (issue 17, item 14)', async () => {
    const noV6 = { method: 'GET', path: '/network-restrictions$', status: 200, body: { entitlement: 'allowed', config: { dbAllowedCidrs: ['10.0.0.0/8'] }, status: 'applied' } };
    await emu.control('POST', '/_emulator/faults', noV6);
    ws.write({ 'net.yaml': `project: ${REF}\nnetwork_restrictions:\n  dbAllowedCidrs: [10.0.0.0/8, 198.51.100.7/32]\n` });
    const plan = await cli(['plan', '-c', ws.dir]);
    expect(plan.code).toBe(1);
    expect(plan.stdout).toMatch(/not written: the API's answer has no dbAllowedCidrsV6 and the configuration does not list it; the apply call replaces both lists, so it would be sent empty and deny every IPv6 client/);
    await clearLog();
    const apply = await cli(['apply', '-c', ws.dir, '--yes']);
    expect(apply.code, apply.stdout).toBe(1);
    expect(apply.stdout).toMatch(/has no dbAllowedCidrsV6/);
    expect(await writes()).toEqual([]);
    // The live v6 list is untouched.
    await emu.control('DELETE', '/_emulator/faults');
    const live = await emu.call<{ config: { dbAllowedCidrsV6: string[] } }>('GET', `/v1/projects/${REF}/network-restrictions`);
    expect(live.body.config.dbAllowedCidrsV6).toEqual(['2001:db8::/32']);

    // With both lists in the YAML nothing needs reading back: the write goes ahead.
    await emu.control('POST', '/_emulator/faults', { ...noV6, times: 1 });
    ws.write({ 'net.yaml': `project: ${REF}\nnetwork_restrictions:\n  dbAllowedCidrs: [10.0.0.0/8, 198.51.100.7/32]\n  dbAllowedCidrsV6: [2001:db8::/32]\n` });
    const both = await cli(['apply', '-c', ws.dir, '--yes']);
    expect(both.code, both.stdout).toBe(0);
    expect((await writes()).map((r) => r.body)).toEqual([{ dbAllowedCidrs: ['10.0.0.0/8', '198.51.100.7/32'], dbAllowedCidrsV6: ['2001:db8::/32'] }]);
  });
});

const ssoYaml = (providers: string, extra = '') => `project: ${REF}\n${extra}sso:\n${providers}`;
const acme = `  providers:
    - metadata_url: https://idp.acme.com/metadata
      domains: [acme.com]
      attribute_mapping:
        keys:
          email: { name: mail }
`;

describe('SSO providers', () => {
  beforeEach(async () => {
    await reset([{ ref: REF, plan: 'pro' }, { ref: STAGING_REF, plan: 'free' }]);
  });

  it('creates a provider, then converges', async () => {
    ws.write({ 'sso.yaml': ssoYaml(acme) });
    const apply = await cli(['apply', '-c', ws.dir, '--yes']);
    expect(apply.code, apply.stdout).toBe(0);
    expect((await writes()).map((r) => `${r.method} ${r.status}`)).toEqual(['POST 201']);
    const [created] = await liveProviders();
    expect(created?.domains.map((d) => d.domain)).toEqual(['acme.com']);
    const plan = await cli(['plan', '-c', ws.dir, '--detailed-exitcode']);
    expect(plan.code, plan.stdout).toBe(0);
  });

  it('updates domains and mapping with one PUT holding only those fields — never delete and create', async () => {
    ws.write({ 'sso.yaml': ssoYaml(acme) });
    await cli(['apply', '-c', ws.dir, '--yes']);
    const [before] = await liveProviders();
    ws.write({
      'sso.yaml': ssoYaml(acme.replace('[acme.com]', '[acme.com, acme.io]').replace('{ name: mail }', '{ name: emailaddress }')),
    });
    await clearLog();
    const apply = await cli(['apply', '-c', ws.dir, '--yes']);
    expect(apply.code, apply.stdout).toBe(0);
    const sent = await writes();
    expect(sent).toEqual([
      expect.objectContaining({
        method: 'PUT',
        path: `/v1/projects/${REF}/config/auth/sso/providers/${before!.id}`,
        body: { domains: ['acme.com', 'acme.io'], attribute_mapping: { keys: { email: { name: 'emailaddress' } } } },
      }),
    ]);
    const [after] = await liveProviders();
    expect(after?.id).toBe(before?.id);
  });

  it('updates metadata with one PUT', async () => {
    const xml = (sso: string) =>
      `<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://idp.beta.com/entity"><md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"><md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="${sso}"/></md:IDPSSODescriptor></md:EntityDescriptor>`;
    const config = (sso: string) => ssoYaml(`  providers:\n    - domains: [beta.com]\n      metadata_xml: '${xml(sso)}'\n`);
    ws.write({ 'sso.yaml': config('https://idp.beta.com/sso') });
    expect((await cli(['apply', '-c', ws.dir, '--yes'])).code).toBe(0);
    ws.write({ 'sso.yaml': config('https://idp.beta.com/sso/v2') });
    await clearLog();
    const apply = await cli(['apply', '-c', ws.dir, '--yes']);
    expect(apply.code, apply.stdout).toBe(0);
    expect(apply.stdout).toMatch(/metadata for https:\/\/idp\.beta\.com\/entity \(sha256 [0-9a-f]{12}…\)/);
    const sent = await writes();
    expect(sent.map((r) => r.method)).toEqual(['PUT']);
    expect(Object.keys(sent[0]!.body as object)).toEqual(['metadata_xml']);
  });

  it('a live provider without metadata_url whose entity ID is the desired metadata_url is updated in place, not deleted and recreated (issue 17, item 16)', async () => {
    const url = 'https://idp.gamma.com/saml/metadata';
    const xml = `<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="${url}"><md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"/></md:EntityDescriptor>`;
    await reset([{ ref: REF, sso_providers: [{ metadata_xml: xml, domains: ['gamma.com'] }] }]);
    const [before] = await liveProviders();
    expect(before?.saml.metadata_url).toBeUndefined();
    ws.write({ 'sso.yaml': ssoYaml(`  providers:\n    - metadata_url: ${url}\n`, '') + '  prune: true\n' });
    const plan = await cli(['plan', '-c', ws.dir, '--format', 'json']);
    expect(plan.code, plan.stderr).toBe(0);
    const changes = JSON.parse(plan.stdout).projects[0].sections[0].changes as { action: string; path: string }[];
    expect(changes.map((c) => [c.action, c.path])).toEqual([['update', `providers[${url}].metadata_url`]]);
    await clearLog();
    const apply = await cli(['apply', '-c', ws.dir, '--yes']);
    expect(apply.code, apply.stdout).toBe(0);
    expect((await writes()).map((r) => [r.method, r.path, r.body])).toEqual([['PUT', `/v1/projects/${REF}/config/auth/sso/providers/${before!.id}`, { metadata_url: url }]]);
    const [after] = await liveProviders();
    expect(after?.id).toBe(before?.id);
    expect(after?.domains.map((d) => d.domain)).toEqual(['gamma.com']);
    expect((await cli(['plan', '-c', ws.dir, '--detailed-exitcode'])).code).toBe(0);
  });

  it('reports an extra live provider and leaves it; deletes it only with prune and opt-in', async () => {
    await reset([{ ref: REF, sso_providers: [{ metadata_url: 'https://idp.old.com/metadata', domains: ['old.com'] }] }]);
    ws.write({ 'sso.yaml': ssoYaml(acme) });
    const kept = await cli(['apply', '-c', ws.dir, '--yes']);
    expect(kept.code).toBe(0);
    expect(kept.stdout).toMatch(/live provider [0-9a-f-]+ \(old\.com\) is not in the configuration; left untouched/);
    expect((await liveProviders()).length).toBe(2);

    ws.write({ 'sso.yaml': ssoYaml(acme.replace('  providers:', '  prune: true\n  providers:')) });
    await clearLog();
    const refused = await cli(['apply', '-c', ws.dir, '--yes']);
    expect(refused.code).toBe(4);
    expect(refused.stdout).toMatch(/RISKY \(sso\.provider\.deleted\)/);
    expect(await writes()).toEqual([]);

    ws.write({ 'sso.yaml': ssoYaml(acme.replace('  providers:', '  prune: true\n  providers:'), 'allow_risky: [sso.providers]\n') });
    const pruned = await cli(['apply', '-c', ws.dir, '--yes']);
    expect(pruned.code, pruned.stdout).toBe(0);
    expect((await writes()).map((r) => r.method)).toEqual(['DELETE']);
    expect((await liveProviders()).map((p) => p.domains.map((d) => d.domain))).toEqual([['acme.com']]);
  });

  it('an ambiguous match is exit 3 naming both live providers', async () => {
    await reset([
      {
        ref: REF,
        sso_providers: [
          { metadata_url: 'https://idp.one.com/metadata', domains: ['one.com'] },
          { metadata_url: 'https://idp.two.com/metadata', domains: ['two.com'] },
        ],
      },
    ]);
    ws.write({ 'sso.yaml': ssoYaml('  providers:\n    - metadata_url: https://idp.one.com/metadata\n      domains: [one.com, two.com]\n') });
    const plan = await cli(['plan', '-c', ws.dir]);
    expect(plan.code).toBe(3);
    expect(plan.stdout).toMatch(/sso\.yaml:4:\d+: sso\.providers\[0\]: matches more than one live provider: live provider \S+ \(one\.com\) and live provider \S+ \(two\.com\)/);
  });

  it('a project without SAML gets a clear error; the others are still reconciled', async () => {
    ws.write({
      'sso.yaml': ssoYaml(acme),
      'staging.yaml': `project: ${STAGING_REF}\nsso:\n  providers:\n    - metadata_url: https://idp.s.com/metadata\n      domains: [s.com]\n`,
    });
    const apply = await cli(['apply', '-c', ws.dir, '--yes']);
    expect(apply.code).toBe(1);
    expect(apply.stdout).toMatch(/SAML SSO is not available for project zyxwvutsrqponmlkjihg: SAML 2\.0 support is not enabled/);
    expect((await writes()).map((r) => `${r.method} ${r.path}`)).toEqual([`POST /v1/projects/${REF}/config/auth/sso/providers`]);
  });

  it('checks SSO input before any request', async () => {
    ws.write({ 'sso.yaml': ssoYaml('  providers:\n    - metadata_url: http://idp.insecure.com/metadata\n      domains: [x.com]\n') });
    await clearLog();
    const plan = await cli(['plan', '-c', ws.dir]);
    expect(plan.code).toBe(3);
    expect(plan.stderr).toMatch(/sso\.yaml:4:\d+: sso\.providers\[0\]\.metadata_url: metadata_url must be an https:\/\/ URL/);
    expect(await loggedRequests(emu)).toEqual([]);
  });
});

describe('guardrails in every renderer', () => {
  it('text, markdown and JSON plans all mark the risky change; apply refuses it', async () => {
    await reset([{ ref: REF, auth: { password_min_length: 12, jwt_exp: 3600 } }]);
    ws.write({ 'auth.yaml': `project: ${REF}\nauth:\n  password_min_length: 8\n  site_url: https://app.example.com\n` });
    const text = await cli(['plan', '-c', ws.dir]);
    expect(text.stdout).toMatch(/RISKY \(auth\.password_min_length\.lowered\): lowers password_min_length from 12 to 8/);
    const md = await cli(['plan', '-c', ws.dir, '--format', 'markdown']);
    expect(md.stdout).toMatch(/# +⛔ RISKY \(auth\.password_min_length\.lowered\)/);
    expect(md.stdout).toMatch(/> \[!CAUTION\]\n> 1 risky change is not allowed: `apply` refuses its project/);
    const json = JSON.parse((await cli(['plan', '-c', ws.dir, '--format', 'json'])).stdout);
    const change = json.projects[0].sections[0].changes.find((c: { path: string }) => c.path === 'password_min_length');
    expect(change.risk).toEqual({ rule: 'auth.password_min_length.lowered', key: 'auth.password_min_length', reason: 'lowers password_min_length from 12 to 8', allowed: false });
    expect(json.summary.refused).toBe(1);

    await clearLog();
    const apply = await cli(['apply', '-c', ws.dir, '--yes']);
    expect(apply.code).toBe(4);
    // Nothing at all is written to the project, not even its safe change (site_url).
    expect(await writes()).toEqual([]);
  });
});
