/**
 * JWT signing keys: GET (`{keys}`) / POST (201) /config/auth/signing-keys, GET / PATCH / DELETE
 * .../{id}, GET / POST .../signing-keys/legacy (the project's legacy JWT secret as a signing key).
 * Answers are SigningKeyResponse exactly (`additionalProperties: false`): id, algorithm, status,
 * public_jwk, created_at, updated_at. No private key material is ever stored or answered: a generated
 * or imported key keeps only its public JWK (`null` for HS256, whose key is the secret itself), and the
 * request log never holds a `private_jwk` (redact.ts).
 *
 * Assumptions (no recording of these endpoints exists; rules from Supabase's signing-keys guide where
 * it gives them, the plausible reading where it does not):
 * - a new project is migrated, as projects created since mid-2025 are: an ES256 key `in_use` and the
 *   legacy HS256 secret `previously_used` (so tokens it signed still verify); seed `signing_keys: []`
 *   for a project that never migrated (no keys; GET /legacy answers 404 until POST /legacy);
 * - exactly one key is `in_use` once there is any; at most one key is `standby`;
 * - status changes (PATCH): `standby → in_use` rotates (the key in use becomes `previously_used`);
 *   `previously_used → standby` (to roll back by rotating again) and `previously_used → revoked`;
 *   `standby → revoked` discards a key that never signed; the key `in_use` changes only by another key
 *   taking its place, and `revoked` is final; any other change answers 400 naming both statuses. Setting
 *   the current status again is a no-op (200);
 * - POST creates `standby` by default; `status: "in_use"` rotates at once; a second standby → 400;
 *   `private_jwk` must match `algorithm` (RS256↔RSA, ES256↔EC P-256, EdDSA↔OKP Ed25519, HS256↔oct) and
 *   be a valid key (400); its `kid`, when given, becomes the key's id (400 if taken);
 * - DELETE only removes a `revoked` key (the spec: "only possible if the key has been in revoked status
 *   for a while" — the wait is not emulated), else 400; it answers the removed key;
 * - POST /legacy when the legacy secret is already a signing key → 400; otherwise it becomes `in_use`;
 * - a malformed key id answers 400 (the spec's `format: uuid`), an unknown one 404 "Signing key not found".
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomUUID, type JsonWebKey } from 'node:crypto';
import { HttpError, badRequest } from '../http-error.js';
import { redactJwkPrivateParts } from '../redact.js';
import type { HandlerContext, RouteDef, Section } from '../types.js';
import { isUuid, uuidParam } from './params.js';

const LIST_PATH = '/v1/projects/{ref}/config/auth/signing-keys';
const ITEM_PATH = `${LIST_PATH}/{id}`;
const LEGACY_PATH = `${LIST_PATH}/legacy`;

export const SIGNING_KEY_NOT_FOUND = 'Signing key not found';
export const LEGACY_SIGNING_KEY_NOT_FOUND = 'Legacy JWT secret is not set up as a signing key';

export const ALGORITHMS = ['EdDSA', 'ES256', 'RS256', 'HS256'] as const;
export type Algorithm = (typeof ALGORITHMS)[number];
export const STATUSES = ['in_use', 'previously_used', 'revoked', 'standby'] as const;
export type SigningKeyStatus = (typeof STATUSES)[number];

export interface SigningKey {
  id: string;
  algorithm: Algorithm;
  status: SigningKeyStatus;
  public_jwk: Record<string, unknown> | null;
  /** The project's legacy JWT secret imported as a key (not answered; GET /legacy finds it). */
  legacy: boolean;
  created_at: string;
  updated_at: string;
}

export interface SigningKeysState {
  keys: SigningKey[];
}

interface CreateBody {
  algorithm: Algorithm;
  status?: 'in_use' | 'standby';
  private_jwk?: JsonWebKey & { kid?: string };
}

/** Which status changes PATCH accepts (from → to). */
const TRANSITIONS: Record<SigningKeyStatus, readonly SigningKeyStatus[]> = {
  standby: ['in_use', 'revoked'],
  in_use: [],
  previously_used: ['standby', 'revoked'],
  revoked: [],
};

const KTY: Record<Algorithm, { kty: string; crv?: string }> = {
  RS256: { kty: 'RSA' },
  ES256: { kty: 'EC', crv: 'P-256' },
  EdDSA: { kty: 'OKP', crv: 'Ed25519' },
  HS256: { kty: 'oct' },
};

/** The public JWK of a key pair, as a JWKS publishes it (private members dropped by Node's export). */
function publicJwk(publicKey: JsonWebKey, algorithm: Algorithm, kid: string): Record<string, unknown> {
  return { ...publicKey, alg: algorithm, kid, use: 'sig', key_ops: ['verify'], ext: true };
}

function generatePublicJwk(algorithm: Algorithm, kid: string): Record<string, unknown> | null {
  switch (algorithm) {
    case 'ES256':
      return publicJwk(generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'jwk' }), algorithm, kid);
    case 'RS256':
      return publicJwk(generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ format: 'jwk' }), algorithm, kid);
    case 'EdDSA':
      return publicJwk(generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' }), algorithm, kid);
    case 'HS256':
      return null; // a shared secret has no public part
  }
}

/** The public JWK of an imported private key; 400 when it does not match the algorithm or is no key. */
function importedPublicJwk(algorithm: Algorithm, jwk: JsonWebKey, kid: string): Record<string, unknown> | null {
  const want = KTY[algorithm];
  if (jwk.kty !== want.kty || (want.crv !== undefined && jwk.crv !== want.crv)) {
    throw badRequest(`private_jwk must be a ${want.kty}${want.crv ? ` ${want.crv}` : ''} key for ${algorithm}`);
  }
  if (jwk.alg !== undefined && jwk.alg !== algorithm) throw badRequest(`private_jwk.alg must be ${algorithm}`);
  if (algorithm === 'HS256') {
    if (Buffer.from(String(jwk.k), 'base64url').length < 32) throw badRequest('private_jwk.k must hold at least 32 bytes for HS256');
    return null;
  }
  try {
    const { kid: _kid, key_ops: _ops, ext: _ext, use: _use, alg: _alg, ...material } = jwk as JsonWebKey & Record<string, unknown>;
    return publicJwk(createPublicKey(createPrivateKey({ key: material as JsonWebKey, format: 'jwk' })).export({ format: 'jwk' }), algorithm, kid);
  } catch {
    throw badRequest('private_jwk is not a valid private key');
  }
}

/** A key as answered: SigningKeyResponse, nothing more. */
export function keyBody(k: SigningKey): Record<string, unknown> {
  return { id: k.id, algorithm: k.algorithm, status: k.status, public_jwk: k.public_jwk, created_at: k.created_at, updated_at: k.updated_at };
}

/** Makes `key` the key in use: the current one becomes previously used. */
function putInUse(state: SigningKeysState, key: SigningKey, at: string): void {
  for (const k of state.keys) {
    if (k.status === 'in_use' && k !== key) {
      k.status = 'previously_used';
      k.updated_at = at;
    }
  }
  key.status = 'in_use';
  key.updated_at = at;
}

function addKey(state: SigningKeysState, init: { algorithm: Algorithm; status: SigningKeyStatus; legacy?: boolean; id?: string; jwk?: CreateBody['private_jwk'] }, at: string): SigningKey {
  const id = init.id ?? randomUUID();
  if (state.keys.some((k) => k.id === id)) throw badRequest(`a signing key with id ${id} already exists`);
  if (init.status === 'standby' && state.keys.some((k) => k.status === 'standby')) {
    throw badRequest('There is already a standby signing key; rotate to it or revoke it first');
  }
  const key: SigningKey = {
    id,
    algorithm: init.algorithm,
    status: 'standby',
    public_jwk: init.jwk ? importedPublicJwk(init.algorithm, init.jwk, id) : init.legacy ? null : generatePublicJwk(init.algorithm, id),
    legacy: init.legacy === true,
    created_at: at,
    updated_at: at,
  };
  state.keys.push(key);
  if (init.status === 'in_use') putInUse(state, key, at);
  else key.status = init.status;
  return key;
}

function create(state: SigningKeysState, body: CreateBody, now: Date): SigningKey {
  const kid = body.private_jwk?.kid;
  if (kid !== undefined && !isUuid(kid)) throw badRequest('private_jwk.kid must be a UUID');
  return addKey(state, { algorithm: body.algorithm, status: body.status ?? 'standby', id: kid?.toLowerCase(), jwk: body.private_jwk }, now.toISOString());
}

function changeStatus(state: SigningKeysState, key: SigningKey, to: SigningKeyStatus, now: Date): void {
  if (key.status === to) return;
  if (!TRANSITIONS[key.status].includes(to)) {
    const hint = key.status === 'in_use' ? ' (the key in use changes only when another key is put in use)' : '';
    throw badRequest(`A signing key cannot change from ${key.status} to ${to}${hint}`);
  }
  if (to === 'standby' && state.keys.some((k) => k.status === 'standby')) {
    throw badRequest('There is already a standby signing key; rotate to it or revoke it first');
  }
  const at = now.toISOString();
  if (to === 'in_use') putInUse(state, key, at);
  else {
    key.status = to;
    key.updated_at = at;
  }
}

function find(ctx: HandlerContext): SigningKey {
  const id = uuidParam(ctx, 'id');
  const key = ctx.section(signingKeysSection).keys.find((k) => k.id === id);
  if (!key) throw new HttpError(404, SIGNING_KEY_NOT_FOUND);
  return key;
}

interface SeedKey {
  algorithm?: unknown;
  status?: unknown;
  legacy?: unknown;
  id?: unknown;
}

export const signingKeysSection: Section<SigningKeysState> = {
  name: 'signing_keys',
  initial(ctx) {
    const state: SigningKeysState = { keys: [] };
    const at = ctx.project.created_at;
    addKey(state, { algorithm: 'HS256', status: 'in_use', legacy: true }, at);
    addKey(state, { algorithm: 'ES256', status: 'in_use' }, at);
    return state;
  },
  // Seed: a list of `{algorithm, status, legacy?, id?}` (key material is generated), replacing the
  // default keys; `[]` is a project that never migrated. At most one legacy key, and it is HS256.
  seed(_state, value, ctx) {
    if (!Array.isArray(value)) throw badRequest('signing_keys must be a list of {algorithm, status, legacy?, id?}');
    const state: SigningKeysState = { keys: [] };
    const at = ctx.now.toISOString();
    (value as SeedKey[]).forEach((item, i) => {
      const fail = (message: string) => badRequest(`${i}: ${message}`);
      if (item === null || typeof item !== 'object') throw fail('must be {algorithm, status, legacy?, id?}');
      const extra = Object.keys(item).find((k) => !['algorithm', 'status', 'legacy', 'id'].includes(k));
      if (extra) throw fail(`unknown key ${extra}`);
      if (!ALGORITHMS.includes(item.algorithm as Algorithm)) throw fail(`algorithm must be one of ${ALGORITHMS.join(', ')}`);
      if (!STATUSES.includes(item.status as SigningKeyStatus)) throw fail(`status must be one of ${STATUSES.join(', ')}`);
      if (item.legacy !== undefined && typeof item.legacy !== 'boolean') throw fail('legacy must be a boolean');
      if (item.legacy === true && (item.algorithm !== 'HS256' || state.keys.some((k) => k.legacy))) throw fail('there is one legacy key, and it is HS256');
      if (item.id !== undefined && !isUuid(item.id)) throw fail('id must be a UUID');
      if (item.status === 'in_use' && state.keys.some((k) => k.status === 'in_use')) throw fail('only one key can be in_use');
      try {
        const key = addKey(state, { algorithm: item.algorithm as Algorithm, status: 'revoked', legacy: item.legacy === true, id: (item.id as string | undefined)?.toLowerCase() }, at);
        if (item.status === 'standby' && state.keys.some((k) => k.status === 'standby')) throw badRequest('only one key can be standby');
        key.status = item.status as SigningKeyStatus;
      } catch (err) {
        if (err instanceof HttpError) throw fail(err.message);
        throw err;
      }
    });
    if (state.keys.length > 0 && !state.keys.some((k) => k.status === 'in_use')) throw badRequest('one key must be in_use');
    return state;
  },
};

export const signingKeysRoutes: RouteDef[] = [
  { method: 'GET', path: LIST_PATH, handle: (ctx) => ({ status: 200, body: { keys: ctx.section(signingKeysSection).keys.map(keyBody) } }) },
  {
    method: 'POST',
    path: LIST_PATH,
    redact: redactJwkPrivateParts('private_jwk'),
    handle: (ctx) => ({ status: 201, body: keyBody(create(ctx.section(signingKeysSection), ctx.body as CreateBody, ctx.now)), mutated: true }),
  },
  {
    method: 'GET',
    path: LEGACY_PATH,
    handle(ctx) {
      const legacy = ctx.section(signingKeysSection).keys.find((k) => k.legacy);
      if (!legacy) throw new HttpError(404, LEGACY_SIGNING_KEY_NOT_FOUND);
      return { status: 200, body: keyBody(legacy) };
    },
  },
  {
    method: 'POST',
    path: LEGACY_PATH,
    handle(ctx) {
      const state = ctx.section(signingKeysSection);
      if (state.keys.some((k) => k.legacy)) throw badRequest('The legacy JWT secret is already set up as a signing key');
      const key = addKey(state, { algorithm: 'HS256', status: 'in_use', legacy: true }, ctx.now.toISOString());
      return { status: 201, body: keyBody(key), mutated: true };
    },
  },
  { method: 'GET', path: ITEM_PATH, handle: (ctx) => ({ status: 200, body: keyBody(find(ctx)) }) },
  {
    method: 'PATCH',
    path: ITEM_PATH,
    handle(ctx) {
      const key = find(ctx);
      changeStatus(ctx.section(signingKeysSection), key, (ctx.body as { status: SigningKeyStatus }).status, ctx.now);
      return { status: 200, body: keyBody(key), mutated: true };
    },
  },
  {
    method: 'DELETE',
    path: ITEM_PATH,
    handle(ctx) {
      const key = find(ctx);
      if (key.status !== 'revoked') throw badRequest(`Only revoked signing keys can be removed (this one is ${key.status})`);
      const state = ctx.section(signingKeysSection);
      state.keys = state.keys.filter((k) => k.id !== key.id);
      return { status: 200, body: keyBody(key), mutated: true };
    },
  },
];
