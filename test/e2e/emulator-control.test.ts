/** The /_emulator control surface: reset with a seed (YAML or JSON), the request log, the state. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatIssue, type ConfigIssue } from '../../src/errors.js';
import { REF, STAGING_REF, TOKEN, startTestEmulator, type TestEmulator } from '../helpers/emulator.js';

const SEED_YAML = `
projects:
  - ref: seededprojectaaaaaaa
    name: seeded
    plan: pro
    auth:
      site_url: https://seeded.test
      smtp_pass: canary-seed-pass
    postgres:
      max_connections: 77
    pooler:
      default_pool_size: 15
    network_restrictions:
      dbAllowedCidrs: [10.0.0.0/8]
      dbAllowedCidrsV6: []
    sso_providers:
      - id: 11111111-2222-4333-8444-555555555555
        metadata_url: https://idp.seeded.test/metadata
        domains: [seeded.test]
    postgrest:
      max_rows: 10
    storage:
      fileSizeLimit: 2048
    ssl_enforcement:
      database: true
    secrets:
      SEEDED: canary-secret
  - ref: freeseededprojectaaa
    plan: free
tokens:
  - token: ${TOKEN}
`;

describe('emulator: control surface', () => {
  let emu: TestEmulator;
  beforeAll(async () => {
    emu = await startTestEmulator();
  });
  afterAll(() => emu.close());

  it('POST /_emulator/reset with a YAML seed replaces all state, sections included', async () => {
    await emu.call('PATCH', `/v1/projects/${REF}/config/auth`, { site_url: 'https://before.test' });
    const reset = await emu.control('POST', '/_emulator/reset', SEED_YAML);
    expect(reset.status).toBe(200);
    expect(reset.body).toEqual({ projects: ['seededprojectaaaaaaa', 'freeseededprojectaaa'] });

    expect((await emu.call('GET', `/v1/projects/${REF}`)).status).toBe(404);
    const P = '/v1/projects/seededprojectaaaaaaa';
    const auth = await emu.call<Record<string, unknown>>('GET', `${P}/config/auth`);
    expect(auth.body.site_url).toBe('https://seeded.test');
    expect(auth.body.smtp_pass).toMatch(/^[0-9a-f]{64}$/);
    expect(auth.text).not.toContain('canary-seed-pass');
    expect((await emu.call('GET', `${P}/config/database/postgres`)).body).toEqual({ max_connections: 77 });
    expect((await emu.call<Record<string, unknown>[]>('GET', `${P}/config/database/pooler`)).body[0]!.default_pool_size).toBe(15);
    expect((await emu.call('GET', `${P}/network-restrictions`)).body).toEqual({
      entitlement: 'allowed',
      config: { dbAllowedCidrs: ['10.0.0.0/8'], dbAllowedCidrsV6: [] },
      status: 'applied',
    });
    const sso = await emu.call<{ items: { id: string; domains: unknown[] }[] }>('GET', `${P}/config/auth/sso/providers`);
    expect(sso.body.items.map((p) => [p.id, p.domains])).toEqual([['11111111-2222-4333-8444-555555555555', [{ domain: 'seeded.test' }]]]);
    expect((await emu.call<{ max_rows: number }>('GET', `${P}/postgrest`)).body.max_rows).toBe(10);
    expect((await emu.call<{ fileSizeLimit: number }>('GET', `${P}/config/storage`)).body.fileSizeLimit).toBe(2048);
    expect((await emu.call('GET', `${P}/ssl-enforcement`)).body).toEqual({ currentConfig: { database: true }, appliedSuccessfully: true });
    expect((await emu.call<{ name: string }[]>('GET', `${P}/secrets`)).body.map((s) => s.name)).toEqual(['SEEDED']);
    expect(JSON.stringify(emu.state())).not.toMatch(/canary-seed-pass|canary-secret/);
    // Tokens came from the seed: only the listed one is accepted now.
    expect((await emu.call('GET', P, undefined, { token: `sbp_${'9'.repeat(40)}` })).status).toBe(401);
  });

  it('POST /_emulator/reset with JSON, and with an empty body (the default seed)', async () => {
    const json = await emu.control('POST', '/_emulator/reset', { projects: [{ ref: STAGING_REF }] });
    expect(json.body).toEqual({ projects: [STAGING_REF] });
    const empty = await emu.control('POST', '/_emulator/reset', '');
    expect(empty.body).toEqual({ projects: [REF, STAGING_REF] });
    const project = await emu.call<{ name: string }>('GET', `/v1/projects/${REF}`);
    expect(project.body.name).toBe('production');
  });

  it.each([
    ['not YAML', 'projects: [', 'seed:1:12: not valid YAML or JSON: Flow sequence in block collection must be sufficiently indented and end with a ]'],
    ['an unknown top-level key', '{"projects": [],\n "extra": 1}', 'seed:2:2: unknown key "extra" (allowed: projects, organizations, tokens)'],
    ['a bad ref', '{"projects": [{"ref": "Short"}]}', 'seed:1:23: projects[0].ref: must be a project ref: 20 lowercase letters'],
    ['a duplicate ref', `{"projects": [{"ref": "${REF}"}, {"ref": "${REF}"}]}`, `seed:1:56: projects[1].ref: duplicate project ref ${REF}`],
    ['a bad plan', `projects:\n  - ref: ${REF}\n    plan: gold\n`, 'seed:3:11: projects[0].plan: must be one of: "free", "pro", "team", "enterprise"'],
    ['a malformed token', `{"projects": [], "tokens": [{"token": "sbp_x"}]}`, 'seed:1:39: tokens[0].token: must be sbp_ (or sbp_oauth_) followed by 40 lowercase hex characters'],
    ['a token scoped to an unknown project', `{"projects": [], "tokens": [{"token": "${TOKEN}", "projects": ["${REF}"]}]}`, `seed:1:100: tokens[0].projects[0]: no project ${REF} in the seed`],
    ['an invalid section value', `{"projects": [{"ref": "${REF}", "postgres": {"max_connections": "many"}}]}`, 'seed:1:79: projects[0].postgres.max_connections: max_connections must be integer'],
    ['an invalid enum in a section', `projects:\n  - ref: ${REF}\n    pooler:\n      pool_mode: turbo\n`, 'seed:4:18: projects[0].pooler.pool_mode: pool_mode must be one of "transaction", "session"'],
  ])('refuses a seed with %s (400, located, naming what is allowed) and keeps the state', async (_label, text, issue) => {
    await emu.control('POST', '/_emulator/reset', '');
    const before = JSON.stringify(emu.state());
    const res = await emu.control<{ message: string; issues: ConfigIssue[] }>('POST', '/_emulator/reset', text);
    expect(res.status).toBe(400);
    expect(res.body.message).toBe(`invalid seed: ${issue}`);
    expect(res.body.issues.map(formatIssue)).toEqual([issue]);
    expect(JSON.stringify(emu.state())).toBe(before);
  });

  it('GET /_emulator/requests lists every /v1 request since the last reset; DELETE clears it', async () => {
    await emu.control('POST', '/_emulator/reset', '');
    await emu.call('GET', `/v1/projects/${REF}/config/auth`);
    await emu.call('PATCH', `/v1/projects/${REF}/config/auth`, { jwt_exp: 100 });
    await emu.call('GET', `/v1/projects/${REF}/config/auth`, undefined, { token: null });
    await emu.call('GET', `/v1/projects/${REF}/secrets?reveal=true`);
    const log = await emu.control<{ method: string; path: string; status: number; body: unknown; query?: unknown }[]>(
      'GET',
      '/_emulator/requests',
    );
    expect(log.body.map(({ method, path, status, body }) => ({ method, path, status, body }))).toEqual([
      { method: 'GET', path: `/v1/projects/${REF}/config/auth`, status: 200, body: null },
      { method: 'PATCH', path: `/v1/projects/${REF}/config/auth`, status: 200, body: { jwt_exp: 100 } },
      { method: 'GET', path: `/v1/projects/${REF}/config/auth`, status: 401, body: null },
      { method: 'GET', path: `/v1/projects/${REF}/secrets`, status: 200, body: null },
    ]);
    expect(log.body[3]!.query).toEqual({ reveal: 'true' });
    expect((await emu.control('DELETE', '/_emulator/requests')).status).toBe(204);
    expect((await emu.control('GET', '/_emulator/requests')).body).toEqual([]);
  });

  it('GET /_emulator/state shows the state; unknown control routes answer 404', async () => {
    const state = await emu.control<{ version: number; projects: { ref: string }[] }>('GET', '/_emulator/state');
    expect(state.body.version).toBe(1);
    expect(state.body.projects.map((p) => p.ref)).toEqual([REF, STAGING_REF]);
    expect((await emu.control('GET', '/_emulator/nothing')).status).toBe(404);
  });
});
