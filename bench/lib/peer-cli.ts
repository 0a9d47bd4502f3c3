/**
 * The official Supabase CLI, the peer of the peer tests and the benchmarks, lives in its own package
 * folder (peers/supabase-cli: 293 MB, and engine warnings on Node 20, that a plain `npm ci` of
 * supasync should not cost). This is the one place that knows where it is; tests reach it through
 * test/helpers/peer-cli.ts.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from './paths.js';

export const PEER_CLI_DIR = join(ROOT, 'peers/supabase-cli');
/** What installs it, exactly as .ci/run runs it (from the repository root). */
export const PEER_CLI_INSTALL = 'npm ci --prefix peers/supabase-cli --no-audit --no-fund';

export interface LocatedPeerCli {
  /** The npm package's launcher (`node_modules/.bin/supabase`), as users run the CLI. */
  launcher: string;
  /** The Go executable the launcher spawns (the benchmarks time it directly). */
  binary: string;
  version: string;
}

export type PeerCliLookup = ({ ok: true } & LocatedPeerCli) | { ok: false; reason: string };

const readJson = (path: string): { version?: string; dependencies?: Record<string, string> } =>
  JSON.parse(readFileSync(path, 'utf8')) as { version?: string; dependencies?: Record<string, string> };

/** The version peers/supabase-cli/package.json pins. */
export function pinnedPeerCliVersion(dir = PEER_CLI_DIR): string {
  const pinned = readJson(join(dir, 'package.json')).dependencies?.supabase;
  if (!pinned) throw new Error(`${dir}/package.json does not pin supabase`);
  return pinned;
}

/** Where the installed CLI is, or why it cannot be used (not installed, another version). */
export function locatePeerCli(dir = PEER_CLI_DIR): PeerCliLookup {
  const pinned = pinnedPeerCliVersion(dir);
  const packageJson = join(dir, 'node_modules/supabase/package.json');
  const launcher = join(dir, 'node_modules/.bin/supabase');
  if (!existsSync(packageJson) || !existsSync(launcher)) {
    return { ok: false, reason: `the official Supabase CLI (supabase@${pinned}) is not installed in peers/supabase-cli (${PEER_CLI_INSTALL})` };
  }
  const version = readJson(packageJson).version ?? 'unknown';
  if (version !== pinned) {
    return { ok: false, reason: `peers/supabase-cli holds supabase@${version}, not the pinned ${pinned} (${PEER_CLI_INSTALL})` };
  }
  // Found the way the package's launcher finds it: its platform package, resolved from the launcher's package.
  const suffix = process.arch === 'arm64' ? 'linux-arm64' : 'linux-x64';
  let binary: string;
  try {
    binary = join(dirname(createRequire(packageJson).resolve(`@supabase/cli-${suffix}/package.json`)), 'bin', 'supabase');
  } catch {
    return { ok: false, reason: `peers/supabase-cli has no @supabase/cli-${suffix} (installed with --omit=optional?): ${PEER_CLI_INSTALL}` };
  }
  if (!existsSync(binary)) return { ok: false, reason: `${binary} is missing (${PEER_CLI_INSTALL})` };
  return { ok: true, launcher, binary, version };
}

/** The located CLI; installs it first when it is missing (`npm run bench`). */
export async function ensurePeerCli(log: (line: string) => void): Promise<LocatedPeerCli> {
  const first = locatePeerCli();
  if (first.ok) return first;
  log(`${first.reason}: installing it…`);
  const [command, ...args] = PEER_CLI_INSTALL.split(' ') as [string, ...string[]];
  await promisify(execFile)(command, args, { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 });
  const second = locatePeerCli();
  if (!second.ok) throw new Error(second.reason);
  return second;
}
