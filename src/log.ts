/**
 * Logging: pino JSON lines. One-shot commands log to stderr (stdout carries the plan); the daemon
 * logs to stdout. Tokens and secret fields are redacted by path, wherever they appear; and every
 * line, as written, is passed through the redactor of the configuration last loaded, so that a
 * secret value reaches no log whatever field or message carries it.
 */
import { pino, type Logger, type LevelWithSilent } from 'pino';
import { NO_SECRETS, type SensitiveText } from './redact.js';

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

export function createLogger(opts: { level?: LevelWithSilent; destination?: 'stdout' | 'stderr'; name?: string } = {}): Logger {
  const fd = opts.destination === 'stdout' ? 1 : 2;
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
    pino.destination({ fd, sync: true }),
  );
}

/** A logger that drops everything (library default when the caller passes none). */
export const silentLogger: Logger = pino({ level: 'silent' });
