/**
 * Runs a shell command under a pseudo-terminal (util-linux `script`), so that the CLI sees `isTTY`
 * on stdin, stdout and stderr exactly as in an interactive shell. What the terminal showed comes
 * back as one string (stdout and stderr interleaved, with `\r\n` line ends).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { CLI } from './cli.js';

export interface TerminalRun {
  code: number | null;
  /** Everything the terminal showed, `\r` removed. */
  output: string;
}

export interface TerminalOptions {
  env?: Record<string, string | undefined>;
  /** Type `text` (and Enter) once the output contains `when`. */
  answer?: { when: string; text: string };
  /** Called with the output so far after each chunk; return true to send SIGINT to the command once. */
  interruptWhen?: (output: string) => boolean;
  timeoutMs?: number;
}

/** `node dist/cli.js …args`, quoted for the shell `script` runs. */
export const cliCommand = (args: string[]): string => [process.execPath, CLI, ...args].map((a) => JSON.stringify(a)).join(' ');

export function runInTerminal(command: string, opts: TerminalOptions = {}): Promise<TerminalRun & { child: ChildProcess }> {
  return new Promise((resolve, reject) => {
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries({ ...process.env, NO_COLOR: undefined, FORCE_COLOR: undefined, TERM: 'xterm-256color', ...opts.env })) {
      if (v !== undefined) env[k] = v;
    }
    // `script` runs the command with `$SHELL -c`. Pinned to /bin/sh, and `exec`: no shell stays between
    // the terminal and the command, as with a job an interactive shell starts. A shell that stayed
    // would be in the terminal's process group too, and dash, waiting on a command when Ctrl-C comes,
    // kills itself with SIGINT however the command ended (exit 130 while the command exited 0: CI
    // stops 19 and before, where $SHELL was not bash; bash waits and exits with the command's status).
    env.SHELL = '/bin/sh';
    // -f: flush at once; -e: exit with the command's status; -q: no "Script started" lines.
    const child = spawn('script', ['-qfec', `exec ${command}`, '/dev/null'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    let answered = false;
    let interrupted = false;
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 20_000);
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      output += d.replace(/\r/g, '');
      if (opts.answer && !answered && output.includes(opts.answer.when)) {
        answered = true;
        child.stdin.write(`${opts.answer.text}\r`);
      }
      if (opts.interruptWhen && !interrupted && opts.interruptWhen(output)) {
        interrupted = true;
        // Ctrl-C as typed: the terminal's line discipline turns it into SIGINT for the foreground job.
        child.stdin.write('\x03');
      }
    });
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output, child });
    });
  });
}
