/**
 * The mapping tables: config.toml keys → supasync fields as the CLI 2.99 sends them (names,
 * negations, units, switches), env() → references, and a note for every key not imported.
 */
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../../src/config/validate.js';
import { convert } from '../../../src/import/convert.js';
import { Included, Reference, type Converted } from '../../../src/import/model.js';
import { ALL_TABLES } from '../../../src/import/tables/index.js';
import { locate, parseToml } from '../../../src/import/toml-file.js';

const FILE = '/repo/supabase/config.toml';

function run(text: string): Converted {
  const toml = parseToml(FILE, text);
  return convert({ toml: toml.root, file: FILE, sourceOf: (p) => p, locate: (p) => locate(toml, p) });
}

const note = (c: Converted, path: string) => c.notes.find((n) => n.path === path);

describe('mapping tables', () => {
  it('name only fields the configuration schema has, in the section they are sent to', () => {
    const schema = configSchema();
    for (const rule of ALL_TABLES) {
      const targets = [...rule.fields.map((f) => f.to), ...(rule.switch?.to ? [rule.switch.to] : []), ...Object.keys(rule.switch?.off ?? {}), ...Object.keys(rule.constants ?? {})];
      for (const to of targets) {
        const [key, ...nested] = to.split('.');
        let node = schema.properties[rule.section]?.properties?.[key!] as { properties?: Record<string, unknown> } | undefined;
        for (const part of nested) node = node?.properties?.[part] as typeof node;
        expect(node, `${rule.table} → ${rule.section}.${to}`).toBeDefined();
      }
    }
  });

  it('[auth]: names, the negated enable_signup, password requirements as aliases', () => {
    const c = run(`
[auth]
site_url = "https://app.example.com"
additional_redirect_urls = ["https://a.example.com", "https://b.example.com"]
jwt_expiry = 1800
enable_signup = false
enable_anonymous_sign_ins = true
minimum_password_length = 10
password_requirements = ""
[auth.rate_limit]
sign_in_sign_ups = 40
token_verifications = 41
email_sent = 9
[auth.sessions]
timebox = "24h"
inactivity_timeout = "90m"
[auth.mfa.phone]
max_frequency = "1m"
`);
    expect(c.issues).toEqual([]);
    expect(c.sections.auth).toEqual({
      site_url: 'https://app.example.com',
      uri_allow_list: ['https://a.example.com', 'https://b.example.com'],
      jwt_exp: 1800,
      disable_signup: true,
      external_anonymous_users_enabled: true,
      password_min_length: 10,
      password_required_characters: 'none',
      rate_limit_otp: 40,
      rate_limit_verify: 41,
      sessions_timebox: 24,
      sessions_inactivity_timeout: 1.5,
      mfa_phone_max_frequency: 60,
    });
    // Without SMTP the CLI does not send the email rate limit.
    expect(note(c, 'auth.rate_limit.email_sent')).toMatchObject({ kind: 'inactive', reason: expect.stringContaining('[auth.email.smtp]') });
    expect(c.provenance.get('auth.disable_signup')).toBe('auth.enable_signup');
  });

  it('[auth.email]: enable_confirmations is sent negated as mailer_autoconfirm; SMTP on sends its fields and the email rate limit', () => {
    const c = run(`
[auth.rate_limit]
email_sent = 100
[auth.email]
enable_confirmations = true
max_frequency = "1m30s"
[auth.email.smtp]
host = "smtp.example.com"
port = 587
user = "apikey"
pass = "plain-secret"
admin_email = "admin@example.com"
`);
    const auth = c.sections.auth!;
    expect(auth).toMatchObject({ mailer_autoconfirm: false, smtp_max_frequency: 90, smtp_host: 'smtp.example.com', smtp_port: 587, smtp_user: 'apikey', rate_limit_email_sent: 100 });
    expect(auth.smtp_pass).toBeInstanceOf(Reference);
    expect((auth.smtp_pass as Reference).source).toBe('plain');
    expect(JSON.stringify(c)).not.toContain('plain-secret');
  });

  it('SMTP off sends only an empty host; so does an empty [auth.email.smtp]', () => {
    expect(run('[auth.email.smtp]\n').sections.auth).toEqual({ smtp_host: '' });
    const c = run('[auth.email.smtp]\nenabled = false\nhost = "smtp.example.com"\npass = "x"\n');
    expect(c.sections.auth).toEqual({ smtp_host: '' });
    expect(note(c, 'auth.email.smtp.host')).toMatchObject({ kind: 'inactive' });
    expect(note(c, 'auth.email.smtp.pass')).toMatchObject({ kind: 'inactive' });
  });

  it('templates: content_path relative to the directory above supabase/, notifications relative to supabase/ and only while enabled', () => {
    const c = run(`
[auth.email.template.invite]
subject = "Join"
content_path = "./supabase/templates/invite.html"
[auth.email.notification.password_changed]
enabled = true
content_path = "./templates/changed.html"
[auth.email.notification.email_changed]
subject = "Changed"
content_path = "./templates/email.html"
`);
    const auth = c.sections.auth!;
    expect(auth.mailer_subjects_invite).toBe('Join');
    expect((auth.mailer_templates_invite_content as Included).file).toBe('/repo/supabase/templates/invite.html');
    expect((auth.mailer_templates_password_changed_notification_content as Included).file).toBe('/repo/supabase/templates/changed.html');
    expect(auth).toMatchObject({ mailer_notifications_password_changed_enabled: true, mailer_notifications_email_changed_enabled: false, mailer_subjects_email_changed_notification: 'Changed' });
    expect(auth.mailer_templates_email_changed_notification_content).toBeUndefined();
    expect(note(c, 'auth.email.notification.email_changed.content_path')).toMatchObject({ kind: 'inactive' });
  });

  it('OAuth providers: disabled sends only the switch; enabled sends the client, the secret when set, url and email_optional', () => {
    const c = run(`
[auth.external.github]
enabled = true
client_id = "gh"
secret = "env(GH_SECRET)"
redirect_uri = "http://localhost/cb"
email_optional = true
[auth.external.azure]
enabled = true
client_id = "az"
secret = ""
url = "https://login.example.com"
[auth.external.apple]
enabled = false
client_id = "apple"
secret = "env(APPLE_SECRET)"
`);
    const auth = c.sections.auth!;
    expect(auth).toMatchObject({ external_github_enabled: true, external_github_client_id: 'gh', external_github_email_optional: true, external_azure_url: 'https://login.example.com', external_apple_enabled: false });
    expect((auth.external_github_secret as Reference).name).toBe('GH_SECRET');
    expect(auth.external_azure_secret).toBeUndefined();
    expect(auth.external_apple_client_id).toBeUndefined();
    expect(note(c, 'auth.external.github.redirect_uri')).toMatchObject({ kind: 'local' });
    expect(note(c, 'auth.external.apple.secret')).toMatchObject({ kind: 'inactive' });
  });

  it('OAuth providers: url, skip_nonce_check and email_optional where config push does not send them are listed as such, not as unknown', () => {
    // Every provider table may hold them (supabase init writes url and skip_nonce_check for apple).
    const c = run(`
[auth.external.apple]
enabled = true
client_id = "apple"
url = ""
skip_nonce_check = false
[auth.external.google]
enabled = true
client_id = "g"
url = "https://accounts.example.com"
skip_nonce_check = true
[auth.external.workos]
enabled = true
client_id = "w"
url = "https://api.workos.example.com"
email_optional = true
`);
    const auth = c.sections.auth!;
    expect(auth).toMatchObject({ external_google_skip_nonce_check: true, external_workos_url: 'https://api.workos.example.com' });
    for (const absent of ['external_apple_url', 'external_apple_skip_nonce_check', 'external_google_url', 'external_workos_email_optional']) expect(auth).not.toHaveProperty(absent);
    expect(Object.fromEntries(c.notes.map((n) => [n.path, [n.kind, n.reason]]))).toEqual({
      'auth.external.apple.url': ['not-pushed', 'config push sends a provider URL only for azure, gitlab, keycloak, workos'],
      'auth.external.apple.skip_nonce_check': ['not-pushed', 'config push sends skip_nonce_check only for google'],
      'auth.external.google.url': ['not-pushed', 'config push sends a provider URL only for azure, gitlab, keycloak, workos'],
      'auth.external.workos.email_optional': ['not-pushed', 'config push does not send email_optional for workos'],
    });
  });

  it('SMS: the first enabled provider only; phone sign-up off without one; sms_autoconfirm as the CLI sends it', () => {
    const withProvider = run(`
[auth.sms]
enable_signup = true
enable_confirmations = true
[auth.sms.test_otp]
4152127777 = "123456"
[auth.sms.twilio]
enabled = true
account_sid = "AC1"
message_service_sid = "MG1"
auth_token = "env(TWILIO_TOKEN)"
[auth.sms.vonage]
enabled = true
from = "x"
`);
    expect(withProvider.sections.auth).toMatchObject({ external_phone_enabled: true, sms_autoconfirm: true, sms_provider: 'twilio', sms_twilio_account_sid: 'AC1', sms_test_otp: ['4152127777=123456'] });
    expect(withProvider.sections.auth!.sms_vonage_from).toBeUndefined();
    expect(note(withProvider, 'auth.sms.vonage.from')?.reason).toContain('(twilio)');
    const without = run('[auth.sms]\nenable_signup = true\n');
    expect(without.sections.auth).toEqual({ external_phone_enabled: false });
    expect(note(without, 'auth.sms.enable_signup')?.reason).toContain('no SMS provider');
  });

  it('hooks and captcha: the switch always, the rest while enabled', () => {
    const c = run(`
[auth.hook.send_email]
enabled = true
uri = "https://hooks.example.com"
secrets = "v1,whsec_abc"
[auth.hook.custom_access_token]
enabled = false
uri = "pg-functions://postgres/public/hook"
[auth.captcha]
enabled = true
provider = "turnstile"
secret = "encrypted:BDx..."
`);
    const auth = c.sections.auth!;
    expect(auth).toMatchObject({ hook_send_email_enabled: true, hook_send_email_uri: 'https://hooks.example.com', hook_custom_access_token_enabled: false, security_captcha_enabled: true, security_captcha_provider: 'turnstile' });
    expect(auth.hook_custom_access_token_uri).toBeUndefined();
    expect((auth.security_captcha_secret as Reference).source).toBe('encrypted');
  });

  it('[api], [db.*], [storage] as config push sends them', () => {
    const c = run(`
[api]
schemas = ["public", "api"]
extra_search_path = []
max_rows = 0
[db.settings]
statement_timeout = "8s"
max_connections = 120
[db.network_restrictions]
enabled = true
allowed_cidrs = ["10.0.0.0/8"]
[db.ssl_enforcement]
[storage]
file_size_limit = "5MB"
[storage.s3_protocol]
enabled = false
[storage.analytics]
enabled = true
max_namespaces = 3
[storage.vector]
enabled = false
max_buckets = 3
`);
    expect(c.sections).toEqual({
      postgrest: { db_schema: ['public', 'api'], db_extra_search_path: [] },
      postgres: { statement_timeout: '8s', max_connections: 120 },
      network_restrictions: { dbAllowedCidrs: ['10.0.0.0/8'] },
      ssl_enforcement: { database: false },
      storage: { fileSizeLimit: 5 * 2 ** 20, features: { s3Protocol: { enabled: false }, icebergCatalog: { enabled: true, maxNamespaces: 3 } } },
    });
    expect(note(c, 'storage.vector.max_buckets')).toMatchObject({ kind: 'inactive' });
  });

  it('[api] off sends only an empty db_schema; [auth] and [storage] off send nothing', () => {
    const c = run('[api]\nenabled = false\nmax_rows = 5\n[auth]\nenabled = false\nsite_url = "x"\n[auth.email]\nenable_signup = true\n[storage]\nenabled = false\nfile_size_limit = "1MB"\n');
    expect(c.sections).toEqual({ postgrest: { db_schema: '' } });
    for (const path of ['api.max_rows', 'auth.site_url', 'auth.email.enable_signup', 'storage.file_size_limit']) expect(note(c, path), path).toMatchObject({ kind: 'inactive' });
  });

  it('[db.pooler] only while enabled (config push never sends it)', () => {
    expect(run('[db.pooler]\nenabled = false\npool_mode = "session"\n').sections).toEqual({});
    expect(run('[db.pooler]\nenabled = true\nport = 54329\npool_mode = "session"\ndefault_pool_size = 30\n').sections).toEqual({ pooler: { pool_mode: 'session', default_pool_size: 30 } });
  });
});

describe('env()', () => {
  it('becomes a ${NAME} reference: quoted in a string field, typed in a number or boolean field', () => {
    const c = run('[auth]\nsite_url = "env(SITE_URL)"\njwt_expiry = "env(JWT_EXP)"\nadditional_redirect_urls = ["env(CALLBACK)", "https://x.example.com"]\n');
    const auth = c.sections.auth!;
    expect(auth.site_url).toMatchObject({ source: 'env', name: 'SITE_URL', typed: false, field: 'auth.site_url' });
    expect(auth.jwt_exp).toMatchObject({ source: 'env', name: 'JWT_EXP', typed: true });
    expect((auth.uri_allow_list as unknown[])[0]).toMatchObject({ name: 'CALLBACK' });
  });

  it('cannot stand where the CLI converts the value: listed, not imported', () => {
    const c = run('[auth]\nenable_signup = "env(SIGNUP)"\n[auth.email]\nmax_frequency = "env(FREQ)"\n[storage]\nfile_size_limit = "env(SIZE)"\n');
    expect(c.sections).toEqual({});
    for (const path of ['auth.enable_signup', 'auth.email.max_frequency', 'storage.file_size_limit']) expect(note(c, path), path).toMatchObject({ kind: 'unconverted' });
  });

  it('with a name supasync cannot reference is an error at the key', () => {
    const c = run('[auth]\n\nsite_url = "env(my-url)"\n');
    expect(c.issues).toEqual([{ location: { file: FILE, line: 3, col: 1 }, path: 'auth.site_url', message: expect.stringContaining('env(...)') }]);
  });
});

describe('keys not imported', () => {
  it('every key has a note: local-only, not sent by config push, or unknown', () => {
    const c = run('project_id = "app"\n[studio]\nport = 1\n[realtime]\nenabled = true\n[auth.third_party.firebase]\nenabled = true\n[auth]\njwt_secret = "local-secret"\nsurprise = 1\n[edge_runtime.secrets]\nKEY = "v"\n');
    expect(c.sections).toEqual({});
    expect(Object.fromEntries(c.notes.map((n) => [n.path, n.kind]))).toEqual({
      project_id: 'local',
      'studio.port': 'local',
      'realtime.enabled': 'not-pushed',
      'auth.third_party.firebase.enabled': 'not-pushed',
      'auth.jwt_secret': 'local',
      'auth.surprise': 'unknown',
      'edge_runtime.secrets.KEY': 'not-pushed',
    });
    expect(JSON.stringify(c.notes)).not.toContain('local-secret');
  });

  it('wrong types are errors at the key, without the value', () => {
    const c = run('[auth]\njwt_expiry = "soon-secret"\n[auth.email]\nmax_frequency = "often"\n');
    expect(c.issues.map((i) => [i.path, i.location?.line])).toEqual([
      ['auth.jwt_expiry', 2],
      ['auth.email.max_frequency', 4],
    ]);
    expect(JSON.stringify(c.issues)).not.toMatch(/soon-secret|often/);
  });
});
