/**
 * `--log-format json|pretty` (env SUPASYNC_LOG_FORMAT), set once by the command line; its own small
 * module so that program.ts can set it without loading pino.
 */
import { isatty } from 'node:tty';

export const LOG_FORMATS = ['json', 'pretty'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

/** Process-wide, like the streams the logs go to. */
let chosenFormat: LogFormat | undefined;

/** Sets the format every logger made from now on uses; undefined: pretty on a terminal, JSON elsewhere. */
export function setLogFormat(format: LogFormat | undefined): void {
  chosenFormat = format;
}

/** The format for a log written to `fd`: the one chosen, else pretty when `fd` is a terminal. */
export function logFormatFor(fd: number): LogFormat {
  return chosenFormat ?? (isatty(fd) ? 'pretty' : 'json');
}
