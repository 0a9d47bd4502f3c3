/**
 * The real daemon (src/daemon/daemon.ts), started in-process with a memory logger and driven with
 * `cycleNow()` instead of cron, so that hundreds of cycles run in seconds. The schedule is once a
 * year: no tick interferes with the cycles a test asks for.
 */
import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';
import { startDaemon, type Daemon } from '../../../src/daemon/daemon.js';
import { REDACT_PATHS } from '../../../src/log.js';

export interface LogLine {
  level: string;
  msg: string;
  [key: string]: unknown;
}

/** Keeps the last `keep` lines (a soak must not grow memory by keeping logs) and counts every level. */
export class MemoryLog {
  readonly recent: LogLine[] = [];
  readonly levels = new Map<string, number>();
  /** Every line as text, only when asked for (secret scans); otherwise undefined. */
  readonly all: string[] | undefined;
  total = 0;

  constructor(
    private readonly keep = 2_000,
    keepAll = false,
  ) {
    this.all = keepAll ? [] : undefined;
  }

  add(raw: string): void {
    for (const text of raw.split('\n')) {
      if (!text.trim()) continue;
      const line = JSON.parse(text) as LogLine;
      this.total++;
      this.levels.set(line.level, (this.levels.get(line.level) ?? 0) + 1);
      this.recent.push(line);
      if (this.recent.length > this.keep) this.recent.splice(0, this.recent.length - this.keep);
      this.all?.push(text);
    }
  }

  cycles(): LogLine[] {
    return this.recent.filter((l) => l.msg === 'cycle complete');
  }
}

/** A pino logger with the options of src/log.ts (same redaction), writing into a MemoryLog. */
export function memoryLogger(level: string, log: MemoryLog): Logger {
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      log.add(chunk.toString('utf8'));
      done();
    },
  });
  return pino(
    {
      name: 'supasync',
      level,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    stream,
  );
}

export interface InProcessDaemon {
  daemon: Daemon;
  log: MemoryLog;
  /** Runs one cycle and returns its `cycle complete` line. */
  cycle(): Promise<LogLine>;
  stop(): Promise<number>;
}

export interface InProcessDaemonOptions {
  config: string[];
  env: Record<string, string | undefined>;
  secretsDir?: string[];
  logLevel?: string;
  keepLines?: number;
  keepAll?: boolean;
  allowRisky?: boolean;
  mode?: 'enforce' | 'observe';
  /** Client-side requests per minute (0 = none; the daemon's default is 120). */
  rateLimit?: number;
}

const ONCE_A_YEAR = '0 0 1 1 *';

export async function startInProcessDaemon(opts: InProcessDaemonOptions): Promise<InProcessDaemon> {
  const log = new MemoryLog(opts.keepLines ?? 2_000, opts.keepAll ?? false);
  const logger = memoryLogger(opts.logLevel ?? 'debug', log);
  const daemon = await startDaemon({
    config: opts.config,
    secretsDir: opts.secretsDir ?? [],
    schedule: ONCE_A_YEAR,
    mode: opts.mode ?? 'enforce',
    listen: { host: '127.0.0.1', port: 0 },
    jitterMs: 0,
    shutdownTimeoutMs: 10_000,
    allowRisky: opts.allowRisky ?? false,
    logger,
    env: opts.env,
    handleSignals: false,
    ...(opts.rateLimit === undefined ? {} : { rateLimit: opts.rateLimit }),
  });
  // The first cycle starts with the daemon; let it finish so that every cycle() is one of ours.
  await daemon.cycleNow();
  const cycle = async (): Promise<LogLine> => {
    const before = log.total;
    await daemon.cycleNow();
    const line = log.recent.slice(-(log.total - before)).reverse().find((l) => l.msg === 'cycle complete');
    if (!line) throw new Error('the cycle logged no "cycle complete" line');
    return line;
  };
  return {
    daemon,
    log,
    cycle,
    async stop() {
      daemon.stop('test over');
      return daemon.done;
    },
  };
}
