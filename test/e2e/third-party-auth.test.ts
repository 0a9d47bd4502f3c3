/**
 * Third-party auth integrations end to end against the emulator (issue 16, item 3): create, converge,
 * export and plan back; unlisted live integrations reported, deleted only with prune (risky); a
 * changed integration replaced (risky); private key material refused before any request and never
 * printed.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli, type CliResult } from '../helpers/cli.js';
import { REF, TOKEN, clearRequestLog, loggedWrites, startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import { workspace, type Workspace } from '../helpers/workspace.js';

let emu: TestEmulator;
let ws: Workspace;
const cli = (args: string[]) => runCli(args, { env: { SUPABASE_API_URL: emu.url, SUPABASE_ACCESS_TOKEN: TOKEN } });
const all = (r: CliResult) => r.stdout + r.stderr;
const base = `/v1/projects/${REF}/config/auth/third-party-auth`;
const writes = async () => (await loggedWrites(emu)).map((r) => `${r.method} ${r.path.replace(base, '') || '/'} ${r.status}`);
const liveList = async () => (await emu.call<Array<{ id: string; type: string; oidc_issuer_url: string | null; jwks_url: string | null }>>('GET', base)).body;

const FIREBASE = 'https://securetoken.google.com/my-app';
const CLERK_JWKS = 'https://clerk.example.com/.well-known/jwks.json';
const PUBLIC_KEY = { kty: 'RSA', kid: 'key-1', e: 'AQAB', n: 'MODULUSnotsecretbutneverprinted0123456789abcdefghij' };

beforeAll(async () => {
  emu = await startTestEmulator();
});
afterAll(async () => {
  await emu.close();
});
beforeEach(async () => {
  await emu.control('POST', '/_emulator/reset', { projects: [{ ref: REF, plan: 'pro' }] });
  ws?.remove();
  ws = workspace();
});

const config = (integrations: string, extra = '') => `project: ${REF}\nthird_party_auth:\n${extra}  integrations:\n${integrations}`;

describe('third_party_auth', () => {
  it('plan → apply → plan → export → plan, custom JWKS shown by digest only', async () => {
    ws.write({
      'tpa.yaml': config(`    - oidc_issuer_url: ${FIREBASE}\n    - jwks_url: ${CLERK_JWKS}\n    - custom_jwks:\n        keys:\n          - ${JSON.stringify(PUBLIC_KEY)}\n`),
    });
    const plan = await cli(['plan', '-c', ws.dir, '--detailed-exitcode']);
    expect(plan.code, all(plan)).toBe(2);
    expect(plan.stdout).toMatch(/\+ integrations\[JWKS: 1 key \(sha256 [0-9a-f]{12}…\)\]/);
    expect(all(plan)).not.toContain(PUBLIC_KEY.n);
    await clearRequestLog(emu);
    const apply = await cli(['apply', '-c', ws.dir, '--yes']);
    expect(apply.code, all(apply)).toBe(0);
    expect(all(apply)).not.toContain(PUBLIC_KEY.n);
    expect(await writes()).toEqual(['POST / 201', 'POST / 201', 'POST / 201']);
    expect((await liveList()).map((t) => t.type).sort()).toEqual(['clerk', 'custom_jwks', 'firebase']);
    const again = await cli(['plan', '-c', ws.dir, '--detailed-exitcode']);
    expect(again.code, all(again)).toBe(0);

    const target = workspace();
    try {
      const out = target.path('project.yaml');
      const exported = await cli(['export', '--project', REF, '--sections', 'third_party_auth', '--out', out]);
      expect(exported.code, exported.stderr).toBe(0);
      const doc = parse(readFileSync(out, 'utf8')) as { third_party_auth: { integrations: unknown[] } };
      expect(doc.third_party_auth.integrations).toHaveLength(3);
      const back = await cli(['plan', '-c', out, '--detailed-exitcode']);
      expect(back.code, all(back)).toBe(0);
      expect(back.stdout).toContain('No changes.');
    } finally {
      target.remove();
    }
  });

  it('reports an unlisted live integration; deletes it only with prune, a risky change', async () => {
    await emu.control('POST', '/_emulator/reset', { projects: [{ ref: REF, third_party_auth: [{ oidc_issuer_url: FIREBASE }, { jwks_url: CLERK_JWKS }] }] });
    ws.write({ 'tpa.yaml': config(`    - oidc_issuer_url: ${FIREBASE}\n`) });
    const kept = await cli(['plan', '-c', ws.dir, '--detailed-exitcode']);
    expect(kept.code).toBe(0);
    expect(kept.stdout).toMatch(/\(clerk: https:\/\/clerk\.example\.com\/\.well-known\/jwks\.json\) is not in the configuration; left untouched \(set prune: true to delete it\)/);

    ws.write({ 'tpa.yaml': config(`    - oidc_issuer_url: ${FIREBASE}\n`, '  prune: true\n') });
    await clearRequestLog(emu);
    const refused = await cli(['apply', '-c', ws.dir, '--yes']);
    expect(refused.code).toBe(4);
    expect(refused.stdout).toMatch(/RISKY \(third_party_auth\.integration\.deleted\)/);
    expect(await writes()).toEqual([]);
    const allowed = await cli(['apply', '-c', ws.dir, '--yes', '--allow-risky']);
    expect(allowed.code, all(allowed)).toBe(0);
    const [clerk] = (await loggedWrites(emu)).map((r) => r.path);
    expect(clerk).toMatch(new RegExp(`^${base}/[0-9a-f-]{36}$`));
    expect((await liveList()).map((t) => t.oidc_issuer_url)).toEqual([FIREBASE]);
  });

  it('a changed integration is replaced (DELETE, then POST keeping its other fields), a risky change', async () => {
    await emu.control('POST', '/_emulator/reset', { projects: [{ ref: REF, third_party_auth: [{ oidc_issuer_url: 'https://auth.example.com', jwks_url: CLERK_JWKS }] }] });
    ws.write({ 'tpa.yaml': config(`    - oidc_issuer_url: https://auth.example.com\n      jwks_url: https://auth.example.com/jwks-v2.json\n`) });
    const refused = await cli(['apply', '-c', ws.dir, '--yes']);
    expect(refused.code).toBe(4);
    expect(refused.stdout).toMatch(/RISKY \(third_party_auth\.integration\.replaced\)/);
    expect(refused.stdout).toContain('jwks_url: "https://clerk.example.com/.well-known/jwks.json" → "https://auth.example.com/jwks-v2.json"');
    await clearRequestLog(emu);
    const allowed = await cli(['apply', '-c', ws.dir, '--yes', '--allow-risky']);
    expect(allowed.code, all(allowed)).toBe(0);
    expect((await writes()).map((w) => w.replace(/[0-9a-f-]{36}/, 'ID'))).toEqual(['DELETE /ID 200', 'POST / 201']);
    expect((await liveList()).map((t) => [t.oidc_issuer_url, t.jwks_url])).toEqual([['https://auth.example.com', 'https://auth.example.com/jwks-v2.json']]);
    expect((await cli(['plan', '-c', ws.dir, '--detailed-exitcode'])).code).toBe(0);
  });

  it('refuses private key material, http URLs and duplicates before any request, never printing key material', async () => {
    ws.write({
      'tpa.yaml': config(
        `    - custom_jwks:\n        keys:\n          - ${JSON.stringify({ ...PUBLIC_KEY, d: 'PRIVATEexponentMustNeverBePrinted' })}\n    - oidc_issuer_url: http://insecure.example.com\n    - jwks_url: ${CLERK_JWKS}\n    - jwks_url: ${CLERK_JWKS}\n`,
      ),
    });
    emu.clearRequests();
    for (const cmd of [['validate'], ['plan'], ['apply', '--yes']]) {
      const r = await cli([...cmd, '-c', ws.dir]);
      expect(r.code, all(r)).toBe(3);
      expect(r.stderr).toMatch(/tpa\.yaml:\d+:\d+: third_party_auth\.integrations\[0\]\.custom_jwks\.keys\[0\]: holds private key material \(d\): give public keys only/);
      expect(r.stderr).toMatch(/third_party_auth\.integrations\[1\]\.oidc_issuer_url: oidc_issuer_url must be an https:\/\/ URL/);
      expect(r.stderr).toMatch(/third_party_auth\.integrations\[3\]\.jwks_url: integrations\[2\] has the same jwks_url/);
      expect(all(r)).not.toContain('PRIVATEexponent');
      expect(all(r)).not.toContain(PUBLIC_KEY.n);
    }
    expect(emu.requests()).toEqual([]);
  });
});
