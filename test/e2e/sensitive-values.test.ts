/**
 * Issue 13, items 1-4, end to end through the built CLI and the emulator: a value read from a file
 * or a secret never appears — not inside a list item or a nested field, not in an item label, not
 * transformed (lower-cased) in a check's message, not echoed by the API's error text, not quoted
 * by an XML parse error — and guardrails still judge the real value of a sensitive change.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli, type CliResult } from '../helpers/cli.js';
import { REF, TOKEN, startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import { workspace, type Workspace } from '../helpers/workspace.js';

/** Mixed case, so that a lower- or upper-cased copy is a different string. */
const FILE_SECRET = 'FileSecretCanary-Abc123';
const CIDR_SECRET = '198.51.100.77/32';
const ENV_SECRET = 'EnvSecretCanary-Xyz789';
const XML_SECRET = 'hunter2SecretPw';

let emu: TestEmulator;
let ws: Workspace;
let secrets: string;

/** Every form a leak could take here: as written, case-folded, URL-encoded. */
function leaked(text: string, secret: string): boolean {
  const lower = text.toLowerCase();
  return [secret, encodeURIComponent(secret)].some((s) => lower.includes(s.toLowerCase()));
}
function expectNoLeak(r: CliResult | string, ...values: string[]): void {
  const text = typeof r === 'string' ? r : r.stdout + r.stderr;
  for (const v of values) expect(leaked(text, v), `"${v}" leaks in:\n${text}`).toBe(false);
}

const env = (extra: Record<string, string> = {}) => ({ SUPABASE_API_URL: emu.url, SUPABASE_ACCESS_TOKEN: TOKEN, ENV_SECRET, ...extra });
const cli = (args: string[], url = emu.url) =>
  runCli([...args, '-c', ws.dir, '--secrets-dir', secrets, ...(args[0] === 'validate' ? [] : ['--log-level', 'trace'])], {
    env: env({ SUPABASE_API_URL: url }),
    timeoutMs: 60_000,
  });
const file = (name: string) => `\${file:${secrets}/${name}}`;

beforeAll(async () => {
  emu = await startTestEmulator();
});
afterAll(async () => {
  await emu.close();
});
beforeEach(async () => {
  ws?.remove();
  ws = workspace();
  secrets = join(ws.dir, 'secrets');
  mkdirSync(secrets);
  writeFileSync(join(secrets, 'canary'), `${FILE_SECRET}\n`);
  writeFileSync(join(secrets, 'cidr'), CIDR_SECRET);
  writeFileSync(join(secrets, 'http-site'), `http://${FILE_SECRET}.example.com`);
  await emu.control('POST', '/_emulator/reset', { projects: [{ ref: REF, plan: 'pro' }] });
});

describe('item 1: sensitivity follows a file value into lists, nested fields and labels', () => {
  const config = () => `project: ${REF}
auth:
  uri_allow_list: ["https://a.example.com/${file('canary')}"]
  sessions_tags: [alpha, "${file('canary')}"]
  smtp_pass: \${ENV_SECRET}
  smtp_sender_name: "Mailer \${ENV_SECRET}"
postgrest:
  db_schema: [public, "${file('canary')}"]
network_restrictions:
  dbAllowedCidrs: [203.0.113.0/24, "${file('cidr')}"]
sso:
  providers:
    - metadata_url: https://idp.example.com/${file('canary')}
      domains: ["${file('canary')}.example.com"]
      attribute_mapping:
        keys:
          email:
            name: ${file('canary')}
`;

  it('is sensitive in the text, Markdown and JSON plans, with a positional item label', async () => {
    ws.write({ 'p.yaml': config() });
    for (const format of ['text', 'markdown', 'json']) {
      const out = join(ws.dir, `plan.${format}`);
      const r = await cli(['plan', '--format', format, '--out', out]);
      expect(r.code, r.stderr).toBe(0);
      expectNoLeak(r, FILE_SECRET, CIDR_SECRET, ENV_SECRET);
      expectNoLeak(readFileSync(out, 'utf8'), FILE_SECRET, CIDR_SECRET, ENV_SECRET);
      expect(r.stdout).toContain('sensitive');
    }
    const json = await cli(['plan', '--format', 'json']);
    const plan = JSON.parse(json.stdout) as { projects: { sections: { section: string; changes: { path: string; item?: string; sensitive: boolean; before?: unknown; after?: unknown }[] }[] }[] };
    const changes = plan.projects[0]!.sections.flatMap((s) => s.changes.map((c) => ({ section: s.section, ...c })));
    const byPath = Object.fromEntries(changes.map((c) => [`${c.section}.${c.path}`, c]));
    for (const path of [
      'auth.uri_allow_list',
      'auth.sessions_tags',
      'auth.smtp_pass',
      'auth.smtp_sender_name',
      'postgrest.db_schema',
      'network_restrictions.dbAllowedCidrs',
      'sso.providers[0]',
    ]) {
      expect(byPath[path], `${path} in ${Object.keys(byPath).join(', ')}`).toMatchObject({ sensitive: true });
      expect(byPath[path]).not.toHaveProperty('after');
      expect(byPath[path]).not.toHaveProperty('before');
    }
    expect(byPath['sso.providers[0]']!.item).toBe('providers[0]');
  });

  it('after apply, the live values (now the secrets) stay hidden, and the plan converges', async () => {
    ws.write({ 'p.yaml': config() });
    const applied = await cli(['apply', '--yes']);
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    expectNoLeak(applied, FILE_SECRET, CIDR_SECRET, ENV_SECRET);
    const again = await cli(['plan', '--detailed-exitcode']);
    expect(again.code, again.stdout).toBe(0);
    expectNoLeak(again, FILE_SECRET, CIDR_SECRET, ENV_SECRET);
    // A live value that holds a known secret is sensitive on the "before" side too.
    ws.write({ 'p.yaml': `project: ${REF}\npostgrest:\n  db_schema: [public]\nauth:\n  smtp_user: ${file('canary')}\n` });
    const drift = await cli(['plan', '--format', 'json']);
    expectNoLeak(drift, FILE_SECRET, ENV_SECRET);
    expect(drift.stdout).toMatch(/"path": "db_schema",\s+"action": "update",\s+"sensitive": true/);
  });

  it('guardrails judge the real value of a sensitive change: an http site_url from a file is refused, without quoting it', async () => {
    ws.write({ 'p.yaml': `project: ${REF}\nauth:\n  site_url: ${file('http-site')}\n` });
    const plan = await cli(['plan']);
    expect(plan.stdout).toMatch(/site_url: \(sensitive value\)/);
    expect(plan.stdout).toMatch(/RISKY \(auth\.site_url\.insecure\)/);
    expectNoLeak(plan, FILE_SECRET);
    const json = await cli(['plan', '--format', 'json']);
    expect(json.stdout).toContain('"rule": "auth.site_url.insecure"');
    expectNoLeak(json, FILE_SECRET);
    const apply = await cli(['apply', '--yes']);
    expect(apply.code).toBe(4);
    expectNoLeak(apply, FILE_SECRET);
  });
});

describe('item 2: messages about a sensitive value never quote it, transformed or not', () => {
  it('a duplicated domain read from a file is reported without its (lower-cased) value', async () => {
    ws.write({
      'p.yaml': `project: ${REF}
sso:
  providers:
    - metadata_url: https://a.example.com/m
      domains: ["${file('canary')}.example.com"]
    - metadata_url: https://b.example.com/m
      domains: ["${file('canary')}.example.com"]
`,
    });
    const r = await cli(['validate']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/sso\.providers\[1\]\.domains\[0\]: the value is also listed by providers\[0\]/);
    expectNoLeak(r, FILE_SECRET);
  });
});

describe('item 3: the API error text is redacted like everything else', () => {
  const config = `project: ${REF}\nauth:\n  smtp_pass: \${ENV_SECRET}\n  site_url: https://app.example.com\n`;

  it('a 500 on a read (no request body) whose message quotes a configured secret', async () => {
    ws.write({ 'p.yaml': config });
    const own = await startTestEmulator();
    try {
      own.addFaults([{ method: 'GET', path: 'config/auth$', status: 500, body: { message: `current smtp_pass is ${ENV_SECRET.toUpperCase()} (was ${encodeURIComponent(ENV_SECRET)})` } }]);
      for (const format of ['json', 'markdown', 'text']) {
        const r = await cli(['plan', '--format', format], own.url);
        expect(r.code).toBe(1);
        expect(r.stdout).toContain('current smtp_pass is [redacted]');
        expectNoLeak(r, ENV_SECRET);
      }
    } finally {
      await own.close();
    }
  }, 60_000);

  it("a 401 whose message echoes the token's hex part in upper case", async () => {
    ws.write({ 'p.yaml': config });
    const own = await startTestEmulator();
    try {
      const hex = TOKEN.slice(4);
      own.addFaults([{ path: '.*', status: 401, body: { message: `token ${hex.toUpperCase()} is revoked` } }]);
      const r = await cli(['plan', '--format', 'json'], own.url);
      expect(r.code).toBe(1);
      // A refused token is the run's one error (stderr), quoting the API's words, redacted.
      expect(r.stderr).toContain('the API did not accept the access token (401 token [redacted] is revoked): check the token');
      expectNoLeak(r, hex);
    } finally {
      await own.close();
    }
  }, 60_000);
});

describe('item 4: SAML metadata errors never quote the document', () => {
  it('an unclosed tag in metadata_xml read from a file is located by line and column, not quoted', async () => {
    writeFileSync(
      join(secrets, 'metadata.xml'),
      `<?xml version="1.0"?>\n<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://idp.example.com">\n  <${XML_SECRET}>\n</md:EntityDescriptor>\n`,
    );
    ws.write({ 'p.yaml': `project: ${REF}\nsso:\n  providers:\n    - metadata_xml: ${file('metadata.xml')}\n      domains: [acme.com]\n` });
    const r = await cli(['validate']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/metadata_xml is not well-formed XML \(line \d+, column \d+/);
    expectNoLeak(r, XML_SECRET);
  });
});
