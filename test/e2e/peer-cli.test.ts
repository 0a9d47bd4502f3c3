/**
 * Peer: the official Supabase CLI (supabase@2.99.0, a real client nobody here wrote) pushes a fresh
 * `supabase init` project's config to the emulator and exits 0; the emulator then answers what it
 * pushed, a second push finds nothing to change, and `secrets set / list / unset` work. `link`,
 * `projects api-keys`, `orgs list`, `domains` (the steps that need no real DNS), `vanity-subdomains`
 * and a `config push` that enables database webhooks work too, with their values read back.
 * See ../shared/peers/README.md. The CLI is installed apart (peers/supabase-cli); without it these
 * tests say they did not run (test/helpers/peer-cli.ts).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { REF, TOKEN, startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import { describePeer } from '../helpers/peer-cli.js';

const run = promisify(execFile);

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

describePeer('peer: the official Supabase CLI against the emulator', (cli) => {
  let emu: TestEmulator;
  let work: string;

  async function supabase(args: string[]): Promise<Outcome> {
    try {
      const { stdout, stderr } = await run(cli.launcher, args, {
        cwd: work,
        timeout: 60_000,
        env: {
          PATH: process.env.PATH ?? '',
          HOME: work,
          SUPABASE_ACCESS_TOKEN: TOKEN,
          SUPABASE_TELEMETRY_DISABLED: '1',
          DO_NOT_TRACK: '1',
        },
      });
      return { code: 0, stdout, stderr };
    } catch (err) {
      const e = err as { code?: number; stdout?: string; stderr?: string };
      return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
    }
  }

  const withProfile = (args: string[]) => ['--profile', './profile.yaml', ...args, '--project-ref', REF];

  beforeAll(async () => {
    emu = await startTestEmulator();
    work = await mkdtemp(join(tmpdir(), 'supasync-peer-'));
    await writeFile(
      join(work, 'profile.yaml'),
      `name: emulator\napi_url: ${emu.url}\ndashboard_url: ${emu.url}\nproject_host: localhost\n`,
    );
    const init = await supabase(['init']);
    expect(init.code, init.stderr).toBe(0);
  }, 90_000);

  afterAll(async () => {
    await emu?.close();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('config push of a fresh `supabase init` exits 0 and the emulator answers what it pushed', async () => {
    const configPath = join(work, 'supabase/config.toml');
    let config = await readFile(configPath, 'utf8');
    const edits: [RegExp, string][] = [
      [/^max_rows = 1000$/m, 'max_rows = 500'],
      [/^site_url = ".*"$/m, 'site_url = "https://peer.example.com"'],
      [/^jwt_expiry = 3600$/m, 'jwt_expiry = 7200'],
      [/^file_size_limit = "50MiB"$/m, 'file_size_limit = "20MiB"'],
      [/^(\[db\.network_restrictions\]\n(?:#.*\n)*)enabled = false$/m, '$1enabled = true'],
      [/^allowed_cidrs = \["0\.0\.0\.0\/0"\]$/m, 'allowed_cidrs = ["10.0.0.0/8"]'],
      [/^allowed_cidrs_v6 = \["::\/0"\]$/m, 'allowed_cidrs_v6 = []'],
      [/^# \[db\.ssl_enforcement\]\n# enabled = true$/m, '[db.ssl_enforcement]\nenabled = true\n\n[db.settings]\nmax_connections = 120\nstatement_timeout = "8s"'],
    ];
    for (const [pattern, replacement] of edits) {
      expect(config, `config.toml has ${pattern}`).toMatch(pattern);
      config = config.replace(pattern, replacement);
    }
    await writeFile(configPath, config);

    const push = await supabase(withProfile(['config', 'push', '--yes']));
    expect(push.code, `${push.stdout}\n${push.stderr}`).toBe(0);

    const P = `/v1/projects/${REF}`;
    const auth = await emu.call<Record<string, unknown>>('GET', `${P}/config/auth`);
    expect(auth.body).toMatchObject({ site_url: 'https://peer.example.com', jwt_exp: 7200 });
    const postgrest = await emu.call<Record<string, unknown>>('GET', `${P}/postgrest`);
    expect(postgrest.body).toMatchObject({ max_rows: 500, db_schema: 'public,graphql_public' });
    const postgres = await emu.call('GET', `${P}/config/database/postgres`);
    expect(postgres.body).toMatchObject({ max_connections: 120, statement_timeout: '8s' });
    const network = await emu.call<Record<string, unknown>>('GET', `${P}/network-restrictions`);
    expect(network.body).toMatchObject({ config: { dbAllowedCidrs: ['10.0.0.0/8'], dbAllowedCidrsV6: [] } });
    const ssl = await emu.call('GET', `${P}/ssl-enforcement`);
    expect(ssl.body).toEqual({ currentConfig: { database: true }, appliedSuccessfully: true });
    const storage = await emu.call<Record<string, unknown>>('GET', `${P}/config/storage`);
    expect(storage.body.fileSizeLimit).toBe(20 * 1024 * 1024);

    // Every call the CLI made was answered with success, and it wrote each section it changed.
    const log = emu.requests();
    expect(log.filter((e) => e.status >= 300)).toEqual([]);
    const writes = log.filter((e) => e.method !== 'GET').map((e) => `${e.method} ${e.path.replace(P, '')}`);
    expect(writes).toEqual(
      expect.arrayContaining([
        'PATCH /postgrest',
        'PUT /config/database/postgres',
        'POST /network-restrictions/apply',
        'PUT /ssl-enforcement',
        'PATCH /config/auth',
        'PATCH /config/storage',
      ]),
    );
  }, 120_000);

  it('a second push finds the remote up to date and writes nothing', async () => {
    emu.clearRequests();
    const push = await supabase(withProfile(['config', 'push', '--yes']));
    expect(push.code, `${push.stdout}\n${push.stderr}`).toBe(0);
    const log = emu.requests();
    expect(log.length).toBeGreaterThan(0);
    expect(log.filter((e) => e.method !== 'GET').map((e) => `${e.method} ${e.path}`)).toEqual([]);
  }, 120_000);

  it('secrets set / list / unset round-trip with SHA-256 digests', async () => {
    const set = await supabase(withProfile(['secrets', 'set', 'PEER_SECRET=bar', 'OTHER_SECRET=qux']));
    expect(set.code, set.stderr).toBe(0);
    const list = await supabase(withProfile(['secrets', 'list', '-o', 'json']));
    expect(list.code, list.stderr).toBe(0);
    // printf bar | sha256sum
    expect(list.stdout).toContain('fcde2b2edba56bf408601fb721fe9b5c338d10ee429ea04fae5511b68fbf8fb9');
    expect(list.stdout).not.toMatch(/"bar"/);
    const unset = await supabase(withProfile(['secrets', 'unset', 'PEER_SECRET', '--yes']));
    expect(unset.code, unset.stderr).toBe(0);
    const left = await emu.call<{ name: string }[]>('GET', `/v1/projects/${REF}/secrets`);
    expect(left.body.map((s) => s.name)).toEqual(['OTHER_SECRET']);
  }, 120_000);

  const P = `/v1/projects/${REF}`;
  /** Every /v1 call the CLI made since the log was cleared was answered with success. */
  const allSucceeded = () => expect(emu.requests().filter((e) => e.status >= 300).map((e) => `${e.method} ${e.path} ${e.status}`)).toEqual([]);

  it('link exits 0, reads the API keys (revealed) and writes the linked project', async () => {
    emu.clearRequests();
    const link = await supabase(withProfile(['link']));
    expect(link.code, `${link.stdout}\n${link.stderr}`).toBe(0);
    allSucceeded();
    expect(emu.requests().find((e) => e.path === `${P}/api-keys`)).toMatchObject({ method: 'GET', query: { reveal: 'true' }, status: 200 });
    expect((await readFile(join(work, 'supabase/.temp/project-ref'), 'utf8')).trim()).toBe(REF);
    const pooler = (await emu.call<{ db_host: string }[]>('GET', `${P}/config/database/pooler`)).body[0]!;
    const poolerUrl = await readFile(join(work, 'supabase/.temp/pooler-url'), 'utf8');
    expect(poolerUrl).toContain(`postgres.${REF}@${pooler.db_host}:`);
  }, 120_000);

  it('projects api-keys lists the keys the emulator holds, the secret key masked', async () => {
    const res = await supabase(withProfile(['projects', 'api-keys', '-o', 'json']));
    expect(res.code, res.stderr).toBe(0);
    const listed = JSON.parse(res.stdout) as { id: string; name: string; type: string; api_key: string }[];
    const live = (await emu.call<{ id: string; name: string; type: string; api_key: string }[]>('GET', `${P}/api-keys`)).body;
    expect(listed.map((k) => [k.id, k.name, k.type, k.api_key])).toEqual(live.map((k) => [k.id, k.name, k.type, k.api_key]));
    expect(listed.map((k) => k.type)).toEqual(['legacy', 'legacy', 'publishable', 'secret']);
    const revealed = (await emu.call<{ type: string; api_key: string }[]>('GET', `${P}/api-keys?reveal=true`)).body;
    const secret = revealed.find((k) => k.type === 'secret')!.api_key;
    expect(res.stdout).not.toContain(secret);
    expect(listed.find((k) => k.type === 'secret')!.api_key).toMatch(/^sb_secret_[\w-]{5}·+$/);
  }, 120_000);

  it('orgs list shows the emulator\'s organisations', async () => {
    const res = await supabase(['--profile', './profile.yaml', 'orgs', 'list']);
    expect(res.code, res.stderr).toBe(0);
    const orgs = (await emu.call<{ slug: string; name: string }[]>('GET', '/v1/organizations')).body;
    expect(orgs.length).toBeGreaterThan(0);
    for (const org of orgs) expect(res.stdout).toContain(org.name);
  }, 120_000);

  it('domains: reverify shows the DNS records asked for, then, once DNS is verified, get shows it ready for activation', async () => {
    expect((await emu.call('POST', `${P}/custom-hostname/initialize`, { custom_hostname: 'api.peer.example.com' })).status).toBe(201);
    const pending = await supabase(withProfile(['domains', 'reverify']));
    expect(pending.code, pending.stderr).toBe(0);
    // The CLI prints the status on stdout or stderr depending on the command: read both.
    const printed = (o: Outcome) => `${o.stdout}${o.stderr}`;
    expect(printed(pending)).toContain('_acme-challenge.api.peer.example.com TXT ->');
    expect((await emu.control('POST', `/_emulator/projects/${REF}/custom-hostname/dns`, { verified: true })).status).toBe(200);
    expect((await supabase(withProfile(['domains', 'reverify']))).code).toBe(0);
    const ready = await supabase(withProfile(['domains', 'get']));
    expect(ready.code, ready.stderr).toBe(0);
    expect(printed(ready)).toContain('ready for activation');
    expect(printed(ready)).toContain(`api.peer.example.com CNAME -> ${REF}.supabase.co`);
    // `domains activate` checks the CNAME against public DNS first, so the emulator is driven directly.
    expect((await emu.call('POST', `${P}/custom-hostname/activate`)).status).toBe(201);
    const active = await supabase(withProfile(['domains', 'get']));
    expect(printed(active)).toContain('Custom hostname setup completed. Project is now accessible at api.peer.example.com.');
    expect((await supabase(withProfile(['domains', 'delete']))).code).toBe(0);
    expect((await emu.call<{ status: string }>('GET', `${P}/custom-hostname`)).body.status).toBe('1_not_started');
  }, 120_000);

  it('vanity-subdomains: check-availability, activate, get, delete', async () => {
    const vanity = (args: string[]) => supabase(withProfile(['vanity-subdomains', ...args, '--experimental']));
    const check = await vanity(['check-availability', '--desired-subdomain', 'peer-app']);
    expect(`${check.stdout}${check.stderr}`).toContain('available: true');
    const activated = await vanity(['activate', '--desired-subdomain', 'peer-app']);
    expect(activated.code, activated.stderr).toBe(0);
    expect((await emu.call('GET', `${P}/vanity-subdomain`)).body).toEqual({ status: 'active', custom_domain: 'peer-app.supabase.co' });
    const got = await vanity(['get']);
    expect(`${got.stdout}${got.stderr}`).toContain('peer-app.supabase.co');
    expect((await vanity(['delete'])).code).toBe(0);
    expect((await emu.call('GET', `${P}/vanity-subdomain`)).body).toEqual({ status: 'not-used' });
  }, 120_000);

  it('config push with [experimental.webhooks] enabled = true exits 0 and enables database webhooks', async () => {
    const configPath = join(work, 'supabase/config.toml');
    await writeFile(configPath, `${await readFile(configPath, 'utf8')}\n[experimental.webhooks]\nenabled = true\n`);
    emu.clearRequests();
    const push = await supabase(withProfile(['config', 'push', '--yes']));
    expect(push.code, `${push.stdout}\n${push.stderr}`).toBe(0);
    allSucceeded();
    expect(emu.requests().filter((e) => e.method !== 'GET').map((e) => `${e.method} ${e.path.replace(P, '')} ${e.status}`)).toEqual([
      'POST /database/webhooks/enable 201',
    ]);
    const state = emu.state().projects.find((p) => p.ref === REF)!;
    expect(state.sections.database_webhooks).toMatchObject({ enabled: true });
  }, 120_000);
});
