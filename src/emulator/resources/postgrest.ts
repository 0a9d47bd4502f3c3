/**
 * PostgREST: GET / PATCH /v1/projects/{ref}/postgrest. GET carries the project's JWT secret
 * (PostgrestConfigWithJWTSecretResponse); PATCH merges and answers V1PostgrestConfigResponse, without
 * it. `jwt_secret` is not in the request schema, so it can never be set: like any key the spec does
 * not list, it is ignored (assumption: the real API strips unknown keys rather than refusing them).
 */
import { createHash } from 'node:crypto';
import { redactFields } from '../redact.js';
import { validateBody } from '../validate.js';
import type { RouteDef, Section } from '../types.js';

const PATH = '/v1/projects/{ref}/postgrest';

export interface PostgrestState {
  db_schema: string;
  max_rows: number;
  db_extra_search_path: string;
  db_pool: number | null;
  jwt_secret: string;
}

const FIELDS = ['db_schema', 'max_rows', 'db_extra_search_path', 'db_pool'] as const;

function apply(state: PostgrestState, patch: Record<string, unknown>): PostgrestState {
  for (const field of FIELDS) {
    if (patch[field] !== undefined) (state as unknown as Record<string, unknown>)[field] = patch[field];
  }
  return state;
}

export const postgrestSection: Section<PostgrestState> = {
  name: 'postgrest',
  // Defaults as recorded. The JWT secret is 64 bytes base64 like the recorded ones, derived from the
  // ref so that it is stable across resets without being stored anywhere else.
  initial: (ctx) => ({
    db_schema: 'public,graphql_public',
    max_rows: 1000,
    db_extra_search_path: 'public, extensions',
    db_pool: null,
    jwt_secret: createHash('sha512').update(`emulator-jwt-secret:${ctx.project.ref}`).digest('base64'),
  }),
  seed: (state, value) => apply(state, validateBody('PATCH', PATH, value)),
};

export const postgrestRoutes: RouteDef[] = [
  { method: 'GET', path: PATH, handle: (ctx) => ({ status: 200, body: ctx.section(postgrestSection) }) },
  {
    method: 'PATCH',
    path: PATH,
    // Never stored, but a client that sends it sent a secret: keep it out of the log.
    redact: redactFields('jwt_secret'),
    handle(ctx) {
      const { jwt_secret: _secret, ...rest } = apply(ctx.section(postgrestSection), ctx.body as Record<string, unknown>);
      return { status: 200, body: rest, mutated: true };
    },
  },
];
