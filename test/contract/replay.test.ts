/**
 * Replay: every recorded real exchange in vendor/fixtures/supabase-cli-recorded/recorded/ for an
 * endpoint the emulator serves is sent to a fresh emulator, which must answer the recorded status,
 * the same set of top-level keys (arrays: the keys of their elements), and the same kind of headers.
 * Recorded endpoints the emulator does not serve are listed below with the reason; none is skipped
 * silently.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNT_ROUTES, PROJECT_ROUTES } from '../../src/emulator/resources/index.js';
import { DEFAULT_SEED, type SeedDocument } from '../../src/emulator/index.js';
import { REF, startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import { templateFor } from './spec-helpers.js';

const RECORDED = new URL('../../vendor/fixtures/supabase-cli-recorded/recorded/', import.meta.url);
const SCENARIOS = new URL('../../vendor/fixtures/supabase-cli-recorded/scenarios/', import.meta.url);
/** Whole `config push` runs that succeeded: their exchanges of endpoints with no per-endpoint recording are replayed too. */
const SUCCESS_SCENARIOS = ['config-push-reconciles-every-section-against-the-remote', 'config-push-emits-http-trace-with-debug'];

/** Recorded endpoints outside the emulator, and why. */
const OUT_OF_SCOPE: Record<string, string> = {
  'DELETE /v1/projects/{ref}': 'supasync never deletes projects; project lifecycle is not emulated',
};

/**
 * Recorded exchanges of served endpoints that are not replayed, and why. Each must show the answer
 * named here (checked below), so that the reason stays evidence rather than opinion.
 */
const NOT_REPLAYED: Record<string, { reason: string; status: number; message: string }> = Object.fromEntries(
  [
    'DELETE_v1_projects___PROJECT_REF___custom_hostname/default',
    'POST_v1_projects___PROJECT_REF___custom_hostname_activate/default',
    'POST_v1_projects___PROJECT_REF___custom_hostname_reverify/default',
  ].map((id) => [
    id,
    {
      reason:
        'recorded answering 400 "Resource has been removed" (a removed project, or an operation the recorded API had retired); ' +
        'the emulator implements the operation as the spec describes it, and the contract tests cover it',
      status: 400,
      message: 'Resource has been removed',
    },
  ]),
);

/**
 * Exchanges recorded after writes that the recording does not include: the emulator is first brought
 * to that state (through the seed, or through the real requests), then the exchange is replayed.
 */
const SETUP: Record<string, { reason: string; seed?: Record<string, unknown>; requests?: [string, string, unknown][] }> = {
  'GET_v1_projects___PROJECT_REF___config_database_postgres/default': {
    reason: 'recorded after a PUT of these overrides',
    seed: { postgres: { shared_buffers: '256MB', max_connections: 100, statement_timeout: '8s', effective_cache_size: '768MB' } },
  },
  'GET_v1_projects___PROJECT_REF___config_database_postgres/2': {
    reason: 'recorded after a PUT of these overrides',
    requests: [
      ['PUT', '/config/database/postgres', { shared_buffers: '256MB', max_connections: 100, statement_timeout: '8s', effective_cache_size: '768MB' }],
    ],
  },
  'GET_v1_projects___PROJECT_REF___network_restrictions/3': {
    reason: 'recorded after POST /apply (hence applied_at)',
    requests: [['POST', '/network-restrictions/apply', { dbAllowedCidrs: ['0.0.0.0/0'], dbAllowedCidrsV6: [] }]],
  },
  'GET_v1_projects___PROJECT_REF___custom_hostname/default': {
    reason: 'recorded with this hostname active',
    seed: { custom_hostname: { hostname: 'www.urgsimurksi.xyz', status: '5_services_reconfigured' } },
  },
  'GET_v1_projects___PROJECT_REF___network_restrictions/5': {
    reason: 'recorded with these lists in force and no timestamps: a state whose history is not recorded',
    seed: { network_restrictions: { dbAllowedCidrs: ['0.0.0.0/0'], dbAllowedCidrsV6: [] } },
  },
};

/** Top-level keys the spec (newer than the recordings) requires and the recordings predate. */
const SPEC_NEWER_KEYS: Record<string, string[]> = {
  'GET /v1/projects/{ref}/config/auth': ['nimbus_oauth_email_optional'],
  'PATCH /v1/projects/{ref}/config/auth': ['nimbus_oauth_email_optional'],
};

/**
 * Exchanges whose whole success body the emulator must give back, after turning the staging host
 * names of the recording into their production forms and dropping the values listed (random ids).
 */
const SAME_BODY: Record<string, { ignore: string[] }> = {
  'GET_v1_projects___PROJECT_REF___vanity_subdomain/default': { ignore: [] },
  'POST_v1_projects___PROJECT_REF___vanity_subdomain_check_availability/default': { ignore: [] },
  'POST_v1_projects___PROJECT_REF___vanity_subdomain_activate/default': { ignore: [] },
  'GET_v1_projects___PROJECT_REF___custom_hostname/default': { ignore: ['data.result.id'] },
  'GET_v1_projects___PROJECT_REF___config_storage/default': { ignore: [] },
};

function comparable(body: unknown, ignore: string[]): unknown {
  const copy = JSON.parse(JSON.stringify(body ?? null).replaceAll('.supabase.red', '.supabase.co')) as Record<string, unknown>;
  for (const path of ignore) {
    const parts = path.split('.');
    let node: Record<string, unknown> | undefined = copy;
    for (const part of parts.slice(0, -1)) node = node?.[part] as Record<string, unknown> | undefined;
    if (node) delete node[parts.at(-1)!];
  }
  return copy;
}

interface Recorded {
  request: { method: string; path: string; body: unknown };
  response: { status: number; headers: Record<string, string>; body: unknown };
}

function loadExchanges(): { id: string; key: string; template: string; exchange: Recorded }[] {
  const out = [];
  for (const dir of readdirSync(RECORDED).sort()) {
    for (const file of readdirSync(new URL(`${dir}/`, RECORDED)).filter((f) => f.endsWith('.request.json')).sort()) {
      const name = file.replace('.request.json', '');
      const request = JSON.parse(readFileSync(new URL(`${dir}/${file}`, RECORDED), 'utf8')) as Recorded['request'];
      const response = JSON.parse(
        readFileSync(new URL(`${dir}/${name}.response.json`, RECORDED), 'utf8'),
      ) as Recorded['response'];
      const template = templateFor(request.method, request.path);
      if (!template) throw new Error(`recorded ${dir}/${name} matches no operation of the spec`);
      out.push({ id: `${dir}/${name}`, key: `${request.method} ${template}`, template, exchange: { request, response } });
    }
  }
  const recordedKeys = new Set(out.map((e) => e.key));
  for (const scenario of SUCCESS_SCENARIOS) {
    const interactions = JSON.parse(readFileSync(new URL(`${scenario}/interactions.json`, SCENARIOS), 'utf8')) as Recorded[];
    interactions.forEach((exchange, i) => {
      const template = templateFor(exchange.request.method, exchange.request.path);
      if (!template) throw new Error(`scenario ${scenario}/${i} matches no operation of the spec`);
      const key = `${exchange.request.method} ${template}`;
      if (!recordedKeys.has(key)) out.push({ id: `scenarios/${scenario}/${i}`, key, template, exchange });
    });
  }
  return out;
}

const exchanges = loadExchanges();
const served = new Set([...PROJECT_ROUTES, ...ACCOUNT_ROUTES].map((r) => `${r.method} ${r.path}`));

/** Keys of an object, or of the elements of an array; null for anything else. */
function keysOf(body: unknown): string[] | null {
  if (Array.isArray(body)) {
    const keys = new Set<string>();
    for (const item of body) if (item && typeof item === 'object') for (const k of Object.keys(item)) keys.add(k);
    return [...keys].sort();
  }
  if (body && typeof body === 'object') return Object.keys(body).sort();
  return null;
}

const UNKNOWN_UUID = '5b7c2f0e-94a1-4c3d-8e6f-0a1b2c3d4e5f';
const substitute = (s: string): string => s.replaceAll('__PROJECT_REF__', REF).replaceAll('__UUID__', UNKNOWN_UUID);
const substituteBody = (body: unknown): unknown => JSON.parse(substitute(JSON.stringify(body ?? null))) as unknown;

describe('recorded exchanges are classified', () => {
  it('every recorded endpoint is either served by the emulator or listed as out of scope, never both', () => {
    const unclassified = exchanges.filter((e) => !served.has(e.key) && OUT_OF_SCOPE[e.key] === undefined).map((e) => e.id);
    expect(unclassified).toEqual([]);
    const both = Object.keys(OUT_OF_SCOPE).filter((k) => served.has(k));
    expect(both).toEqual([]);
    // The out-of-scope list names only endpoints that were recorded (no stale entries).
    const recordedKeys = new Set(exchanges.map((e) => e.key));
    expect(Object.keys(OUT_OF_SCOPE).filter((k) => !recordedKeys.has(k))).toEqual([]);
  });

  it('every exchange left out of the replay shows the answer its reason names', () => {
    for (const [id, expected] of Object.entries(NOT_REPLAYED)) {
      const found = exchanges.find((e) => e.id === id);
      expect(found, id).toBeDefined();
      expect(served.has(found!.key), `${id} is of a served endpoint`).toBe(true);
      expect([found!.exchange.response.status, found!.exchange.response.body]).toEqual([expected.status, { message: expected.message }]);
    }
  });

  it('replays the recorded exchanges of every endpoint the official CLI calls in link and config push', () => {
    const replayed = new Set(exchanges.filter((e) => served.has(e.key) && !NOT_REPLAYED[e.id]).map((e) => e.key));
    for (const key of [
      'GET /v1/projects/{ref}/api-keys',
      'POST /v1/projects/{ref}/database/webhooks/enable',
      'GET /v1/organizations',
      'GET /v1/projects/{ref}/pgsodium',
      'GET /v1/projects/{ref}/vanity-subdomain',
      'GET /v1/projects/{ref}/custom-hostname',
    ]) {
      expect(replayed.has(key), key).toBe(true);
    }
  });

  it('compares whole bodies only of exchanges that exist', () => {
    expect(Object.keys(SAME_BODY).filter((id) => !exchanges.some((e) => e.id === id))).toEqual([]);
  });

  it('replays a meaningful share of the recordings', () => {
    expect(exchanges.filter((e) => served.has(e.key)).length).toBeGreaterThanOrEqual(50);
  });
});

describe('replay of recorded real exchanges against a fresh emulator', () => {
  let emu: TestEmulator;
  beforeAll(async () => {
    emu = await startTestEmulator();
  });
  afterAll(async () => {
    await emu.close();
  });

  for (const { id, key, exchange } of exchanges.filter((e) => served.has(e.key) && !NOT_REPLAYED[e.id])) {
    const setup = SETUP[id];
    it(`${id}: ${key}${setup ? ` (after setup: ${setup.reason})` : ''}`, async () => {
      const seed: SeedDocument = structuredClone(DEFAULT_SEED);
      if (setup?.seed) Object.assign(seed.projects[0]!, setup.seed);
      const reset = await emu.control('POST', '/_emulator/reset', seed);
      expect(reset.status).toBe(200);
      for (const [method, suffix, body] of setup?.requests ?? []) {
        const res = await emu.call(method, `/v1/projects/${REF}${suffix}`, body);
        expect(res.status).toBeLessThan(300);
      }

      const { request, response } = exchange;
      const body = request.body === null ? undefined : JSON.parse(substitute(JSON.stringify(request.body)));
      const res = await emu.call(request.method, substitute(request.path), body);

      expect(res.status).toBe(response.status);
      const expectedKeys = keysOf(response.body);
      const extra = SPEC_NEWER_KEYS[key] ?? [];
      expect(keysOf(res.body)).toEqual(expectedKeys === null ? null : [...expectedKeys, ...extra].sort());
      if (response.body === null) expect(res.text).toBe('');
      // Headers: content-type exactly when recorded, and always the rate-limit trio.
      expect(res.headers.get('content-type')).toBe(response.headers['content-type'] ?? null);
      for (const h of ['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset']) {
        expect(res.headers.get(h)).toMatch(/^\d+$/);
      }
      if (response.status >= 400) {
        expect(res.body).toEqual(response.body);
      }
      const same = SAME_BODY[id];
      if (same) {
        expect(comparable(res.body, same.ignore)).toEqual(comparable(substituteBody(response.body), same.ignore));
      }
    });
  }
});
