/**
 * Third-party auth integrations: GET (list) / POST (201) /config/auth/third-party-auth, GET / DELETE
 * .../{tpa_id} (DELETE answers the removed integration, 200).
 *
 * Assumptions (no recording of these endpoints exists):
 * - at least one of `oidc_issuer_url`, `jwks_url`, `custom_jwks` is required (400 otherwise); the
 *   spec's example gives an issuer and a JWKS URL together, so any combination is accepted;
 * - URLs must be https (400); `custom_jwks` must be a JWKS (`{keys: [...]}`) of public keys — a key
 *   with private members (`d`, `k`, …) is refused (400) and never stored;
 * - an integration with the same issuer URL (else JWKS URL) as an existing one is refused (400);
 * - `type` is named after the issuer's host for the providers Supabase documents (Firebase, Auth0,
 *   AWS Cognito, Clerk, WorkOS), else `oidc`, `jwks` or `custom_jwks` after what was given;
 * - the emulator fetches nothing: an integration by URL has `resolved_jwks` and `resolved_at` null
 *   (not resolved yet); one by `custom_jwks` is resolved at once to those keys;
 * - a malformed `tpa_id` answers 400 (the spec's `format: uuid`, as NestJS's ParseUUIDPipe would), an
 *   unknown one 404 "Third-party auth integration not found".
 */
import { randomUUID } from 'node:crypto';
import { HttpError, badRequest } from '../http-error.js';
import { JWK_PRIVATE_MEMBERS, redactJwkPrivateParts } from '../redact.js';
import { validateBody } from '../validate.js';
import type { HandlerContext, RouteDef, Section } from '../types.js';
import { isUuid, uuidParam } from './params.js';

const LIST_PATH = '/v1/projects/{ref}/config/auth/third-party-auth';
const ITEM_PATH = `${LIST_PATH}/{tpa_id}`;

export const TPA_NOT_FOUND = 'Third-party auth integration not found';

export interface ThirdPartyAuth {
  id: string;
  type: string;
  oidc_issuer_url: string | null;
  jwks_url: string | null;
  custom_jwks: unknown;
  resolved_jwks: unknown;
  inserted_at: string;
  updated_at: string;
  resolved_at: string | null;
}

export interface ThirdPartyAuthState {
  integrations: ThirdPartyAuth[];
}

interface CreateBody {
  oidc_issuer_url?: string;
  jwks_url?: string;
  custom_jwks?: unknown;
}

function httpsUrl(field: string, value: string): string {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || url.protocol !== 'https:') throw badRequest(`${field} must be an https URL`);
  return value;
}

function checkJwks(jwks: unknown): void {
  const keys = (jwks as { keys?: unknown } | null)?.keys;
  if (jwks === null || typeof jwks !== 'object' || !Array.isArray(keys) || keys.length === 0) {
    throw badRequest('custom_jwks must be a JSON Web Key Set: {"keys": [...]} with at least one key');
  }
  keys.forEach((key: unknown, i) => {
    if (key === null || typeof key !== 'object' || typeof (key as { kty?: unknown }).kty !== 'string') {
      throw badRequest(`custom_jwks.keys.${i} must be a JSON Web Key with a kty`);
    }
    if (JWK_PRIVATE_MEMBERS.some((m) => m in key)) {
      throw badRequest(`custom_jwks.keys.${i} holds private key material; give public keys only`);
    }
  });
}

const PROVIDER_HOSTS: [RegExp, string][] = [
  [/^securetoken\.google\.com$/, 'firebase'],
  [/(^|\.)auth0\.com$/, 'auth0'],
  [/^cognito-idp\.[a-z0-9-]+\.amazonaws\.com$/, 'cognito'],
  [/(^|\.)clerk\.accounts\.dev$|^clerk\./, 'clerk'],
  [/^api\.workos\.com$/, 'workos'],
];

function typeOf(body: CreateBody): string {
  const url = body.oidc_issuer_url ?? body.jwks_url;
  if (url !== undefined) {
    const host = new URL(url).hostname;
    const known = PROVIDER_HOSTS.find(([pattern]) => pattern.test(host));
    if (known) return known[1];
    return body.oidc_issuer_url !== undefined ? 'oidc' : 'jwks';
  }
  return 'custom_jwks';
}

function create(state: ThirdPartyAuthState, body: CreateBody, now: Date): ThirdPartyAuth {
  if (body.oidc_issuer_url === undefined && body.jwks_url === undefined && body.custom_jwks === undefined) {
    throw badRequest('One of oidc_issuer_url, jwks_url or custom_jwks is required');
  }
  if (body.oidc_issuer_url !== undefined) httpsUrl('oidc_issuer_url', body.oidc_issuer_url);
  if (body.jwks_url !== undefined) httpsUrl('jwks_url', body.jwks_url);
  if (body.custom_jwks !== undefined) checkJwks(body.custom_jwks);
  const same = state.integrations.find((t) =>
    body.oidc_issuer_url !== undefined ? t.oidc_issuer_url === body.oidc_issuer_url : body.jwks_url !== undefined && t.jwks_url === body.jwks_url,
  );
  if (same) throw badRequest(`A third-party auth integration for ${body.oidc_issuer_url ?? body.jwks_url} already exists (${same.id})`);
  const at = now.toISOString();
  const custom = body.custom_jwks === undefined ? null : structuredClone(body.custom_jwks);
  const integration: ThirdPartyAuth = {
    id: randomUUID(),
    type: typeOf(body),
    oidc_issuer_url: body.oidc_issuer_url ?? null,
    jwks_url: body.jwks_url ?? null,
    custom_jwks: custom,
    resolved_jwks: custom,
    inserted_at: at,
    updated_at: at,
    resolved_at: custom === null ? null : at,
  };
  state.integrations.push(integration);
  return integration;
}

function find(ctx: HandlerContext): ThirdPartyAuth {
  const id = uuidParam(ctx, 'tpa_id');
  const found = ctx.section(thirdPartyAuthSection).integrations.find((t) => t.id === id);
  if (!found) throw new HttpError(404, TPA_NOT_FOUND);
  return found;
}

export const thirdPartyAuthSection: Section<ThirdPartyAuthState> = {
  name: 'third_party_auth',
  initial: () => ({ integrations: [] }),
  // The seed lists create bodies; an `id` (UUID) may be given.
  seed(state, value, ctx) {
    if (!Array.isArray(value)) throw badRequest('third_party_auth must be a list of integrations');
    value.forEach((item: unknown, i) => {
      const { id, ...rest } = (item ?? {}) as { id?: unknown } & Record<string, unknown>;
      try {
        const created = create(state, validateBody<CreateBody>('POST', LIST_PATH, rest), ctx.now);
        if (id !== undefined) {
          if (!isUuid(id)) throw badRequest('id must be a UUID');
          created.id = id.toLowerCase();
        }
      } catch (err) {
        if (err instanceof HttpError) throw badRequest(`${i}: ${err.message}`);
        throw err;
      }
    });
    return state;
  },
};

export const thirdPartyAuthRoutes: RouteDef[] = [
  { method: 'GET', path: LIST_PATH, handle: (ctx) => ({ status: 200, body: ctx.section(thirdPartyAuthSection).integrations }) },
  {
    method: 'POST',
    path: LIST_PATH,
    // Public keys are not secret, but a client that sent private parts sent a secret.
    redact: redactJwkPrivateParts('custom_jwks'),
    handle: (ctx) => ({ status: 201, body: create(ctx.section(thirdPartyAuthSection), ctx.body as CreateBody, ctx.now), mutated: true }),
  },
  { method: 'GET', path: ITEM_PATH, handle: (ctx) => ({ status: 200, body: find(ctx) }) },
  {
    method: 'DELETE',
    path: ITEM_PATH,
    handle(ctx) {
      const found = find(ctx);
      const state = ctx.section(thirdPartyAuthSection);
      state.integrations = state.integrations.filter((t) => t.id !== found.id);
      return { status: 200, body: found, mutated: true };
    },
  },
];
