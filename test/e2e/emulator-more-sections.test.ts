/**
 * Realtime, storage entitlements, third-party auth, backup schedule, database webhooks, pgsodium and
 * organisations, over HTTP; the seed of each; their secrets kept out of the request log.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { REDACTED } from '../../src/emulator/redact.js';
import { REF, STAGING_REF, TOKEN, startTestEmulator, type TestEmulator } from '../helpers/emulator.js';

const P = `/v1/projects/${REF}`;
const FREE_REF = 'freeplanprojectaaaaa';
const F = `/v1/projects/${FREE_REF}`;
const SCOPED_TOKEN = 'sbp_2222222222222222222222222222222222222222';

let emu: TestEmulator;
beforeAll(async () => {
  emu = await startTestEmulator();
});
afterAll(() => emu.close());
beforeEach(async () => {
  await emu.control('POST', '/_emulator/reset', {
    projects: [{ ref: REF, plan: 'pro' }, { ref: FREE_REF, plan: 'free', organization_slug: 'freeorganisation' }],
  });
});

describe('realtime', () => {
  it('a new project answers its plan\'s limits; PATCH merges every field given and answers 204', async () => {
    const before = await emu.call<Record<string, unknown>>('GET', `${P}/config/realtime`);
    expect(before.body).toEqual({
      private_only: false,
      connection_pool: null,
      max_concurrent_users: 500,
      max_events_per_second: 500,
      max_bytes_per_second: 1_000_000,
      max_channels_per_client: 100,
      max_joins_per_second: 500,
      max_presence_events_per_second: 50,
      max_payload_size_in_kb: 3000,
      suspend: false,
      presence_enabled: false,
    });
    expect((await emu.call<Record<string, unknown>>('GET', `${F}/config/realtime`)).body.max_concurrent_users).toBe(200);
    const patch = {
      private_only: true,
      connection_pool: 10,
      max_concurrent_users: 300,
      max_events_per_second: 200,
      max_bytes_per_second: 500_000,
      max_channels_per_client: 50,
      max_joins_per_second: 100,
      max_presence_events_per_second: 20,
      max_payload_size_in_kb: 1000,
      suspend: false,
      presence_enabled: true,
    };
    const res = await emu.call('PATCH', `${P}/config/realtime`, patch);
    expect([res.status, res.text]).toEqual([204, '']);
    expect((await emu.call('GET', `${P}/config/realtime`)).body).toEqual(patch);
  });

  it('refuses unknown fields and out-of-range values (400), and limits above the plan (403), changing nothing', async () => {
    const before = (await emu.call('GET', `${P}/config/realtime`)).body;
    expect((await emu.call<{ message: string }>('PATCH', `${P}/config/realtime`, { max_users: 1 })).body.message).toBe('property max_users should not exist');
    expect((await emu.call('PATCH', `${P}/config/realtime`, { connection_pool: 101 })).status).toBe(400);
    const over = await emu.call<{ message: string }>('PATCH', `${P}/config/realtime`, { private_only: true, max_concurrent_users: 501 });
    expect([over.status, over.body.message]).toEqual([403, 'max_concurrent_users cannot exceed 500 on the pro plan']);
    expect((await emu.call('GET', `${P}/config/realtime`)).body).toEqual(before);
  });

  it('shutdown answers 204, and 404 "Tenant not found" while suspended', async () => {
    expect((await emu.call('POST', `${P}/config/realtime/shutdown`)).status).toBe(204);
    await emu.call('PATCH', `${P}/config/realtime`, { suspend: true });
    const res = await emu.call<{ message: string }>('POST', `${P}/config/realtime/shutdown`);
    expect([res.status, res.body.message]).toEqual([404, 'Tenant not found']);
  });
});

describe('storage plan entitlements', () => {
  it('free: image transformations start off and cannot be turned on; file size up to 50 MB', async () => {
    const free = await emu.call<{ features: Record<string, unknown> }>('GET', `${F}/config/storage`);
    expect(free.body.features.imageTransformation).toEqual({ enabled: false });
    const on = await emu.call<{ message: string }>('PATCH', `${F}/config/storage`, { features: { imageTransformation: { enabled: true } } });
    expect([on.status, on.body.message]).toEqual([403, 'Image transformations are not available on the free plan']);
    expect((await emu.call('PATCH', `${F}/config/storage`, { fileSizeLimit: 52_428_801 })).status).toBe(403);
    expect((await emu.call('PATCH', `${F}/config/storage`, { fileSizeLimit: 10_485_760 })).status).toBe(200);
    expect((await emu.call('PATCH', `${P}/config/storage`, { fileSizeLimit: 536_870_912_000 })).status).toBe(200);
  });

  it('a feature is replaced whole: the spec requires all of its fields', async () => {
    const partial = await emu.call<{ message: string }>('PATCH', `${P}/config/storage`, { features: { icebergCatalog: { enabled: false } } });
    expect(partial.status).toBe(400);
    expect(partial.body.message).toMatch(/maxNamespaces is required/);
    const whole = { enabled: false, maxNamespaces: 3, maxTables: 4, maxCatalogs: 1 };
    expect((await emu.call('PATCH', `${P}/config/storage`, { features: { icebergCatalog: whole } })).status).toBe(200);
    const read = await emu.call<{ features: Record<string, unknown> }>('GET', `${P}/config/storage`);
    expect(read.body.features.icebergCatalog).toEqual(whole);
    expect(read.body.features.vectorBuckets).toEqual({ enabled: true, maxBuckets: 10, maxIndexes: 5 });
  });
});

describe('third-party auth', () => {
  it('creates by issuer, by JWKS URL and by custom JWKS; lists, reads and deletes', async () => {
    const firebase = await emu.call<Record<string, unknown>>('POST', `${P}/config/auth/third-party-auth`, {
      oidc_issuer_url: 'https://securetoken.google.com/my-project',
    });
    expect(firebase.status).toBe(201);
    expect(firebase.body).toMatchObject({ type: 'firebase', oidc_issuer_url: 'https://securetoken.google.com/my-project', jwks_url: null, resolved_jwks: null, resolved_at: null });
    const jwks = { keys: [{ kty: 'RSA', n: 'abc', e: 'AQAB', kid: 'k1' }] };
    const custom = await emu.call<Record<string, unknown>>('POST', `${P}/config/auth/third-party-auth`, { custom_jwks: jwks });
    expect(custom.body).toMatchObject({ type: 'custom_jwks', custom_jwks: jwks, resolved_jwks: jwks });
    expect(custom.body.resolved_at).toEqual(expect.any(String));
    const both = await emu.call<Record<string, unknown>>('POST', `${P}/config/auth/third-party-auth`, {
      oidc_issuer_url: 'https://login.acme.test',
      jwks_url: 'https://login.acme.test/.well-known/jwks.json',
    });
    expect(both.body.type).toBe('oidc');

    const list = await emu.call<{ id: string }[]>('GET', `${P}/config/auth/third-party-auth`);
    expect(list.body.map((t) => t.id)).toEqual([firebase.body.id, custom.body.id, both.body.id]);
    expect((await emu.call('GET', `${P}/config/auth/third-party-auth/${custom.body.id as string}`)).body).toEqual(custom.body);
    const deleted = await emu.call('DELETE', `${P}/config/auth/third-party-auth/${firebase.body.id as string}`);
    expect([deleted.status, deleted.body]).toEqual([200, firebase.body]);
    expect((await emu.call('GET', `${P}/config/auth/third-party-auth/${firebase.body.id as string}`)).status).toBe(404);
    expect((await emu.call('GET', `${P}/config/auth/third-party-auth/not-a-uuid`)).status).toBe(400);
  });

  it.each([
    ['nothing to trust', {}],
    ['a plain-http issuer', { oidc_issuer_url: 'http://login.acme.test' }],
    ['a JWKS that is not one', { custom_jwks: [{ kty: 'RSA' }] }],
    ['a JWKS with a private key', { custom_jwks: { keys: [{ kty: 'oct', k: 'tpa-private-canary' }] } }],
  ])('refuses %s (400), and a private key never reaches the log', async (_label, body) => {
    await emu.control('DELETE', '/_emulator/requests');
    expect((await emu.call('POST', `${P}/config/auth/third-party-auth`, body)).status).toBe(400);
    expect((await emu.call('GET', `${P}/config/auth/third-party-auth`)).body).toEqual([]);
    expect((await emu.control('GET', '/_emulator/requests')).text).not.toContain('tpa-private-canary');
  });

  it('refuses a second integration with the same issuer (400)', async () => {
    const body = { oidc_issuer_url: 'https://tenant.auth0.com/' };
    expect((await emu.call<{ type: string }>('POST', `${P}/config/auth/third-party-auth`, body)).body.type).toBe('auth0');
    expect((await emu.call('POST', `${P}/config/auth/third-party-auth`, body)).status).toBe(400);
  });
});

describe('backup schedule', () => {
  it('answers a stable daily time; PATCH changes it; the fourth change within 24 hours is refused', async () => {
    const first = await emu.call<{ schedule_for: string; updated_at: string }>('GET', `${P}/database/backups/schedule`);
    expect(first.body.schedule_for).toMatch(/^\d\d:00:00$/);
    const times = ['01:00:00', '02:30:00', '03:45:15'];
    for (const t of times) {
      const res = await emu.call<{ schedule_for: string }>('PATCH', `${P}/database/backups/schedule`, { schedule_for: t });
      expect([res.status, res.body.schedule_for]).toEqual([200, t]);
    }
    // The same time again changes nothing and is not counted.
    expect((await emu.call('PATCH', `${P}/database/backups/schedule`, { schedule_for: '03:45:15' })).status).toBe(200);
    const fourth = await emu.call<{ message: string }>('PATCH', `${P}/database/backups/schedule`, { schedule_for: '04:00:00' });
    expect([fourth.status, fourth.body.message]).toEqual([429, 'The backup schedule can only be updated 3 times per 24 hours']);
    expect(Number(fourth.headers.get('retry-after'))).toBeGreaterThan(86_000);
    expect((await emu.call<{ schedule_for: string }>('GET', `${P}/database/backups/schedule`)).body.schedule_for).toBe('03:45:15');
  });

  it('refuses a time not in HH:MM:SS (400) and answers 402 on the free plan', async () => {
    const bad = await emu.call<{ message: string }>('PATCH', `${P}/database/backups/schedule`, { schedule_for: '4am' });
    expect([bad.status, bad.body.message]).toEqual([400, 'Invalid schedule_for format: expected HH:MM:SS (UTC)']);
    expect((await emu.call('PATCH', `${P}/database/backups/schedule`, { schedule_for: '24:00:00' })).status).toBe(400);
    const free = await emu.call<{ message: string }>('GET', `${F}/database/backups/schedule`);
    expect([free.status, free.body.message]).toEqual([402, 'Feature requires a higher plan']);
  });
});

describe('database webhooks and pgsodium', () => {
  it('webhooks/enable answers 201 without a body, twice', async () => {
    for (let i = 0; i < 2; i++) {
      const res = await emu.call('POST', `${P}/database/webhooks/enable`);
      expect([res.status, res.text, res.headers.get('content-type')]).toEqual([201, '', null]);
    }
    const state = (await emu.control<{ projects: { ref: string; sections: Record<string, { enabled?: boolean }> }[] }>('GET', '/_emulator/state')).body;
    expect(state.projects.find((p) => p.ref === REF)!.sections.database_webhooks!.enabled).toBe(true);
  });

  it('pgsodium: GET answers a 32-byte hex root key; PUT replaces it; the log never holds it', async () => {
    expect((await emu.call<{ root_key: string }>('GET', `${P}/pgsodium`)).body.root_key).toMatch(/^[0-9a-f]{64}$/);
    await emu.control('DELETE', '/_emulator/requests');
    const key = 'c0ffee'.repeat(10) + 'beef';
    expect((await emu.call('PUT', `${P}/pgsodium`, { root_key: key.toUpperCase() })).body).toEqual({ root_key: key });
    expect((await emu.call('GET', `${P}/pgsodium`)).body).toEqual({ root_key: key });
    const bad = await emu.call('PUT', `${P}/pgsodium`, { root_key: 'short' });
    expect([bad.status, bad.body]).toEqual([400, { message: 'Expected a 32 byte secret, hex-encoded (64 characters).' }]);
    const log = await emu.control<{ body: unknown }[]>('GET', '/_emulator/requests');
    expect(log.text).not.toMatch(/c0ffee|short/i);
    expect(log.body.filter((e) => e.body !== null).map((e) => e.body)).toEqual([{ root_key: REDACTED }, { root_key: REDACTED }]);
  });
});

describe('organisations', () => {
  it('lists named and implied organisations, with plan and entitlements; a limited token sees only its own', async () => {
    await emu.control('POST', '/_emulator/reset', {
      projects: [{ ref: REF, plan: 'team', organization_slug: 'acme' }, { ref: STAGING_REF, plan: 'free', organization_slug: 'acme' }, { ref: FREE_REF, plan: 'free' }],
      organizations: [{ slug: 'acme', name: 'Acme Inc' }],
      tokens: [{ token: TOKEN }, { token: SCOPED_TOKEN, projects: [FREE_REF] }],
    });
    expect((await emu.call('GET', '/v1/organizations')).body).toEqual([
      { id: 'acme', slug: 'acme', name: 'Acme Inc' },
      { id: 'emulatororganisation', slug: 'emulatororganisation', name: 'emulatororganisation' },
    ]);
    expect((await emu.call('GET', '/v1/organizations/acme')).body).toEqual({
      id: 'acme',
      name: 'Acme Inc',
      plan: 'team',
      opt_in_tags: [],
      allowed_release_channels: ['ga'],
    });
    const entitlements = (await emu.call<{ entitlements: { feature: { key: string }; hasAccess: boolean; config: Record<string, unknown> }[] }>('GET', '/v1/organizations/acme/entitlements')).body.entitlements;
    const byKey = new Map(entitlements.map((e) => [e.feature.key, e]));
    expect(byKey.get('auth.platform.sso')!.hasAccess).toBe(true);
    expect(byKey.get('realtime.max_concurrent_users')!.config).toEqual({ enabled: true, value: 10_000, unlimited: false, unit: 'connections' });
    expect((await emu.call('GET', '/v1/organizations/nosuchorg')).status).toBe(404);

    expect((await emu.call('GET', '/v1/organizations', undefined, { token: SCOPED_TOKEN })).body).toEqual([
      { id: 'emulatororganisation', slug: 'emulatororganisation', name: 'emulatororganisation' },
    ]);
    expect((await emu.call('GET', '/v1/organizations/acme', undefined, { token: SCOPED_TOKEN })).status).toBe(403);
    const free = await emu.call<{ plan: string }>('GET', '/v1/organizations/emulatororganisation/entitlements', undefined, { token: SCOPED_TOKEN });
    expect(free.status).toBe(200);
  });
});

describe('seed of the new sections', () => {
  it('applies each through the same rules as the API', async () => {
    const res = await emu.control('POST', '/_emulator/reset', {
      projects: [
        {
          ref: REF,
          realtime: { private_only: true },
          third_party_auth: [{ id: '11111111-2222-4333-8444-555555555555', oidc_issuer_url: 'https://login.seeded.test' }],
          api_keys: { legacy_enabled: false, keys: [{ type: 'secret', name: 'seeded_key' }, { type: 'publishable', name: 'seeded_web' }] },
          signing_keys: [{ algorithm: 'HS256', status: 'previously_used', legacy: true }, { algorithm: 'RS256', status: 'in_use' }],
          vanity_subdomain: 'seeded-app',
          backup_schedule: { schedule_for: '02:00:00' },
          database_webhooks: { enabled: true },
          pgsodium: { root_key: 'ab'.repeat(32) },
        },
      ],
    });
    expect(res.status).toBe(200);
    expect((await emu.call<{ private_only: boolean }>('GET', `${P}/config/realtime`)).body.private_only).toBe(true);
    expect((await emu.call<{ id: string }[]>('GET', `${P}/config/auth/third-party-auth`)).body.map((t) => t.id)).toEqual(['11111111-2222-4333-8444-555555555555']);
    expect((await emu.call('GET', `${P}/api-keys/legacy`)).body).toEqual({ enabled: false });
    expect((await emu.call<{ name: string }[]>('GET', `${P}/api-keys`)).body.map((k) => k.name)).toEqual(['anon', 'service_role', 'seeded_key', 'seeded_web']);
    expect((await emu.call<{ keys: { algorithm: string; status: string }[] }>('GET', `${P}/config/auth/signing-keys`)).body.keys.map((k) => `${k.algorithm}:${k.status}`)).toEqual([
      'HS256:previously_used',
      'RS256:in_use',
    ]);
    expect((await emu.call('GET', `${P}/vanity-subdomain`)).body).toEqual({ status: 'active', custom_domain: 'seeded-app.supabase.co' });
    expect((await emu.call<{ schedule_for: string }>('GET', `${P}/database/backups/schedule`)).body.schedule_for).toBe('02:00:00');
    expect((await emu.call('GET', `${P}/pgsodium`)).body).toEqual({ root_key: 'ab'.repeat(32) });
  });

  it.each([
    ['realtime', { realtime: { max_users: 1 } }, 'property max_users should not exist'],
    ['realtime above the plan', { plan: 'free', realtime: { max_concurrent_users: 201 } }, 'cannot exceed 200'],
    ['storage above the plan', { plan: 'free', storage: { fileSizeLimit: 52_428_801 } }, 'cannot exceed'],
    ['third-party auth', { third_party_auth: [{ oidc_issuer_url: 'http://insecure.test' }] }, '0: oidc_issuer_url must be an https URL'],
    ['api keys', { api_keys: { keys: [{ type: 'secret', name: 'X' }] } }, 'keys.0'],
    ['signing keys with two in use', { signing_keys: [{ algorithm: 'ES256', status: 'in_use' }, { algorithm: 'RS256', status: 'in_use' }] }, 'only one key can be in_use'],
    ['signing keys with none in use', { signing_keys: [{ algorithm: 'ES256', status: 'standby' }] }, 'one key must be in_use'],
    ['custom hostname on free', { plan: 'free', custom_hostname: { hostname: 'a.example.com' } }, 'not available on the free plan'],
    ['vanity subdomain', { vanity_subdomain: 'Not Valid' }, 'vanity_subdomain must be'],
    ['backup schedule', { backup_schedule: { schedule_for: 'noon' } }, 'Invalid schedule_for'],
    ['pgsodium', { pgsodium: { root_key: 'x' } }, 'Expected a 32 byte secret'],
    ['database webhooks', { database_webhooks: { enabled: 'yes' } }, 'database_webhooks must be'],
  ])('refuses an invalid %s seed (400, naming the section, located) and keeps the state', async (section, extra, message) => {
    const res = await emu.control<{ issues: { path: string; message: string; location?: { line: number; col: number } }[] }>('POST', '/_emulator/reset', {
      projects: [{ ref: 'seedcheckprojectaaaa', ...extra }],
    });
    expect(res.status).toBe(400);
    const key = Object.keys(extra).find((k) => k !== 'plan')!;
    // The section, or the field of it the API's message names first.
    expect(res.body.issues[0]!.path).toMatch(new RegExp(`^projects\\[0\\]\\.${key}(\\.\\w+|\\[\\d+\\])?$`));
    expect(res.body.issues[0]!.location).toMatchObject({ line: 1, col: expect.any(Number) });
    expect(res.body.issues[0]!.message, section).toContain(message);
    expect((await emu.call('GET', P)).status).toBe(200);
  });
});
