/**
 * API keys: GET (list) / POST (201) /v1/projects/{ref}/api-keys, GET / PATCH / DELETE .../{id},
 * GET / PUT .../api-keys/legacy (the switch for the JWT-based anon and service_role keys).
 *
 * Shapes as recorded (GET_v1_projects___PROJECT_REF___api_keys): the legacy `anon` and `service_role`
 * keys first (`id` = name, `type: "legacy"`, the JWT in full, a 5-character `prefix`), then the
 * publishable and secret keys (`id` a UUID, `hash` the unpadded base64url SHA-256 of the key). A new
 * project has both legacy keys and one publishable and one secret key named `default`, the secret one
 * with `secret_jwt_template: {role: "service_role"}` (as recorded).
 *
 * `reveal` (GET, POST, PATCH, DELETE): a secret key's value is answered masked — its `prefix` then one
 * `·` per remaining character, 26 for a 41-character key, as recorded — unless `reveal=true`.
 * Publishable and legacy keys are always answered in full (as recorded without `reveal`).
 *
 * Assumptions (beyond the recordings):
 * - key values are `sb_publishable_` / `sb_secret_` + 22 base64url characters (16 random bytes) + `_` +
 *   an 8-character checksum, the public format; `prefix` is the type prefix + the first 5 of those 22
 *   characters (15 characters for a secret key, which the recorded masking implies);
 * - the legacy keys are HS256 JWTs `{iss: "supabase", ref, role, iat, exp}` signed with the project's
 *   JWT secret (the one GET /postgrest answers), `iat` the project's creation, `exp` ten years later; their
 *   `prefix` is the first 5 characters of the JWT's signature;
 * - names are unique per type (a duplicate answers 400); `secret_jwt_template` belongs to secret keys
 *   only (400 on a publishable key) and must name a `role`; a secret key created without one gets
 *   `{role: "service_role"}`;
 * - the legacy keys are listed whether enabled or not (the switch is read from /api-keys/legacy);
 *   disabling them needs a publishable and a secret key to exist first (400 otherwise), as the
 *   dashboard requires;
 * - a malformed key id answers 400 (the spec's `format: uuid`; so `anon` cannot be fetched alone), an
 *   unknown one 404 "API key not found"; `was_compromised` and `reason` on DELETE are accepted and not kept.
 */
import { createHash, createHmac, randomBytes, randomUUID } from 'node:crypto';
import { HttpError, badRequest } from '../http-error.js';
import { validateBody } from '../validate.js';
import type { HandlerContext, ProjectMeta, RouteDef, Section } from '../types.js';
import { isUuid, uuidParam } from './params.js';
import { postgrestSection } from './postgrest.js';

const LIST_PATH = '/v1/projects/{ref}/api-keys';
const ITEM_PATH = `${LIST_PATH}/{id}`;
const LEGACY_PATH = `${LIST_PATH}/legacy`;

export const API_KEY_NOT_FOUND = 'API key not found';
const MASK = '·';
const TEN_YEARS_S = 315_576_000;

export type ApiKeyType = 'publishable' | 'secret';

export interface ApiKeyRecord {
  id: string;
  type: ApiKeyType;
  name: string;
  description: string | null;
  secret_jwt_template: Record<string, unknown> | null;
  api_key: string;
  inserted_at: string;
  updated_at: string;
}

export interface ApiKeysState {
  legacy_enabled: boolean;
  keys: ApiKeyRecord[];
}

interface KeyBody {
  type?: ApiKeyType;
  name?: string;
  description?: string | null;
  secret_jwt_template?: Record<string, unknown> | null;
}

const b64url = (buf: Buffer): string => buf.toString('base64url');
const sha256url = (s: string): string => b64url(createHash('sha256').update(s).digest());

export function newKeyValue(type: ApiKeyType): string {
  const body = `sb_${type}_${b64url(randomBytes(16))}`;
  return `${body}_${sha256url(body).slice(0, 8)}`;
}

const prefixOf = (type: ApiKeyType, value: string): string => value.slice(0, `sb_${type}_`.length + 5);

function legacyJwt(project: ProjectMeta, role: 'anon' | 'service_role', secret: string): string {
  const iat = Math.floor(Date.parse(project.created_at) / 1000);
  const part = (o: unknown) => b64url(Buffer.from(JSON.stringify(o)));
  const unsigned = `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ iss: 'supabase', ref: project.ref, role, iat, exp: iat + TEN_YEARS_S })}`;
  return `${unsigned}.${b64url(createHmac('sha256', secret).update(unsigned).digest())}`;
}

function legacyKeys(ctx: HandlerContext): Record<string, unknown>[] {
  const secret = ctx.section(postgrestSection).jwt_secret;
  return (['anon', 'service_role'] as const).map((role) => {
    const jwt = legacyJwt(ctx.project, role, secret);
    return {
      name: role,
      api_key: jwt,
      id: role,
      type: 'legacy',
      hash: sha256url(jwt),
      prefix: jwt.split('.')[2]!.slice(0, 5),
      description: `Legacy ${role} API key`,
    };
  });
}

/** A key as answered (key order as recorded); a secret key masked unless revealed. */
function keyBody(key: ApiKeyRecord, reveal: boolean): Record<string, unknown> {
  const prefix = prefixOf(key.type, key.api_key);
  const shown = key.type === 'secret' && !reveal ? prefix + MASK.repeat(key.api_key.length - prefix.length) : key.api_key;
  return {
    id: key.id,
    name: key.name,
    type: key.type,
    api_key: shown,
    description: key.description,
    secret_jwt_template: key.secret_jwt_template,
    hash: sha256url(key.api_key),
    prefix,
    inserted_at: key.inserted_at,
    updated_at: key.updated_at,
  };
}

function checkTemplate(type: ApiKeyType, template: Record<string, unknown> | null | undefined): void {
  if (template === undefined || template === null) return;
  if (type !== 'secret') throw badRequest('secret_jwt_template can only be set on secret API keys');
  if (typeof template.role !== 'string' || template.role === '') throw badRequest('secret_jwt_template.role must be a non-empty string');
}

function checkName(state: ApiKeysState, type: ApiKeyType, name: string, self?: string): void {
  if (state.keys.some((k) => k.type === type && k.name === name && k.id !== self)) {
    throw badRequest(`A ${type} API key named ${name} already exists`);
  }
}

function create(state: ApiKeysState, body: KeyBody & { type: ApiKeyType; name: string }, now: Date, id: string = randomUUID()): ApiKeyRecord {
  checkName(state, body.type, body.name);
  checkTemplate(body.type, body.secret_jwt_template);
  const at = now.toISOString();
  const key: ApiKeyRecord = {
    id,
    type: body.type,
    name: body.name,
    description: body.description ?? null,
    secret_jwt_template:
      body.type === 'secret' ? structuredClone(body.secret_jwt_template ?? { role: 'service_role' }) : null,
    api_key: newKeyValue(body.type),
    inserted_at: at,
    updated_at: at,
  };
  state.keys.push(key);
  return key;
}

function find(ctx: HandlerContext): ApiKeyRecord {
  const id = uuidParam(ctx, 'id');
  const key = ctx.section(apiKeysSection).keys.find((k) => k.id === id);
  if (!key) throw new HttpError(404, API_KEY_NOT_FOUND);
  return key;
}

const reveal = (ctx: HandlerContext): boolean => ctx.query.reveal === true;

function defaultKeys(now: Date): ApiKeysState {
  const state: ApiKeysState = { legacy_enabled: true, keys: [] };
  create(state, { type: 'publishable', name: 'default' }, now);
  create(state, { type: 'secret', name: 'default' }, now);
  return state;
}

export const apiKeysSection: Section<ApiKeysState> = {
  name: 'api_keys',
  initial: (ctx) => defaultKeys(ctx.now),
  // Seed: `{legacy_enabled?: boolean, keys?: [create bodies, each with an optional id]}`; `keys`, when
  // given, replaces the two default keys (`keys: []` is a project created before the new keys).
  seed(state, value, ctx) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) throw badRequest('api_keys must be {legacy_enabled?, keys?}');
    const { legacy_enabled, keys, ...rest } = value as { legacy_enabled?: unknown; keys?: unknown };
    const unknown = Object.keys(rest);
    if (unknown.length > 0) throw badRequest(`unknown key ${unknown[0]} (expected legacy_enabled, keys)`);
    if (keys !== undefined) {
      if (!Array.isArray(keys)) throw badRequest('keys must be a list of API keys');
      state.keys = [];
      keys.forEach((item: unknown, i) => {
        const { id, ...body } = (item ?? {}) as { id?: unknown } & Record<string, unknown>;
        try {
          if (id !== undefined && !isUuid(id)) throw badRequest('id must be a UUID');
          const valid = validateBody<KeyBody & { type: ApiKeyType; name: string }>('POST', LIST_PATH, body);
          create(state, valid, ctx.now, id === undefined ? undefined : id.toLowerCase());
        } catch (err) {
          if (err instanceof HttpError) throw badRequest(`keys.${i}: ${err.message}`);
          throw err;
        }
      });
    }
    if (legacy_enabled !== undefined) {
      if (typeof legacy_enabled !== 'boolean') throw badRequest('legacy_enabled must be a boolean');
      state.legacy_enabled = legacy_enabled;
    }
    return state;
  },
};

export const apiKeysRoutes: RouteDef[] = [
  {
    method: 'GET',
    path: LIST_PATH,
    handle(ctx) {
      const state = ctx.section(apiKeysSection);
      return { status: 200, body: [...legacyKeys(ctx), ...state.keys.map((k) => keyBody(k, reveal(ctx)))] };
    },
  },
  {
    method: 'POST',
    path: LIST_PATH,
    handle(ctx) {
      const key = create(ctx.section(apiKeysSection), ctx.body as KeyBody & { type: ApiKeyType; name: string }, ctx.now);
      return { status: 201, body: keyBody(key, reveal(ctx)), mutated: true };
    },
  },
  {
    method: 'GET',
    path: LEGACY_PATH,
    handle: (ctx) => ({ status: 200, body: { enabled: ctx.section(apiKeysSection).legacy_enabled } }),
  },
  {
    method: 'PUT',
    path: LEGACY_PATH,
    handle(ctx) {
      const state = ctx.section(apiKeysSection);
      const enabled = ctx.query.enabled as boolean;
      if (!enabled && !(state.keys.some((k) => k.type === 'publishable') && state.keys.some((k) => k.type === 'secret'))) {
        throw badRequest('Create a publishable and a secret API key before disabling the legacy API keys');
      }
      state.legacy_enabled = enabled;
      return { status: 200, body: { enabled }, mutated: true };
    },
  },
  { method: 'GET', path: ITEM_PATH, handle: (ctx) => ({ status: 200, body: keyBody(find(ctx), reveal(ctx)) }) },
  {
    method: 'PATCH',
    path: ITEM_PATH,
    handle(ctx) {
      const key = find(ctx);
      const body = ctx.body as KeyBody;
      if (body.name !== undefined) checkName(ctx.section(apiKeysSection), key.type, body.name, key.id);
      checkTemplate(key.type, body.secret_jwt_template);
      if (body.name !== undefined) key.name = body.name;
      if (body.description !== undefined) key.description = body.description;
      if (body.secret_jwt_template !== undefined && key.type === 'secret') {
        key.secret_jwt_template = body.secret_jwt_template === null ? null : structuredClone(body.secret_jwt_template);
      }
      key.updated_at = ctx.now.toISOString();
      return { status: 200, body: keyBody(key, reveal(ctx)), mutated: true };
    },
  },
  {
    method: 'DELETE',
    path: ITEM_PATH,
    handle(ctx) {
      const key = find(ctx);
      const state = ctx.section(apiKeysSection);
      state.keys = state.keys.filter((k) => k.id !== key.id);
      return { status: 200, body: keyBody(key, reveal(ctx)), mutated: true };
    },
  },
];
