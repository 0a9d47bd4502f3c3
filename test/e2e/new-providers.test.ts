/**
 * Issue 9 providers end to end against the emulator: PostgREST, SSL enforcement and Edge Function
 * secrets — minimal writes, normalisation, observe mode, guardrails, secrets never shown.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { secretDigest } from '../../src/emulator/hashing.js';
import { REDACTED } from '../../src/emulator/redact.js';
import { runCli, type CliResult } from '../helpers/cli.js';
import { REF, TOKEN, clearRequestLog, loggedWrites, startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import { workspace, type Workspace } from '../helpers/workspace.js';


let emu: TestEmulator;
let ws: Workspace;
const SECRET = 'sk_live_canary_7d1e0c';

const cli = (args: string[], env: Record<string, string> = {}) =>
  runCli(args, { env: { SUPABASE_API_URL: emu.url, SUPABASE_ACCESS_TOKEN: TOKEN, STRIPE_KEY: SECRET, ...env } });
const writes = () => loggedWrites(emu);
const clearLog = () => clearRequestLog(emu);
const all = (r: CliResult) => r.stdout + r.stderr;

beforeAll(async () => {
  emu = await startTestEmulator();
});
afterAll(async () => {
  await emu.close();
});
beforeEach(async () => {
  await emu.control('POST', '/_emulator/reset', { projects: [{ ref: REF }] });
  ws?.remove();
  ws = workspace();
});

describe('postgrest', () => {
  it('PATCHes only changed keys, compares lists in order, never touches jwt_secret', async () => {
    ws.write({ 'api.yaml': `project: ${REF}\npostgrest:\n  db_schema: [public, graphql_public]\n  db_extra_search_path: public,extensions\n  max_rows: 500\n` });
    const plan = await cli(['plan', '-c', ws.dir, '--format', 'json']);
    const changes = JSON.parse(plan.stdout).projects[0].sections[0].changes;
    expect(changes).toEqual([{ path: 'max_rows', action: 'update', before: 1000, after: 500, sensitive: false }]);
    expect(all(plan)).not.toMatch(/jwt_secret/);

    await clearLog();
    expect((await cli(['apply', '-c', ws.dir, '--yes'])).code).toBe(0);
    expect((await writes()).map((r) => [r.method, r.body])).toEqual([['PATCH', { max_rows: 500 }]]);
    expect((await cli(['plan', '-c', ws.dir, '--detailed-exitcode'])).code).toBe(0);

    ws.write({ 'api.yaml': `project: ${REF}\npostgrest:\n  db_schema: [graphql_public, public]\n` });
    const reordered = await cli(['plan', '-c', ws.dir, '--detailed-exitcode']);
    expect(reordered.code).toBe(2);
    expect(reordered.stdout).toContain('db_schema: ["public","graphql_public"] → ["graphql_public","public"]');
  });
});

describe('ssl_enforcement', () => {
  it('turns enforcement on, waits for it to apply, converges; turning it off is risky', async () => {
    ws.write({ 'ssl.yaml': `project: ${REF}\nssl_enforcement:\n  database: true\n` });
    await clearLog();
    const on = await cli(['apply', '-c', ws.dir, '--yes']);
    expect(on.code, all(on)).toBe(0);
    expect((await writes()).map((r) => [r.method, r.body])).toEqual([['PUT', { requestedConfig: { database: true } }]]);
    expect((await cli(['plan', '-c', ws.dir, '--detailed-exitcode'])).code).toBe(0);

    ws.write({ 'ssl.yaml': `project: ${REF}\nssl_enforcement:\n  database: false\n` });
    await clearLog();
    const off = await cli(['apply', '-c', ws.dir, '--yes']);
    expect(off.code).toBe(4);
    expect(off.stdout).toMatch(/RISKY \(ssl_enforcement\.database\.disabled\)/);
    expect(await writes()).toEqual([]);
    expect((await cli(['apply', '-c', ws.dir, '--yes', '--allow-risky'])).code).toBe(0);
  });
});

describe('secrets', () => {
  const config = (extra = '') => `project: ${REF}\nsecrets:\n${extra}  values:\n    STRIPE_KEY: "\${STRIPE_KEY}"\n    PLAIN: "\${PLAIN_VALUE}"\n`;

  it('POSTs only new and changed secrets, by digest, never showing a value', async () => {
    await emu.control('POST', '/_emulator/reset', { projects: [{ ref: REF, secrets: { PLAIN: 'unchanged-value', OLD_ONE: 'x' } }] });
    ws.write({ 'secrets.yaml': config() });
    const env = { PLAIN_VALUE: 'unchanged-value' };
    const plan = await cli(['plan', '-c', ws.dir, '--detailed-exitcode'], env);
    expect(plan.code).toBe(2);
    expect(plan.stdout).toContain('+ STRIPE_KEY: (not set) → (sensitive value)');
    expect(plan.stdout).toMatch(/OLD_ONE/);
    expect(plan.stdout).not.toMatch(/PLAIN/);
    await clearLog();
    const apply = await cli(['apply', '-c', ws.dir, '--yes', '--log-level', 'trace'], env);
    expect(apply.code).toBe(0);
    expect(all(apply)).not.toContain(SECRET);
    // The request log never holds the value; what arrived shows as its digest.
    expect((await writes()).map((r) => [r.method, r.body])).toEqual([['POST', [{ name: 'STRIPE_KEY', value: REDACTED }]]]);
    const live = await emu.call<{ name: string; value: string }[]>('GET', `/v1/projects/${REF}/secrets`);
    expect(live.body.find((s) => s.name === 'STRIPE_KEY')?.value).toBe(secretDigest(SECRET));
    expect((await cli(['plan', '-c', ws.dir, '--detailed-exitcode'], env)).code).toBe(0);

    const rotated = await cli(['plan', '-c', ws.dir, '--format', 'json'], { ...env, STRIPE_KEY: 'sk_live_rotated_canary' });
    expect(JSON.parse(rotated.stdout).projects[0].sections[0].changes).toEqual([
      { path: 'STRIPE_KEY', item: 'STRIPE_KEY', action: 'update', sensitive: true, before_set: true },
    ]);
    expect(all(rotated)).not.toContain('sk_live_rotated_canary');
  });

  it('deletes unlisted secrets only with prune, and refuses that unless allowed', async () => {
    await emu.control('POST', '/_emulator/reset', { projects: [{ ref: REF, secrets: { STRIPE_KEY: SECRET, PLAIN: 'p', OLD_ONE: 'x' } }] });
    ws.write({ 'secrets.yaml': config('  prune: true\n') });
    await clearLog();
    const refused = await cli(['apply', '-c', ws.dir, '--yes'], { PLAIN_VALUE: 'p' });
    expect(refused.code).toBe(4);
    expect(refused.stdout).toMatch(/RISKY \(secrets\.deleted\)/);
    expect(await writes()).toEqual([]);
    const allowed = await cli(['apply', '-c', ws.dir, '--yes', '--allow-risky'], { PLAIN_VALUE: 'p' });
    expect(allowed.code).toBe(0);
    expect((await writes()).map((r) => [r.method, r.body])).toEqual([['DELETE', ['OLD_ONE']]]);
  });

  it('observe mode writes nothing', async () => {
    ws.write({ 'secrets.yaml': config('  mode: observe\n') });
    await clearLog();
    const apply = await cli(['apply', '-c', ws.dir, '--yes'], { PLAIN_VALUE: 'p' });
    expect(apply.code).toBe(0);
    expect(await writes()).toEqual([]);
  });

  it('rejects reserved SUPABASE_ names at validation', async () => {
    ws.write({ 'secrets.yaml': `project: ${REF}\nsecrets:\n  values:\n    SUPABASE_URL: x\n` });
    const plan = await cli(['plan', '-c', ws.dir]);
    expect(plan.code).toBe(3);
    expect(plan.stderr).toMatch(/secrets\.yaml:4:5: .*SUPABASE_URL/);
  });
});
