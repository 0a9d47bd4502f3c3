/** API keys (reveal, names, the legacy switch) and JWT signing keys (status transitions), over HTTP. */
import { createHash, createHmac, generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { REDACTED } from '../../src/emulator/redact.js';
import { REF, startTestEmulator, type TestEmulator } from '../helpers/emulator.js';

const P = `/v1/projects/${REF}`;

interface ApiKey {
  id: string;
  name: string;
  type: string;
  api_key: string;
  prefix: string;
  hash: string;
  description: string | null;
  secret_jwt_template: Record<string, unknown> | null;
}

interface SigningKey {
  id: string;
  algorithm: string;
  status: string;
  public_jwk: Record<string, unknown> | null;
}

let emu: TestEmulator;
beforeAll(async () => {
  emu = await startTestEmulator();
});
afterAll(() => emu.close());
beforeEach(async () => {
  await emu.control('POST', '/_emulator/reset', '');
});

const sha256url = (s: string) => createHash('sha256').update(s).digest('base64url');

describe('API keys', () => {
  it('a new project has the legacy anon and service_role JWTs, and a default publishable and secret key', async () => {
    const res = await emu.call<ApiKey[]>('GET', `${P}/api-keys`);
    expect(res.status).toBe(200);
    expect(res.body.map((k) => [k.id === 'anon' || k.id === 'service_role' ? k.id : 'uuid', k.name, k.type])).toEqual([
      ['anon', 'anon', 'legacy'],
      ['service_role', 'service_role', 'legacy'],
      ['uuid', 'default', 'publishable'],
      ['uuid', 'default', 'secret'],
    ]);
    // The legacy keys are HS256 JWTs signed with the project's JWT secret (the one GET /postgrest answers).
    const { jwt_secret } = (await emu.call<{ jwt_secret: string }>('GET', `${P}/postgrest`)).body;
    for (const key of res.body.slice(0, 2)) {
      const [header, payload, signature] = key.api_key.split('.');
      expect(JSON.parse(Buffer.from(payload!, 'base64url').toString())).toMatchObject({ iss: 'supabase', ref: REF, role: key.name });
      expect(createHmac('sha256', jwt_secret).update(`${header}.${payload}`).digest('base64url')).toBe(signature);
      expect(key.hash).toBe(sha256url(key.api_key));
      expect(key.description).toBe(`Legacy ${key.name} API key`);
    }
    expect(res.body[3]!.secret_jwt_template).toEqual({ role: 'service_role' });
    expect(res.body[2]!.secret_jwt_template).toBeNull();
  });

  it('a secret key is masked unless reveal=true; publishable keys are always shown', async () => {
    const masked = (await emu.call<ApiKey[]>('GET', `${P}/api-keys`)).body;
    const revealed = (await emu.call<ApiKey[]>('GET', `${P}/api-keys?reveal=true`)).body;
    const secret = revealed.find((k) => k.type === 'secret')!;
    expect(secret.api_key).toMatch(/^sb_secret_[A-Za-z0-9_-]{22}_[A-Za-z0-9_-]{8}$/);
    expect(secret.prefix).toBe(secret.api_key.slice(0, 15));
    const hidden = masked.find((k) => k.type === 'secret')!;
    // As recorded: the prefix, then one middle dot per remaining character (26 for a 41-character key).
    expect(hidden.api_key).toBe(`${secret.prefix}${'·'.repeat(26)}`);
    expect(hidden.hash).toBe(sha256url(secret.api_key));
    expect(masked.find((k) => k.type === 'publishable')!.api_key).toMatch(/^sb_publishable_[A-Za-z0-9_-]{22}_[A-Za-z0-9_-]{8}$/);
    expect((await emu.call('GET', `${P}/api-keys?reveal=false`)).text).not.toContain(secret.api_key);
  });

  it('creates (201), reads, renames and deletes a key; reveal applies to each answer', async () => {
    const created = await emu.call<ApiKey>('POST', `${P}/api-keys`, { type: 'secret', name: 'ci_deploy', description: 'CI' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'ci_deploy', type: 'secret', description: 'CI', secret_jwt_template: { role: 'service_role' } });
    expect(created.body.api_key).toContain('·');
    const read = await emu.call<ApiKey>('GET', `${P}/api-keys/${created.body.id}?reveal=true`);
    expect(read.body.api_key).toMatch(/^sb_secret_/);
    expect(read.body.api_key.startsWith(created.body.prefix)).toBe(true);
    const patched = await emu.call<ApiKey>('PATCH', `${P}/api-keys/${created.body.id}`, {
      name: 'ci_deploy_rotated',
      description: null,
      secret_jwt_template: { role: 'authenticated' },
    });
    expect(patched.body).toMatchObject({ name: 'ci_deploy_rotated', description: null, secret_jwt_template: { role: 'authenticated' } });
    const deleted = await emu.call<ApiKey>('DELETE', `${P}/api-keys/${created.body.id}?was_compromised=true&reason=leaked`);
    expect(deleted.status).toBe(200);
    expect(deleted.body.name).toBe('ci_deploy_rotated');
    expect((await emu.call('GET', `${P}/api-keys/${created.body.id}`)).status).toBe(404);
  });

  it('no API key value is ever in the request log, revealed or not', async () => {
    await emu.call('POST', `${P}/api-keys?reveal=true`, { type: 'secret', name: 'logged_key' });
    const revealed = (await emu.call<ApiKey[]>('GET', `${P}/api-keys?reveal=true`)).body;
    const log = (await emu.control('GET', '/_emulator/requests')).text;
    expect(revealed).toHaveLength(5);
    for (const key of revealed) expect(log).not.toContain(key.api_key);
  });

  it.each([
    ['a name outside the spec pattern', { type: 'secret', name: 'Bad-Name' }, 'name'],
    ['a type outside the enum', { type: 'legacy', name: 'a_key' }, 'type'],
    ['a duplicate name of the same type', { type: 'secret', name: 'default' }, 'already exists'],
    ['a JWT template on a publishable key', { type: 'publishable', name: 'web_key', secret_jwt_template: { role: 'anon' } }, 'secret API keys'],
    ['a JWT template without a role', { type: 'secret', name: 'no_role', secret_jwt_template: { sub: 'x' } }, 'role'],
  ])('refuses %s (400) and creates nothing', async (_label, body, message) => {
    const res = await emu.call<{ message: string }>('POST', `${P}/api-keys`, body);
    expect(res.status).toBe(400);
    expect(res.body.message).toContain(message);
    expect((await emu.call<ApiKey[]>('GET', `${P}/api-keys`)).body).toHaveLength(4);
  });

  it('checks query parameters and ids against the spec', async () => {
    expect((await emu.call<{ message: string }>('GET', `${P}/api-keys?reveal=yes`)).body.message).toMatch(/reveal must be a boolean/);
    expect((await emu.call('GET', `${P}/api-keys/anon`)).status).toBe(400);
    expect((await emu.call('GET', `${P}/api-keys/77777777-7777-4777-8777-777777777777`)).status).toBe(404);
    expect((await emu.call<{ message: string }>('PUT', `${P}/api-keys/legacy`)).body.message).toBe('enabled is required');
  });

  it('the legacy switch: disabled and re-enabled; disabling needs a publishable and a secret key', async () => {
    expect((await emu.call('GET', `${P}/api-keys/legacy`)).body).toEqual({ enabled: true });
    expect((await emu.call('PUT', `${P}/api-keys/legacy?enabled=false`)).body).toEqual({ enabled: false });
    expect((await emu.call('GET', `${P}/api-keys/legacy`)).body).toEqual({ enabled: false });
    expect((await emu.call('PUT', `${P}/api-keys/legacy?enabled=true`)).body).toEqual({ enabled: true });

    await emu.control('POST', '/_emulator/reset', { projects: [{ ref: REF, api_keys: { keys: [] } }] });
    const refused = await emu.call<{ message: string }>('PUT', `${P}/api-keys/legacy?enabled=false`);
    expect(refused.status).toBe(400);
    expect(refused.body.message).toMatch(/publishable and a secret API key/);
    expect((await emu.call('GET', `${P}/api-keys/legacy`)).body).toEqual({ enabled: true });
  });
});

describe('JWT signing keys', () => {
  const keys = async () => (await emu.call<{ keys: SigningKey[] }>('GET', `${P}/config/auth/signing-keys`)).body.keys;
  const statuses = async () => (await keys()).map((k) => `${k.algorithm}:${k.status}`);

  it('a new project is migrated: ES256 in use, the legacy HS256 secret previously used; public JWKs only', async () => {
    expect(await statuses()).toEqual(['HS256:previously_used', 'ES256:in_use']);
    const [legacy, current] = await keys();
    expect(legacy!.public_jwk).toBeNull();
    expect(current!.public_jwk).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', kid: current!.id, use: 'sig', key_ops: ['verify'] });
    expect(current!.public_jwk).not.toHaveProperty('d');
    expect((await emu.call('GET', `${P}/config/auth/signing-keys/legacy`)).body).toEqual(legacy);
  });

  it('rotates: a standby key put in use moves the current one to previously_used; revoke, then remove', async () => {
    const created = await emu.call<SigningKey>('POST', `${P}/config/auth/signing-keys`, { algorithm: 'RS256' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ algorithm: 'RS256', status: 'standby', public_jwk: { kty: 'RSA', e: 'AQAB', alg: 'RS256' } });
    const second = await emu.call<{ message: string }>('POST', `${P}/config/auth/signing-keys`, { algorithm: 'ES256' });
    expect([second.status, second.body.message]).toEqual([400, 'There is already a standby signing key; rotate to it or revoke it first']);

    const rotated = await emu.call<SigningKey>('PATCH', `${P}/config/auth/signing-keys/${created.body.id}`, { status: 'in_use' });
    expect(rotated.body.status).toBe('in_use');
    expect(await statuses()).toEqual(['HS256:previously_used', 'ES256:previously_used', 'RS256:in_use']);

    const [, old] = await keys();
    const early = await emu.call<{ message: string }>('DELETE', `${P}/config/auth/signing-keys/${old!.id}`);
    expect([early.status, early.body.message]).toEqual([400, 'Only revoked signing keys can be removed (this one is previously_used)']);
    expect((await emu.call('PATCH', `${P}/config/auth/signing-keys/${old!.id}`, { status: 'revoked' })).status).toBe(200);
    const removed = await emu.call<SigningKey>('DELETE', `${P}/config/auth/signing-keys/${old!.id}`);
    expect(removed.body).toMatchObject({ id: old!.id, status: 'revoked' });
    expect(await statuses()).toEqual(['HS256:previously_used', 'RS256:in_use']);
  });

  it.each([
    ['in_use', 'standby', 'from in_use to standby (the key in use changes only when another key is put in use)'],
    ['previously_used', 'in_use', 'from previously_used to in_use'],
  ])('refuses moving a key %s → %s (400)', async (from, to, message) => {
    const key = (await keys()).find((k) => k.status === from)!;
    const res = await emu.call<{ message: string }>('PATCH', `${P}/config/auth/signing-keys/${key.id}`, { status: to });
    expect([res.status, res.body.message]).toEqual([400, `A signing key cannot change ${message}`]);
  });

  it('revoked is final; setting the current status again is a no-op; previously_used can go back to standby', async () => {
    const [legacy] = await keys();
    expect((await emu.call('PATCH', `${P}/config/auth/signing-keys/${legacy!.id}`, { status: 'previously_used' })).status).toBe(200);
    expect((await emu.call<SigningKey>('PATCH', `${P}/config/auth/signing-keys/${legacy!.id}`, { status: 'standby' })).body.status).toBe('standby');
    expect((await emu.call('PATCH', `${P}/config/auth/signing-keys/${legacy!.id}`, { status: 'revoked' })).status).toBe(200);
    expect((await emu.call('PATCH', `${P}/config/auth/signing-keys/${legacy!.id}`, { status: 'previously_used' })).status).toBe(400);
  });

  it('creating with status in_use rotates at once', async () => {
    const created = await emu.call<SigningKey>('POST', `${P}/config/auth/signing-keys`, { algorithm: 'EdDSA', status: 'in_use' });
    expect(created.body.public_jwk).toMatchObject({ kty: 'OKP', crv: 'Ed25519' });
    expect(await statuses()).toEqual(['HS256:previously_used', 'ES256:previously_used', 'EdDSA:in_use']);
  });

  it('imports a private JWK: keeps only its public part, takes its kid as id; the log never holds the private part', async () => {
    const jwk = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' });
    const kid = '12345678-1234-4234-8234-123456789abc';
    await emu.control('DELETE', '/_emulator/requests');
    const created = await emu.call<SigningKey>('POST', `${P}/config/auth/signing-keys`, { algorithm: 'ES256', private_jwk: { ...jwk, kid } });
    expect(created.status).toBe(201);
    expect(created.body.id).toBe(kid);
    expect(created.body.public_jwk).toMatchObject({ x: jwk.x, y: jwk.y, kid });
    expect(JSON.stringify(created.body)).not.toContain(jwk.d!);
    const log = await emu.control('GET', '/_emulator/requests');
    expect(log.text).not.toContain(jwk.d!);
    expect((log.body as { body: { private_jwk: Record<string, unknown> } }[])[0]!.body.private_jwk).toMatchObject({ d: REDACTED, x: jwk.x });
    expect((await emu.control('GET', '/_emulator/state')).text).not.toContain(jwk.d!);
  });

  it.each([
    ['a key of another type than the algorithm', { algorithm: 'RS256', private_jwk: { kty: 'EC', crv: 'P-256', x: 'a', y: 'b', d: 'c' } }],
    ['a key that is not one', { algorithm: 'ES256', private_jwk: { kty: 'EC', crv: 'P-256', x: 'a', y: 'b', d: 'c' } }],
    ['a short HS256 secret', { algorithm: 'HS256', private_jwk: { kty: 'oct', k: 'c2hvcnQtc2VjcmV0LWtleQ' } }],
  ])('refuses %s (400)', async (_label, body) => {
    expect((await emu.call('POST', `${P}/config/auth/signing-keys`, body)).status).toBe(400);
    expect(await statuses()).toEqual(['HS256:previously_used', 'ES256:in_use']);
  });

  it('a project that never migrated: no keys, GET /legacy 404 until POST /legacy sets the secret up in use', async () => {
    await emu.control('POST', '/_emulator/reset', { projects: [{ ref: REF, signing_keys: [] }] });
    expect(await keys()).toEqual([]);
    expect((await emu.call('GET', `${P}/config/auth/signing-keys/legacy`)).status).toBe(404);
    const setUp = await emu.call<SigningKey>('POST', `${P}/config/auth/signing-keys/legacy`);
    expect(setUp.status).toBe(201);
    expect(setUp.body).toMatchObject({ algorithm: 'HS256', status: 'in_use', public_jwk: null });
    expect((await emu.call('POST', `${P}/config/auth/signing-keys/legacy`)).status).toBe(400);
  });
});
