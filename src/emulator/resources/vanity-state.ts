/**
 * A project's vanity subdomain (state only; the routes are in vanity-subdomain.ts): its own module
 * because the custom hostname's rules read it too (a project uses one or the other).
 */
import { badRequest } from '../http-error.js';
import type { Section } from '../types.js';

export interface VanitySubdomainState {
  /** The active subdomain (`<subdomain>.supabase.co`), or null when none is used. */
  subdomain: string | null;
}

/** Lower-case letters, digits and inner hyphens, 3 to 63 characters (assumption: DNS label rules). */
export const VANITY_SUBDOMAIN = /^[a-z0-9](?:[a-z0-9-]{1,61}[a-z0-9])$/;

export const vanitySubdomainSection: Section<VanitySubdomainState> = {
  name: 'vanity_subdomain',
  initial: () => ({ subdomain: null }),
  // Seed: the active subdomain, `vanity_subdomain: myapp` (availability across projects is not
  // checked here: the seed is trusted to be coherent, as with SSO domains).
  seed(_state, value) {
    if (typeof value !== 'string' || !VANITY_SUBDOMAIN.test(value)) {
      throw badRequest('vanity_subdomain must be a subdomain: 3-63 lower-case letters, digits and inner hyphens');
    }
    return { subdomain: value };
  },
};
