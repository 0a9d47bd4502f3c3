/** How the real API answers values it never gives back in plaintext. */
import { createHash, createHmac } from 'node:crypto';

/** Auth config secret fields: HMAC-SHA256 of the value keyed by the project ref, hex. */
export function hashAuthSecret(ref: string, value: string): string {
  return createHmac('sha256', ref).update(value, 'utf8').digest('hex');
}

/** Function secrets: the SHA-256 digest of the value, hex (what `supabase secrets list` shows). */
export function secretDigest(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}
