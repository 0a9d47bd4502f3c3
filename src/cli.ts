#!/usr/bin/env node
/**
 * The executable: runs the command line (src/program.ts) and sets the process's exit code from what
 * it returns — the only place an exit code is set.
 */
import { restoreSignalDefaultsAsPid1 } from './daemon/pid1.js';
import { exitAtOnceRequested } from './exit-at-once.js';

// Before the command line's modules load (a dynamic import, so they load after this line): node
// catches SIGTERM and SIGINT itself from its first instant and, as PID 1, its own handler drops them.
// A `docker stop` during that start-up would be lost; the sooner ours is in place the smaller the gap.
restoreSignalDefaultsAsPid1();
const { main } = await import('./program.js');
const code = await main(process.argv);
// Let pending writes to stdout/stderr drain before exiting, unless the command was stopped by a
// signal: then end now, before a late copy of that signal can (see exit-at-once.ts).
process.exitCode = code;
if (exitAtOnceRequested()) process.exit(code);
