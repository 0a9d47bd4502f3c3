/**
 * Peer tests run the official Supabase CLI (installed apart, in peers/supabase-cli: see
 * bench/lib/peer-cli.ts). Without it they do not run and say so in a line of their own, like the
 * container tests without Docker; with SUPASYNC_REQUIRE_PEER_CLI=1 (set by .ci/run, which installs
 * it) a missing CLI fails them instead.
 *
 *   describePeer('peer: …', (cli) => { it('…', async () => { await run(cli.launcher, [...]) }) });
 */
import { describe } from 'vitest';
import { locatePeerCli, type LocatedPeerCli } from '../../bench/lib/peer-cli.js';

export { PEER_CLI_DIR, PEER_CLI_INSTALL, locatePeerCli, type LocatedPeerCli } from '../../bench/lib/peer-cli.js';

interface NotRunOptions {
  /** The peer package folder (tests of this helper give another). */
  dir?: string;
  env?: NodeJS.ProcessEnv;
  stderr?: Pick<NodeJS.WriteStream, 'write'>;
}

/** The CLI, or undefined after a loud NOT RUN line; throws when SUPASYNC_REQUIRE_PEER_CLI=1. */
export function peerCliOrNotRun(what: string, opts: NotRunOptions = {}): LocatedPeerCli | undefined {
  const found = locatePeerCli(opts.dir);
  if (found.ok) return found;
  const line = `PEER TESTS NOT RUN (${what}): ${found.reason}. Run .ci/run, or that command, to run them.`;
  if ((opts.env ?? process.env).SUPASYNC_REQUIRE_PEER_CLI === '1') throw new Error(line);
  (opts.stderr ?? process.stderr).write(`\n*** ${line} ***\n\n`);
  return undefined;
}

/**
 * A describe block of peer tests: `body` gets the located CLI. Without it the block is reported as
 * not run (see peerCliOrNotRun); its tests are then collected against a placeholder and never run.
 */
export function describePeer(name: string, body: (cli: LocatedPeerCli) => void): void {
  const cli = peerCliOrNotRun(name);
  describe.runIf(cli !== undefined)(name, () => body(cli ?? { launcher: '', binary: '', version: '' }));
}
