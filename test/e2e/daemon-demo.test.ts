/**
 * `npm start` = `supasync demo`: the emulator, the daemon on examples/config, and drift made behind
 * its back that the next cycle puts back. Ctrl-C (SIGINT) ends it with exit 0.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, ROOT } from '../helpers/cli.js';

describe('supasync demo (npm start)', () => {
  it('is what npm start runs', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.start).toBe('node dist/cli.js demo');
  });

  it('shows drift being made and corrected, and ends cleanly on Ctrl-C', async () => {
    const child = spawn(process.execPath, [CLI, 'demo', '--schedule', '*/1 * * * * *', '--drift-every', '2s'], {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    const lines = () => stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
    try {
      // The first out-of-band change (auth site_url), then the daemon putting it back.
      await expect.poll(() => stderr, { timeout: 15_000 }).toMatch(/out-of-band change: auth site_url .* \(HTTP 200\)/);
      const madeAt = lines().length;
      await expect
        .poll(() => lines().slice(madeAt).some((l) => l.msg === 'change applied' && l.section === 'auth' && l.path === 'site_url'), { timeout: 10_000 })
        .toBe(true);
      expect(lines().some((l) => l.msg === 'cycle complete' && l.trigger === 'start' && l.result === 'ok')).toBe(true);
      expect(stderr).toMatch(/probes at http:\/\/127\.0\.0\.1:\d+\/healthz/);
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
    expect(stderr).toContain('supasync demo: stopped.');
    expect(lines().at(-1)).toMatchObject({ msg: 'stopped', exit_code: 0 });
    // The example's secret defaults never show.
    expect(stdout + stderr).not.toMatch(/example-smtp-password|example-github-oauth-secret/);
  });
});
