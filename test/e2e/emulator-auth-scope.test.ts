/** Tokens and project scope: 401 without a well-formed accepted token, 403 outside its projects, 404 for unknown refs. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OTHER_TOKEN, REF, STAGING_REF, TOKEN, startTestEmulator, type TestEmulator } from '../helpers/emulator.js';

const SCOPED = 'sbp_2222222222222222222222222222222222222222';
const UNKNOWN_REF = 'nosuchprojectaaaaaaa';

describe('emulator: any well-formed token when the seed lists none', () => {
  let emu: TestEmulator;
  beforeAll(async () => {
    emu = await startTestEmulator();
  });
  afterAll(() => emu.close());

  it('accepts sbp_ + 40 lowercase hex, and sbp_oauth_ + 40 hex', async () => {
    expect((await emu.call('GET', `/v1/projects/${REF}`)).status).toBe(200);
    expect((await emu.call('GET', `/v1/projects/${REF}`, undefined, { token: OTHER_TOKEN })).status).toBe(200);
    const oauth = `sbp_oauth_${'c'.repeat(40)}`;
    expect((await emu.call('GET', `/v1/projects/${REF}`, undefined, { token: oauth })).status).toBe(200);
  });

  it.each([
    ['no Authorization header', null],
    ['another prefix', `sbx_${'a'.repeat(40)}`],
    ['39 hex characters', `sbp_${'a'.repeat(39)}`],
    ['41 hex characters', `sbp_${'a'.repeat(41)}`],
    ['uppercase hex', `sbp_${'A'.repeat(40)}`],
    ['a non-hex character', `sbp_${'g'.repeat(40)}`],
    ['an empty token', ''],
  ])('answers 401 {"message":"Unauthorized"} for %s', async (_label, token) => {
    const res = await emu.call('GET', `/v1/projects/${REF}/config/auth`, undefined, { token });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ message: 'Unauthorized' });
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(res.headers.get('x-ratelimit-limit')).toMatch(/^\d+$/);
  });

  it('answers 401 for a scheme other than Bearer', async () => {
    const res = await fetch(`${emu.url}/v1/projects/${REF}`, { headers: { authorization: `Basic ${TOKEN}` } });
    expect(res.status).toBe(401);
  });

  it('answers 404 for an unknown project, and for a malformed ref', async () => {
    const unknown = await emu.call('GET', `/v1/projects/${UNKNOWN_REF}/config/auth`);
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({ message: 'Project not found' });
    expect((await emu.call('GET', '/v1/projects/NOT-A-REF')).status).toBe(404);
  });

  it('answers 404 "Cannot METHOD path" for routes the API does not have', async () => {
    const res = await emu.call('GET', '/v1/projects/abcdefghijklmnopqrst/no-such-thing');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ message: 'Cannot GET /v1/projects/abcdefghijklmnopqrst/no-such-thing' });
    expect((await emu.call('DELETE', `/v1/projects/${REF}/config/auth`)).status).toBe(404);
  });
});

describe('emulator: tokens listed in the seed', () => {
  let emu: TestEmulator;
  beforeAll(async () => {
    emu = await startTestEmulator({
      seed: {
        projects: [{ ref: REF }, { ref: STAGING_REF }],
        tokens: [{ token: TOKEN }, { token: SCOPED, projects: [REF] }],
      },
    });
  });
  afterAll(() => emu.close());

  it('refuses a well-formed token the seed does not list (401)', async () => {
    const res = await emu.call('GET', `/v1/projects/${REF}`, undefined, { token: OTHER_TOKEN });
    expect(res.status).toBe(401);
  });

  it('lets a project-limited token touch its projects and answers 403 on the others', async () => {
    expect((await emu.call('GET', `/v1/projects/${REF}/config/auth`, undefined, { token: SCOPED })).status).toBe(200);
    const other = await emu.call('PATCH', `/v1/projects/${STAGING_REF}/config/auth`, { site_url: 'https://x.test' }, { token: SCOPED });
    expect(other.status).toBe(403);
    expect(other.body).toEqual({ message: 'Forbidden resource' });
    // Nothing was written to the project it may not touch.
    const staging = await emu.call<{ site_url: string }>('GET', `/v1/projects/${STAGING_REF}/config/auth`);
    expect(staging.body.site_url).toBe('http://localhost:3000');
  });

  it('answers 403 (not 404) to a limited token for refs outside its scope, existing or not', async () => {
    expect((await emu.call('GET', `/v1/projects/${UNKNOWN_REF}`, undefined, { token: SCOPED })).status).toBe(403);
    expect((await emu.call('GET', `/v1/projects/${UNKNOWN_REF}`, undefined, { token: TOKEN })).status).toBe(404);
  });

  it('lists only the projects a token may see', async () => {
    const all = await emu.call<{ ref: string }[]>('GET', '/v1/projects');
    expect(all.body.map((p) => p.ref)).toEqual([REF, STAGING_REF]);
    const scoped = await emu.call<{ ref: string }[]>('GET', '/v1/projects', undefined, { token: SCOPED });
    expect(scoped.body.map((p) => p.ref)).toEqual([REF]);
  });

  it('never records a token: not in the request log, not in the state', async () => {
    await emu.call('GET', `/v1/projects/${REF}`, undefined, { token: SCOPED });
    const log = await emu.control('GET', '/_emulator/requests');
    const state = await emu.control('GET', '/_emulator/state');
    for (const text of [log.text, state.text, JSON.stringify(emu.requests()), JSON.stringify(emu.state())]) {
      expect(text).not.toContain(TOKEN.slice(4));
      expect(text).not.toContain(SCOPED.slice(4));
    }
    const entries = log.body as { headers: Record<string, string> }[];
    expect(entries.length).toBeGreaterThan(0);
    for (const entry of entries) expect(Object.keys(entry.headers)).not.toContain('authorization');
  });
});
