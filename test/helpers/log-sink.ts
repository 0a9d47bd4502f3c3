/** A pino logger whose JSON lines are kept in memory, parsed, for unit tests of what code logs. */
import { Writable } from 'node:stream';
import { pino, type Logger, type LoggerOptions } from 'pino';

export function logSink<Line = Record<string, unknown>>(options: LoggerOptions = {}): { lines: Line[]; logger: Logger } {
  const lines: Line[] = [];
  const logger = pino(
    { base: undefined, ...options },
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(JSON.parse(chunk.toString()) as Line);
        done();
      },
    }),
  );
  return { lines, logger };
}
