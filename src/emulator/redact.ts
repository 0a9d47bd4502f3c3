/**
 * What the request log (`GET /_emulator/requests`) keeps of a request body: everything but the
 * values the real API never gives back — auth secret fields, function secret values, the pgsodium
 * root key, private parts of JSON Web Keys, the PostgREST JWT secret. Each route names its own
 * secret fields (its `redact`); a body sent to no known route has every field of any route's secret
 * names replaced, at any depth. A body that is not JSON is kept as text only on a known route that has
 * no secret fields: anywhere else it could hold a secret nobody can find by name.
 *
 * Not secret (kept): SAML metadata (published by the identity provider), domain names, URLs,
 * third-party auth public keys, API key names and JWT templates.
 */
import { AUTH_SECRET_FIELDS } from './resources/auth-secret-fields.js';

/** What replaces a secret value in the request log. */
export const REDACTED = '[redacted]';

/** Turns a parsed request body into what the log may keep. */
export type Redactor = (body: unknown) => unknown;

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Copy of an object whose named own fields (when present and not null) are replaced. */
function withoutFields(body: Record<string, unknown>, fields: ReadonlySet<string>): Record<string, unknown> {
  // Object.fromEntries defines own properties, so a field named `__proto__` stays a field.
  return Object.fromEntries(Object.entries(body).map(([key, value]) => [key, fields.has(key) && value !== null ? REDACTED : value]));
}

/** Replaces the named top-level fields of an object body. */
export function redactFields(...fields: string[]): Redactor {
  const set = new Set(fields);
  return (body) => (isObject(body) ? withoutFields(body, set) : body);
}

/** Replaces the named fields of each object of a list body (e.g. `[{name, value}]`). */
export function redactItemFields(...fields: string[]): Redactor {
  const set = new Set(fields);
  return (body) => (Array.isArray(body) ? body.map((item) => (isObject(item) ? withoutFields(item, set) : item)) : body);
}

/** The private members of a JWK (RFC 7518 §6: RSA, EC and OKP private parts, and a symmetric key). */
export const JWK_PRIVATE_MEMBERS: readonly string[] = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

/** Replaces private JWK members inside `field` (a JWK or a JWKS `{keys: [...]}`) of an object body. */
export function redactJwkPrivateParts(field: string): Redactor {
  const members = new Set(JWK_PRIVATE_MEMBERS);
  const jwk = (key: unknown): unknown => (isObject(key) ? withoutFields(key, members) : key);
  return (body) => {
    if (!isObject(body) || !isObject(body[field])) return body;
    const value = body[field] as Record<string, unknown>;
    const cleaned = Array.isArray(value.keys) ? { ...withoutFields(value, members), keys: value.keys.map(jwk) } : jwk(value);
    return { ...withoutFields(body, new Set()), [field]: cleaned };
  };
}

/** Applies several redactors in turn. */
export const redactAll =
  (...redactors: Redactor[]): Redactor =>
  (body) =>
    redactors.reduce((b, r) => r(b), body);

/** Every secret field name any route knows, for bodies sent to no known route. */
const ANY_SECRET_NAME: ReadonlySet<string> = new Set([
  ...AUTH_SECRET_FIELDS,
  'value',
  'root_key',
  'private_jwk',
  'jwt_secret',
  'api_key',
  ...JWK_PRIVATE_MEMBERS,
]);

/** For bodies of unknown routes: every field named like a secret anywhere, at any depth. */
export function redactDeep(body: unknown, depth = 0): unknown {
  // Bodies are at most MAX_BODY_BYTES of JSON; the depth bound keeps a hostile nesting from costing a stack.
  if (depth > 64) return REDACTED;
  if (Array.isArray(body)) return body.map((item) => redactDeep(item, depth + 1));
  if (!isObject(body)) return body;
  return Object.fromEntries(
    Object.entries(body).map(([key, value]) => [key, ANY_SECRET_NAME.has(key) && value !== null ? REDACTED : redactDeep(value, depth + 1)]),
  );
}
