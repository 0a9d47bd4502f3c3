/**
 * Logging: pino JSON lines. One-shot commands log to stderr (stdout carries the plan); the daemon
 * logs to stdout. Tokens and secret fields are redacted by path, wherever they appear.
 */
import { pino, type Logger, type LevelWithSilent } from 'pino';

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
    },
    pino.destination({ fd, sync: true }),
  );
}

/** A logger that drops everything (library default when the caller passes none). */
export const silentLogger: Logger = pino({ level: 'silent' });
