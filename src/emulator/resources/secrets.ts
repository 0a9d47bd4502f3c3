/**
 * Function secrets: GET / POST / DELETE /v1/projects/{ref}/secrets.
 * Only the SHA-256 digest of a value is kept; GET answers `[{name, value: digest, updated_at}]`
 * sorted by name. POST upserts (201, no body, as recorded); DELETE removes the names given
 * (200, no body, as recorded; names that do not exist are ignored — assumption).
 * Names are user input: the state is a null-prototype object, so that `__proto__` (or `constructor`)
 * is a secret like any other, and values are replaced in the request log.
 */
import { secretDigest } from '../hashing.js';
import { redactItemFields } from '../redact.js';
import { validateBody } from '../validate.js';
import type { RouteDef, Section } from '../types.js';

const PATH = '/v1/projects/{ref}/secrets';

export type SecretsState = Record<string, { digest: string; updated_at: string }>;

type SecretInput = { name: string; value: string }[];

/** A fresh state, or a copy of a saved one, without Object.prototype (names are user input). */
function secretsState(saved: unknown = {}): SecretsState {
  const state = Object.create(null) as SecretsState;
  if (saved !== null && typeof saved === 'object') {
    for (const [name, entry] of Object.entries(saved)) state[name] = entry as SecretsState[string];
  }
  return state;
}

function upsert(state: SecretsState, items: SecretInput, now: Date): SecretsState {
  for (const { name, value } of items) state[name] = { digest: secretDigest(value), updated_at: now.toISOString() };
  return state;
}

export const secretsSection: Section<SecretsState> = {
  name: 'secrets',
  initial: () => secretsState(),
  restore: (saved) => secretsState(saved),
  // The seed takes the POST body (a list of {name, value}) or a map of name → value.
  seed(state, value, ctx) {
    const list =
      value !== null && typeof value === 'object' && !Array.isArray(value)
        ? Object.entries(value).map(([name, v]) => ({ name, value: v }))
        : value;
    return upsert(state, validateBody<SecretInput>('POST', PATH, list), ctx.now);
  },
};

export const secretsRoutes: RouteDef[] = [
  {
    method: 'GET',
    path: PATH,
    handle(ctx) {
      const state = ctx.section(secretsSection);
      const body = Object.keys(state)
        .sort()
        .map((name) => ({ name, value: state[name]!.digest, updated_at: state[name]!.updated_at }));
      return { status: 200, body };
    },
  },
  {
    method: 'POST',
    path: PATH,
    redact: redactItemFields('value'),
    handle(ctx) {
      upsert(ctx.section(secretsSection), ctx.body as SecretInput, ctx.now);
      return { status: 201, mutated: true };
    },
  },
  {
    method: 'DELETE',
    path: PATH,
    handle(ctx) {
      const state = ctx.section(secretsSection);
      for (const name of ctx.body as string[]) delete state[name];
      return { status: 200, mutated: true };
    },
  },
];
