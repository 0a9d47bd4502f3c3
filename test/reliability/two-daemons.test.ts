/**
 * Two daemons (the built CLI's `run`, as two processes) on the same configuration and projects:
 * they converge, and then stay quiet — over the following cycles of both, the emulator's request
 * log shows no write at all, and no key was ever written with two different values (no flapping:
 * the daemons agree on every value). The SSO provider both may try to create at the start exists
 * once.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestLogEntry } from '../../src/emulator/index.js';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import { workspace, type Workspace } from '../helpers/workspace.js';
import { DaemonProcess } from '../e2e/daemon-harness.js';
import { measuredLine, table, writeReportSection } from './support/report.js';

const SOAK = process.env.SUPASYNC_SOAK === '1';
const QUIET_CYCLES = SOAK ? 30 : 5;
const TOKEN = 'sbp_0123456789abcdef0123456789abcdef01234567';
const A = 'aaaaaaaaaaaaaaaaaaaa';
const B = 'bbbbbbbbbbbbbbbbbbbb';

const CONFIG = {
  'a.yaml': `project: ${A}
auth:
  site_url: https://a.example.com
  jwt_exp: 7200
  smtp_pass: \${SMTP_PASS}
  uri_allow_list: [https://a.example.com/cb, https://admin.a.example.com/cb]
  password_required_characters: lower_upper_letters_digits
postgres:
  statement_timeout: 10s
  max_connections: 120
pooler:
  default_pool_size: 25
  pool_mode: transaction
network_restrictions:
  dbAllowedCidrs: [203.0.113.0/24, 198.51.100.7]
  dbAllowedCidrsV6: [2606:4700::/32]
sso:
  providers:
    - metadata_url: https://idp.example.com/saml/metadata
      domains: [corp.example.com, Example.ORG]
      attribute_mapping: { keys: { email: { name: mail } } }
postgrest:
  db_schema: [public, api]
  max_rows: 500
ssl_enforcement:
  database: true
secrets:
  values:
    STRIPE_KEY: \${STRIPE_KEY}
`,
  'b.yaml': `project: ${B}
auth:
  site_url: https://b.example.com
pooler:
  default_pool_size: 10
`,
};

let emu: TestEmulator;
let ws: Workspace;
const daemons: DaemonProcess[] = [];
const figures = { convergeSeconds: 0, writesToConverge: 0, duplicateWrites: 0, ssoCreates: 0, quietCycles: [0, 0], quietRequests: 0 };

const isWrite = (r: RequestLogEntry) => r.method !== 'GET';
const converged = (d: DaemonProcess) => d.lines.some((l) => l.msg === 'cycle complete' && l.result === 'ok' && l.changed === 0);

beforeAll(async () => {
  emu = await startTestEmulator({ seed: { projects: [{ ref: A, plan: 'pro' }, { ref: B, plan: 'pro' }] } });
  ws = workspace(CONFIG);
});
afterAll(async () => {
  for (const d of daemons) await d.kill();
  ws?.remove();
  await emu?.close();
});

describe('two daemons on one configuration', () => {
  it('converge, then write nothing more, and never write a key with two different values', async () => {
    const started = performance.now();
    for (let i = 0; i < 2; i++) {
      daemons.push(
        DaemonProcess.start(['-c', ws.dir, '--schedule', '*/1 * * * * *', '--listen', '127.0.0.1:0', '--rate-limit', '0', '--log-level', 'info'], {
          SUPABASE_API_URL: emu.url,
          SUPABASE_ACCESS_TOKEN: TOKEN,
          SMTP_PASS: 'two-daemons-smtp',
          STRIPE_KEY: 'two-daemons-stripe',
        }),
      );
    }
    const deadline = Date.now() + 60_000;
    while (!daemons.every(converged)) {
      if (Date.now() > deadline) throw new Error(`no convergence:\n${daemons.map((d) => d.tail()).join('\n')}`);
      await sleep(100);
    }
    figures.convergeSeconds = (performance.now() - started) / 1000;
    const beforeQuiet = [...emu.requests()];
    const marks = daemons.map((d) => d.lines.length);

    // Both run QUIET_CYCLES more cycles.
    for (const [i, d] of daemons.entries()) {
      await d.waitFor(() => d.lines.slice(marks[i]).filter((l) => l.msg === 'cycle complete').length >= QUIET_CYCLES, {
        timeoutMs: QUIET_CYCLES * 3_000 + 10_000,
        what: `${QUIET_CYCLES} cycles`,
      });
    }
    const all = [...emu.requests()];
    const quiet = all.slice(beforeQuiet.length);
    for (const [i, d] of daemons.entries()) {
      const cycles = d.lines.slice(marks[i]).filter((l) => l.msg === 'cycle complete');
      figures.quietCycles[i] = cycles.length;
      for (const c of cycles) expect(c, JSON.stringify(c)).toMatchObject({ result: 'ok', changed: 0, failed: 0 });
    }
    expect(quiet.filter(isWrite), 'writes after convergence').toEqual([]);
    figures.quietRequests = quiet.length;

    // No flapping: every key ever written got one value only.
    const values = new Map<string, Set<string>>();
    for (const r of all.filter(isWrite)) {
      const body = r.body && typeof r.body === 'object' && !Array.isArray(r.body) ? (r.body as Record<string, unknown>) : { '': r.body };
      for (const [key, value] of Object.entries(body)) {
        const id = `${r.method} ${r.path.replace(/[0-9a-f-]{36}$/, '{id}')} ${key}`;
        const seen = values.get(id) ?? new Set<string>();
        seen.add(JSON.stringify(value));
        values.set(id, seen);
      }
    }
    for (const [id, seen] of values) expect(seen.size, `${id} was written with ${[...seen].join(' and ')}`).toBe(1);

    const writes = beforeQuiet.filter(isWrite);
    figures.writesToConverge = writes.length;
    const keys = writes.map((r) => `${r.method} ${r.path} ${JSON.stringify(r.body)}`);
    figures.duplicateWrites = keys.length - new Set(keys).size;
    figures.ssoCreates = writes.filter((r) => r.method === 'POST' && r.path.endsWith('/sso/providers')).length;
    const providers = await emu.call<{ items: unknown[] }>('GET', `/v1/projects/${A}/config/auth/sso/providers`);
    expect(providers.body.items).toHaveLength(1);
    for (const d of daemons) expect(d.stderr).toBe('');
  }, 180_000);
});

afterAll(async () => {
  if (!figures.quietCycles[0]) return;
  await writeReportSection(
    'two-daemons',
    [
      measuredLine(),
      '',
      'Two `supasync run` processes (schedule every second, no client-side rate limit) on the same configuration of two',
      'projects (every section), started together against one emulator. Without leader election both plan the first',
      'changes, so some writes are made twice — with the same values; then both stay quiet.',
      '',
      table(
        ['figure', 'value'],
        [
          ['time until both report a converged cycle', `${figures.convergeSeconds.toFixed(0)} s`],
          ['writes until then (same write by both daemons)', `${figures.writesToConverge} (${figures.duplicateWrites})`],
          ['SSO create attempts / providers afterwards', `${figures.ssoCreates} / 1`],
          ['cycles after convergence (daemon 1, daemon 2)', `${figures.quietCycles[0]}, ${figures.quietCycles[1]} (all ok, no change)`],
          ['requests after convergence / of which writes', `${figures.quietRequests} / 0`],
          ['keys written with more than one value (flapping)', '0'],
        ],
      ),
    ].join('\n'),
  );
});
