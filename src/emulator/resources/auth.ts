/**
 * Auth config: GET / PATCH /v1/projects/{ref}/config/auth.
 * PATCH merges the given keys (null clears a key). Secret fields are stored only as
 * HMAC-SHA256(key = project ref, value) hex and answered that way; unset ones are null.
 */
import { AUTH_CONFIG_DEFAULTS } from '../../recorded/auth-config-defaults.js';
import { hashAuthSecret } from '../hashing.js';
import { redactFields } from '../redact.js';
import { AUTH_SECRET_FIELDS } from './auth-secret-fields.js';
import { validateBody } from '../validate.js';
import type { RouteDef, Section } from '../types.js';

const PATH = '/v1/projects/{ref}/config/auth';


/** The fields an auth config has: those of a new project's config (the recorded response). */
const KNOWN_FIELDS: ReadonlySet<string> = new Set(Object.keys(AUTH_CONFIG_DEFAULTS));

export type AuthState = Record<string, unknown>;

/**
 * Merges a validated UpdateAuthConfigBody into the state. Keys the response does not have are
 * ignored, as the spec does not forbid them (assumption: the real API strips unknown keys).
 * Assumption: an empty string for a secret field clears it like null.
 */
function merge(state: AuthState, patch: Record<string, unknown>, ref: string): void {
  for (const [key, value] of Object.entries(patch)) {
    if (!KNOWN_FIELDS.has(key)) continue;
    if (AUTH_SECRET_FIELDS.has(key)) {
      state[key] = typeof value === 'string' && value !== '' ? hashAuthSecret(ref, value) : null;
    } else {
      state[key] = value;
    }
  }
}

export const authSection: Section<AuthState> = {
  name: 'auth',
  initial: () => ({ ...AUTH_CONFIG_DEFAULTS }),
  seed(state, value, ctx) {
    merge(state, validateBody('PATCH', PATH, value), ctx.project.ref);
    return state;
  },
};

export const authRoutes: RouteDef[] = [
  {
    method: 'GET',
    path: PATH,
    handle: (ctx) => ({ status: 200, body: ctx.section(authSection) }),
  },
  {
    method: 'PATCH',
    path: PATH,
    redact: redactFields(...AUTH_SECRET_FIELDS),
    handle(ctx) {
      const state = ctx.section(authSection);
      merge(state, ctx.body as Record<string, unknown>, ctx.project.ref);
      return { status: 200, body: state, mutated: true };
    },
  },
];
