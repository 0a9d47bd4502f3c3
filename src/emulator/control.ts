/**
 * The test control surface under `/_emulator` — not part of the real API, needs no token:
 *   POST   /_emulator/reset     seed document (YAML or JSON; empty: the default seed) → replaces all state
 *   GET    /_emulator/requests  every /v1 request since the last reset: {method, path, status, body, ...}
 *   DELETE /_emulator/requests  clears that log
 *   POST   /_emulator/faults    a list of fault rules (or one), added after the existing ones
 *   GET    /_emulator/faults    the active rules, with what is left of their `times`
 *   DELETE /_emulator/faults    removes every rule
 *   GET    /_emulator/state     the whole state, as the state file holds it (debugging)
 *   POST   /_emulator/projects/{ref}/custom-hostname/dns   {"verified": bool}: whether the DNS records
 *          the project's custom hostname asks for are in place (the emulator resolves nothing)
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { DEFAULT_SEED } from './default-seed.js';
import { HttpError } from './http-error.js';
import { SeedError, parseSeed } from './seed.js';
import { locateSeedIssues } from './seed-locate.js';
import { customHostnameSection, hostnameBody } from './resources/custom-hostname.js';
import { send } from './respond.js';
import type { EmulatorCore } from './server.js';
import { trimTrailing } from '../trim.js';
import { formatIssue } from '../errors.js';

export async function handleControl(
  core: EmulatorCore,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  readBody: () => Promise<string>,
): Promise<void> {
  const method = (req.method ?? 'GET').toUpperCase();
  const action = `${method} ${trimTrailing(path, '/')}`;
  const dns = /^POST \/_emulator\/projects\/([a-z]{20})\/custom-hostname\/dns$/.exec(action);
  if (dns) {
    await setHostnameDns(core, res, dns[1]!, await readBody());
    return;
  }
  switch (action) {
    case 'POST /_emulator/reset': {
      const text = await readBody();
      let store;
      try {
        store = core.options.storeFromSeed(text.trim() === '' ? DEFAULT_SEED : parseSeed(text));
      } catch (err) {
        if (err instanceof SeedError) {
          // Located in the request body, as `seed:LINE:COL`, each with its YAML path (`projects[0].plan`).
          const issues = locateSeedIssues(err.issues, { file: 'seed', text });
          send(res, { status: 400, body: { message: `invalid seed: ${issues.map(formatIssue).join('; ')}`, issues } });
          return;
        }
        throw err;
      }
      await core.replaceState(store);
      send(res, { status: 200, body: { projects: [...store.projects.keys()] } });
      return;
    }
    case 'GET /_emulator/requests':
      send(res, { status: 200, body: core.log.list() });
      return;
    case 'DELETE /_emulator/requests':
      core.log.clear();
      send(res, { status: 204 });
      return;
    case 'POST /_emulator/faults': {
      const text = await readBody();
      let rules: unknown;
      try {
        rules = JSON.parse(text);
      } catch {
        throw new HttpError(400, 'fault rules must be JSON: a list of {method?, path, status?, body?, delay_ms?, reset?, retry_after?, times?}');
      }
      core.faults.add(rules);
      send(res, { status: 200, body: core.faults.list() });
      return;
    }
    case 'GET /_emulator/faults':
      send(res, { status: 200, body: core.faults.list() });
      return;
    case 'DELETE /_emulator/faults':
      core.faults.clear();
      send(res, { status: 204 });
      return;
    case 'GET /_emulator/state':
      send(res, { status: 200, body: core.snapshot() });
      return;
    default:
      send(res, { status: 404, body: { message: `no control route ${action}` } });
  }
}

/** Marks the DNS records of a project's custom hostname as in place (or not); answers its config. */
async function setHostnameDns(core: EmulatorCore, res: ServerResponse, ref: string, text: string): Promise<void> {
  let verified: unknown;
  try {
    verified = (JSON.parse(text) as { verified?: unknown } | null)?.verified;
  } catch {
    verified = undefined;
  }
  if (typeof verified !== 'boolean') throw new HttpError(400, 'body must be {"verified": true} or {"verified": false}');
  const project = core.store.project(ref);
  if (!project) throw new HttpError(404, `no project ${ref}`);
  const now = new Date();
  const state = core.store.section(project, customHostnameSection, now);
  if (!state.config) throw new HttpError(404, `project ${ref} has no custom hostname (POST .../custom-hostname/initialize first)`);
  state.config.dns_verified = verified;
  await core.persist();
  send(res, { status: 200, body: hostnameBody(project, state.config, now, core.settings) });
}
