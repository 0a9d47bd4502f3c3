/**
 * Secret hygiene: a canary value for the token and for every secret — every auth secret field
 * (AUTH_SECRET_FIELDS), Edge Function secrets, and values read through `${file:...}` — must never
 * appear in stdout, stderr, logs (at trace level), plan files (text, Markdown, JSON), the daemon's
 * /metrics or any error message, on the success paths and on the failure paths: faults on reads and
 * writes (including a server that echoes what it was sent), 401, and invalid configurations that
 * reference the secrets. Everything runs through the built CLI, as users run it. Neither may the
 * API's digests of the secrets (HMAC / SHA-256) appear: a digest of a guessable secret is the secret.
 */
import { createHash, createHmac } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SeedDocument } from '../../src/emulator/index.js';
import { AUTH_SECRET_FIELDS } from '../../src/providers/auth.js';
import { runCli, type CliResult } from '../helpers/cli.js';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import { workspace, type Workspace } from '../helpers/workspace.js';
import { DaemonProcess } from '../e2e/daemon-harness.js';
import { measuredLine, table, writeReportSection } from './support/report.js';

const REF = 'abcdefghijklmnopqrst';
/** A well-formed token of its own, so that the default test token cannot hide a leak of this one. */
const TOKEN = `sbp_${'c0ffee42'.repeat(5)}`;
const canary = (name: string) => `canary-${name.replace(/_/g, '-')}-${createHash('sha256').update(name).digest('hex').slice(0, 10)}`;

const AUTH_CANARIES = Object.fromEntries(AUTH_SECRET_FIELDS.map((f) => [f, canary(f)]));
const FUNCTION_CANARIES = { STRIPE_KEY: canary('stripe'), OPENAI_KEY: canary('openai') };
const FILE_CANARIES = { client_id: canary('file-client-id'), function_secret: canary('file-function'), smtp_user: canary('file-smtp-user') };
const envName = (field: string) => `CANARY_${field.toUpperCase()}`;

/** Every raw secret, and the digests the API answers for them. */
const SECRETS: Record<string, string> = {
  token: TOKEN,
  'token (hex part)': TOKEN.slice(4),
  ...Object.fromEntries(Object.entries(AUTH_CANARIES).map(([f, v]) => [`auth.${f}`, v])),
  ...Object.fromEntries(Object.entries(FUNCTION_CANARIES).map(([n, v]) => [`secrets.values.${n}`, v])),
  ...Object.fromEntries(Object.entries(FILE_CANARIES).map(([n, v]) => [`\${file:} ${n}`, v])),
};
const DIGESTS: Record<string, string> = {
  ...Object.fromEntries(Object.entries(AUTH_CANARIES).map(([f, v]) => [`HMAC of auth.${f}`, createHmac('sha256', REF).update(v).digest('hex')])),
  ...Object.fromEntries(Object.entries(FUNCTION_CANARIES).map(([n, v]) => [`SHA-256 of ${n}`, createHash('sha256').update(v).digest('hex')])),
  [`SHA-256 of \${file:} function_secret`]: createHash('sha256').update(FILE_CANARIES.function_secret).digest('hex'),
};

/**
 * `export` prints the live state, and fields the API keeps in clear (a client id, an SMTP user) are
 * exported as they are, wherever their configured value once came from: only secrets count there.
 */
function leaks(text: string, opts: { liveFieldsInClear?: boolean } = {}): string[] {
  return [...Object.entries(SECRETS), ...Object.entries(DIGESTS)]
    .filter(([k]) => !(opts.liveFieldsInClear && k.startsWith('${file:} ') && k !== '${file:} function_secret'))
    .filter(([, v]) => text.includes(v))
    .map(([k]) => k);
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

function configYaml(extra = ''): string {
  const auth = AUTH_SECRET_FIELDS.map((f) => `  ${f}: \${${envName(f)}}`).join('\n');
  return `project: ${REF}
auth:
  site_url: https://app.example.com
  external_github_enabled: true
  external_github_client_id: \${file:${secretsDir}/client-id}
  smtp_user: \${file:${secretsDir}/smtp-user}
${auth}
secrets:
  values:
    STRIPE_KEY: \${STRIPE}
    OPENAI_KEY: \${OPENAI}
    FILE_KEY: \${file:${secretsDir}/function-secret}
${extra}`;
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
  ],
};

beforeAll(async () => {
  emu = await startTestEmulator();
  ws = workspace();
  secretsDir = join(ws.dir, '..', `${ws.dir.split('/').pop()}-secrets`);
  mkdirSync(secretsDir, { recursive: true });
  writeFileSync(join(secretsDir, 'client-id'), `${FILE_CANARIES.client_id}\n`);
  writeFileSync(join(secretsDir, 'smtp-user'), FILE_CANARIES.smtp_user);
  writeFileSync(join(secretsDir, 'function-secret'), FILE_CANARIES.function_secret);
  writeFileSync(join(secretsDir, 'pool-mode'), FILE_CANARIES.client_id);
  ws.write({ 'project.yaml': configYaml() });
});
afterAll(async () => {
  await emu?.close();
  ws?.remove();
});

describe('secret hygiene', () => {
  it('the canaries cover the token and every secret field', () => {
    expect(Object.keys(AUTH_CANARIES).sort()).toEqual([...AUTH_SECRET_FIELDS].sort());
    expect(AUTH_SECRET_FIELDS.length).toBeGreaterThan(30);
  });

  it('plan in every format, to stdout and --out files; apply; the converged plan', async () => {
    await emu.reset(SEED);
    for (const format of ['text', 'markdown', 'json']) {
      const out = join(ws.dir, '..', `plan-${process.pid}.${format}`);
      const r = await cli(['plan', '--format', format, '--out', out, '--detailed-exitcode']);
      expect(r.code, r.stderr).toBe(2);
      expectCleanRun(`plan --format ${format}`, r);
      expectClean(`plan --format ${format}`, '--out file', readFileSync(out, 'utf8'));
      expect(r.stdout).toMatch(/sensitive/);
    }
    const applied = await cli(['apply', '--yes']);
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    expectCleanRun('apply --yes', applied);
    const json = await cli(['apply', '--yes', '--format', 'json']);
    expect(json.code).toBe(0);
    expectCleanRun('apply --yes --format json (converged)', json);
    // The secrets did reach the API (as the API keeps them: digests).
    const auth = (await emu.call<Record<string, string>>('GET', `/v1/projects/${REF}/config/auth`, undefined, { token: TOKEN })).body;
    expect(auth.smtp_pass).toBe(DIGESTS['HMAC of auth.smtp_pass']);
    const again = await cli(['plan', '--detailed-exitcode']);
    expect(again.code).toBe(0);
    expectCleanRun('plan (converged)', again);
    const exported = await runCli(['export', '--project', REF, '--log-level', 'trace'], { env: env() });
    expect(exported.code).toBe(0);
    expectCleanRun('export', exported, { liveFieldsInClear: true });
    expect(exported.stdout).toContain('${AUTH_SMTP_PASS}');
  }, 120_000);

  const FAULTS: Array<[string, object[]]> = [
    ['500 on every read', [{ method: 'GET', path: '.*', status: 500 }]],
    ['a write refused by a server that echoes the request body', [{ method: 'PATCH', path: 'config/auth$', status: 400, body: { message: `invalid value ${AUTH_CANARIES.smtp_pass} for smtp_pass; token ${TOKEN}` } }]],
    ['function secrets refused with the values echoed', [{ method: 'POST', path: '/secrets$', status: 422, body: { error: { message: `bad secret ${FUNCTION_CANARIES.STRIPE_KEY}` } } }]],
    ['connection reset on writes', [{ method: 'PATCH', path: '.*', reset: true }, { method: 'POST', path: '.*', reset: true }]],
    ['a slow write (timeout)', [{ method: 'PATCH', path: '.*', delay_ms: 2_000 }]],
    ['401 everywhere', [{ path: '.*', status: 401, body: { message: 'Unauthorized' } }]],
    ['malformed JSON echoing a secret', [{ method: 'GET', path: 'config/auth$', status: 200, body: `{"smtp_pass": "${AUTH_CANARIES.smtp_pass}` }]],
    ['an HTML error page echoing a secret', [{ method: 'PATCH', path: '.*', status: 502, body: `<html>${AUTH_CANARIES.smtp_pass} ${TOKEN}</html>` }]],
  ];
  // Each with its own emulator, at once: most of the time goes to retry backoff.
  it.concurrent.each(FAULTS)('failure path: %s', async (name, rules) => {
    const own = await startTestEmulator({ seed: SEED });
    try {
      own.addFaults(rules as never);
      const r = await cli(['apply', '--yes'], [], {}, own.url);
      expect(r.code).toBe(1);
      expectCleanRun(`apply under fault: ${name}`, r);
      const p = await cli(['plan', '--format', 'json'], [], {}, own.url);
      expectCleanRun(`plan --format json under fault: ${name}`, p);
    } finally {
      await own.close();
    }
  }, 120_000);

  const INVALID: Array<[string, string, Record<string, string>]> = [
    ['a schema error elsewhere in the file', 'postgres:\n  max_connections: lots\n', {}],
    ['a secret through a variable into an integer field', 'postgres:\n  max_parallel_workers: ${JWT}\n', { JWT: AUTH_CANARIES.smtp_pass! }],
    ['a file value into an enum field (no "did you mean")', `pooler:\n  pool_mode: \${file:SECRETS/pool-mode}\n`, {}],
    ['a file value into a CIDR list', `network_restrictions:\n  dbAllowedCidrs: ["\${file:SECRETS/client-id}"]\n`, {}],
    ['a file value into a domain', `sso:\n  providers:\n    - metadata_url: https://idp.example.com/m\n      domains: ["\${file:SECRETS/client-id}"]\n`, {}],
    ['a secret as an unknown key\'s value', 'auth_extra:\n  x: ${STRIPE}\n', {}],
    ['a secret into a boolean field', 'ssl_enforcement:\n  database: ${STRIPE}\n', {}],
  ];
  it.each(INVALID)('invalid configuration referencing the secrets: %s', async (name, extra, extraEnv) => {
    await emu.reset(SEED);
    emu.clearRequests();
    ws.write({ 'project.yaml': configYaml(extra.replaceAll('SECRETS', secretsDir)) });
    try {
      for (const cmd of [['validate'], ['plan'], ['apply', '--yes']]) {
        const r = await runCli(cmd[0] === 'validate' ? ['validate', '-c', ws.dir, '--secrets-dir', secretsDir] : args(cmd), { env: env(extraEnv) });
        expect(r.code, r.stdout + r.stderr).toBe(3);
        expectCleanRun(`${cmd.join(' ')} with ${name}`, r);
      }
      expect(emu.requests()).toHaveLength(0);
    } finally {
      ws.write({ 'project.yaml': configYaml() });
    }
  }, 60_000);

  it('the daemon: logs at trace and /metrics through drift, faults on reads and writes, 401 and recovery', async () => {
    await emu.reset(SEED);
    const d = DaemonProcess.start(
      ['-c', ws.dir, '--secrets-dir', secretsDir, '--schedule', '*/1 * * * * *', '--listen', '127.0.0.1:0', '--log-level', 'trace'],
      env(),
    );
    try {
      const url = await d.url();
      const cycle = async () => d.nextCycle(d.lines.length, 30_000);
      await d.waitFor((l) => l.msg === 'cycle complete', { what: 'first cycle', timeoutMs: 30_000 });
      const phases: Array<[string, object[]]> = [
        ['500 on reads', [{ method: 'GET', path: 'config/auth$', status: 500 }]],
        ['echoing 400 on writes', [{ method: 'PATCH', path: '.*', status: 400, body: { message: `rejected ${AUTH_CANARIES.smtp_pass}` } }]],
        ['401', [{ path: '.*', status: 401, body: { message: 'Unauthorized' } }]],
      ];
      for (const [, rules] of phases) {
        // Drift on every secret, so that each phase has writes to attempt.
        await emu.call('PATCH', `/v1/projects/${REF}/config/auth`, { smtp_pass: 'drifted', external_github_secret: 'drifted' }, { token: TOKEN });
        emu.addFaults(rules as never);
        await cycle();
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
    expectClean('daemon', 'stdout (JSON logs at trace)', d.stdout);
    expectClean('daemon', 'stderr', d.stderr);
  }, 120_000);
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
  await writeReportSection(
    'secret-hygiene',
    [
      measuredLine(),
      '',
      `${Object.keys(SECRETS).length} canaries — the token (and its hex part), all ${AUTH_SECRET_FIELDS.length} auth secret fields,`,
      `${Object.keys(FUNCTION_CANARIES).length} Edge Function secrets and ${Object.keys(FILE_CANARIES).length} values read through \`\${file:}\` — and the`,
      `${Object.keys(DIGESTS).length} digests the API answers for them were searched for in every output below (built CLI, \`--log-level trace\`):`,
      'none was found.',
      '',
      table(
        ['scenario', 'outputs scanned', 'KiB'],
        // Sorted: the failure paths run concurrently and finish in any order.
        [...byScenario].sort(([a], [b]) => (a < b ? -1 : 1)).map(([scenario, e]) => [scenario, e.outputs.join(', '), Math.max(1, Math.round(e.bytes / 1024))]),
      ),
    ].join('\n'),
  );
});
