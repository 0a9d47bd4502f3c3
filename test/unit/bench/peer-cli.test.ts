/**
 * Where the official Supabase CLI is found (peers/supabase-cli), and what the peer tests do without
 * it: a NOT RUN line, or, under SUPASYNC_REQUIRE_PEER_CLI=1 (CI), a failure.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PEER_CLI_DIR, PEER_CLI_INSTALL, locatePeerCli, peerCliOrNotRun } from '../../helpers/peer-cli.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A peer package folder pinning 2.99.0, with `installed` as the installed version (none: not installed). */
function peerFolder(installed?: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'supasync-peer-folder-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ private: true, dependencies: { supabase: '2.99.0' } }));
  if (installed) {
    mkdirSync(join(dir, 'node_modules/supabase'), { recursive: true });
    mkdirSync(join(dir, 'node_modules/.bin'), { recursive: true });
    writeFileSync(join(dir, 'node_modules/supabase/package.json'), JSON.stringify({ name: 'supabase', version: installed }));
    writeFileSync(join(dir, 'node_modules/.bin/supabase'), '');
  }
  return dir;
}

describe('the peer CLI locator', () => {
  it('the repository pins supabase@2.99.0 in peers/supabase-cli, with a lock file, and not in the root package', () => {
    const pkg = JSON.parse(readFileSync(join(PEER_CLI_DIR, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    expect(pkg.dependencies).toEqual({ supabase: '2.99.0' });
    const lock = JSON.parse(readFileSync(join(PEER_CLI_DIR, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version?: string }> };
    expect(lock.packages['node_modules/supabase']?.version).toBe('2.99.0');
    const root = JSON.parse(readFileSync(join(PEER_CLI_DIR, '../../package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>;
    expect({ ...root.dependencies, ...root.devDependencies }).not.toHaveProperty('supabase');
  });

  it('says how to install it when it is missing, and when another version is installed', () => {
    expect(locatePeerCli(peerFolder())).toEqual({
      ok: false,
      reason: `the official Supabase CLI (supabase@2.99.0) is not installed in peers/supabase-cli (${PEER_CLI_INSTALL})`,
    });
    expect(locatePeerCli(peerFolder('2.98.1'))).toEqual({ ok: false, reason: `peers/supabase-cli holds supabase@2.98.1, not the pinned 2.99.0 (${PEER_CLI_INSTALL})` });
  });

  it('without the CLI, peer tests print a NOT RUN line; with SUPASYNC_REQUIRE_PEER_CLI=1 they fail', () => {
    const dir = peerFolder();
    let printed = '';
    const stderr = { write: (text: string) => ((printed += text), true) };
    expect(peerCliOrNotRun('peer: x', { dir, env: {}, stderr })).toBeUndefined();
    expect(printed).toBe(`\n*** PEER TESTS NOT RUN (peer: x): the official Supabase CLI (supabase@2.99.0) is not installed in peers/supabase-cli (${PEER_CLI_INSTALL}). Run .ci/run, or that command, to run them. ***\n\n`);
    expect(() => peerCliOrNotRun('peer: x', { dir, env: { SUPASYNC_REQUIRE_PEER_CLI: '1' }, stderr })).toThrow(/^PEER TESTS NOT RUN \(peer: x\): the official Supabase CLI/);
  });
});
