/** The rules of each resource family, over HTTP: what a write stores and what a read then answers. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { REF, startTestEmulator, type TestEmulator } from '../helpers/emulator.js';

const P = `/v1/projects/${REF}`;

const metadataXml = (entityId: string) => `<?xml version="1.0" encoding="UTF-8"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="${entityId}">
  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="${entityId}/sso"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>`;

let emu: TestEmulator;
beforeAll(async () => {
  emu = await startTestEmulator();
});
afterAll(() => emu.close());
beforeEach(async () => {
  await emu.reset();
});

describe('auth config', () => {
  it('a new project answers the recorded defaults', async () => {
    const res = await emu.call<Record<string, unknown>>('GET', `${P}/config/auth`);
    expect(res.body).toMatchObject({ site_url: 'http://localhost:3000', jwt_exp: 3600, uri_allow_list: '', smtp_pass: null });
    expect(Object.keys(res.body).length).toBe(241);
  });

  it('PATCH merges the given keys and ignores keys the config does not have', async () => {
    await emu.call('PATCH', `${P}/config/auth`, { site_url: 'https://a.test', no_such_field: 1 });
    await emu.call('PATCH', `${P}/config/auth`, { jwt_exp: 7200 });
    const res = await emu.call<Record<string, unknown>>('GET', `${P}/config/auth`);
    expect(res.body).toMatchObject({ site_url: 'https://a.test', jwt_exp: 7200 });
    expect(res.body).not.toHaveProperty('no_such_field');
  });
});

describe('postgres config', () => {
  it('GET answers only overrides; PUT replaces the whole set; restart_database is never stored', async () => {
    expect((await emu.call('GET', `${P}/config/database/postgres`)).body).toEqual({});
    const put = await emu.call('PUT', `${P}/config/database/postgres`, { max_connections: 100, work_mem: '4MB', restart_database: true });
    expect(put.body).toEqual({ max_connections: 100, work_mem: '4MB' });
    await emu.call('PUT', `${P}/config/database/postgres`, { statement_timeout: '8s' });
    expect((await emu.call('GET', `${P}/config/database/postgres`)).body).toEqual({ statement_timeout: '8s' });
    await emu.call('PUT', `${P}/config/database/postgres`, {});
    expect((await emu.call('GET', `${P}/config/database/postgres`)).body).toEqual({});
  });
});

describe('pooler config', () => {
  it('GET answers an array with the PRIMARY entry; PATCH changes it and answers the update', async () => {
    const before = await emu.call<Record<string, unknown>[]>('GET', `${P}/config/database/pooler`);
    expect(before.body).toHaveLength(1);
    expect(before.body[0]).toMatchObject({ database_type: 'PRIMARY', identifier: REF, default_pool_size: null, pool_mode: 'transaction' });
    const patch = await emu.call('PATCH', `${P}/config/database/pooler`, { default_pool_size: 42 });
    expect(patch.body).toEqual({ default_pool_size: 42, pool_mode: 'transaction' });
    const after = await emu.call<Record<string, unknown>[]>('GET', `${P}/config/database/pooler`);
    expect(after.body[0]).toMatchObject({ default_pool_size: 42, pool_mode: 'transaction' });
  });
});

describe('network restrictions', () => {
  it('a new project allows everyone, applied', async () => {
    const res = await emu.call('GET', `${P}/network-restrictions`);
    expect(res.body).toEqual({ entitlement: 'allowed', config: { dbAllowedCidrs: ['0.0.0.0/0'], dbAllowedCidrsV6: ['::/0'] }, status: 'applied' });
  });

  it('POST /apply replaces both lists (a list left out becomes empty) and answers 201 as recorded', async () => {
    const res = await emu.call('POST', `${P}/network-restrictions/apply`, { dbAllowedCidrs: ['10.0.0.0/8'] });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ config: { dbAllowedCidrs: ['10.0.0.0/8'], dbAllowedCidrsV6: [] }, entitlement: 'allowed', status: 'applied' });
    const read = await emu.call<Record<string, unknown>>('GET', `${P}/network-restrictions`);
    expect(read.body).toMatchObject({ config: { dbAllowedCidrs: ['10.0.0.0/8'], dbAllowedCidrsV6: [] }, status: 'applied' });
    expect(read.body.applied_at).toEqual(expect.any(String));
    expect(read.body).not.toHaveProperty('old_config');
  });

  it('PATCH answers the V2 shape (stored, old_config); the next read shows it applied', async () => {
    const patch = await emu.call('PATCH', `${P}/network-restrictions`, {
      add: { dbAllowedCidrs: ['8.8.8.0/24'] },
      remove: { dbAllowedCidrsV6: ['::/0'] },
    });
    expect(patch.body).toMatchObject({
      config: { dbAllowedCidrs: [{ address: '0.0.0.0/0', type: 'v4' }, { address: '8.8.8.0/24', type: 'v4' }] },
      status: 'stored',
      old_config: { dbAllowedCidrs: [{ address: '0.0.0.0/0', type: 'v4' }, { address: '::/0', type: 'v6' }] },
      entitlement: 'allowed',
      updated_at: expect.any(String),
    });
    const read = await emu.call<Record<string, unknown>>('GET', `${P}/network-restrictions`);
    expect(read.body).toMatchObject({ config: { dbAllowedCidrs: ['0.0.0.0/0', '8.8.8.0/24'], dbAllowedCidrsV6: [] }, status: 'applied' });
    expect(read.body).not.toHaveProperty('old_config');
  });

  it('an empty list denies everyone of that family and is stored as such', async () => {
    await emu.call('POST', `${P}/network-restrictions/apply`, { dbAllowedCidrs: [], dbAllowedCidrsV6: [] });
    const read = await emu.call<{ config: unknown }>('GET', `${P}/network-restrictions`);
    expect(read.body.config).toEqual({ dbAllowedCidrs: [], dbAllowedCidrsV6: [] });
  });

  it.each([
    [{ dbAllowedCidrs: ['::/0'] }, 'dbAllowedCidrs.0'],
    [{ dbAllowedCidrs: ['10.0.0.300/8'] }, 'dbAllowedCidrs.0'],
    [{ dbAllowedCidrs: ['10.0.0.1'] }, 'dbAllowedCidrs.0'],
    [{ dbAllowedCidrsV6: ['10.0.0.0/8'] }, 'dbAllowedCidrsV6.0'],
  ])('refuses %j with 400 naming %s, and changes nothing', async (body, field) => {
    const res = await emu.call<{ message: string }>('POST', `${P}/network-restrictions/apply`, body);
    expect(res.status).toBe(400);
    expect(res.body.message).toContain(field);
    expect((await emu.call<{ config: unknown }>('GET', `${P}/network-restrictions`)).body.config).toEqual({
      dbAllowedCidrs: ['0.0.0.0/0'],
      dbAllowedCidrsV6: ['::/0'],
    });
  });
});

describe('network restrictions with a slow application', () => {
  it('stays stored with old_config until the delay has passed, then reads applied', async () => {
    const slow = await startTestEmulator({ networkRestrictionsApplyMs: 300 });
    try {
      const apply = await slow.call('POST', `${P}/network-restrictions/apply`, { dbAllowedCidrs: ['10.0.0.0/8'], dbAllowedCidrsV6: [] });
      expect(apply.body).toMatchObject({ status: 'stored', old_config: { dbAllowedCidrs: ['0.0.0.0/0'], dbAllowedCidrsV6: ['::/0'] } });
      expect((await slow.call('GET', `${P}/network-restrictions`)).body).toMatchObject({ status: 'stored' });
      // Applied once the delay has passed: polled, not slept.
      await expect.poll(async () => (await slow.call<{ status: string }>('GET', `${P}/network-restrictions`)).body.status, { interval: 50, timeout: 5_000 }).toBe('applied');
      const read = await slow.call<Record<string, unknown>>('GET', `${P}/network-restrictions`);
      expect(read.body).toMatchObject({ status: 'applied', config: { dbAllowedCidrs: ['10.0.0.0/8'] } });
      expect(read.body).not.toHaveProperty('old_config');
    } finally {
      await slow.close();
    }
  });
});

describe('SSO providers', () => {
  const list = `${P}/config/auth/sso/providers`;

  it('POST (201) reads entity_id from metadata_xml; GET list, GET, PUT, DELETE by id', async () => {
    const created = await emu.call<{ id: string; saml: { entity_id: string }; domains: unknown[] }>('POST', list, {
      type: 'saml',
      metadata_xml: metadataXml('https://idp.one.test/saml'),
      domains: ['One.test'],
    });
    expect(created.status).toBe(201);
    expect(created.body.saml.entity_id).toBe('https://idp.one.test/saml');
    expect(created.body.domains).toEqual([{ domain: 'one.test' }]);
    const id = created.body.id;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);

    expect((await emu.call<{ items: { id: string }[] }>('GET', list)).body.items.map((p) => p.id)).toEqual([id]);
    expect((await emu.call('GET', `${list}/${id}`)).status).toBe(200);

    const put = await emu.call<{ domains: unknown[]; saml: Record<string, unknown> }>('PUT', `${list}/${id}`, {
      domains: ['one.test', 'two.test'],
      attribute_mapping: { keys: { email: { name: 'mail' } } },
    });
    expect(put.status).toBe(200);
    expect(put.body.domains).toEqual([{ domain: 'one.test' }, { domain: 'two.test' }]);
    expect(put.body.saml.attribute_mapping).toEqual({ keys: { email: { name: 'mail' } } });

    const deleted = await emu.call<{ id: string }>('DELETE', `${list}/${id}`);
    expect(deleted.status).toBe(200);
    expect(deleted.body.id).toBe(id);
    expect((await emu.call('GET', `${list}/${id}`)).status).toBe(404);
    expect((await emu.call('GET', list)).body).toEqual({ items: [] });
  });

  it('a metadata_url provider must use https; its entity_id is the URL', async () => {
    const http = await emu.call<{ message: string }>('POST', list, { type: 'saml', metadata_url: 'http://idp.test/metadata' });
    expect(http.status).toBe(400);
    expect(http.body.message).toContain('HTTPS');
    const https = await emu.call<{ saml: Record<string, unknown> }>('POST', list, { type: 'saml', metadata_url: 'https://idp.test/metadata' });
    expect(https.status).toBe(201);
    expect(https.body.saml).toMatchObject({ entity_id: 'https://idp.test/metadata', metadata_url: 'https://idp.test/metadata' });
  });

  it('needs exactly one of metadata_xml and metadata_url', async () => {
    expect((await emu.call('POST', list, { type: 'saml' })).status).toBe(400);
    const both = await emu.call('POST', list, { type: 'saml', metadata_url: 'https://a.test/m', metadata_xml: metadataXml('https://a.test') });
    expect(both.status).toBe(400);
  });

  it('refuses metadata that is not XML, or names no entityID', async () => {
    expect((await emu.call('POST', list, { type: 'saml', metadata_xml: 'not xml <' })).status).toBe(400);
    const noEntity = await emu.call('POST', list, {
      type: 'saml',
      metadata_xml: '<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata"><md:IDPSSODescriptor/></md:EntityDescriptor>',
    });
    expect(noEntity.status).toBe(400);
    expect((await emu.call('GET', list)).body).toEqual({ items: [] });
  });

  it('a domain belongs to at most one provider of a project (400); an entity ID at most once (422)', async () => {
    await emu.call('POST', list, { type: 'saml', metadata_xml: metadataXml('https://idp.a.test'), domains: ['shared.test'] });
    const second = await emu.call<{ message: string }>('POST', list, {
      type: 'saml',
      metadata_xml: metadataXml('https://idp.b.test'),
      domains: ['shared.test'],
    });
    expect(second.status).toBe(400);
    expect(second.body.message).toContain('shared.test');
    const dup = await emu.call('POST', list, { type: 'saml', metadata_xml: metadataXml('https://idp.a.test') });
    expect(dup.status).toBe(422);
    // Another project may use the same domain.
    const other = await emu.call('POST', '/v1/projects/zyxwvutsrqponmlkjihg/config/auth/sso/providers', {
      type: 'saml',
      metadata_xml: metadataXml('https://idp.a.test'),
      domains: ['shared.test'],
    });
    expect(other.status).toBe(201);
    expect((await emu.call<{ items: unknown[] }>('GET', list)).body.items).toHaveLength(1);
  });

  it('PUT may replace the metadata only when the entity ID stays the same', async () => {
    const created = await emu.call<{ id: string }>('POST', list, { type: 'saml', metadata_xml: metadataXml('https://idp.keep.test') });
    const same = await emu.call('PUT', `${list}/${created.body.id}`, { metadata_xml: metadataXml('https://idp.keep.test') });
    expect(same.status).toBe(200);
    const changed = await emu.call('PUT', `${list}/${created.body.id}`, { metadata_xml: metadataXml('https://idp.other.test') });
    expect(changed.status).toBe(400);
  });

  it('answers 404 "SSO Identity Provider not found" for unknown and malformed ids', async () => {
    for (const id of ['77777777-7777-4777-8777-777777777777', 'not-a-uuid']) {
      const res = await emu.call('GET', `${list}/${id}`);
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ message: 'SSO Identity Provider not found' });
    }
  });
});

describe('postgrest, storage, ssl enforcement, secrets', () => {
  it('postgrest: PATCH merges and answers without jwt_secret; jwt_secret can never be set', async () => {
    const before = await emu.call<Record<string, unknown>>('GET', `${P}/postgrest`);
    const patch = await emu.call<Record<string, unknown>>('PATCH', `${P}/postgrest`, { max_rows: 250, jwt_secret: 'canary-jwt' });
    expect(patch.status).toBe(200);
    expect(patch.body).toEqual({ db_schema: 'public,graphql_public', max_rows: 250, db_extra_search_path: 'public, extensions', db_pool: null });
    const after = await emu.call<Record<string, unknown>>('GET', `${P}/postgrest`);
    expect(after.body.max_rows).toBe(250);
    expect(after.body.jwt_secret).toBe(before.body.jwt_secret);
    expect(after.text).not.toContain('canary-jwt');
  });

  it('storage: PATCH merges features and answers 200 without a body', async () => {
    const patch = await emu.call('PATCH', `${P}/config/storage`, { fileSizeLimit: 1024, features: { s3Protocol: { enabled: false } } });
    expect(patch.status).toBe(200);
    expect(patch.text).toBe('');
    const read = await emu.call<{ fileSizeLimit: number; features: Record<string, unknown> }>('GET', `${P}/config/storage`);
    expect(read.body.fileSizeLimit).toBe(1024);
    expect(read.body.features.s3Protocol).toEqual({ enabled: false });
    expect(read.body.features.imageTransformation).toEqual({ enabled: true });
  });

  it('ssl enforcement: off on a new project; PUT answers and GET reads the new config', async () => {
    expect((await emu.call('GET', `${P}/ssl-enforcement`)).body).toEqual({ currentConfig: { database: false }, appliedSuccessfully: true });
    const put = await emu.call('PUT', `${P}/ssl-enforcement`, { requestedConfig: { database: true } });
    expect(put.body).toEqual({ currentConfig: { database: true }, appliedSuccessfully: true });
    expect((await emu.call('GET', `${P}/ssl-enforcement`)).body).toEqual({ currentConfig: { database: true }, appliedSuccessfully: true });
  });

  it('secrets: POST upserts (201, no body), DELETE removes by name (200, no body)', async () => {
    expect((await emu.call('GET', `${P}/secrets`)).body).toEqual([]);
    const post = await emu.call('POST', `${P}/secrets`, [
      { name: 'B', value: '1' },
      { name: 'A', value: '2' },
    ]);
    expect(post.status).toBe(201);
    expect(post.text).toBe('');
    await emu.call('POST', `${P}/secrets`, [{ name: 'B', value: '3' }]);
    const list = await emu.call<{ name: string }[]>('GET', `${P}/secrets`);
    expect(list.body.map((s) => s.name)).toEqual(['A', 'B']);
    const del = await emu.call('DELETE', `${P}/secrets`, ['A', 'NOT_THERE']);
    expect(del.status).toBe(200);
    expect(del.text).toBe('');
    expect((await emu.call<{ name: string }[]>('GET', `${P}/secrets`)).body.map((s) => s.name)).toEqual(['B']);
  });

  it('secrets: names that are Object.prototype members (__proto__, constructor, toString) are secrets like any other', async () => {
    const names = ['__proto__', 'constructor', 'toString', 'hasOwnProperty'];
    // Sent as raw JSON: a JS object literal would not even carry a `__proto__` key.
    const raw = `[${names.map((n) => `{"name": "${n}", "value": "v-${n}"}`).join(',')}]`;
    expect((await emu.call('POST', `${P}/secrets`, undefined, { rawBody: raw })).status).toBe(201);
    const list = await emu.call<{ name: string; value: string }[]>('GET', `${P}/secrets`);
    expect(list.body.map((s) => s.name)).toEqual([...names].sort());
    expect(list.body.find((s) => s.name === '__proto__')!.value).toMatch(/^[0-9a-f]{64}$/);
    expect((await emu.call('DELETE', `${P}/secrets`, names)).status).toBe(200);
    expect((await emu.call('GET', `${P}/secrets`)).body).toEqual([]);
  });
});

describe('request validation against the spec', () => {
  it.each([
    ['a wrong type', 'PATCH', `${P}/config/auth`, { jwt_exp: 'soon' }, 'jwt_exp'],
    ['a value out of range', 'PATCH', `${P}/config/auth`, { jwt_exp: 999999999 }, 'jwt_exp'],
    ['a value not in the enum', 'PATCH', `${P}/config/database/pooler`, { pool_mode: 'statement' }, 'pool_mode'],
    ['a field the spec forbids', 'PUT', `${P}/config/database/postgres`, { max_conections: 10 }, 'max_conections'],
    ['a pattern mismatch', 'PUT', `${P}/config/database/postgres`, { statement_timeout: 'forever' }, 'statement_timeout'],
    ['a missing required field', 'PUT', `${P}/ssl-enforcement`, {}, 'requestedConfig'],
    ['a reserved secret name', 'POST', `${P}/secrets`, [{ name: 'SUPABASE_URL', value: 'x' }], '0.name'],
    ['a nested wrong type', 'POST', `${P}/network-restrictions/apply`, { dbAllowedCidrs: [1] }, 'dbAllowedCidrs.0'],
  ])('refuses %s with 400 naming the field, and changes nothing', async (_label, method, path, body, field) => {
    const before = JSON.stringify(emu.state());
    const res = await emu.call<{ message: string }>(method, path, body);
    expect(res.status).toBe(400);
    expect(res.body.message).toContain(field);
    expect(JSON.stringify(emu.state())).toBe(before);
  });

  it('refuses malformed JSON with 400', async () => {
    const res = await emu.call<{ message: string }>('PATCH', `${P}/config/auth`, undefined, { rawBody: '{"jwt_exp": ' });
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/JSON/);
  });

  it('accepts null where the spec marks a field nullable', async () => {
    const res = await emu.call<Record<string, unknown>>('PATCH', `${P}/config/auth`, { site_url: null, sms_provider: null });
    expect(res.status).toBe(200);
    expect(res.body.site_url).toBeNull();
  });
});
