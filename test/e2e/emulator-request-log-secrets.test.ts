/**
 * The request log (`GET /_emulator/requests`) never holds a value the real API would never echo:
 * auth secret fields, function secret values, the PostgREST JWT secret — on answered, refused,
 * faulted and unknown-route requests alike, and in bodies that are not JSON. Everything else stays.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { REDACTED } from '../../src/emulator/redact.js';
import { AUTH_SECRET_FIELDS } from '../../src/providers/auth.js';
import { REF, startTestEmulator, type TestEmulator } from '../helpers/emulator.js';

const P = `/v1/projects/${REF}`;
const canary = (name: string) => `logcanary_${name}_x9Q`;

interface Entry {
  method: string;
  path: string;
  status: number;
  body: unknown;
}

describe('emulator: request log keeps secrets out', () => {
  let emu: TestEmulator;
  beforeAll(async () => {
    emu = await startTestEmulator();
  });
  afterAll(() => emu.close());
  beforeEach(async () => {
    await emu.control('POST', '/_emulator/reset', '');
  });

  const log = async () => {
    const res = await emu.control<Entry[]>('GET', '/_emulator/requests');
    expect(res.status).toBe(200);
    expect(res.text).not.toContain('logcanary_');
    return res.body;
  };

  it('auth secret fields are replaced by the marker; other fields are kept', async () => {
    const patch = Object.fromEntries(AUTH_SECRET_FIELDS.map((f) => [f, canary(f)]));
    const res = await emu.call('PATCH', `${P}/config/auth`, { ...patch, site_url: 'https://kept.test', smtp_user: 'kept-user' });
    expect(res.status).toBe(200);
    const [entry] = await log();
    const body = entry!.body as Record<string, unknown>;
    for (const field of AUTH_SECRET_FIELDS) expect(body[field], field).toBe(REDACTED);
    expect(body).toMatchObject({ site_url: 'https://kept.test', smtp_user: 'kept-user' });
  });

  it('a null secret (clearing it) stays null: nothing to hide', async () => {
    await emu.call('PATCH', `${P}/config/auth`, { smtp_pass: null });
    const [entry] = await log();
    expect(entry!.body).toEqual({ smtp_pass: null });
  });

  it('function secret values are replaced, names kept', async () => {
    await emu.call('POST', `${P}/secrets`, [{ name: 'STRIPE_KEY', value: canary('stripe') }, { name: 'OTHER', value: canary('other') }]);
    await emu.call('DELETE', `${P}/secrets`, ['OTHER']);
    const entries = await log();
    expect(entries.map((e) => e.body)).toEqual([
      [
        { name: 'STRIPE_KEY', value: REDACTED },
        { name: 'OTHER', value: REDACTED },
      ],
      ['OTHER'],
    ]);
  });

  it('a PostgREST jwt_secret sent by a client is kept out', async () => {
    await emu.call('PATCH', `${P}/postgrest`, { max_rows: 10, jwt_secret: canary('jwt') });
    const [entry] = await log();
    expect(entry!.body).toEqual({ max_rows: 10, jwt_secret: REDACTED });
  });

  it('refused requests (invalid body, unknown project, 401) are redacted too', async () => {
    await emu.call('PATCH', `${P}/config/auth`, { smtp_pass: canary('refused'), jwt_exp: 'not a number' });
    await emu.call('PATCH', '/v1/projects/unknownprojectaaaaaa/config/auth', { smtp_pass: canary('unknown') });
    await emu.call('PATCH', `${P}/config/auth`, { smtp_pass: canary('anonymous') }, { token: null });
    const entries = await log();
    expect(entries.map((e) => e.status)).toEqual([400, 404, 401]);
    for (const e of entries) expect((e.body as Record<string, unknown>).smtp_pass).toBe(REDACTED);
  });

  it('requests answered by a fault rule are redacted too', async () => {
    await emu.control('POST', '/_emulator/faults', [{ method: 'POST', path: '/secrets$', status: 503, times: 1 }]);
    expect((await emu.call('POST', `${P}/secrets`, [{ name: 'A', value: canary('faulted') }])).status).toBe(503);
    const [entry] = await log();
    expect(entry).toMatchObject({ status: 503, body: [{ name: 'A', value: REDACTED }] });
  });

  it('a body that is not JSON is kept as text only where the route has no secret fields', async () => {
    await emu.call('PATCH', `${P}/config/auth`, undefined, { rawBody: `{"smtp_pass": "${canary('malformed')}"` });
    await emu.call('PUT', `${P}/config/database/postgres`, undefined, { rawBody: '{"max_connections": ' });
    await emu.call('POST', '/v1/nowhere', undefined, { rawBody: `${canary('nowhere')}` });
    const entries = await log();
    expect(entries.map((e) => [e.status, e.body])).toEqual([
      [400, REDACTED],
      [400, '{"max_connections": '],
      [404, REDACTED],
    ]);
  });

  it('a body sent to an unknown route has every secret-named field replaced, at any depth', async () => {
    await emu.call('PATCH', `${P}/config/authx`, { outer: { smtp_pass: canary('deep'), keep: 1 }, list: [{ value: canary('list') }] });
    const [entry] = await log();
    expect(entry).toMatchObject({ status: 404, body: { outer: { smtp_pass: REDACTED, keep: 1 }, list: [{ value: REDACTED }] } });
  });
});
