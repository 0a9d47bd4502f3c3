/**
 * Logging: pino JSON lines. One-shot commands log to stderr (stdout carries the plan); the daemon
 * logs to stdout. Tokens and secret fields are redacted by path, wherever they appear; and every
 * line, as written, is passed through the redactor of the configuration last loaded, so that a
 * secret value reaches no log whatever field or message carries it.
 *
 * `--log-format pretty` (the default when the log's stream is a terminal) hands those same lines,
 * redacted, to pino-pretty instead of the file descriptor: one short coloured line per event
 * (./log-pretty.ts). `json` (the default otherwise: Kubernetes, CI, pipes) writes them as they are.
 */
import { createRequire } from 'node:module';
import { isatty } from 'node:tty';
import { pino, type DestinationStream, type Logger, type LevelWithSilent } from 'pino';
import type { PrettyOptions } from 'pino-pretty';
import { logFormatFor, type LogFormat } from './log-format.js';
import { prettyOptions } from './log-pretty.js';
import { NO_SECRETS, type SensitiveText } from './redact.js';

export { LOG_FORMATS, setLogFormat, type LogFormat } from './log-format.js';

export type { Logger };

/** Paths censored in every log line: credentials, and bodies that may carry secrets. */
export const REDACT_PATHS = [
  'token',
  'authorization',
  'headers.authorization',
  '*.authorization',
  'req.headers.authorization',
  'body',
  '*.body',
  'value',
  '*.value',
];

/** Process-wide, like the log stream itself: the configuration loaded last (a failed reload keeps the last valid one). */
let lineSecrets: SensitiveText = NO_SECRETS;

/** Called once a configuration is loaded: its secrets are redacted from every log line from now on. */
export function redactLogLines(sensitive: SensitiveText): void {
  lineSecrets = sensitive;
}

/** pino-pretty is loaded only when asked for (it is CommonJS, and JSON runs never need it). */
function prettyStream(fd: number): DestinationStream {
  const build = createRequire(import.meta.url)('pino-pretty') as (options: PrettyOptions) => DestinationStream;
  return build(prettyOptions(fd, isatty(fd) && !process.env.NO_COLOR));
}

export function createLogger(opts: { level?: LevelWithSilent; destination?: 'stdout' | 'stderr'; name?: string; format?: LogFormat } = {}): Logger {
  const fd = opts.destination === 'stdout' ? 1 : 2;
  const format = opts.format ?? logFormatFor(fd);
  return pino(
    {
      name: opts.name ?? 'supasync',
      level: opts.level ?? 'info',
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      hooks: { streamWrite: (line) => lineSecrets.redact(line) },
    },
    format === 'pretty' ? prettyStream(fd) : pino.destination({ fd, sync: true }),
  );
}

/** A logger that drops everything (library default when the caller passes none). */
export const silentLogger: Logger = pino({ level: 'silent' });
