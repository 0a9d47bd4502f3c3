/**
 * Contract: for every operation the emulator serves, its success answers validate against the spec's
 * response schema (ajv over the vendored spec; only the documented, recorded deviations of the real
 * API are tolerated) and every status it answers in these scenarios is one the spec lists for the
 * operation.
 */
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNT_ROUTES, PROJECT_ROUTES } from '../../src/emulator/resources/index.js';
import { REF, STAGING_REF, TOKEN, startTestEmulator, type CallResult, type TestEmulator } from '../helpers/emulator.js';
import { REAL_API_DEVIATIONS, listedStatuses, responseErrors, templateFor, withoutKnownDeviations } from './spec-helpers.js';

const FREE_REF = 'freeplanprojectaaaaa';
const UNMIGRATED_REF = 'unmigratedprojectaaa';
const SCOPED_TOKEN = 'sbp_1111111111111111111111111111111111111111';
const P = `/v1/projects/${REF}`;

const METADATA_XML = `<?xml version="1.0"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://idp.contract.test/saml">
  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://idp.contract.test/sso"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>`;

const seed = {
  projects: [
    { ref: REF, name: 'production', plan: 'pro' as const },
    { ref: STAGING_REF, name: 'staging', plan: 'pro' as const },
    { ref: FREE_REF, name: 'free', plan: 'free' as const },
    // Never moved to JWT signing keys: POST /signing-keys/legacy has something to do.
    { ref: UNMIGRATED_REF, name: 'unmigrated', plan: 'pro' as const, signing_keys: [] },
  ],
  organizations: [{ slug: 'emulatororganisation', name: 'Contract organisation' }],
  tokens: [{ token: TOKEN }, { token: SCOPED_TOKEN, projects: [REF] }],
};

/** Which operations were exercised, and with which statuses. */
const seen = new Map<string, Set<number>>();

function check(method: string, pathAndQuery: string, res: CallResult): void {
  const path = pathAndQuery.split('?')[0]!;
  const template = templateFor(method, path);
  expect(template, `${method} ${path} is an operation of the spec`).toBeDefined();
  const key = `${method} ${template}`;
  if (!seen.has(key)) seen.set(key, new Set());
  seen.get(key)!.add(res.status);
  expect(listedStatuses(method, template!), `${key} lists ${res.status}`).toContain(res.status);
  if (res.status < 300) {
    const errors = responseErrors(method, template!, res.status, res.body);
    if (errors === undefined) {
      // The spec gives no content for this status: the emulator answers none (as recorded).
      expect(res.text, `${key} answers no body`).toBe('');
    } else {
      expect(withoutKnownDeviations(errors), `${key} ${res.status} matches the spec's schema`).toEqual([]);
    }
  }
}

describe('emulator contract with the OpenAPI spec', () => {
  let emu: TestEmulator;
  let pending: TestEmulator;
  let limited: TestEmulator;

  beforeAll(async () => {
    emu = await startTestEmulator({ seed });
    // Network-restriction changes stay `stored` for a minute here, so pending answers are checked too.
    pending = await startTestEmulator({ seed, networkRestrictionsApplyMs: 60_000 });
    limited = await startTestEmulator({ seed, rateLimitPerMinute: 1 });
  });
  afterAll(async () => {
    await Promise.all([emu.close(), pending.close(), limited.close()]);
  });

  async function exercise(target: TestEmulator, method: string, path: string, body?: unknown, token?: string | null) {
    const res = await target.call(method, path, body, { token });
    check(method, path, res);
    return res;
  }

  it('success answers of every served operation match the spec', async () => {
    const ok = async (method: string, path: string, body?: unknown) => {
      const res = await exercise(emu, method, path, body);
      expect(res.status, `${method} ${path}: ${res.text}`).toBeLessThan(300);
      return res;
    };
    await ok('GET', '/v1/projects');
    await ok('GET', P);
    await ok('GET', `${P}/billing/addons`);
    await ok('GET', `${P}/config/auth`);
    await ok('PATCH', `${P}/config/auth`, { site_url: 'https://contract.test', jwt_exp: 7200, smtp_pass: 'canary-pass' });
    await ok('GET', `${P}/config/database/postgres`);
    await ok('PUT', `${P}/config/database/postgres`, { max_connections: 120, statement_timeout: '8s', restart_database: false });
    await ok('GET', `${P}/config/database/postgres`);
    await ok('GET', `${P}/config/database/pooler`);
    await ok('PATCH', `${P}/config/database/pooler`, { default_pool_size: 30, pool_mode: 'session' });
    await ok('GET', `${P}/network-restrictions`);
    await ok('PATCH', `${P}/network-restrictions`, { add: { dbAllowedCidrs: ['203.0.113.0/24'] }, remove: { dbAllowedCidrsV6: ['::/0'] } });
    await ok('GET', `${P}/network-restrictions`);
    await ok('POST', `${P}/network-restrictions/apply`, { dbAllowedCidrs: ['10.0.0.0/8'], dbAllowedCidrsV6: ['2001:db8::/32'] });
    await ok('GET', `${P}/network-restrictions`);
    await ok('GET', `/v1/projects/${FREE_REF}/network-restrictions`);
    await ok('GET', `${P}/config/auth/sso/providers`);
    const created = await ok('POST', `${P}/config/auth/sso/providers`, {
      type: 'saml',
      metadata_xml: METADATA_XML,
      domains: ['contract.test'],
      attribute_mapping: { keys: { email: { name: 'mail' } } },
      name_id_format: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
    });
    await ok('POST', `${P}/config/auth/sso/providers`, { type: 'saml', metadata_url: 'https://idp2.contract.test/metadata' });
    const id = (created.body as { id: string }).id;
    await ok('GET', `${P}/config/auth/sso/providers`);
    await ok('GET', `${P}/config/auth/sso/providers/${id}`);
    await ok('PUT', `${P}/config/auth/sso/providers/${id}`, { domains: ['contract.test', 'sub.contract.test'] });
    await ok('DELETE', `${P}/config/auth/sso/providers/${id}`);
    await ok('GET', `${P}/postgrest`);
    await ok('PATCH', `${P}/postgrest`, { max_rows: 500, db_pool: 10 });
    await ok('GET', `${P}/config/storage`);
    await ok('PATCH', `${P}/config/storage`, { fileSizeLimit: 10485760, features: { imageTransformation: { enabled: false } } });
    await ok('GET', `${P}/ssl-enforcement`);
    await ok('PUT', `${P}/ssl-enforcement`, { requestedConfig: { database: true } });
    await ok('GET', `${P}/secrets`);
    await ok('POST', `${P}/secrets`, [{ name: 'CONTRACT_SECRET', value: 'canary-value' }]);
    await ok('GET', `${P}/secrets`);
    await ok('DELETE', `${P}/secrets`, ['CONTRACT_SECRET']);
  });

  it('success answers of the organisations, keys, domains and the other config sections match the spec', async () => {
    const ok = async <T = unknown>(method: string, path: string, body?: unknown) => {
      const res = await exercise(emu, method, path, body);
      expect(res.status, `${method} ${path}: ${res.text}`).toBeLessThan(300);
      return res as CallResult<T>;
    };
    await ok('GET', '/v1/organizations');
    await ok('GET', '/v1/organizations/emulatororganisation');
    const entitlements = await ok<{ entitlements: unknown[] }>('GET', '/v1/organizations/emulatororganisation/entitlements');
    expect(entitlements.body.entitlements.length).toBeGreaterThan(50);

    await ok('GET', `${P}/config/realtime`);
    await ok('PATCH', `${P}/config/realtime`, { private_only: true, max_concurrent_users: 400, connection_pool: 5, presence_enabled: true });
    await ok('GET', `${P}/config/realtime`);
    await ok('POST', `${P}/config/realtime/shutdown`);

    await ok('GET', `${P}/config/auth/third-party-auth`);
    const tpa = await ok<{ id: string }>('POST', `${P}/config/auth/third-party-auth`, {
      oidc_issuer_url: 'https://securetoken.google.com/contract-project',
    });
    await ok('POST', `${P}/config/auth/third-party-auth`, { custom_jwks: { keys: [{ kty: 'EC', crv: 'P-256', x: 'x', y: 'y' }] } });
    await ok('GET', `${P}/config/auth/third-party-auth`);
    await ok('GET', `${P}/config/auth/third-party-auth/${tpa.body.id}`);
    await ok('DELETE', `${P}/config/auth/third-party-auth/${tpa.body.id}`);

    await ok('GET', `${P}/api-keys`);
    await ok('GET', `${P}/api-keys?reveal=true`);
    const key = await ok<{ id: string }>('POST', `${P}/api-keys?reveal=true`, { type: 'secret', name: 'contract_key', description: 'CI' });
    await ok('POST', `${P}/api-keys`, { type: 'publishable', name: 'contract_web' });
    await ok('GET', `${P}/api-keys/${key.body.id}`);
    await ok('PATCH', `${P}/api-keys/${key.body.id}?reveal=false`, { name: 'contract_key_rotated', secret_jwt_template: { role: 'authenticated' } });
    await ok('DELETE', `${P}/api-keys/${key.body.id}?was_compromised=false&reason=rotating_key`);
    await ok('GET', `${P}/api-keys/legacy`);
    await ok('PUT', `${P}/api-keys/legacy?enabled=false`);
    await ok('PUT', `${P}/api-keys/legacy?enabled=true`);

    await ok('GET', `${P}/config/auth/signing-keys`);
    const standby = await ok<{ id: string }>('POST', `${P}/config/auth/signing-keys`, { algorithm: 'ES256' });
    await ok('GET', `${P}/config/auth/signing-keys/${standby.body.id}`);
    await ok('PATCH', `${P}/config/auth/signing-keys/${standby.body.id}`, { status: 'in_use' });
    const imported = generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' });
    const edKey = await ok<{ id: string }>('POST', `${P}/config/auth/signing-keys`, { algorithm: 'EdDSA', private_jwk: imported });
    await ok('PATCH', `${P}/config/auth/signing-keys/${edKey.body.id}`, { status: 'revoked' });
    await ok('DELETE', `${P}/config/auth/signing-keys/${edKey.body.id}`);
    await ok('GET', `${P}/config/auth/signing-keys/legacy`);
    await ok('POST', `/v1/projects/${UNMIGRATED_REF}/config/auth/signing-keys/legacy`);

    await ok('GET', `${P}/custom-hostname`);
    await ok('POST', `${P}/custom-hostname/initialize`, { custom_hostname: 'api.contract.test' });
    await ok('POST', `${P}/custom-hostname/reverify`);
    expect((await emu.control('POST', `/_emulator/projects/${REF}/custom-hostname/dns`, { verified: true })).status).toBe(200);
    await ok('POST', `${P}/custom-hostname/reverify`);
    await ok('GET', `${P}/custom-hostname`);
    await ok('POST', `${P}/custom-hostname/activate`);
    await ok('GET', `${P}/vanity-subdomain`);
    await ok('DELETE', `${P}/custom-hostname`);
    await ok('GET', `${P}/vanity-subdomain`);
    await ok('POST', `${P}/vanity-subdomain/check-availability`, { vanity_subdomain: 'contract-app' });
    await ok('POST', `${P}/vanity-subdomain/activate`, { vanity_subdomain: 'contract-app' });
    await ok('GET', `${P}/vanity-subdomain`);
    await ok('DELETE', `${P}/vanity-subdomain`);

    await ok('GET', `${P}/database/backups/schedule`);
    await ok('PATCH', `${P}/database/backups/schedule`, { schedule_for: '04:30:00' });
    await ok('POST', `${P}/database/webhooks/enable`);
    await ok('GET', `${P}/pgsodium`);
    await ok('PUT', `${P}/pgsodium`, { root_key: 'ab'.repeat(32) });
  });

  it('pending network-restriction answers (stored, old_config) match the spec', async () => {
    const apply = await exercise(pending, 'POST', `${P}/network-restrictions/apply`, {
      dbAllowedCidrs: ['198.51.100.0/24'],
      dbAllowedCidrsV6: [],
    });
    expect(apply.body).toMatchObject({ status: 'stored', old_config: { dbAllowedCidrs: ['0.0.0.0/0'] } });
    const patch = await exercise(pending, 'PATCH', `${P}/network-restrictions`, { add: { dbAllowedCidrs: ['192.0.2.0/24'] } });
    expect(patch.body).toMatchObject({ status: 'stored' });
    const read = await exercise(pending, 'GET', `${P}/network-restrictions`);
    expect(read.body).toMatchObject({ status: 'stored', old_config: { dbAllowedCidrsV6: ['::/0'] } });
  });

  it('every served operation was exercised with a success answer', () => {
    const served = [...PROJECT_ROUTES, ...ACCOUNT_ROUTES].map((r) => `${r.method} ${r.path}`).sort();
    const succeeded = [...seen].filter(([, statuses]) => [...statuses].some((s) => s < 300)).map(([k]) => k);
    expect(served.filter((k) => !succeeded.includes(k))).toEqual([]);
  });

  it('refusals (401, 403, 429, and the plan entitlements) use statuses the spec lists', async () => {
    const probe = (path: string) =>
      path
        .replace('{ref}', REF)
        .replace('{slug}', 'emulatororganisation')
        .replace(/\{(provider_id|tpa_id|id)\}/, '77777777-7777-4777-8777-777777777777');
    for (const route of [...PROJECT_ROUTES, ...ACCOUNT_ROUTES]) {
      const path = probe(route.path);
      const body = route.method === 'GET' ? undefined : {};
      const anonymous = await exercise(emu, route.method, path, body, null);
      expect(anonymous.status).toBe(401);
      // The first request only uses up the window (its answer is checked in the success test).
      const first = await limited.call(route.method, path, body);
      expect(first.status).not.toBe(429);
      const second = await exercise(limited, route.method, path, body);
      expect(second.status).toBe(429);
      await limited.reset(seed); // fresh rate-limit window for the next operation
    }
    for (const route of PROJECT_ROUTES) {
      const res = await exercise(emu, route.method, probe(route.path).replace(REF, STAGING_REF), route.method === 'GET' ? undefined : {}, SCOPED_TOKEN);
      expect(res.status).toBe(403);
    }
    // A token limited to projects sees only their organisations; others answer 403 like projects.
    const otherOrg = await exercise(emu, 'GET', '/v1/organizations/someoneelsesorg', undefined, SCOPED_TOKEN);
    expect(otherOrg.status).toBe(403);
    // Plan entitlements: free answers 403 (the spec's "Forbidden action") or 402 where the spec says so.
    const F = `/v1/projects/${FREE_REF}`;
    const refusals: [string, string, unknown, number][] = [
      ['PATCH', `${F}/config/storage`, { features: { imageTransformation: { enabled: true } } }, 403],
      ['PATCH', `${F}/config/storage`, { fileSizeLimit: 52_428_801 }, 403],
      ['PATCH', `${F}/config/realtime`, { max_concurrent_users: 201 }, 403],
      ['POST', `${F}/custom-hostname/initialize`, { custom_hostname: 'free.contract.test' }, 403],
      ['POST', `${F}/vanity-subdomain/check-availability`, { vanity_subdomain: 'free-app' }, 403],
      ['POST', `${F}/vanity-subdomain/activate`, { vanity_subdomain: 'free-app' }, 403],
      ['GET', `${F}/database/backups/schedule`, undefined, 402],
      ['PATCH', `${F}/database/backups/schedule`, { schedule_for: '01:00:00' }, 402],
    ];
    for (const [method, path, body, status] of refusals) {
      expect((await exercise(emu, method, path, body)).status, `${method} ${path}`).toBe(status);
    }
    const ssoFree = await exercise(emu, 'GET', `/v1/projects/${FREE_REF}/config/auth/sso/providers`);
    expect(ssoFree.status).toBe(404);
    const networkFree = await exercise(emu, 'POST', `/v1/projects/${FREE_REF}/network-restrictions/apply`, {
      dbAllowedCidrs: [],
      dbAllowedCidrsV6: [],
    });
    expect(networkFree.status).toBe(403);
  });

  it('the tolerated spec defect is real: no numeric entitlement can pass the spec\'s oneOf', () => {
    const numeric = { feature: { key: 'storage.max_file_size', type: 'numeric' }, hasAccess: true, type: 'numeric', config: { enabled: true, value: 1, unlimited: false, unit: 'bytes' } };
    const errors = responseErrors('GET', '/v1/organizations/{slug}/entitlements', 200, { entitlements: [numeric] })!;
    expect(errors.some((e) => e.keyword === 'oneOf')).toBe(true);
    expect(withoutKnownDeviations(errors)).toEqual([]);
    // A config matching no branch is still an error.
    const broken = { ...numeric, config: { value: 1 } };
    expect(withoutKnownDeviations(responseErrors('GET', '/v1/organizations/{slug}/entitlements', 200, { entitlements: [broken] })!)).not.toEqual([]);
  });

  it('the tolerated deviations are real: the recorded answer shows exactly them', () => {
    const recorded = JSON.parse(
      readFileSync(
        new URL(`../../vendor/fixtures/supabase-cli-recorded/${REAL_API_DEVIATIONS[0]!.evidence}`, import.meta.url),
        'utf8',
      ),
    ) as { status: number; body: unknown };
    const errors = responseErrors('POST', '/v1/projects/{ref}/config/auth/sso/providers', recorded.status, recorded.body)!;
    expect(errors.length).toBe(REAL_API_DEVIATIONS.length);
    expect(withoutKnownDeviations(errors)).toEqual([]);
  });
});
