/** `statePath`: state written after each change, loaded at the next start; no plaintext secrets in it. */
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SeedError, startEmulator } from '../../src/emulator/index.js';
import { REF, TOKEN, startTestEmulator } from '../helpers/emulator.js';

describe('emulator: state persistence', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'supasync-emulator-state-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps every change across a restart, and the file never holds secrets or tokens in plaintext', async () => {
    const statePath = join(dir, 'state.json');
    const first = await startTestEmulator({ statePath, seed: { projects: [{ ref: REF, plan: 'pro' }], tokens: [{ token: TOKEN }] } });
    const P = `/v1/projects/${REF}`;
    await first.call('PATCH', `${P}/config/auth`, { site_url: 'https://persisted.test', smtp_pass: 'canary-persist' });
    await first.call('PUT', `${P}/config/database/postgres`, { max_connections: 66 });
    await first.call('POST', `${P}/secrets`, [{ name: 'KEPT', value: 'canary-secret-value' }]);
    const sso = await first.call<{ id: string }>('POST', `${P}/config/auth/sso/providers`, {
      type: 'saml',
      metadata_url: 'https://idp.persist.test/metadata',
      domains: ['persist.test'],
    });
    // Written before the answer: the file already has the change while the emulator still runs.
    const onDisk = await readFile(statePath, 'utf8');
    expect(onDisk).toContain('https://persisted.test');
    await first.close();

    const text = await readFile(statePath, 'utf8');
    expect(text).not.toMatch(/canary-persist|canary-secret-value/);
    expect(text).not.toContain(TOKEN.slice(4));
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);

    // A different seed is ignored: the state file wins.
    const second = await startTestEmulator({ statePath, seed: { projects: [{ ref: 'otherprojectaaaaaaaa' }] } });
    try {
      const auth = await second.call<Record<string, unknown>>('GET', `${P}/config/auth`);
      expect(auth.body.site_url).toBe('https://persisted.test');
      expect(auth.body.smtp_pass).toMatch(/^[0-9a-f]{64}$/);
      expect((await second.call('GET', `${P}/config/database/postgres`)).body).toEqual({ max_connections: 66 });
      expect((await second.call<{ name: string }[]>('GET', `${P}/secrets`)).body.map((s) => s.name)).toEqual(['KEPT']);
      expect((await second.call('GET', `${P}/config/auth/sso/providers/${sso.body.id}`)).status).toBe(200);
      // The token policy survived too (as digests).
      expect((await second.call('GET', P, undefined, { token: `sbp_${'9'.repeat(40)}` })).status).toBe(401);
      // A reset is persisted as well.
      await second.control('POST', '/_emulator/reset', { projects: [{ ref: 'resetprojectaaaaaaaa' }] });
    } finally {
      await second.close();
    }
    const third = await startTestEmulator({ statePath });
    try {
      expect((await third.call('GET', '/v1/projects/resetprojectaaaaaaaa')).status).toBe(200);
      expect((await third.call('GET', P)).status).toBe(404);
    } finally {
      await third.close();
    }
  });

  it('keeps a secret named __proto__ across a restart (state keyed by user input has no prototype)', async () => {
    const statePath = join(dir, 'proto.json');
    const P = `/v1/projects/${REF}`;
    const first = await startTestEmulator({ statePath });
    expect((await first.call('POST', `${P}/secrets`, undefined, { rawBody: '[{"name": "__proto__", "value": "x"}]' })).status).toBe(201);
    await first.close();
    const second = await startTestEmulator({ statePath });
    try {
      expect((await second.call<{ name: string }[]>('GET', `${P}/secrets`)).body.map((s) => s.name)).toEqual(['__proto__']);
      // A restored state takes new prototype-named secrets too.
      await second.call('POST', `${P}/secrets`, undefined, { rawBody: '[{"name": "constructor", "value": "y"}]' });
      expect((await second.call<{ name: string }[]>('GET', `${P}/secrets`)).body.map((s) => s.name)).toEqual(['__proto__', 'constructor']);
    } finally {
      await second.close();
    }
  });

  it('refuses a state file in a directory that does not exist, with a one-line reason', async () => {
    const statePath = join(dir, 'no-such-dir', 'state.json');
    const err = await startEmulator({ statePath }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SeedError);
    expect((err as SeedError).message).toBe(`state file ${statePath}: directory ${join(dir, 'no-such-dir')} does not exist`);
  });

  it('writes the initial state at start when the file does not exist', async () => {
    const statePath = join(dir, 'fresh.json');
    const emu = await startEmulator({ statePath });
    try {
      const saved = JSON.parse(await readFile(statePath, 'utf8')) as { version: number; projects: { ref: string }[] };
      expect(saved.version).toBe(1);
      expect(saved.projects.map((p) => p.ref)).toEqual(['abcdefghijklmnopqrst', 'zyxwvutsrqponmlkjihg']);
    } finally {
      await emu.close();
    }
  });

  it('refuses a state file that is not one', async () => {
    const statePath = join(dir, 'bad.json');
    await writeFile(statePath, '{"hello": "world"}');
    await expect(startEmulator({ statePath })).rejects.toBeInstanceOf(SeedError);
    await writeFile(statePath, 'not json');
    await expect(startEmulator({ statePath })).rejects.toBeInstanceOf(SeedError);
  });
});
