/**
 * API keys and JWT signing keys end to end against the emulator (issue 16, item 5): plan → apply →
 * plan (No changes) → export → plan (No changes); unlisted keys deleted only with prune; the risky
 * changes refused unless allowed; signing-key transitions one explicit step at a time; and no key
 * value the API holds (the legacy JWTs, publishable and secret keys) in any output.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli, type CliResult } from '../helpers/cli.js';
import { REF, TOKEN, clearRequestLog, loggedWrites, startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import { workspace, type Workspace } from '../helpers/workspace.js';

let emu: TestEmulator;
let ws: Workspace;
const cli = (args: string[]) => runCli([...args, '--log-level', 'trace'], { env: { SUPABASE_API_URL: emu.url, SUPABASE_ACCESS_TOKEN: TOKEN } });
const all = (r: CliResult) => r.stdout + r.stderr;
const keysBase = `/v1/projects/${REF}/api-keys`;
const signingBase = `/v1/projects/${REF}/config/auth/signing-keys`;
const writes = async (base: string) => (await loggedWrites(emu)).map((w) => `${w.method} ${w.path.replace(base, '').replace(/[0-9a-f-]{36}/, 'ID') || '/'} ${w.status}`);

interface KeyAnswer {
  id: string;
  type: string;
  name: string;
  api_key: string;
  description: string | null;
}
/** Every key value the API holds, revealed: none may appear in what supasync prints. */
const keyValues = async () => (await emu.call<KeyAnswer[]>('GET', `${keysBase}?reveal=true`)).body.map((k) => k.api_key);
const expectNoKeyMaterial = async (...runs: CliResult[]) => {
  const values = await keyValues();
  expect(values.length).toBeGreaterThan(3);
  for (const r of runs) for (const v of values) expect(all(r)).not.toContain(v);
  for (const r of runs) expect(all(r)).not.toMatch(/sb_secret_[A-Za-z0-9_-]{10}|sb_publishable_[A-Za-z0-9_-]{10}|eyJhbGciOi/);
};

beforeAll(async () => {
  emu = await startTestEmulator();
});
afterAll(async () => {
  ws?.remove();
  await emu.close();
});
beforeEach(async () => {
  await emu.control('POST', '/_emulator/reset', { projects: [{ ref: REF, plan: 'pro' }] });
  ws?.remove();
  ws = workspace();
});

const API_KEYS = `project: ${REF}
api_keys:
  legacy_enabled: false
  keys:
    - {type: publishable, name: default}
    - {type: secret, name: default}
    - {type: secret, name: backend_jobs, description: Server-side jobs}
`;

describe('api_keys', () => {
  it('plan → apply → plan → export → plan, no key value in any output', async () => {
    ws.write({ 'keys.yaml': API_KEYS });
    const plan = await cli(['plan', '-c', ws.dir, '--detailed-exitcode']);
    expect(plan.code, all(plan)).toBe(2);
    expect(plan.stdout).toContain('~ legacy_enabled: true → false');
    expect(plan.stdout).toContain('+ keys[secret:backend_jobs]: {"type":"secret","name":"backend_jobs","description":"Server-side jobs"}');
    await clearRequestLog(emu);
    const apply = await cli(['apply', '-c', ws.dir, '--yes']);
    expect(apply.code, all(apply)).toBe(0);
    // The key first: turning the legacy keys off needs one.
    expect(await writes(keysBase)).toEqual(['POST / 201', 'PUT /legacy 200']);
    expect((await emu.call<{ enabled: boolean }>('GET', `${keysBase}/legacy`)).body.enabled).toBe(false);
    const created = (await emu.call<KeyAnswer[]>('GET', keysBase)).body.find((k) => k.name === 'backend_jobs');
    expect(created).toMatchObject({ type: 'secret', description: 'Server-side jobs' });
    const again = await cli(['plan', '-c', ws.dir, '--detailed-exitcode']);
    expect(again.code, all(again)).toBe(0);

    const target = workspace();
    try {
      const out = target.path('project.yaml');
      const exported = await cli(['export', '--project', REF, '--sections', 'api_keys', '--out', out]);
      expect(exported.code, exported.stderr).toBe(0);
      const text = readFileSync(out, 'utf8');
      expect(parse(text).api_keys).toEqual({
        legacy_enabled: false,
        keys: [
          { type: 'publishable', name: 'default' },
          { type: 'secret', name: 'default', secret_jwt_template: { role: 'service_role' } },
          { type: 'secret', name: 'backend_jobs', description: 'Server-side jobs', secret_jwt_template: { role: 'service_role' } },
        ],
      });
      const back = await cli(['plan', '-c', out, '--detailed-exitcode']);
      expect(back.code, all(back)).toBe(0);
      expect(back.stdout).toContain('No changes.');
      await expectNoKeyMaterial(plan, apply, again, exported, back, { code: 0, signal: null, stdout: text, stderr: '' });
    } finally {
      target.remove();
    }
  });

  it('reports unlisted keys; deletes them only with prune, a risky change; legacy keys back on is risky too', async () => {
    ws.write({ 'keys.yaml': `project: ${REF}\napi_keys:\n  keys:\n    - {type: secret, name: default}\n` });
    const kept = await cli(['plan', '-c', ws.dir, '--detailed-exitcode']);
    expect(kept.code).toBe(0);
    expect(kept.stdout).toContain('live publishable key default is not in the configuration; left untouched (set prune: true to delete it)');

    ws.write({ 'keys.yaml': `project: ${REF}\napi_keys:\n  prune: true\n  keys:\n    - {type: secret, name: default}\n` });
    await clearRequestLog(emu);
    const refused = await cli(['apply', '-c', ws.dir, '--yes']);
    expect(refused.code).toBe(4);
    expect(refused.stdout).toMatch(/RISKY \(api_keys\.key\.deleted\): deletes API key publishable:default/);
    expect(await loggedWrites(emu)).toEqual([]);
    const allowed = await cli(['apply', '-c', ws.dir, '--yes', '--allow-risky']);
    expect(allowed.code, all(allowed)).toBe(0);
    expect(await writes(keysBase)).toEqual(['DELETE /ID 200']);
    expect((await emu.call<KeyAnswer[]>('GET', keysBase)).body.filter((k) => k.type !== 'legacy').map((k) => `${k.type}:${k.name}`)).toEqual(['secret:default']);

    await emu.control('POST', '/_emulator/reset', { projects: [{ ref: REF, api_keys: { legacy_enabled: false } }] });
    ws.write({ 'keys.yaml': `project: ${REF}\napi_keys:\n  legacy_enabled: true\n` });
    const on = await cli(['apply', '-c', ws.dir, '--yes']);
    expect(on.code).toBe(4);
    expect(on.stdout).toMatch(/RISKY \(api_keys\.legacy_enabled\.enabled\)/);
    ws.write({ 'keys.yaml': `project: ${REF}\nallow_risky: [api_keys.legacy_enabled]\napi_keys:\n  legacy_enabled: true\n` });
    expect((await cli(['apply', '-c', ws.dir, '--yes'])).code).toBe(0);
    expect((await emu.call<{ enabled: boolean }>('GET', `${keysBase}/legacy`)).body.enabled).toBe(true);
  });

  it('refuses a key listed twice and a template on a publishable key before any request', async () => {
    ws.write({ 'keys.yaml': `project: ${REF}\napi_keys:\n  keys:\n    - {type: secret, name: ci_key}\n    - {type: secret, name: ci_key}\n    - {type: publishable, name: web_key, secret_jwt_template: {role: anon}}\n` });
    emu.clearRequests();
    const r = await cli(['plan', '-c', ws.dir]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/keys\.yaml:5:\d+: api_keys\.keys\[1\]\.name: keys\[0\] is the secret key of the same name; a key is listed once/);
    expect(r.stderr).toMatch(/keys\.yaml:6:\d+: api_keys\.keys\[2\]\.secret_jwt_template: secret_jwt_template belongs to secret keys only/);
    expect(emu.requests()).toEqual([]);
  });
});

interface SigningKey {
  id: string;
  algorithm: string;
  status: string;
}
const signingKeys = async () => (await emu.call<{ keys: SigningKey[] }>('GET', signingBase)).body.keys;
const withStatus = async (status: string) => (await signingKeys()).filter((k) => k.status === status);

describe('signing_keys', () => {
  it('standby → rotation → revocation, each an explicit risky step; converges, exports and plans back', async () => {
    const [legacy] = await withStatus('previously_used');
    const [current] = await withStatus('in_use');
    ws.write({ 'keys.yaml': `project: ${REF}\nsigning_keys:\n  standby: RS256\n` });
    const plan = await cli(['plan', '-c', ws.dir, '--detailed-exitcode']);
    expect(plan.code, all(plan)).toBe(2);
    expect(plan.stdout).toContain(`note: signing keys: in_use ES256 key ${current!.id}; previously_used HS256 key ${legacy!.id} (the legacy JWT secret)`);
    expect(plan.stdout).toMatch(/\+ standby: "RS256"\n\s+! RISKY \(signing_keys\.standby\.created\)/);
    expect((await cli(['apply', '-c', ws.dir, '--yes'])).code).toBe(4);

    ws.write({ 'keys.yaml': `project: ${REF}\nallow_risky: [signing_keys]\nsigning_keys:\n  standby: RS256\n` });
    await clearRequestLog(emu);
    const created = await cli(['apply', '-c', ws.dir, '--yes']);
    expect(created.code, all(created)).toBe(0);
    expect(await writes(signingBase)).toEqual(['POST / 201']);
    const [standby] = await withStatus('standby');
    expect(standby!.algorithm).toBe('RS256');
    expect((await cli(['plan', '-c', ws.dir, '--detailed-exitcode'])).code).toBe(0);

    ws.write({ 'keys.yaml': `project: ${REF}\nallow_risky: [signing_keys]\nsigning_keys:\n  in_use: RS256\n` });
    await clearRequestLog(emu);
    const rotated = await cli(['apply', '-c', ws.dir, '--yes']);
    expect(rotated.code, all(rotated)).toBe(0);
    expect(rotated.stdout).toContain('~ in_use: "ES256" → "RS256"');
    expect(await writes(signingBase)).toEqual(['PATCH /ID 200']);
    expect((await withStatus('in_use')).map((k) => k.id)).toEqual([standby!.id]);

    ws.write({ 'keys.yaml': `project: ${REF}\nallow_risky: [signing_keys.revoke]\nsigning_keys:\n  in_use: RS256\n  revoke: [${current!.id}, ${legacy!.id}]\n` });
    const revoke = await cli(['plan', '-c', ws.dir]);
    expect(revoke.stdout).toContain(`revokes key ${legacy!.id} (previously_used HS256, the legacy JWT secret): tokens it signed no longer verify, and the legacy anon and service_role keys stop working`);
    expect((await cli(['apply', '-c', ws.dir, '--yes'])).code).toBe(0);
    expect((await withStatus('revoked')).map((k) => k.id).sort()).toEqual([current!.id, legacy!.id].sort());
    const converged = await cli(['plan', '-c', ws.dir, '--detailed-exitcode']);
    expect(converged.code, all(converged)).toBe(0);

    const target = workspace();
    try {
      const out = target.path('project.yaml');
      const exported = await cli(['export', '--project', REF, '--sections', 'signing_keys', '--out', out]);
      expect(exported.code, exported.stderr).toBe(0);
      expect(parse(readFileSync(out, 'utf8')).signing_keys).toEqual({ in_use: 'RS256' });
      const back = await cli(['plan', '-c', out, '--detailed-exitcode']);
      expect(back.code, all(back)).toBe(0);
      expect(back.stdout).toContain('No changes.');
    } finally {
      target.remove();
    }
  });

  it('never creates a key and puts it in use in one apply: standby and in_use together take three applies', async () => {
    ws.write({ 'keys.yaml': `project: ${REF}\nallow_risky: [signing_keys]\nsigning_keys:\n  standby: EdDSA\n  in_use: EdDSA\n` });
    const first = await cli(['apply', '-c', ws.dir, '--yes']);
    expect(first.code, all(first)).toBe(0);
    expect(first.stdout).toContain('this plan creates it; a later apply rotates to it, once it has been published');
    expect(first.stdout).toContain('warning (signing_keys): in_use: a further change is due now that this one is applied (the next plan shows it)');
    expect(await withStatus('standby')).toHaveLength(1);
    const second = await cli(['apply', '-c', ws.dir, '--yes']);
    expect(second.stdout).toContain('standby: a new standby EdDSA key is created by the next apply, once this rotation is done');
    expect((await withStatus('in_use'))[0]!.algorithm).toBe('EdDSA');
    expect(await withStatus('standby')).toEqual([]);
    expect((await cli(['apply', '-c', ws.dir, '--yes'])).code).toBe(0);
    expect((await withStatus('standby'))[0]!.algorithm).toBe('EdDSA');
    expect((await cli(['plan', '-c', ws.dir, '--detailed-exitcode'])).code).toBe(0);
  });

  it('revoking the key in use is an error at the entry; no write', async () => {
    const [current] = await withStatus('in_use');
    ws.write({ 'keys.yaml': `project: ${REF}\nsigning_keys:\n  revoke:\n    - ${current!.id}\n` });
    await clearRequestLog(emu);
    const r = await cli(['apply', '-c', ws.dir, '--yes', '--allow-risky']);
    expect(r.code).toBe(3);
    expect(all(r)).toMatch(/keys\.yaml:4:7: signing_keys\.revoke\[0\]: ES256 key [0-9a-f-]{36} is the key in use: put another key in use \(in_use\) before revoking it/);
    expect(await loggedWrites(emu)).toEqual([]);
  });
});
