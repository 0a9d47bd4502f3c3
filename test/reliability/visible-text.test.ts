/**
 * What a reviewer reads is what will be applied: a value holding a bidi override or an invisible
 * character (valid for the API, e.g. in site_url) is shown escaped in text and Markdown plans, so
 * that a pull-request comment cannot display one URL while another is applied. Found while
 * building the hostile-configuration suite.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escapeHidden, printable } from '../../src/config/printable.js';
import { runCli } from '../helpers/cli.js';
import { REF, TOKEN, startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import { workspace, type Workspace } from '../helpers/workspace.js';

const SPOOF = 'https://app.example.com/\u202egro.live//:sptth'; // renders as ".../https://evil.org"

describe('printable text', () => {
  it('escapes bidi controls, zero-width characters, controls and the BOM; leaves ordinary text alone', () => {
    expect(escapeHidden('a\u202eb\u200bc\u0007d\ufeffe\n')).toBe('a\\u202eb\\u200bc\\u0007d\\ufeffe\\u000a');
    expect(escapeHidden('naïve café 東京 🚀 — “quotes”')).toBe('naïve café 東京 🚀 — “quotes”');
  });

  it('shortens overlong quoted values and words, keeping their length', () => {
    expect(printable(`unknown key "${'k'.repeat(1000)}"`)).toBe(`unknown key "${'k'.repeat(60)}…(1000 characters)"`);
    expect(printable(`variable ${'V'.repeat(1000)} is not set`)).toBe(`variable ${'V'.repeat(60)}…(1000 characters) is not set`);
    const path = `/home/runner/work/${'deep/'.repeat(30)}auth.yaml:3:4`;
    expect(printable(path)).toBe(path);
  });
});

describe('plans show hidden characters escaped', () => {
  let emu: TestEmulator;
  let ws: Workspace;
  beforeAll(async () => {
    emu = await startTestEmulator();
    ws = workspace({ 'p.yaml': `project: ${REF}\nauth:\n  site_url: ${JSON.stringify(SPOOF)}\n` });
  });
  afterAll(async () => {
    ws.remove();
    await emu.close();
  });

  it.each(['text', 'markdown'])('%s', async (format) => {
    const r = await runCli(['plan', '-c', ws.dir, '--format', format], { env: { SUPABASE_API_URL: emu.url, SUPABASE_ACCESS_TOKEN: TOKEN } });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('"https://app.example.com/\\u202egro.live//:sptth"');
    expect(r.stdout).not.toContain('\u202e');
  });

  it('json keeps the exact value (JSON escaping is the reader\'s)', async () => {
    const r = await runCli(['plan', '-c', ws.dir, '--format', 'json'], { env: { SUPABASE_API_URL: emu.url, SUPABASE_ACCESS_TOKEN: TOKEN } });
    const plan = JSON.parse(r.stdout) as { projects: Array<{ sections: Array<{ changes: Array<{ path: string; after: unknown }> }> }> };
    expect(plan.projects[0]!.sections[0]!.changes.find((c) => c.path === 'site_url')!.after).toBe(SPOOF);
  });
});
