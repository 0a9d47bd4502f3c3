/**
 * A command stopped by a signal (`run`, `demo`) asks the executable (src/cli.ts) to end the process with
 * `process.exit` as soon as it has its code, rather than let the event loop drain. While node tears down
 * by itself it first gives SIGINT and SIGTERM back their default action, so a signal arriving then ends
 * the process with 128+n, whatever code was returned. One may: `npm start` forwards the terminal's
 * Ctrl-C a second time, and nothing bounds when that copy arrives. `process.exit` keeps node's
 * handlers to the end (measured: a node process with a SIGINT handler, sent SIGINT every millisecond,
 * died by the signal in 150 of 150 natural exits and in 0 of 150 `process.exit` exits).
 * Nothing written is lost: the logger writes synchronously, and so do stdout and stderr on Linux
 * (files, pipes and terminals).
 */
let requested = false;

/** Called by a command whose process should end at once when it returns. */
export function exitAtOnceWhenDone(): void {
  requested = true;
}

export function exitAtOnceRequested(): boolean {
  return requested;
}
