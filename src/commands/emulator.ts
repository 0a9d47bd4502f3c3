/**
 * `supasync emulator`: runs the Management API emulator until SIGTERM / SIGINT. Prints
 * `listening on http://HOST:PORT` on stdout once it accepts requests.
 */
import { readFile } from 'node:fs/promises';
import { ConfigError, ExitCode, UsageError } from '../errors.js';
import { createLogger } from '../log.js';
import { SeedError, locateSeedIssues, parseSeed, startEmulator, type SeedDocument, type SeedSource } from '../emulator/index.js';

export interface EmulatorCommandOptions {
  host?: string;
  port?: number;
  seed?: string;
  state?: string;
  rateLimit?: string;
}

/** `120/min` or `120` → 120. */
export function parseRateLimit(value: string): number {
  const match = /^(\d+)(?:\s*\/\s*min)?$/.exec(value.trim());
  const n = match ? Number(match[1]) : NaN;
  if (!Number.isSafeInteger(n) || n <= 0) {
    throw new UsageError(`--rate-limit: expected a positive number of requests per minute, e.g. 120/min (got "${value}")`);
  }
  return n;
}

/** The seed file's document, and its text (section values are checked later, and located in it). */
async function loadSeedFile(file: string): Promise<{ seed: SeedDocument; source: SeedSource }> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new ConfigError([{ path: '', message: `cannot read seed file ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` }]);
  }
  const source = { file, text };
  try {
    return { seed: parseSeed(text), source };
  } catch (err) {
    if (err instanceof SeedError) throw new ConfigError(locateSeedIssues(err.issues, source));
    throw err;
  }
}

function waitForSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
      resolve(signal);
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
}

export async function emulatorCommand(opts: EmulatorCommandOptions): Promise<ExitCode> {
  const rateLimitPerMinute = opts.rateLimit === undefined ? undefined : parseRateLimit(opts.rateLimit);
  const loaded = opts.seed === undefined ? undefined : await loadSeedFile(opts.seed);
  const logger = createLogger({ name: 'supasync-emulator', level: 'info', destination: 'stderr' });
  const signal = waitForSignal();

  let emulator;
  try {
    emulator = await startEmulator({
      host: opts.host ?? '127.0.0.1',
      port: opts.port ?? 54321,
      seed: loaded?.seed,
      statePath: opts.state,
      rateLimitPerMinute,
      logger,
    });
  } catch (err) {
    // A state file's problems come located; the seed's section values are located in the seed file.
    if (err instanceof SeedError) throw new ConfigError(loaded ? locateSeedIssues(err.issues, loaded.source) : err.issues);
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') {
      throw new UsageError(`cannot listen on ${opts.host ?? '127.0.0.1'}:${opts.port ?? 54321}: ${code}`);
    }
    throw err;
  }
  process.stdout.write(`listening on ${emulator.url}\n`);
  logger.info({ url: emulator.url, state: opts.state ?? null, rateLimitPerMinute: rateLimitPerMinute ?? null }, 'emulator started');

  const received = await signal;
  logger.info({ signal: received }, 'emulator stopping');
  await emulator.close();
  return ExitCode.ok;
}
