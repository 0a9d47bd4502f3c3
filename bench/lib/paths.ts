/** Where things are: the built CLI, the repository, the official Supabase CLI. */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const CLI = join(ROOT, 'dist/cli.js');
/** `node --import` preload that lists the modules a command loads (bench only). */
export const TRACE_LOADS = join(ROOT, 'bench/lib/trace-loads.mjs');

/**
 * The official CLI's own binary (the Go executable the npm package ships), found the way the npm
 * package's launcher finds it. Measured directly: the launcher is a Node script that only spawns it,
 * and counting its extra process would be unfair to the peer.
 */
export function officialCliBinary(): string {
  const require = createRequire(join(ROOT, 'package.json'));
  const suffix = process.arch === 'arm64' ? 'linux-arm64' : 'linux-x64';
  return join(dirname(require.resolve(`@supabase/cli-${suffix}/package.json`)), 'bin', 'supabase');
}
