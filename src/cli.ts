#!/usr/bin/env node
/**
 * The executable: runs the command line (src/program.ts) and sets the process's exit code from what
 * it returns — the only place an exit code is set.
 */
import { restoreSignalDefaultsAsPid1 } from './daemon/pid1.js';
import { main } from './program.js';

restoreSignalDefaultsAsPid1();
const code = await main(process.argv);
// Let pending writes to stdout/stderr drain before exiting.
process.exitCode = code;
