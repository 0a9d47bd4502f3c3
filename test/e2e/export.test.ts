/**
 * `supasync export` end to end: a live project with every section populated exports to YAML that
 * validates and plans back to `No changes.`, with secrets as ${VAR} references — never values or hashes.
 */
import { createHash, createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli, type CliResult } from '../helpers/cli.js';
import { REF, STAGING_REF, TOKEN, startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import { workspace, type Workspace } from '../helpers/workspace.js';

const SECRETS = {
  AUTH_SMTP_PASS: 'canary-smtp-0a1b2c',
  AUTH_EXTERNAL_GITHUB_SECRET: 'canary-github-3d4e5f',
  STRIPE_KEY: 'canary-stripe-678901',
  WEBHOOK_TOKEN: '12345',
};

const populated = {
  ref: REF,
  plan: 'pro',
  auth: {
    site_url: 'https://app.example.com',
    jwt_exp: 7200,
    uri_allow_list: 'https://app.example.com/cb,https://admin.example.com/cb',
    password_min_length: 10,
    password_required_characters: 'abcdefghijklmnopqrstuvwxyz:ABCDEFGHIJKLMNOPQRSTUVWXYZ:0123456789',
    smtp_host: 'smtp.example.com',
    smtp_port: '587',
    smtp_user: 'apikey',
    smtp_pass: SECRETS.AUTH_SMTP_PASS,
    smtp_admin_email: 'no-reply@example.com',
    external_github_enabled: true,
    external_github_client_id: 'Iv1.abc',
    external_github_secret: SECRETS.AUTH_EXTERNAL_GITHUB_SECRET,
    mfa_totp_enroll_enabled: true,
    mfa_totp_verify_enabled: true,
  },
  postgres: { statement_timeout: '30s', work_mem: '8MB', max_connections: 120 },
  pooler: { default_pool_size: 30, pool_mode: 'session' },
  network_restrictions: { dbAllowedCidrs: ['203.0.113.0/24'], dbAllowedCidrsV6: ['2001:db8::/32'] },
  sso_providers: [
    {
      metadata_url: 'https://idp.example.com/saml/metadata',
      domains: ['example.com'],
      attribute_mapping: { keys: { email: { name: 'mail' } } },
      name_id_format: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
    },
  ],
  postgrest: { db_schema: 'public,api', max_rows: 500, db_extra_search_path: 'public,extensions' },
  ssl_enforcement: { database: true },
  secrets: { STRIPE_KEY: SECRETS.STRIPE_KEY, WEBHOOK_TOKEN: SECRETS.WEBHOOK_TOKEN },
  storage: { fileSizeLimit: 10485760, features: { s3Protocol: { enabled: false } } },
  realtime: { private_only: true, max_concurrent_users: 300 },
  third_party_auth: [{ oidc_issuer_url: 'https://securetoken.google.com/my-app' }, { custom_jwks: { keys: [{ kty: 'RSA', kid: 'k1', e: 'AQAB', n: 'abc' }] } }],
  backup_schedule: { schedule_for: '03:15:00' },
  api_keys: { legacy_enabled: false, keys: [{ type: 'publishable', name: 'web_app', description: 'The web app' }, { type: 'secret', name: 'backend', secret_jwt_template: { role: 'service_role' } }] },
  signing_keys: [
    { algorithm: 'HS256', status: 'previously_used', legacy: true },
    { algorithm: 'ES256', status: 'in_use' },
    { algorithm: 'RS256', status: 'standby' },
  ],
  vanity_subdomain: 'acme-exported',
};

let emu: TestEmulator;
let ws: Workspace;
const cli = (args: string[], env: Record<string, string> = {}) =>
  runCli(args, { env: { SUPABASE_API_URL: emu.url, SUPABASE_ACCESS_TOKEN: TOKEN, ...env } });
const all = (r: CliResult) => r.stdout + r.stderr;

/** Every form in which a planted secret could leak: the value, its HMAC (auth) and its SHA-256 (secrets). */
const leaks = (text: string) =>
  Object.values(SECRETS).filter(
    (v) =>
      (v.length > 5 && text.includes(v)) ||
      text.includes(createHmac('sha256', REF).update(v).digest('hex')) ||
      text.includes(createHash('sha256').update(v).digest('hex')),
  );

beforeAll(async () => {
  emu = await startTestEmulator();
});
afterAll(async () => {
  await emu.close();
});
beforeEach(async () => {
  await emu.control('POST', '/_emulator/reset', { projects: [populated, { ref: STAGING_REF, plan: 'free' }] });
  ws?.remove();
  ws = workspace();
});

describe('export', () => {
  for (const mode of ['defaults left out', '--all'] as const) {
    it(`exports every section so that it plans back to No changes (${mode})`, async () => {
      const out = ws.path('project.yaml');
      const args = ['export', '--project', REF, '--out', out, ...(mode === '--all' ? ['--all'] : [])];
      const exported = await cli(args);
      expect(exported.code, exported.stderr).toBe(0);
      const text = readFileSync(out, 'utf8');
      expect(leaks(text + all(exported))).toEqual([]);
      const doc = parse(text);
      expect(Object.keys(doc).sort()).toEqual(
        ['api_keys', 'auth', 'backups', 'custom_domain', 'network_restrictions', 'pooler', 'postgres', 'postgrest', 'project', 'realtime', 'secrets', 'signing_keys', 'ssl_enforcement', 'sso', 'storage', 'third_party_auth'].sort(),
      );
      // Keys by type, name and description: never a key's value.
      expect(doc.api_keys).toEqual({
        legacy_enabled: false,
        keys: [
          { type: 'publishable', name: 'web_app', description: 'The web app' },
          { type: 'secret', name: 'backend', secret_jwt_template: { role: 'service_role' } },
        ],
      });
      expect(text).not.toMatch(/sb_(?:secret|publishable)_|eyJhbGciOi/);
      expect(doc.signing_keys).toEqual({ in_use: 'ES256', standby: 'RS256' });
      expect(doc.custom_domain).toEqual({ vanity_subdomain: 'acme-exported' });
      expect(doc.storage).toMatchObject({ fileSizeLimit: 10485760, features: { s3Protocol: { enabled: false } } });
      expect(doc.realtime).toMatchObject({ private_only: true, max_concurrent_users: 300 });
      expect(doc.third_party_auth.integrations).toEqual([
        { oidc_issuer_url: 'https://securetoken.google.com/my-app' },
        { custom_jwks: { keys: [{ kty: 'RSA', kid: 'k1', e: 'AQAB', n: 'abc' }] } },
      ]);
      expect(doc.backups).toEqual({ schedule_for: '03:15:00' });
      expect(doc.auth.smtp_pass).toBe('${AUTH_SMTP_PASS}');
      expect(doc.auth.external_github_secret).toBe('${AUTH_EXTERNAL_GITHUB_SECRET}');
      expect(doc.auth.uri_allow_list).toEqual(['https://app.example.com/cb', 'https://admin.example.com/cb']);
      expect(doc.auth.password_required_characters).toBe('lower_upper_letters_digits');
      expect(doc.secrets.values).toEqual({ STRIPE_KEY: '${STRIPE_KEY}', WEBHOOK_TOKEN: '${WEBHOOK_TOKEN}' });
      // The variables to set are listed on stderr, by name only.
      for (const name of Object.keys(SECRETS)) expect(exported.stderr).toContain(name);

      const plan = await cli(['plan', '-c', out, '--detailed-exitcode'], SECRETS);
      expect(plan.code, plan.stdout + plan.stderr).toBe(0);
      expect(plan.stdout).toContain('No changes.');
    });
  }

  it('leaves new-project defaults out unless --all', async () => {
    const slim = parse((await cli(['export', '--project', REF])).stdout);
    const full = parse((await cli(['export', '--project', REF, '--all'])).stdout);
    expect(slim.auth.jwt_exp).toBe(7200);
    expect(slim.auth).not.toHaveProperty('rate_limit_otp');
    expect(full.auth.rate_limit_otp).toBe(30);
    expect(Object.keys(full.auth).length).toBeGreaterThan(Object.keys(slim.auth).length + 20);
  });

  it('skips sections the project cannot have, and exports only the sections asked for', async () => {
    const free = await cli(['export', '--project', STAGING_REF, '--sections', 'network_restrictions,sso,pooler,backups', '--all']);
    expect(free.code, free.stderr).toBe(0);
    expect(free.stderr).toMatch(/Skipped network_restrictions: .*entitlement: disallowed/);
    expect(free.stderr).toMatch(/Skipped sso: SAML SSO is not available/);
    expect(free.stderr).toMatch(/Skipped backups: the backup schedule is not available/);
    expect(Object.keys(parse(free.stdout))).toEqual(['project', 'pooler']);
  });

  it('rejects a bad ref or section name before any request', async () => {
    expect((await cli(['export', '--project', 'NOPE'])).code).toBe(3);
    const bad = await cli(['export', '--project', REF, '--sections', 'auth,nosuch']);
    expect(bad.code).toBe(3);
    expect(bad.stderr).toMatch(/unknown section\(s\) nosuch/);
  });
});
