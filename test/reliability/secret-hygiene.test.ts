/**
 * Secret hygiene: canaries sit in every position config.schema.json allows a string — each scalar,
 * list item and nested value, found by walking the schema (support/canary-positions.ts) and read
 * through `${file:...}`; every auth secret field and Edge Function secret through the environment;
 * and the token — and none of them may appear, in any form (as written, lower or upper case,
 * trimmed, URL-encoded, base64, hex, SHA-256, HMAC-SHA256 keyed by the ref), in stdout, stderr,
 * logs at trace level, plan files (text, Markdown, JSON), the daemon's /metrics and /readyz, or any
 * error message: on the success paths; on the failure paths, including an API whose error text
 * quotes the configured secrets and the token in transformed forms; and for invalid configurations
 * (positions whose schema refuses a canary, a `${...}` in a mapping key, which is refused).
 * Everything runs through the built CLI, as users run it, with many canaries per run.
 */
import { createHash, createHmac } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SeedDocument } from '../../src/emulator/index.js';
import { AUTH_SECRET_FIELDS } from '../../src/providers/auth.js';
import { runCli, type CliResult } from '../helpers/cli.js';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import { workspace, type Workspace } from '../helpers/workspace.js';
import { DaemonProcess } from '../e2e/daemon-harness.js';
import { canaryPositions, documentFor, type CanaryPosition } from './support/canary-positions.js';
import { measuredLine, table, writeReportSection } from './support/report.js';

const REF = 'abcdefghijklmnopqrst';
/** Documents of the invalid scenarios address another project: nothing may be contacted for it either. */
const OTHER_REF = 'zyxwvutsrqponmlkjihg';
/** The project of the positions that cannot share one (canary-positions.ts SECOND_PROJECT). */
const SECOND_REF = 'canarysecondprojectx';
/** A well-formed token of its own, so that the default test token cannot hide a leak of this one. */
const TOKEN = `sbp_${'c0ffee42'.repeat(5)}`;
const canary = (name: string) => `Canary-${name.replace(/_/g, '-')}-${createHash('sha256').update(name).digest('hex').slice(0, 10)}`;

const AUTH_CANARIES = Object.fromEntries(AUTH_SECRET_FIELDS.map((f) => [f, canary(f)]));
const FUNCTION_CANARIES = { STRIPE_KEY: canary('stripe'), OPENAI_KEY: canary('openai') };
const FILE_FUNCTION_SECRET = canary('file-function');
const envName = (field: string) => `CANARY_${field.toUpperCase()}`;

const POSITIONS = canaryPositions(new Set([...AUTH_SECRET_FIELDS.map((f) => `auth.${f}`), 'secrets.values.*']));
/** Key material an API might quote in its error text: supasync never knows it, and prints it nowhere. */
const ECHOED_KEY = `sb_secret_${canary('echoed-api-key')}`;
const ECHOED_JWT = `eyJhbGciOiJIUzI1NiJ9.${Buffer.from(`{"role":"${canary('echoed-jwt')}"}`).toString('base64url')}.c2lnbmF0dXJlLW9mLWEtand0`;
/** A canary behind a `${file:}` written as a mapping key: refused, never read. */
const KEY_CANARY = canary('mapping-key');

/** Every secret by what it is. */
const SECRETS: Record<string, string> = {
  token: TOKEN,
  'token (hex part)': TOKEN.slice(4),
  ...Object.fromEntries(Object.entries(AUTH_CANARIES).map(([f, v]) => [`auth.${f} (env)`, v])),
  ...Object.fromEntries(Object.entries(FUNCTION_CANARIES).map(([n, v]) => [`secrets.values.${n} (env)`, v])),
  'secrets.values.FILE_KEY (file)': FILE_FUNCTION_SECRET,
  ...Object.fromEntries([...POSITIONS.valid, ...POSITIONS.invalid].map((p) => [`${p.position} (file)`, p.canary])),
  'a mapping key (file, refused)': KEY_CANARY,
  'an API key echoed by the API': ECHOED_KEY,
  'a legacy JWT echoed by the API': ECHOED_JWT,
};

const FORMS: Array<[string, (v: string) => string, { exact?: boolean }]> = [
  ['as written', (v) => v, {}],
  ['lower case', (v) => v.toLowerCase(), {}],
  ['upper case', (v) => v.toUpperCase(), {}],
  ['URL-encoded', (v) => encodeURIComponent(v), {}],
  ['base64', (v) => Buffer.from(v).toString('base64').replace(/=+$/, ''), { exact: true }],
  ['hex', (v) => Buffer.from(v).toString('hex'), {}],
  ['SHA-256', (v) => createHash('sha256').update(v).digest('hex'), {}],
  ['HMAC-SHA256 (key: ref)', (v) => createHmac('sha256', REF).update(v).digest('hex'), {}],
];
/** Needles: case-insensitive ones lower-cased (one lower-cased haystack covers both cases), base64 exact. */
const NEEDLES = Object.entries(SECRETS).flatMap(([name, value]) =>
  FORMS.map(([form, f, { exact }]) => ({ name: `${name}, ${form}`, secret: name, text: exact ? f(value) : f(value).toLowerCase(), exact: Boolean(exact) })),
);

/**
 * `export` prints the live state, and fields the API keeps in clear (a client id, a URL) are
 * exported as they are, wherever their configured value once came from: only secrets count there.
 */
const liveInClear = (secret: string) => secret.endsWith('(file)') && !secret.startsWith('secrets.values.');

function leaks(text: string, opts: { liveFieldsInClear?: boolean } = {}): string[] {
  const lower = text.toLowerCase();
  return NEEDLES.filter((n) => !(opts.liveFieldsInClear && liveInClear(n.secret)))
    .filter((n) => (n.exact ? text : lower).includes(n.text))
    .map((n) => n.name);
}

let emu: TestEmulator;
let ws: Workspace;
let secretsDir: string;
const scanned: Array<{ scenario: string; what: string; bytes: number }> = [];

function expectClean(scenario: string, what: string, text: string, opts: { liveFieldsInClear?: boolean } = {}): void {
  scanned.push({ scenario, what, bytes: Buffer.byteLength(text) });
  expect(leaks(text, opts), `${scenario}: ${what} leaks`).toEqual([]);
}
function expectCleanRun(scenario: string, r: CliResult, opts: { liveFieldsInClear?: boolean } = {}): void {
  expectClean(scenario, 'stdout', r.stdout, opts);
  expectClean(scenario, 'stderr (logs at trace)', r.stderr, opts);
  expect(r.stdout + r.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
}

const env = (extra: Record<string, string> = {}, url = emu.url) => ({
  SUPABASE_API_URL: url,
  SUPABASE_ACCESS_TOKEN: TOKEN,
  ...Object.fromEntries(Object.entries(AUTH_CANARIES).map(([f, v]) => [envName(f), v])),
  STRIPE: FUNCTION_CANARIES.STRIPE_KEY,
  OPENAI: FUNCTION_CANARIES.OPENAI_KEY,
  SUPASYNC_API_TIMEOUT_MS: '1000',
  ...extra,
});

/** The project's document: a canary in every valid position, every secret field, every function secret. */
function configYaml(): string {
  const doc = documentFor(POSITIONS.valid.filter((p) => p.project === 'main'), secretsDir) as Record<string, Record<string, unknown>>;
  doc.auth = { ...doc.auth, external_github_enabled: true, ...Object.fromEntries(AUTH_SECRET_FIELDS.map((f) => [f, `\${${envName(f)}}`])) };
  doc.secrets = { values: { STRIPE_KEY: '${STRIPE}', OPENAI_KEY: '${OPENAI}', FILE_KEY: `\${file:${secretsDir}/function-secret}` } };
  const second = documentFor(POSITIONS.valid.filter((p) => p.project === 'second'), secretsDir);
  return `${stringify({ project: REF, ...doc })}---\n${stringify({ project: SECOND_REF, ...second })}`;
}

const args = (cmd: string[], more: string[] = []) => [...cmd, '-c', ws.dir, '--secrets-dir', secretsDir, '--log-level', 'trace', ...more];
const cli = (cmd: string[], more: string[] = [], extraEnv: Record<string, string> = {}, url = emu.url) =>
  runCli(args(cmd, more), { env: env(extraEnv, url), timeoutMs: 60_000 });

/** Live state that differs from the configuration in every secret (so every one is planned and written). */
const SEED: SeedDocument = {
  projects: [
    {
      ref: REF,
      plan: 'pro',
      auth: { smtp_pass: 'old-live-password', external_github_secret: 'old-live-github' },
      secrets: { STRIPE_KEY: 'old-live-stripe' },
    },
    { ref: SECOND_REF, plan: 'pro' },
  ],
};

const byPosition = (position: string): CanaryPosition => {
  const found = POSITIONS.valid.find((p) => p.position === position);
  if (!found) throw new Error(`no canary position ${position}`);
  return found;
};

beforeAll(async () => {
  emu = await startTestEmulator();
  ws = workspace();
  secretsDir = join(ws.dir, '..', `${ws.dir.split('/').pop()}-secrets`);
  mkdirSync(secretsDir, { recursive: true });
  for (const p of [...POSITIONS.valid, ...POSITIONS.invalid]) writeFileSync(join(secretsDir, p.file), p.fileText);
  writeFileSync(join(secretsDir, 'function-secret'), FILE_FUNCTION_SECRET);
  writeFileSync(join(secretsDir, 'mapping-key'), KEY_CANARY);
  ws.write({ 'project.yaml': configYaml() });
});
afterAll(async () => {
  await emu?.close();
  ws?.remove();
});

describe('secret hygiene', () => {
  it('the canaries cover the token, every secret field and every string position of the schema', () => {
    expect(Object.keys(AUTH_CANARIES).sort()).toEqual([...AUTH_SECRET_FIELDS].sort());
    expect(AUTH_SECRET_FIELDS.length).toBeGreaterThan(30);
    const kinds = new Set(POSITIONS.valid.map((p) => p.kind));
    expect([...kinds].sort()).toEqual(['list item', 'nested value', 'scalar']);
    // Every SSO field that takes a string, both kinds of lists, and the positions only an invalid document can hold.
    for (const position of ['sso.providers[].domains[]', 'sso.providers[].metadata_url', 'sso.providers[].metadata_xml', 'sso.providers[].attribute_mapping.keys.*.name', 'sso.providers[].attribute_mapping.keys.*.names[]', 'sso.providers[].attribute_mapping.keys.*.default', 'auth.uri_allow_list[]', 'postgrest.db_schema[]', 'network_restrictions.dbAllowedCidrs[]', 'third_party_auth.integrations[].oidc_issuer_url', 'third_party_auth.integrations[].jwks_url']) {
      expect(byPosition(position).position).toBe(position);
    }
    expect(POSITIONS.valid.length).toBeGreaterThan(80);
    // Positions whose format refuses a canary: Postgres sizes and durations, the backup time of day.
    for (const position of ['auth.sms_test_otp_valid_until', 'postgres.work_mem', 'postgres.statement_timeout', 'backups.schedule_for', 'api_keys.keys[].name', 'signing_keys.revoke[]']) {
      expect(POSITIONS.invalid.map((p) => p.position)).toContain(position);
    }
    // A key's description, the custom hostname and (in a second project) the vanity subdomain: planned and applied.
    for (const position of ['api_keys.keys[].description', 'custom_domain.custom_hostname', 'custom_domain.vanity_subdomain']) expect(byPosition(position).position).toBe(position);
    expect(byPosition('custom_domain.vanity_subdomain').project).toBe('second');
  });

  it('plan in every format, to stdout and --out files; apply; the converged plan; export', async () => {
    await emu.reset(SEED);
    for (const format of ['text', 'markdown', 'json']) {
      const out = join(ws.dir, '..', `plan-${process.pid}.${format}`);
      const r = await cli(['plan', '--format', format, '--out', out, '--detailed-exitcode']);
      expect(r.code, r.stderr).toBe(2);
      expectCleanRun(`plan --format ${format}`, r);
      expectClean(`plan --format ${format}`, '--out file', readFileSync(out, 'utf8'));
      expect(r.stdout).toMatch(/sensitive/);
      // The SSO provider whose domain is a canary is labelled by its position.
      expect(r.stdout).toContain('providers[1]');
    }
    const applied = await cli(['apply', '--yes']);
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    expectCleanRun('apply --yes', applied);
    // The custom hostname (a canary) waits for its DNS records: in place now, the next apply activates it.
    expect(applied.stdout).toMatch(/waiting \(custom_domain\): custom hostname \[redacted\] waits for its DNS records/);
    await emu.control('POST', `/_emulator/projects/${REF}/custom-hostname/dns`, { verified: true });
    const json = await cli(['apply', '--yes', '--format', 'json']);
    expect(json.code).toBe(0);
    expectCleanRun('apply --yes --format json (converged)', json);
    // The secrets did reach the API (as the API keeps them: digests; the file values in clear).
    const auth = (await emu.call<Record<string, string>>('GET', `/v1/projects/${REF}/config/auth`, undefined, { token: TOKEN })).body;
    expect(auth.smtp_pass).toBe(createHmac('sha256', REF).update(AUTH_CANARIES.smtp_pass!).digest('hex'));
    expect(String(auth.site_url).toLowerCase()).toContain(byPosition('auth.site_url').canary.toLowerCase());
    const again = await cli(['plan', '--detailed-exitcode']);
    expect(again.code, again.stdout).toBe(0);
    expectCleanRun('plan (converged)', again);
    const exported = await runCli(['export', '--project', REF, '--log-level', 'trace'], { env: env() });
    expect(exported.code).toBe(0);
    expectCleanRun('export', exported, { liveFieldsInClear: true });
    expect(exported.stdout).toContain('${AUTH_SMTP_PASS}');
  }, 180_000);

  it('pretty logs (the terminal format) of plan and apply carry no canary either', async () => {
    await emu.reset(SEED);
    const plan = await cli(['plan', '--detailed-exitcode'], ['--log-format', 'pretty']);
    expect(plan.code, plan.stderr).toBe(2);
    expectCleanRun('plan --log-format pretty', plan);
    const applied = await cli(['apply', '--yes'], ['--log-format', 'pretty']);
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    expectCleanRun('apply --yes --log-format pretty', applied);
    // Pretty lines, not JSON: one sentence per applied change, the sensitive ones marked.
    expect(applied.stderr).toMatch(/INFO.*applied ~ auth\./);
    expect(applied.stderr).toContain('(sensitive value)');
    expect(applied.stderr).not.toMatch(/^\{"level"/m);
  });

  it('key material the API answers — API key values, the legacy JWTs, private JWK members — is in no output', async () => {
    await emu.reset(SEED);
    // Every API key the emulator holds, revealed (supasync never asks for that): the legacy anon and
    // service_role JWTs, the publishable and the secret key.
    const held = (await emu.call<Array<{ api_key: string }>>('GET', `/v1/projects/${REF}/api-keys?reveal=true`, undefined, { token: TOKEN })).body.map((k) => k.api_key);
    expect(held.length).toBeGreaterThanOrEqual(4);
    // An API that answers more than it should: a secret key in clear, private members in the JWKs.
    const leaked = { secretKey: `sb_secret_${canary('api-key')}`, hash: canary('api-key-hash'), d: canary('jwk-private-d'), k: canary('jwk-oct-k') };
    const at = '2026-01-01T00:00:00Z';
    const inUse = '5a0d1d2e-1111-4111-8111-111111111111';
    const previous = '5a0d1d2e-2222-4222-8222-222222222222';
    emu.addFaults([
      {
        method: 'GET',
        path: '/api-keys$',
        status: 200,
        body: [
          { id: 'service_role', type: 'legacy', name: 'service_role', api_key: held[1] },
          { id: '5a0d1d2e-3333-4333-8333-333333333333', type: 'secret', name: 'leaky', api_key: leaked.secretKey, hash: leaked.hash, prefix: leaked.secretKey.slice(0, 15), description: null, secret_jwt_template: { role: 'service_role' } },
        ],
      },
      {
        method: 'GET',
        path: '/signing-keys$',
        status: 200,
        body: {
          keys: [
            { id: inUse, algorithm: 'ES256', status: 'in_use', public_jwk: { kty: 'EC', crv: 'P-256', x: 'x', y: 'y', d: leaked.d }, created_at: at, updated_at: at },
            { id: previous, algorithm: 'HS256', status: 'previously_used', public_jwk: { kty: 'oct', k: leaked.k }, created_at: at, updated_at: at },
          ],
        },
      },
    ] as never);
    const keysWs = workspace({
      'keys.yaml': `project: ${REF}\nallow_risky: [signing_keys]\napi_keys:\n  legacy_enabled: false\n  keys: [{type: secret, name: backend}]\nsigning_keys:\n  standby: RS256\n`,
    });
    const needles = [...held, ...Object.values(leaked)].flatMap((value) => FORMS.map(([form, f, { exact }]) => ({ form, text: exact ? f(value) : f(value).toLowerCase(), exact: Boolean(exact) })));
    const check = (what: string, text: string) => {
      scanned.push({ scenario: 'key material answered by the API', what, bytes: Buffer.byteLength(text) });
      const lower = text.toLowerCase();
      expect(needles.filter((n) => (n.exact ? text : lower).includes(n.text)).map((n) => n.form), what).toEqual([]);
    };
    try {
      const run = (cmd: string[]) => runCli([...cmd, '-c', keysWs.dir, '--log-level', 'trace'], { env: env() });
      for (const format of ['text', 'markdown', 'json']) {
        const out = join(keysWs.dir, '..', `keys-plan-${process.pid}.${format}`);
        const r = await run(['plan', '--format', format, '--out', out]);
        expect(r.code, r.stderr).toBe(0);
        check(`plan --format ${format}`, r.stdout + r.stderr);
        check(`plan --format ${format} --out`, readFileSync(out, 'utf8'));
        rmSync(out, { force: true });
      }
      const applied = await run(['apply', '--yes']);
      // The faults answer the same lists after the writes too: the new key and the standby are not
      // confirmed, so those sections fail (issue 17 item 15) — their texts are checked all the same.
      expect(applied.code, applied.stdout + applied.stderr).toBe(1);
      expect(applied.stdout).toContain('+ keys[secret:backend]');
      expect(applied.stdout).toContain('api_keys: failed (the API answered but did not take this change: keys[secret:backend] still differs after apply)');
      check('apply --yes', applied.stdout + applied.stderr);
      const exported = await runCli(['export', '--project', REF, '--all', '--sections', 'api_keys,signing_keys', '--log-level', 'trace'], { env: env() });
      expect(exported.code, exported.stderr).toBe(0);
      expect(exported.stdout).toContain('name: leaky');
      check('export --all', exported.stdout + exported.stderr);
    } finally {
      emu.clearFaults();
      keysWs.remove();
    }
  }, 120_000);

  /** Server text quoting what the server holds, in the forms a server or proxy might print it. */
  const site = () => byPosition('auth.site_url').canary;
  const domain = () => byPosition('sso.providers[].domains[]').canary;
  const FAULTS: Array<[string, () => object[]]> = [
    ['500 on every read', () => [{ method: 'GET', path: '.*', status: 500 }]],
    ['a write refused by a server that echoes the request body', () => [{ method: 'PATCH', path: 'config/auth$', status: 400, body: { message: `invalid value ${AUTH_CANARIES.smtp_pass} for smtp_pass; token ${TOKEN}` } }]],
    ['function secrets refused with the values echoed', () => [{ method: 'POST', path: '/secrets$', status: 422, body: { error: { message: `bad secret ${FUNCTION_CANARIES.STRIPE_KEY}` } } }]],
    [
      'a 500 on a read (no request body) quoting configured values, transformed',
      () => [
        {
          method: 'GET',
          path: 'config/auth$',
          status: 500,
          body: {
            message: `current smtp_pass is ${AUTH_CANARIES.smtp_pass!.toUpperCase()}; site_url ${encodeURIComponent(`https://${site()}/x`)}; ${Buffer.from(domain()).toString('base64')} ${Buffer.from(site()).toString('hex')}`,
          },
        },
      ],
    ],
    ['a 401 echoing the token’s hex part, upper-cased and base64', () => [{ path: '.*', status: 401, body: { message: `token ${TOKEN.slice(4).toUpperCase()} (${Buffer.from(TOKEN).toString('base64')}) is revoked` } }]],
    ['connection reset on writes', () => [{ method: 'PATCH', path: '.*', reset: true }, { method: 'POST', path: '.*', reset: true }]],
    ['a slow write (timeout)', () => [{ method: 'PATCH', path: '.*', delay_ms: 2_000 }]],
    ['an API key refused with key material quoted', () => [{ method: 'POST', path: '/api-keys$', status: 409, body: { message: `conflicts with key ${ECHOED_KEY} and legacy key ${ECHOED_JWT}` } }]],
    ['malformed JSON echoing a secret', () => [{ method: 'GET', path: 'config/auth$', status: 200, body: `{"smtp_pass": "${AUTH_CANARIES.smtp_pass}` }]],
    ['an HTML error page echoing a secret', () => [{ method: 'PATCH', path: '.*', status: 502, body: `<html>${AUTH_CANARIES.smtp_pass} ${TOKEN}</html>` }]],
  ];
  // Each with its own emulator, at once: most of the time goes to retry backoff.
  it.concurrent.each(FAULTS)('failure path: %s', async (name, rules) => {
    const own = await startTestEmulator({ seed: SEED });
    try {
      own.addFaults(rules() as never);
      const r = await cli(['apply', '--yes'], [], {}, own.url);
      expect(r.code).toBe(1);
      expectCleanRun(`apply under fault: ${name}`, r);
      for (const format of ['json', 'markdown']) {
        const p = await cli(['plan', '--format', format], [], {}, own.url);
        expectCleanRun(`plan --format ${format} under fault: ${name}`, p);
      }
    } finally {
      await own.close();
    }
  }, 180_000);

  const INVALID: Array<[string, () => string, Record<string, string>]> = [
    ['a schema error elsewhere in the configuration', () => 'postgres:\n  max_connections: lots\n', {}],
    ['a secret through a variable into an integer field', () => 'postgres:\n  max_parallel_workers: ${JWT}\n', { JWT: AUTH_CANARIES.smtp_pass! }],
    ['a file value into an enum field (no "did you mean")', () => `pooler:\n  pool_mode: \${file:${secretsDir}/${byPosition('auth.site_url').file}}\n`, {}],
    ['a file value into a CIDR list', () => `network_restrictions:\n  dbAllowedCidrs: ["\${file:${secretsDir}/${byPosition('auth.site_url').file}}"]\n`, {}],
    ['a file value into a domain, listed twice (lower-cased by the check)', () => `sso:\n  providers:\n    - metadata_url: https://a.example.com/m\n      domains: ["\${file:${secretsDir}/${byPosition('auth.site_url').file}}"]\n    - metadata_url: https://b.example.com/m\n      domains: ["\${file:${secretsDir}/${byPosition('auth.site_url').file}}"]\n`, {}],
    ['a secret as an unknown key’s value', () => 'auth_extra:\n  x: ${STRIPE}\n', {}],
    ['a secret into a boolean field', () => 'ssl_enforcement:\n  database: ${STRIPE}\n', {}],
    ['metadata read from a file that is not well-formed', () => `sso:\n  providers:\n    - metadata_xml: \${file:${secretsDir}/broken-xml}\n`, {}],
    ['a file value and a secret into storage and realtime numbers', () => `storage:\n  fileSizeLimit: \${file:${secretsDir}/${byPosition('auth.site_url').file}}\nrealtime:\n  max_concurrent_users: \${STRIPE}\n`, {}],
    ['private key material read from a file into custom_jwks (refused, never quoted)', () => `third_party_auth:\n  integrations:\n    - custom_jwks: {keys: [{kty: RSA, e: AQAB, n: x, d: "\${file:${secretsDir}/${byPosition('auth.site_url').file}}"}]}\n`, {}],
    [
      'a ${file:} reference in a mapping key (refused: keys are never interpolated)',
      () => `sso:\n  providers:\n    - metadata_url: https://a.example.com/m\n      attribute_mapping:\n        keys:\n          "\${file:${secretsDir}/mapping-key}": {name: email}\n`,
      {},
    ],
  ];
  it.each(INVALID)('invalid configuration referencing the secrets: %s', async (name, extra, extraEnv) => {
    await emu.reset(SEED);
    emu.clearRequests();
    writeFileSync(join(secretsDir, 'broken-xml'), `<md:EntityDescriptor entityID="x"><${byPosition('auth.site_url').canary}></md:EntityDescriptor>`);
    ws.write({ 'other.yaml': `project: ${OTHER_REF}\n${extra()}` });
    try {
      for (const cmd of [['validate'], ['plan'], ['apply', '--yes']]) {
        const r = await runCli(cmd[0] === 'validate' ? ['validate', '-c', ws.dir, '--secrets-dir', secretsDir] : args(cmd), { env: env(extraEnv) });
        expect(r.code, r.stdout + r.stderr).toBe(3);
        expectCleanRun(`${cmd.join(' ')} with ${name}`, r);
        if (name.includes('mapping key')) expect(r.stderr).toMatch(/other\.yaml:7:11: .*a mapping key cannot hold a \$\{\.\.\.\} reference/);
      }
      expect(emu.requests()).toHaveLength(0);
    } finally {
      rmSync(ws.path('other.yaml'), { force: true });
    }
  }, 60_000);

  it('invalid configuration: a canary in every position whose schema refuses a canary-shaped value', async () => {
    const doc = documentFor(POSITIONS.invalid, secretsDir);
    ws.write({ 'other.yaml': stringify(doc) });
    try {
      for (const cmd of [['validate'], ['plan']]) {
        const r = await runCli(cmd[0] === 'validate' ? ['validate', '-c', ws.dir, '--secrets-dir', secretsDir] : args(cmd), { env: env() });
        expect(r.code, r.stdout + r.stderr).toBe(3);
        expectCleanRun(`${cmd.join(' ')} with every refused position`, r);
        expect(r.stderr.split('\n').filter((l) => l.includes('other.yaml')).length).toBeGreaterThanOrEqual(POSITIONS.invalid.length - 1);
      }
    } finally {
      rmSync(ws.path('other.yaml'), { force: true });
    }
  }, 60_000);

  it('the daemon: logs at trace, /metrics and /readyz through drift, faults on reads and writes, 401 and recovery', async () => {
    await emu.reset(SEED);
    const d = DaemonProcess.start(
      // No client-side rate limit: a cycle every second reads every section of two projects, past 120 requests a minute.
      ['-c', ws.dir, '--secrets-dir', secretsDir, '--schedule', '*/1 * * * * *', '--listen', '127.0.0.1:0', '--log-level', 'trace', '--rate-limit', '0'],
      env(),
    );
    try {
      const url = await d.url();
      const cycle = async () => d.nextCycle(d.lines.length, 30_000);
      await d.waitFor((l) => l.msg === 'cycle complete', { what: 'first cycle', timeoutMs: 30_000 });
      const phases: Array<[string, object[]]> = [
        ['500 on reads, quoting a configured value', [{ method: 'GET', path: 'config/auth$', status: 500, body: { message: `current site_url ${site().toUpperCase()}` } }]],
        ['echoing 400 on writes', [{ method: 'PATCH', path: '.*', status: 400, body: { message: `rejected ${AUTH_CANARIES.smtp_pass}` } }]],
        ['401 echoing the token', [{ path: '.*', status: 401, body: { message: `Unauthorized ${TOKEN.slice(4)}` } }]],
      ];
      for (const [, rules] of phases) {
        // Drift on every secret, so that each phase has writes to attempt.
        await emu.call('PATCH', `/v1/projects/${REF}/config/auth`, { smtp_pass: 'drifted', external_github_secret: 'drifted' }, { token: TOKEN });
        emu.addFaults(rules as never);
        // Two attempts under the fault: the failure's first line, then its repeat (logged at debug, scanned all the same).
        await cycle();
        await cycle();
        const ready = await (await fetch(`${url}/readyz`)).text();
        expectClean('daemon', '/readyz (under fault)', ready);
        emu.clearFaults();
        await cycle();
      }
      const metrics = await (await fetch(`${url}/metrics`)).text();
      expect(metrics).toContain('supasync_cycles_total');
      expectClean('daemon', '/metrics', metrics);
      const ready = await (await fetch(`${url}/readyz`)).text();
      expectClean('daemon', '/readyz', ready);
    } finally {
      d.signal('SIGTERM');
      await Promise.race([d.exited, sleep(15_000)]);
      await d.kill();
    }
    expect(d.lines.length).toBeGreaterThan(10);
    // The scan covers the failure lines of every kind: first, repeated and recovered.
    expect(d.lines.some((l) => l.msg === 'project reconciled' && l.failure === 'first')).toBe(true);
    expect(d.lines.some((l) => l.msg === 'project reconciled' && l.failure === 'repeat')).toBe(true);
    expect(d.lines.some((l) => l.msg === 'project recovered')).toBe(true);
    expectClean('daemon', 'stdout (JSON logs at trace)', d.stdout);
    expectClean('daemon', 'stderr', d.stderr);
  }, 180_000);
});

afterAll(async () => {
  if (!scanned.length) return;
  const byScenario = new Map<string, { outputs: string[]; bytes: number }>();
  for (const s of scanned) {
    const entry = byScenario.get(s.scenario) ?? { outputs: [], bytes: 0 };
    if (!entry.outputs.includes(s.what)) entry.outputs.push(s.what);
    entry.bytes += s.bytes;
    byScenario.set(s.scenario, entry);
  }
  const kinds = new Map<string, number>();
  for (const p of POSITIONS.valid) kinds.set(p.kind, (kinds.get(p.kind) ?? 0) + 1);
  await writeReportSection(
    'secret-hygiene',
    [
      measuredLine(),
      '',
      `${Object.keys(SECRETS).length} canaries, each looked for in ${FORMS.length} forms (${FORMS.map(([f]) => f).join(', ')}) —`,
      `${NEEDLES.length} strings — in every output below (built CLI, \`--log-level trace\`): none was found. A canary is the value as`,
      'meant, trimmed (one file pads its value with spaces and a newline). The canaries:',
      '',
      `- the token and its hex part; all ${AUTH_SECRET_FIELDS.length} auth secret fields and ${Object.keys(FUNCTION_CANARIES).length} Edge Function secrets, through the environment;`,
      `- one \`\${file:}\` value in every position config.schema.json allows a string, found by walking the schema:`,
      `  ${[...kinds].map(([k, n]) => `${n} ${k}${n === 1 ? '' : 's'}`).join(', ')} in a valid configuration (planned, applied, re-planned, exported),`,
      `  including every SSO field that takes a string (domains, metadata_url, metadata_xml, attribute_mapping name, names, default)`,
      `  and the labels of SSO providers whose domain is one; and ${POSITIONS.invalid.length} positions whose schema refuses such a value`,
      `  (${POSITIONS.invalid.map((p) => `\`${p.position}\``).join(', ')}) in an invalid one;`,
      '- a `${file:}` reference written as a mapping key: refused with a located error, never read;',
      '- and the API error text that quotes them: fault bodies that echo the configured values and the token, upper-cased, URL-encoded, base64 and hex.',
      '',
      table(
        ['scenario', 'outputs scanned', 'KiB'],
        // Sorted: the failure paths run concurrently and finish in any order.
        [...byScenario].sort(([a], [b]) => (a < b ? -1 : 1)).map(([scenario, e]) => [scenario, e.outputs.join(', '), Math.max(1, Math.round(e.bytes / 1024))]),
      ),
    ].join('\n'),
  );
});
