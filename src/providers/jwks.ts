/**
 * JSON Web Key Sets given to third-party auth (`custom_jwks`): only public keys belong there. Checks
 * say what is wrong by position and member name, never by value; a set is shown as its size and a
 * short digest, never as key material.
 */
import { createHash } from 'node:crypto';
import type { JsonValue } from '../reconcile/types.js';
import { stable } from './stable-json.js';

/** JWK members that hold private or symmetric key material (RFC 7518 section 6). */
export const PRIVATE_MEMBERS: readonly string[] = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

export interface JwksIssue {
  /** Path inside the set, e.g. ['keys', 0]. */
  at: (string | number)[];
  message: string;
}

const isObject = (v: unknown): v is Record<string, unknown> => Boolean(v) && typeof v === 'object' && !Array.isArray(v);

export function checkJwks(jwks: unknown): JwksIssue[] {
  const keys = isObject(jwks) ? jwks.keys : undefined;
  if (!Array.isArray(keys) || keys.length === 0) {
    return [{ at: [], message: 'custom_jwks must be a JSON Web Key Set: {keys: [...]} with at least one key' }];
  }
  const issues: JwksIssue[] = [];
  keys.forEach((key: unknown, i) => {
    if (!isObject(key) || typeof key.kty !== 'string') {
      issues.push({ at: ['keys', i], message: 'must be a JSON Web Key with a kty' });
      return;
    }
    const secret = PRIVATE_MEMBERS.filter((m) => Object.hasOwn(key, m));
    if (secret.length) {
      issues.push({ at: ['keys', i], message: `holds private key material (${secret.join(', ')}): give public keys only` });
    }
  });
  return issues;
}

/** The set without any private member: what may be compared, stored in a plan's summary or exported. */
export function publicJwks(jwks: unknown): JsonValue {
  if (!isObject(jwks) || !Array.isArray(jwks.keys)) return null;
  const keys = jwks.keys.map((key: unknown) =>
    isObject(key) ? Object.fromEntries(Object.entries(key).filter(([m]) => !PRIVATE_MEMBERS.includes(m))) : key,
  );
  return JSON.parse(stable({ ...jwks, keys })) as JsonValue;
}

/** `JWKS: 2 keys (sha256 0123456789ab…)`: enough to tell two sets apart, no key material. */
export function describeJwks(jwks: unknown): string {
  const pub = publicJwks(jwks);
  const count = isObject(pub) && Array.isArray(pub.keys) ? pub.keys.length : 0;
  const digest = createHash('sha256').update(stable(pub)).digest('hex').slice(0, 12);
  return `JWKS: ${count} key${count === 1 ? '' : 's'} (sha256 ${digest}…)`;
}
