/**
 * Issue 17 item 10: the README's "Install" section, as a newcomer follows it. From a clone, after
 * `npm ci`: `npx supasync …` runs the clone's own CLI (npm resolves the project's own bin, without
 * asking the registry), from its root and from a subfolder, and `npm link` puts `supasync` on the
 * PATH (here into a temporary prefix, not the machine's global one).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';

const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };

function run(command: string, args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: opts.cwd ?? ROOT, env: { ...process.env, NO_COLOR: '1', npm_config_update_notifier: 'false', ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('the README', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = (title: string) => readme.split(/^## /m).find((part) => part.startsWith(`${title}\n`)) ?? '';

  it('has an Install section: from source (npm ci, then npx supasync or npm link), a pinned commit, the container image, npm once published', () => {
    const install = section('Install');
    expect(install).not.toBe('');
    for (const text of ['npm ci', 'npx supasync --help', 'npm link', 'github:OWNER/supasync#<40-hex commit SHA>', 'docker build -t supasync .', 'scripts/docker-base-image.sh', '--build-arg BASE_IMAGE=supasync-base:local', '@sha256:']) {
      expect(install, text).toContain(text);
    }
    // Until it is published, the registry name must not be what the README tells people to install.
    const installs = install.split('\n').filter((l) => /^\s*npm (install|i) /.test(l));
    expect(installs.length).toBeGreaterThan(0);
    for (const line of installs) expect(line).not.toMatch(/npm (install|i) (-\S+ )*"?supasync(@|"|\s|$)/);
    expect(section('Using it')).toContain('npx supasync');
  });
});

describe('install from a clone, as the README says', () => {
  it('npx supasync runs the clone\'s CLI, offline, from the root and from a subfolder', { timeout: 120_000 }, async () => {
    for (const cwd of [ROOT, join(ROOT, 'examples', 'config')]) {
      const v = await run('npx', ['--no-install', 'supasync', '--version'], { cwd });
      expect(v.code, v.stderr).toBe(0);
      expect(v.stdout.trim()).toBe(version);
    }
    const validate = await run('npx', ['--no-install', 'supasync', 'validate', '-c', 'examples/config']);
    expect(validate.code, validate.stderr).toBe(0);
    const exec = await run('npm', ['exec', '--no', '--', 'supasync', '--help']);
    expect(exec.code, exec.stderr).toBe(0);
    expect(exec.stdout).toMatch(/^Usage: supasync /);
  });

  it('npm link puts supasync on the PATH', { timeout: 120_000 }, async () => {
    const prefix = mkdtempSync(join(tmpdir(), 'supasync-link-'));
    try {
      const link = await run('npm', ['link', '--offline', '--no-audit', '--no-fund'], { env: { npm_config_prefix: prefix } });
      expect(link.code, link.stderr).toBe(0);
      const bin = join(prefix, 'bin', 'supasync');
      expect(existsSync(bin)).toBe(true);
      const v = await run('supasync', ['--version'], { cwd: tmpdir(), env: { PATH: `${join(prefix, 'bin')}:${process.env.PATH}` } });
      expect(v.code, v.stderr).toBe(0);
      expect(v.stdout.trim()).toBe(version);
    } finally {
      rmSync(prefix, { recursive: true, force: true });
    }
  });
});
