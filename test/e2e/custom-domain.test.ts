/**
 * The custom domain end to end against the emulator (issue 16, item 6): a custom hostname through its
 * whole state machine — initialize, the DNS records shown in plans, apply waiting (exit 0, not a
 * failure) until the emulator's control route says DNS is in place, then verified and activated —
 * and the daemon doing the same on its next sweep; a vanity subdomain checked and activated; removals
 * risky; plan → apply → plan (No changes) → export → plan (No changes).
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli, type CliResult } from '../helpers/cli.js';
import { REF, STAGING_REF, TOKEN, clearRequestLog, loggedRequests, startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import { workspace, type Workspace } from '../helpers/workspace.js';
import { DaemonProcess, eventually } from './daemon-harness.js';

let emu: TestEmulator;
let ws: Workspace;
const cli = (args: string[]) => runCli(args, { env: { SUPABASE_API_URL: emu.url, SUPABASE_ACCESS_TOKEN: TOKEN } });
const all = (r: CliResult) => r.stdout + r.stderr;
const HOST = 'api.example.com';
const hostnamePath = `/v1/projects/${REF}/custom-hostname`;
const vanityPath = `/v1/projects/${REF}/vanity-subdomain`;
/** The requests since the last clear, as `METHOD /suffix` below the project. */
const sent = async () => (await loggedRequests(emu)).filter((r) => /custom-hostname|vanity-subdomain/.test(r.path)).map((r) => `${r.method} ${r.path.slice(`/v1/projects/${REF}`.length)} ${r.status}`);

interface HostnameAnswer {
  status: string;
  data: { result: { ownership_verification: { name: string; value: string }; ssl: { validation_records: Array<{ txt_name: string; txt_value: string }> } } };
}
const hostname = async () => (await emu.call<HostnameAnswer>('GET', hostnamePath)).body;
const dnsVerified = () => emu.control('POST', `/_emulator/projects/${REF}/custom-hostname/dns`, { verified: true });

beforeAll(async () => {
  emu = await startTestEmulator();
});
afterAll(async () => {
  ws?.remove();
  await emu.close();
});
beforeEach(async () => {
  await emu.control('POST', '/_emulator/reset', { projects: [{ ref: REF, plan: 'pro' }, { ref: STAGING_REF, plan: 'pro' }] });
  ws?.remove();
  ws = workspace();
});

describe('custom_domain: custom hostname', () => {
  it('initialize → waits for DNS (exit 0) → records in plans → verified and activated → No changes → export → No changes', async () => {
    ws.write({ 'domain.yaml': `project: ${REF}\ncustom_domain:\n  custom_hostname: ${HOST}\n` });
    const plan = await cli(['plan', '-c', ws.dir, '--detailed-exitcode']);
    expect(plan.code, all(plan)).toBe(2);
    expect(plan.stdout).toContain(`+ custom_hostname: "${HOST}"`);

    await clearRequestLog(emu);
    const first = await cli(['apply', '-c', ws.dir, '--yes']);
    expect(first.code, all(first)).toBe(0);
    const reads = ['GET /custom-hostname 200', 'GET /vanity-subdomain 200'];
    expect(await sent()).toEqual([...reads, 'POST /custom-hostname/initialize 201', 'POST /custom-hostname/reverify 201']);
    const live = await hostname();
    expect(live.status).toBe('2_initiated');
    const own = live.data.result.ownership_verification;
    const [ssl] = live.data.result.ssl.validation_records;
    const records = `CNAME ${HOST} → ${REF}.supabase.co; TXT ${own.name} "${own.value}"; TXT ${ssl!.txt_name} "${ssl!.txt_value}"`;
    expect(first.stdout).toContain(`  waiting (custom_domain): custom hostname ${HOST} waits for its DNS records: ${records}; once they are in place`);
    expect(first.stdout).toContain('Projects: 1 changed, 0 unchanged, 0 drifted (observe mode), 0 refused, 0 failed.');

    // Plans show the records while they are missing; another apply re-checks, and waits again.
    const pending = await cli(['plan', '-c', ws.dir, '--detailed-exitcode']);
    expect(pending.code).toBe(2);
    expect(pending.stdout).toContain('~ custom_hostname.status: "2_initiated" → "5_services_reconfigured"');
    expect(pending.stdout).toContain(`note: custom hostname ${HOST} waits for its DNS records: ${records}`);
    for (const format of ['markdown', 'json']) expect((await cli(['plan', '-c', ws.dir, '--format', format])).stdout).toContain(own.value);
    await clearRequestLog(emu);
    const still = await cli(['apply', '-c', ws.dir, '--yes']);
    expect(still.code, all(still)).toBe(0);
    expect(still.stdout).toContain('waiting (custom_domain)');
    expect(await sent()).toEqual([...reads, 'POST /custom-hostname/reverify 201']);

    // DNS in place: one apply verifies and activates.
    await dnsVerified();
    await clearRequestLog(emu);
    const done = await cli(['apply', '-c', ws.dir, '--yes']);
    expect(done.code, all(done)).toBe(0);
    expect(done.stdout).not.toContain('waiting');
    // Read, reverify, check that the certificate is ready, activate, re-read.
    expect(await sent()).toEqual([...reads, 'POST /custom-hostname/reverify 201', 'GET /custom-hostname 200', 'POST /custom-hostname/activate 201', ...reads]);
    expect((await hostname()).status).toBe('5_services_reconfigured');
    const converged = await cli(['plan', '-c', ws.dir, '--detailed-exitcode']);
    expect(converged.code, all(converged)).toBe(0);
    expect(converged.stdout).toContain('No changes.');

    const target = workspace();
    try {
      const out = target.path('project.yaml');
      const exported = await cli(['export', '--project', REF, '--sections', 'custom_domain', '--out', out]);
      expect(exported.code, exported.stderr).toBe(0);
      expect(parse(readFileSync(out, 'utf8')).custom_domain).toEqual({ custom_hostname: HOST });
      const back = await cli(['plan', '-c', out, '--detailed-exitcode']);
      expect(back.code, all(back)).toBe(0);
    } finally {
      target.remove();
    }
  });

  it('removing or replacing an active hostname is risky; a pending one is restarted with the new name', async () => {
    await emu.control('POST', '/_emulator/reset', { projects: [{ ref: REF, custom_hostname: { hostname: HOST, status: '5_services_reconfigured' } }] });
    ws.write({ 'domain.yaml': `project: ${REF}\ncustom_domain:\n  custom_hostname: null\n` });
    const refused = await cli(['apply', '-c', ws.dir, '--yes']);
    expect(refused.code).toBe(4);
    expect(refused.stdout).toMatch(/RISKY \(custom_domain\.custom_hostname\.removed\): removes custom hostname api\.example\.com: whatever uses it stops reaching the project/);
    ws.write({ 'domain.yaml': `project: ${REF}\ncustom_domain:\n  custom_hostname: www.example.com\n` });
    const replace = await cli(['plan', '-c', ws.dir]);
    expect(replace.stdout).toMatch(/- custom_hostname\n\s+! RISKY \(custom_domain\.custom_hostname\.removed\): removes custom hostname api\.example\.com/);
    expect(replace.stdout).toContain('+ custom_hostname: "www.example.com"');
    await clearRequestLog(emu);
    expect((await cli(['apply', '-c', ws.dir, '--yes', '--allow-risky'])).code).toBe(0);
    expect((await sent()).slice(2, 5)).toEqual(['DELETE /custom-hostname 200', 'POST /custom-hostname/initialize 201', 'POST /custom-hostname/reverify 201']);

    // Not active yet: another name restarts the setup, no risk.
    ws.write({ 'domain.yaml': `project: ${REF}\ncustom_domain:\n  custom_hostname: app.example.com\n` });
    const restart = await cli(['apply', '-c', ws.dir, '--yes']);
    expect(restart.code, all(restart)).toBe(0);
    expect(restart.stdout).toContain('~ custom_hostname: "www.example.com" → "app.example.com"');
    expect((await emu.call<{ custom_hostname: string }>('GET', hostnamePath)).body.custom_hostname).toBe('app.example.com');
  });

  it('the daemon waits for DNS without failing, and activates the hostname on the sweep after DNS is in place', async () => {
    ws.write({ 'domain.yaml': `project: ${REF}\ncustom_domain:\n  custom_hostname: ${HOST}\n` });
    const d = DaemonProcess.start(['-c', ws.dir, '--schedule', '*/1 * * * * *', '--listen', '127.0.0.1:0', '--log-level', 'info'], { SUPABASE_API_URL: emu.url });
    try {
      await d.waitFor((l) => l.msg === 'waiting: a later apply goes on from here', { what: 'the custom hostname waiting for DNS', timeoutMs: 30_000 });
      const waiting = d.lines.find((l) => l.msg === 'waiting: a later apply goes on from here')!;
      expect(String(waiting.waiting)).toMatch(/custom hostname api\.example\.com waits for its DNS records: CNAME/);
      expect(d.lines.some((l) => l.level === 'error' || (typeof l.level === 'number' && l.level >= 50))).toBe(false);
      await dnsVerified();
      await eventually(async () => (await hostname()).status === '5_services_reconfigured', 'the daemon to activate the hostname', 30_000);
    } finally {
      d.signal('SIGTERM');
      await Promise.race([d.exited, new Promise((r) => setTimeout(r, 10_000))]);
      await d.kill();
    }
  }, 60_000);
});

describe('custom_domain: vanity subdomain', () => {
  it('checked, activated, No changes, export → No changes; an unavailable one fails that project with a clear error', async () => {
    ws.write({ 'domain.yaml': `project: ${REF}\ncustom_domain:\n  vanity_subdomain: acme-prod\n` });
    await clearRequestLog(emu);
    const apply = await cli(['apply', '-c', ws.dir, '--yes']);
    expect(apply.code, all(apply)).toBe(0);
    expect((await sent()).slice(0, 4)).toEqual(['GET /custom-hostname 200', 'GET /vanity-subdomain 200', 'POST /vanity-subdomain/check-availability 201', 'POST /vanity-subdomain/activate 201']);
    expect((await emu.call('GET', vanityPath)).body).toEqual({ status: 'active', custom_domain: 'acme-prod.supabase.co' });
    expect((await cli(['plan', '-c', ws.dir, '--detailed-exitcode'])).code).toBe(0);
    const exported = await cli(['export', '--project', REF, '--sections', 'custom_domain']);
    expect(parse(exported.stdout).custom_domain).toEqual({ vanity_subdomain: 'acme-prod' });

    ws.write({ 'other.yaml': `project: ${STAGING_REF}\ncustom_domain:\n  vanity_subdomain: acme-prod\n` });
    const taken = await cli(['apply', '-c', ws.dir, '--yes']);
    expect(taken.code).toBe(1);
    expect(taken.stdout).toContain(`${STAGING_REF}: failed — custom_domain: failed (vanity subdomain acme-prod is not available (another project uses it, or it is reserved))`);
  });

  it('switching to a custom hostname needs the vanity subdomain removed in the same change (risky)', async () => {
    await emu.control('POST', '/_emulator/reset', { projects: [{ ref: REF, vanity_subdomain: 'acme-prod' }] });
    ws.write({ 'domain.yaml': `project: ${REF}\ncustom_domain:\n  custom_hostname: ${HOST}\n` });
    const blocked = await cli(['plan', '-c', ws.dir]);
    expect(blocked.code).toBe(3);
    expect(all(blocked)).toContain('domain.yaml:3:20: custom_domain.custom_hostname: vanity subdomain acme-prod is active on this project, which uses one or the other: set vanity_subdomain: null to remove it');
    ws.write({ 'domain.yaml': `project: ${REF}\nallow_risky: [custom_domain.vanity_subdomain]\ncustom_domain:\n  custom_hostname: ${HOST}\n  vanity_subdomain: null\n` });
    await clearRequestLog(emu);
    const switched = await cli(['apply', '-c', ws.dir, '--yes']);
    expect(switched.code, all(switched)).toBe(0);
    expect((await sent()).slice(2, 5)).toEqual(['DELETE /vanity-subdomain 200', 'POST /custom-hostname/initialize 201', 'POST /custom-hostname/reverify 201']);
  });

  it('refuses both at once, and names that are no hostname, before any request', async () => {
    ws.write({ 'domain.yaml': `project: ${REF}\ncustom_domain:\n  custom_hostname: API.Example.com\n  vanity_subdomain: acme\n` });
    emu.clearRequests();
    const r = await cli(['plan', '-c', ws.dir]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('domain.yaml:3:20: custom_domain.custom_hostname: must be a hostname in lower case with at least two labels, e.g. api.example.com');
    expect(r.stderr).toContain('domain.yaml:4:21: custom_domain.vanity_subdomain: a project uses a custom hostname or a vanity subdomain, not both');
    expect(emu.requests()).toEqual([]);
  });
});
