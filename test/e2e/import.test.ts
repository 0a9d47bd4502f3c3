/**
 * `supasync import` as users run it (the built CLI): stdout and --out, files never replaced without
 * --force nor written through a symlink, the linked project, located errors (bad TOML, a value
 * supasync refuses), local-only keys listed on stderr, and a canary secret written all over a
 * config.toml appearing in no file, no stdout and no stderr.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { workspace, type Workspace } from '../helpers/workspace.js';

const REF = 'abcdefghijklmnopqrst';
const CANARY = 'canary-9f3Kq2ZxLm';

const BASIC = `project_id = "shop"
[api]
port = 54321
max_rows = 500
[studio]
port = 54323
[auth]
site_url = "https://shop.example.com"
jwt_expiry = 1800
[auth.email.template.invite]
subject = "Welcome"
content_path = "./supabase/templates/invite.html"
[auth.mfa.phone]
template = "Your code: \${{ .Code }}"
`;

/** A canary in every place a config.toml may hold a secret, imported or not. */
const SECRETS = `project_id = "shop"
[db]
root_key = "${CANARY}-root"
[db.vault]
key = "${CANARY}-vault"
[studio]
openai_api_key = "${CANARY}-openai"
[edge_runtime.secrets]
KEY = "${CANARY}-edge"
[experimental]
s3_secret_key = "${CANARY}-s3"
[auth]
jwt_secret = "${CANARY}-jwt"
[auth.captcha]
enabled = true
provider = "hcaptcha"
secret = "${CANARY}-captcha"
[auth.email.smtp]
host = "smtp.example.com"
port = 587
user = "u"
pass = "${CANARY}-smtp"
admin_email = "admin@example.com"
[auth.hook.send_email]
enabled = true
uri = "https://hooks.example.com"
secrets = "${CANARY}-hook"
[auth.sms.twilio]
enabled = true
account_sid = "AC1"
message_service_sid = "MG1"
auth_token = "${CANARY}-twilio"
[auth.external.github]
enabled = true
client_id = "gh"
secret = "${CANARY}-github"
[auth.external.apple]
enabled = false
secret = "${CANARY}-apple"
[remotes.staging]
project_id = "zyxwvutsrqponmlkjihg"
[remotes.staging.auth.email.smtp]
pass = "${CANARY}-staging-smtp"
`;

function allFiles(dir: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[]).filter((f) => statSync(join(dir, f)).isFile()).sort();
}

describe('supasync import', () => {
  let ws: Workspace;
  const imp = (args: string[], env: Record<string, string> = {}) => runCli(['import', ...args], { cwd: ws.dir, env });

  beforeEach(() => {
    ws = workspace({ 'supabase/config.toml': BASIC, 'supabase/templates/invite.html': '<p>{{ .ConfirmationURL }}</p>\n' });
  });
  afterEach(() => ws.remove());

  it('prints the YAML on stdout (templates referenced in place) and what it did not import on stderr', async () => {
    const res = await imp(['supabase/config.toml', '--project', REF]);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toContain(`project: ${REF}`);
    expect(res.stdout).toContain('max_rows: 500 # api.max_rows');
    expect(res.stdout).toContain('mailer_templates_invite_content: "${include:supabase/templates/invite.html}"');
    // A literal `${` is escaped, so supasync sends it as written.
    expect(res.stdout).toContain('mfa_phone_template: "Your code: $${{ .Code }}"');
    expect(res.stderr).toMatch(/Not imported: local development only[^\n]*:\n(?:.*\n)* {2}\[api\] port — /);
    expect(res.stderr).toContain('[studio] port');
    expect(res.stderr).toContain('project_id — the local project name');
    expect(allFiles(ws.dir)).toEqual(['supabase/config.toml', 'supabase/templates/invite.html']);
    // Saved where it says, it validates.
    ws.write({ 'supasync.yaml': res.stdout });
    const valid = await runCli(['validate', '-c', 'supasync.yaml'], { cwd: ws.dir });
    expect(valid.code, valid.stderr).toBe(0);
  });

  it('--out DIR writes the YAML and copies the templates next to it; refuses to replace files without --force', async () => {
    const first = await imp(['supabase/config.toml', '--project', REF, '--out', 'config']);
    expect(first.code, first.stderr).toBe(0);
    expect(allFiles(join(ws.dir, 'config'))).toEqual(['email-templates/invite.html', 'shop.yaml']);
    expect(first.stderr).toContain(`Wrote ${join('config', 'shop.yaml')}`);
    expect(readFileSync(join(ws.dir, 'config/shop.yaml'), 'utf8')).toContain('"${include:email-templates/invite.html}"');
    expect((await runCli(['validate', '-c', 'config'], { cwd: ws.dir })).code).toBe(0);

    ws.write({ 'supabase/config.toml': BASIC.replace('jwt_expiry = 1800', 'jwt_expiry = 900') });
    const again = await imp(['supabase/config.toml', '--project', REF, '--out', 'config']);
    expect(again.code).toBe(3);
    expect(again.stderr).toMatch(/would replace .*shop\.yaml.*nothing written \(use --force/);
    expect(readFileSync(join(ws.dir, 'config/shop.yaml'), 'utf8')).toContain('jwt_exp: 1800');
    const forced = await imp(['supabase/config.toml', '--project', REF, '--out', 'config', '--force']);
    expect(forced.code, forced.stderr).toBe(0);
    expect(readFileSync(join(ws.dir, 'config/shop.yaml'), 'utf8')).toContain('jwt_exp: 900');
  });

  it('never writes through a symbolic link, even with --force', async () => {
    mkdirSync(join(ws.dir, 'config'));
    ws.write({ 'elsewhere.txt': 'keep me' });
    symlinkSync(join(ws.dir, 'elsewhere.txt'), join(ws.dir, 'config/shop.yaml'));
    const res = await imp(['supabase/config.toml', '--project', REF, '--out', 'config', '--force']);
    expect(res.code).toBe(3);
    expect(res.stderr).toMatch(/symbolic link/);
    expect(readFileSync(join(ws.dir, 'elsewhere.txt'), 'utf8')).toBe('keep me');
  });

  it('takes the project `supabase link` recorded; without one it asks for --project', async () => {
    const none = await imp(['supabase/config.toml']);
    expect(none.code).toBe(3);
    expect(none.stderr).toMatch(/names no project: pass --project REF/);
    ws.write({ 'supabase/.temp/project-ref': `${REF}\n` });
    const linked = await imp(['supabase/config.toml']);
    expect(linked.code, linked.stderr).toBe(0);
    expect(linked.stdout).toContain(`project: ${REF}`);
    expect(linked.stderr).toContain('supabase link recorded');
  });

  it('bad TOML and values supasync refuses are errors at the config.toml key (exit 3), nothing written', async () => {
    ws.write({ 'supabase/config.toml': '[auth]\nsite_url = "https://x.example.com"\njwt_expiry = \n' });
    const bad = await imp(['supabase/config.toml', '--project', REF, '--out', 'config']);
    expect(bad.code).toBe(3);
    expect(bad.stderr).toMatch(/^Error: supabase\/config\.toml:3:\d+: invalid TOML: /m);
    ws.write({ 'supabase/config.toml': '[auth]\n\njwt_expiry = 9999999\n' });
    const refused = await imp(['supabase/config.toml', '--project', REF, '--out', 'config']);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain('Error: supabase/config.toml:3:1: auth.jwt_expiry: must be <= 604800 (imported as auth.jwt_exp)');
    expect(existsSync(join(ws.dir, 'config'))).toBe(false);
  });

  it('on stdout, a template outside the current directory needs --out', async () => {
    mkdirSync(join(ws.dir, 'app'));
    const res = await runCli(['import', '../supabase/config.toml', '--project', REF], { cwd: join(ws.dir, 'app') });
    expect(res.code).toBe(3);
    expect(res.stderr).toMatch(/auth\.email\.template\.invite\.content_path: the template is outside the current directory.*use --out DIR/);
  });

  it('a canary secret written anywhere in config.toml appears in no file, no stdout and no stderr', async () => {
    ws.write({ 'supabase/config.toml': SECRETS });
    const out = await imp(['supabase/config.toml', '--project', REF, '--out', 'config']);
    expect(out.code, out.stderr).toBe(0);
    const stdout = await imp(['supabase/config.toml', '--project', REF]);
    expect(stdout.code, stdout.stderr).toBe(0);
    const written = allFiles(join(ws.dir, 'config')).map((f) => readFileSync(join(ws.dir, 'config', f), 'utf8'));
    expect(allFiles(join(ws.dir, 'config'))).toEqual(['projects/shop.yaml', 'projects/staging.yaml', 'templates/shop.yaml']);
    for (const text of [...written, out.stdout, out.stderr, stdout.stdout, stdout.stderr]) expect(text).not.toContain(CANARY);
    // Each imported secret is a reference, listed with what it stands for.
    for (const name of ['AUTH_SMTP_PASS', 'AUTH_SMTP_PASS_STAGING', 'AUTH_SECURITY_CAPTCHA_SECRET', 'AUTH_HOOK_SEND_EMAIL_SECRETS', 'AUTH_SMS_TWILIO_AUTH_TOKEN', 'AUTH_EXTERNAL_GITHUB_SECRET']) {
      expect(out.stderr).toMatch(new RegExp(`^  ${name} +auth\\.`, 'm'));
    }
    // The local secrets are listed by name only.
    expect(out.stderr).toMatch(/\[auth\] jwt_secret — local development only/);
    expect(out.stderr).toMatch(/\[edge_runtime\.secrets\] KEY — Edge Function secrets/);
    // And the result loads with those variables set.
    const env = Object.fromEntries(['AUTH_SMTP_PASS', 'AUTH_SMTP_PASS_STAGING', 'AUTH_SECURITY_CAPTCHA_SECRET', 'AUTH_HOOK_SEND_EMAIL_SECRETS', 'AUTH_SMS_TWILIO_AUTH_TOKEN', 'AUTH_EXTERNAL_GITHUB_SECRET'].map((n) => [n, 'x']));
    const valid = await runCli(['validate', '-c', 'config'], { cwd: ws.dir, env });
    expect(valid.code, valid.stderr).toBe(0);
  });

  it('a canary in a TOML syntax error is not quoted', async () => {
    ws.write({ 'supabase/config.toml': `[auth.email.smtp]\npass = "${CANARY}\n` });
    const res = await imp(['supabase/config.toml', '--project', REF]);
    expect(res.code).toBe(3);
    expect(res.stderr).toMatch(/config\.toml:2:\d+: invalid TOML/);
    expect(res.stdout + res.stderr).not.toContain(CANARY);
  });
});
