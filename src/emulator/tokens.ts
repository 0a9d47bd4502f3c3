/**
 * Bearer tokens. A well-formed token is what the official CLI accepts as a personal access token:
 * `sbp_` (or `sbp_oauth_`) followed by 40 lowercase hex characters. Anything else — no header, another
 * scheme, another shape — is answered 401 `{"message":"Unauthorized"}` (the real API's body).
 * Tokens are held only as SHA-256 digests: neither the state file nor the request log has them.
 */
import { createHash } from 'node:crypto';

export const TOKEN_PATTERN_SOURCE = '^sbp_(oauth_)?[0-9a-f]{40}$';
const TOKEN_PATTERN = new RegExp(TOKEN_PATTERN_SOURCE);

export const digestToken = (token: string): string => createHash('sha256').update(token).digest('hex');

/** The token of an `Authorization: Bearer <token>` header when it is well-formed. */
export function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  const token = match?.[1];
  return token !== undefined && TOKEN_PATTERN.test(token) ? token : undefined;
}

/** Which tokens are accepted, and which projects each may touch. */
export class TokenPolicy {
  /** digest → allowed refs (undefined: every project); null map: any well-formed token. */
  private constructor(private readonly grants: Map<string, ReadonlySet<string> | undefined> | null) {}

  static anyWellFormed(): TokenPolicy {
    return new TokenPolicy(null);
  }

  static fromDigests(entries: { digest: string; projects?: string[] }[]): TokenPolicy {
    return new TokenPolicy(new Map(entries.map((e) => [e.digest, e.projects ? new Set(e.projects) : undefined])));
  }

  /** Whether the token (by digest) is accepted at all. */
  accepts(digest: string): boolean {
    return this.grants === null || this.grants.has(digest);
  }

  /** Whether the token may touch the project. */
  allows(digest: string, ref: string): boolean {
    if (this.grants === null) return true;
    const refs = this.grants.get(digest);
    return refs === undefined ? this.grants.has(digest) : refs.has(ref);
  }

  /** Whether the token is limited to some projects (it then sees only their organisations). */
  isLimited(digest: string): boolean {
    return this.grants !== null && this.grants.get(digest) !== undefined;
  }

  /** For the state file: digests only. */
  toJSON(): { digest: string; projects?: string[] }[] | null {
    if (this.grants === null) return null;
    return [...this.grants].map(([digest, refs]) => (refs ? { digest, projects: [...refs] } : { digest }));
  }
}
