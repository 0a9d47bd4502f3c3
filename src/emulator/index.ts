/**
 * The Management API emulator, startable in-process:
 *
 *   const emulator = await startEmulator({ port: 0 });
 *   // ... requests to `${emulator.url}/v1/...` with `Authorization: Bearer sbp_<40 hex>`
 *   await emulator.close();
 *
 * State comes from, in order: the state file (`statePath`) when it exists, else `seed`, else the
 * default seed (the projects of examples/). With `statePath`, every change is written there.
 */
import { readFile, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import type { SourceLocation } from '../errors.js';
import type { Logger } from '../log.js';
import { DEFAULT_SEED } from './default-seed.js';
import type { FaultRule } from './faults.js';
import type { RequestLogEntry } from './request-log.js';
import { SeedError, checkSeed, type SeedDocument } from './seed.js';
import { locateSeedIssues } from './seed-locate.js';
import { EmulatorCore, listen } from './server.js';
import { Store, type StateFile } from './store.js';
import type { EmulatorSettings } from './types.js';

export { DEFAULT_SEED } from './default-seed.js';
export { SeedError, parseSeed, type SeedDocument } from './seed.js';
export { locateSeedIssues, type SeedSource } from './seed-locate.js';
export type { FaultRule } from './faults.js';
export type { RequestLogEntry } from './request-log.js';
export type { StateFile } from './store.js';

export interface EmulatorOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0: a free port. */
  port?: number;
  seed?: SeedDocument;
  /** Persist state to this JSON file (loaded at start when it exists). */
  statePath?: string;
  /** Requests per minute per token; beyond it, 429. Default: no limit. */
  rateLimitPerMinute?: number;
  logger?: Logger;
  /** See resources/network-restrictions.ts; default 0 (a stored change reads as applied from the next read). */
  networkRestrictionsApplyMs?: number;
  /** See resources/custom-hostname.ts; default 0 (a verified hostname reads origin-set-up from the next read). */
  customHostnameOriginSetupMs?: number;
}

export interface Emulator {
  /** e.g. `http://127.0.0.1:54321` — what clients use as the API URL. */
  url: string;
  host: string;
  port: number;
  close(): Promise<void>;
  /** Replaces all state, as POST /_emulator/reset does. */
  reset(seed?: SeedDocument): Promise<void>;
  requests(): readonly RequestLogEntry[];
  clearRequests(): void;
  addFaults(rules: FaultRule | FaultRule[]): void;
  clearFaults(): void;
  state(): StateFile;
}

/**
 * Where JSON.parse failed: Node 20's messages give no position, so the text is read again by yaml
 * (JSON is YAML), whose first error is located; the start of the file when yaml takes it.
 */
function jsonErrorLocation(file: string, text: string): SourceLocation {
  const at = parseDocument(text).errors[0]?.linePos?.[0];
  return { file, line: at?.line ?? 1, col: at?.col ?? 1 };
}

async function readStateFile(path: string): Promise<{ text: string; data: unknown } | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new SeedError([{ path: '', message: `cannot read state file ${path}: ${(err as Error).message}` }]);
  }
  try {
    return { text, data: JSON.parse(text) };
  } catch (err) {
    throw new SeedError([{ location: jsonErrorLocation(path, text), path: '', message: `state file is not JSON: ${(err as Error).message.split('\n')[0]}` }]);
  }
}

/** Restores the state file's store; its problems located in its text. */
function storeFromStateFile(path: string, saved: { text: string; data: unknown }, settings: EmulatorSettings): Store {
  try {
    return Store.fromStateFile(saved.data, settings);
  } catch (err) {
    if (err instanceof SeedError) throw new SeedError(locateSeedIssues(err.issues, { file: path, text: saved.text }));
    throw err;
  }
}

/** The state file's directory must exist: the emulator writes the file, never directories. */
async function checkStateDirectory(path: string): Promise<void> {
  const dir = dirname(resolve(path));
  let isDirectory: boolean;
  try {
    isDirectory = (await stat(dir)).isDirectory();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new SeedError([
      { path: '', message: `state file ${path}: ${code === 'ENOENT' ? `directory ${dir} does not exist` : `cannot use directory ${dir} (${code ?? 'error'})`}` },
    ]);
  }
  if (!isDirectory) throw new SeedError([{ path: '', message: `state file ${path}: ${dir} is not a directory` }]);
}

function formatUrl(host: string, port: number): string {
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/** Starts an emulator; throws SeedError when the seed or the state file is invalid. */
export async function startEmulator(opts: EmulatorOptions = {}): Promise<Emulator> {
  if (opts.rateLimitPerMinute !== undefined && !(Number.isInteger(opts.rateLimitPerMinute) && opts.rateLimitPerMinute > 0)) {
    throw new RangeError('rateLimitPerMinute must be a positive integer');
  }
  const settings: EmulatorSettings = {
    networkRestrictionsApplyMs: opts.networkRestrictionsApplyMs ?? 0,
    customHostnameOriginSetupMs: opts.customHostnameOriginSetupMs ?? 0,
  };
  const storeFromSeed = (seed: SeedDocument) => Store.fromSeed(checkSeed(seed), settings);
  if (opts.statePath) await checkStateDirectory(opts.statePath);
  const saved = opts.statePath ? await readStateFile(opts.statePath) : undefined;
  const store = saved !== undefined && opts.statePath ? storeFromStateFile(opts.statePath, saved, settings) : storeFromSeed(opts.seed ?? DEFAULT_SEED);

  const core = new EmulatorCore({
    store,
    settings,
    rateLimitPerMinute: opts.rateLimitPerMinute,
    statePath: opts.statePath,
    logger: opts.logger,
    storeFromSeed,
  });
  if (opts.statePath && saved === undefined) {
    try {
      await core.persist();
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? 'error';
      throw new SeedError([{ path: '', message: `cannot write state file ${opts.statePath} (${code})` }]);
    }
  }

  const host = opts.host ?? '127.0.0.1';
  const { server, port } = await listen(core, host, opts.port ?? 0);
  let closing: Promise<void> | undefined;

  return {
    url: formatUrl(host, port),
    host,
    port,
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }).then(() => core.persist());
      return closing;
    },
    reset: (seed) => core.replaceState(storeFromSeed(seed ?? DEFAULT_SEED)),
    requests: () => core.log.list(),
    clearRequests: () => core.log.clear(),
    addFaults: (rules) => core.faults.add(rules),
    clearFaults: () => core.faults.clear(),
    state: () => core.snapshot(),
  };
}
