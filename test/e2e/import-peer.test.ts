/**
 * `supasync import` against what the official Supabase CLI (supabase@2.99.0) really sends: the same
 * config.toml is pushed with `supabase config push` to the emulator, imported, and the imported YAML
 * planned against that emulator: No changes. Once for the config.toml of `supabase init`, once for
 * a rich one (SMTP with a password written in the file, MFA, the GitHub provider, email templates
 * and a notification from files, Postgres settings, network restrictions, SSL enforcement, Storage,
 * rate limits, hooks, captcha, sessions). The rich file's written secrets never reach any output.
 * See ../shared/peers/README.md. The CLI is installed apart (peers/supabase-cli); without it these
 * tests say they did not run (test/helpers/peer-cli.ts).
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { REF, STAGING_REF, TOKEN, startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import { describePeer } from '../helpers/peer-cli.js';

const run = promisify(execFile);

/** Written in the rich config.toml in plain text: must appear in no output of the import. */
const SMTP_CANARY = 'canary-smtp-Zq8xW3vK';
const HOOK_CANARY = 'v1,whsec_Y2FuYXJ5LWhvb2stc2VjcmV0LXZhbHVlLTAxMjM0NTY3';
/** Given to both tools through env(): the import names the variable, never the value. */
const ENV = { HCAPTCHA_SECRET: 'hcaptcha-secret-value-1', GITHUB_SECRET: 'github-secret-value-1', SUPABASE_AUTH_SMS_TWILIO_AUTH_TOKEN: 'twilio-token-value-1' };

/** Edits a `supabase init` config.toml into the rich one; each pattern must match once. */
const RICH_EDITS: [RegExp, string][] = [
  [/^site_url = ".*"$/m, 'site_url = "https://app.example.com"'],
  [/^additional_redirect_urls = .*$/m, 'additional_redirect_urls = ["https://app.example.com/callback", "https://admin.example.com/callback"]'],
  [/^jwt_expiry = 3600$/m, 'jwt_expiry = 1800'],
  [/^minimum_password_length = 6$/m, 'minimum_password_length = 10'],
  [/^password_requirements = ""$/m, 'password_requirements = "lower_upper_letters_digits"'],
  [/^email_sent = 2$/m, 'email_sent = 100'],
  [/^token_refresh = 150$/m, 'token_refresh = 200'],
  [/^max_rows = 1000$/m, 'max_rows = 500'],
  [/^file_size_limit = "50MiB"$/m, 'file_size_limit = "20MiB"'],
  [/^# \[storage\.image_transformation\]\n# enabled = true$/m, '[storage.image_transformation]\nenabled = true'],
  [/^(\[db\.network_restrictions\]\n(?:#.*\n)*)enabled = false$/m, '$1enabled = true'],
  [/^allowed_cidrs = \["0\.0\.0\.0\/0"\]$/m, 'allowed_cidrs = ["203.0.113.0/24", "198.51.100.0/24"]'],
  [/^allowed_cidrs_v6 = \["::\/0"\]$/m, 'allowed_cidrs_v6 = ["2001:db8::/32"]'],
  [
    /^# \[db\.ssl_enforcement\]\n# enabled = true$/m,
    '[db.ssl_enforcement]\nenabled = true\n\n[db.settings]\nmax_connections = 120\nstatement_timeout = "8s"\nwork_mem = "16MB"\nsession_replication_role = "origin"\ntrack_commit_timestamp = true',
  ],
  [/^# \[auth\.captcha\]\n# enabled = true\n# provider = "hcaptcha"\n# secret = ""$/m, '[auth.captcha]\nenabled = true\nprovider = "hcaptcha"\nsecret = "env(HCAPTCHA_SECRET)"'],
  [/^enable_confirmations = false$/m, 'enable_confirmations = true'],
  [/^max_frequency = "1s"$/m, 'max_frequency = "1m30s"'],
  [
    /^# \[auth\.email\.smtp\]\n(?:# .*\n){7}/m,
    `[auth.email.smtp]\nenabled = true\nhost = "smtp.sendgrid.net"\nport = 587\nuser = "apikey"\npass = "${SMTP_CANARY}"\nadmin_email = "admin@example.com"\nsender_name = "Example"\n`,
  ],
  [
    /^# \[auth\.email\.template\.invite\]\n(?:# .*\n){2}/m,
    '[auth.email.template.invite]\nsubject = "You have been invited"\ncontent_path = "./supabase/templates/invite.html"\n\n' +
      '[auth.email.template.recovery]\nsubject = "Reset your password"\ncontent_path = "./supabase/templates/recovery.html"\n',
  ],
  [
    /^# \[auth\.email\.notification\.password_changed\]\n(?:# .*\n){3}/m,
    '[auth.email.notification.password_changed]\nenabled = true\nsubject = "Your password has been changed"\ncontent_path = "./templates/password_changed_notification.html"\n',
  ],
  [/^# \[auth\.sessions\]\n# .*\n# timebox = "24h"\n# .*\n# inactivity_timeout = "8h"$/m, '[auth.sessions]\ntimebox = "24h"\ninactivity_timeout = "90m"'],
  [
    /^# \[auth\.hook\.custom_access_token\]\n(?:# .*\n){2}/m,
    '[auth.hook.custom_access_token]\nenabled = true\nuri = "pg-functions://postgres/public/custom_access_token_hook"\n\n' +
      `[auth.hook.send_email]\nenabled = true\nuri = "https://hooks.example.com/send-email"\nsecrets = "${HOOK_CANARY}"\n`,
  ],
  [/^\[auth\.mfa\.totp\]\nenroll_enabled = false\nverify_enabled = false$/m, '[auth.mfa.totp]\nenroll_enabled = true\nverify_enabled = true'],
  [/^max_enrolled_factors = 10$/m, 'max_enrolled_factors = 5'],
  [/^(\[auth\.sms\]\n#.*\n)enable_signup = false$/m, '$1enable_signup = true'],
  [/^# \[auth\.sms\.test_otp\]\n# 4152127777 = "123456"$/m, '[auth.sms.test_otp]\n4152127777 = "123456"\n4152127778 = "654321"\n4152127779 = "111111"'],
  [
    /^\[auth\.sms\.twilio\]\nenabled = false\naccount_sid = ""\nmessage_service_sid = ""$/m,
    '[auth.sms.twilio]\nenabled = true\naccount_sid = "AC0123456789"\nmessage_service_sid = "MG0123456789"',
  ],
  [/^\[auth\.external\.apple\]$/m, '[auth.external.github]\nenabled = true\nclient_id = "gh-client-id"\nsecret = "env(GITHUB_SECRET)"\nredirect_uri = ""\n\n[auth.external.apple]'],
];

const TEMPLATES: Record<string, string> = {
  'supabase/templates/invite.html': '<h2>You have been invited</h2>\n<p><a href="{{ .ConfirmationURL }}">Accept</a> ${not a reference}</p>\n',
  'supabase/templates/recovery.html': '<h2>Reset password</h2>\n<p><a href="{{ .ConfirmationURL }}">Reset</a></p>\n',
  'supabase/templates/password_changed_notification.html': '<p>Your password was changed.</p>\n',
};

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

const basenameOf = (dir: string): string => dir.split(/[\\/]/).pop()!;

/** Every file below `dir`, read. */
function filesBelow(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir, { recursive: true }) as string[]) {
    const path = join(dir, name);
    if (statSync(path).isFile()) out[name] = readFileSync(path, 'utf8');
  }
  return out;
}

describePeer('import: the imported YAML plans to No changes where the official CLI pushed the same config.toml', (cli) => {
  let emu: TestEmulator;
  let work: string;

  async function supabase(cwd: string, args: string[]): Promise<Outcome> {
    try {
      const { stdout, stderr } = await run(cli.launcher, args, {
        cwd,
        timeout: 60_000,
        env: { PATH: process.env.PATH ?? '', HOME: cwd, SUPABASE_ACCESS_TOKEN: TOKEN, SUPABASE_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1', ...ENV },
      });
      return { code: 0, stdout, stderr };
    } catch (err) {
      const e = err as { code?: number; stdout?: string; stderr?: string };
      return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
    }
  }

  /** A `supabase init` project in its own directory, with a profile pointing at the emulator. */
  async function initProject(name: string): Promise<string> {
    const dir = join(work, name);
    await mkdir(dir);
    await writeFile(join(dir, 'profile.yaml'), `name: emulator\napi_url: ${emu.url}\ndashboard_url: ${emu.url}\nproject_host: localhost\n`);
    const init = await supabase(dir, ['init']);
    expect(init.code, init.stderr).toBe(0);
    return dir;
  }

  async function push(dir: string, ref: string): Promise<void> {
    const res = await supabase(dir, ['--profile', './profile.yaml', 'config', 'push', '--project-ref', ref, '--yes']);
    expect(res.code, `${res.stdout}\n${res.stderr}`).toBe(0);
  }

  const plan = (outDir: string, ref: string, env: Record<string, string> = {}) =>
    runCli(['plan', '-c', outDir, '--project', ref, '--detailed-exitcode'], {
      env: { SUPABASE_API_URL: emu.url, SUPABASE_ACCESS_TOKEN: TOKEN, ...env },
      timeoutMs: 60_000,
    });

  beforeAll(async () => {
    emu = await startTestEmulator();
    work = await mkdtemp(join(tmpdir(), 'supasync-import-peer-'));
  }, 60_000);

  afterAll(async () => {
    await emu?.close();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('the config.toml of `supabase init`', async () => {
    const dir = await initProject('init');
    await push(dir, REF);
    const imported = await runCli(['import', 'supabase/config.toml', '--project', REF, '--out', 'imported'], { cwd: dir });
    expect(imported.code, imported.stderr).toBe(0);
    const planned = await plan(join(dir, 'imported'), REF);
    expect(planned.stdout + planned.stderr).toContain('No changes.');
    expect(planned.code, planned.stdout + planned.stderr).toBe(0);
    // The sections config push sends for a fresh project are all there.
    const yaml = readFileSync(join(dir, 'imported', `${readdirSync(join(dir, 'imported'))[0]}`), 'utf8');
    for (const section of ['auth:', 'postgrest:', 'storage:']) expect(yaml).toContain(`\n${section}`);
  }, 180_000);

  it('a rich config.toml: SMTP, MFA, GitHub, email templates, db settings, network restrictions, storage, rate limits, hooks', async () => {
    const dir = await initProject('rich');
    const configPath = join(dir, 'supabase/config.toml');
    let config = await readFile(configPath, 'utf8');
    for (const [pattern, replacement] of RICH_EDITS) {
      expect(config, `config.toml has ${pattern}`).toMatch(pattern);
      config = config.replace(pattern, replacement);
    }
    await writeFile(configPath, config);
    await mkdir(join(dir, 'supabase/templates'));
    for (const [rel, text] of Object.entries(TEMPLATES)) await writeFile(join(dir, rel), text);
    await push(dir, STAGING_REF);

    const imported = await runCli(['import', 'supabase/config.toml', '--project', STAGING_REF, '--out', 'imported'], { cwd: dir });
    expect(imported.code, imported.stderr).toBe(0);
    const out = join(dir, 'imported');
    // The written secrets became references named as export names them; env() kept its names.
    expect(imported.stderr).toMatch(/AUTH_SMTP_PASS +auth\.smtp_pass ← auth\.email\.smtp\.pass/);
    expect(imported.stderr).toMatch(/AUTH_HOOK_SEND_EMAIL_SECRETS +auth\.hook_send_email_secrets/);
    expect(imported.stderr).toMatch(/GITHUB_SECRET +auth\.external_github_secret/);

    const planned = await plan(out, STAGING_REF, { ...ENV, AUTH_SMTP_PASS: SMTP_CANARY, AUTH_HOOK_SEND_EMAIL_SECRETS: HOOK_CANARY });
    expect(planned.stdout + planned.stderr).toContain('No changes.');
    expect(planned.code, planned.stdout + planned.stderr).toBe(0);

    // Every section the rich file sets is managed, and the templates are copies next to the YAML.
    const files = filesBelow(out);
    const yaml = Object.entries(files).find(([name]) => name.endsWith('.yaml'))![1];
    for (const key of ['sms_provider: twilio', 'external_phone_enabled: true', 'smtp_host:', 'mfa_totp_verify_enabled: true', 'external_github_enabled: true', 'hook_send_email_uri:', 'rate_limit_email_sent: 100', 'sessions_inactivity_timeout: 1.5']) {
      expect(yaml).toContain(key);
    }
    expect(yaml).toContain('mailer_templates_invite_content: "${include:email-templates/invite.html}"');
    expect(yaml).toContain('mailer_templates_password_changed_notification_content: "${include:email-templates/password_changed_notification.html}"');
    for (const section of ['postgres:', 'network_restrictions:', 'ssl_enforcement:', 'storage:', 'postgrest:']) expect(yaml).toContain(`\n${section}`);
    expect(files['email-templates/invite.html']).toBe(TEMPLATES['supabase/templates/invite.html']);

    // The written secrets appear nowhere: not in a file, not on stdout or stderr.
    const everything = [...Object.values(files), imported.stdout, imported.stderr, planned.stdout, planned.stderr].join('\n');
    for (const secret of [SMTP_CANARY, HOOK_CANARY, ...Object.values(ENV)]) expect(everything).not.toContain(secret);
  }, 240_000);

  it('[remotes]: the base pushed to one project and a remote to another plan to No changes as a template and two projects', async () => {
    await emu.control('POST', '/_emulator/reset', { projects: [{ ref: REF, plan: 'pro' }, { ref: STAGING_REF, plan: 'pro' }] });
    const dir = await initProject('remotes');
    const configPath = join(dir, 'supabase/config.toml');
    let config = await readFile(configPath, 'utf8');
    config = config
      .replace(/^site_url = ".*"$/m, 'site_url = "https://app.example.com"')
      .replace(/^\[auth\.external\.apple\]$/m, '[auth.external.github]\nenabled = true\nclient_id = "gh-client-id"\nsecret = "env(GITHUB_SECRET)"\n\n[auth.external.apple]');
    config +=
      `\n[db.settings]\nstatement_timeout = "10s"\n\n[remotes.staging]\nproject_id = "${STAGING_REF}"\n\n` +
      '[remotes.staging.auth]\nsite_url = "https://staging.example.com"\njwt_expiry = 600\n\n[remotes.staging.auth.external.github]\nenabled = false\n\n' +
      '[remotes.staging.db.settings]\nstatement_timeout = "30s"\n';
    await writeFile(configPath, config);
    await push(dir, REF);
    await push(dir, STAGING_REF);

    const imported = await runCli(['import', 'supabase/config.toml', '--project', REF, '--out', 'imported'], { cwd: dir });
    expect(imported.code, imported.stderr).toBe(0);
    const out = join(dir, 'imported');
    expect(Object.keys(filesBelow(out)).sort()).toEqual(['projects/init.yaml', 'projects/staging.yaml', 'templates/init.yaml'].map((p) => p.replace('init', basenameOf(dir))));
    const staging = readFileSync(join(out, 'projects/staging.yaml'), 'utf8');
    expect(staging).toContain('site_url: https://staging.example.com # remotes.staging.auth.site_url');
    expect(staging).toMatch(/unmanage:\n {2}- auth\.external_github_client_id\n {2}- auth\.external_github_secret/);

    const planned = await runCli(['plan', '-c', out, '--detailed-exitcode'], { env: { SUPABASE_API_URL: emu.url, SUPABASE_ACCESS_TOKEN: TOKEN, ...ENV }, timeoutMs: 60_000 });
    expect(planned.stdout + planned.stderr).toContain('No changes.');
    expect(planned.code, planned.stdout + planned.stderr).toBe(0);
  }, 240_000);

  it('[db.pooler] enabled is imported although config push never sends it: the plan shows exactly the pooler, and after apply No changes', async () => {
    const dir = await initProject('pooler');
    const configPath = join(dir, 'supabase/config.toml');
    const config = (await readFile(configPath, 'utf8'))
      .replace(/^(\[db\.pooler\]\n)enabled = false$/m, '$1enabled = true')
      .replace(/^pool_mode = "transaction"$/m, 'pool_mode = "session"')
      .replace(/^default_pool_size = 20$/m, 'default_pool_size = 25');
    await writeFile(configPath, config);
    await push(dir, REF);
    const imported = await runCli(['import', 'supabase/config.toml', '--project', REF, '--out', 'imported'], { cwd: dir });
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stderr).toContain('Note: pooler: imported from [db.pooler] (enabled = true); supabase config push never sends it');
    const env = { SUPABASE_API_URL: emu.url, SUPABASE_ACCESS_TOKEN: TOKEN };
    const planned = await runCli(['plan', '-c', join(dir, 'imported'), '--format', 'json'], { env, timeoutMs: 60_000 });
    const json = JSON.parse(planned.stdout) as { projects: { sections: { section: string; changes: { path: string }[] }[] }[] };
    const changed = json.projects[0]!.sections.filter((s) => s.changes.length).map((s) => [s.section, s.changes.map((c) => c.path).sort()]);
    expect(changed).toEqual([['pooler', ['default_pool_size', 'pool_mode']]]);
    const applied = await runCli(['apply', '-c', join(dir, 'imported'), '--yes'], { env, timeoutMs: 60_000 });
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    const again = await runCli(['plan', '-c', join(dir, 'imported'), '--detailed-exitcode'], { env, timeoutMs: 60_000 });
    expect(again.code, again.stdout + again.stderr).toBe(0);
  }, 240_000);
});
