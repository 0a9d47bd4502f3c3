/**
 * Auth config: GET / PATCH /v1/projects/{ref}/config/auth.
 * PATCH merges the given keys (null clears a key). Secret fields are stored only as
 * HMAC-SHA256(key = project ref, value) hex and answered that way; unset ones are null.
 */
import { AUTH_CONFIG_DEFAULTS } from '../../recorded/auth-config-defaults.js';
import { hashAuthSecret } from '../hashing.js';
import { validateBody } from '../validate.js';
import type { RouteDef, Section } from '../types.js';

const PATH = '/v1/projects/{ref}/config/auth';

/**
 * The fields the real API never answers in plaintext. The emulator keeps its own list (it plays the
 * server; the client's list lives in src/providers and must not be the same object).
 */
export const AUTH_SECRET_FIELDS: ReadonlySet<string> = new Set([
  'smtp_pass',
  'security_captcha_secret',
  'nimbus_oauth_client_secret',
  'sms_twilio_auth_token',
  'sms_twilio_verify_auth_token',
  'sms_messagebird_access_key',
  'sms_textlocal_api_key',
  'sms_vonage_api_key',
  'sms_vonage_api_secret',
  'external_apple_secret',
  'external_azure_secret',
  'external_bitbucket_secret',
  'external_discord_secret',
  'external_facebook_secret',
  'external_figma_secret',
  'external_github_secret',
  'external_gitlab_secret',
  'external_google_secret',
  'external_kakao_secret',
  'external_keycloak_secret',
  'external_linkedin_oidc_secret',
  'external_slack_oidc_secret',
  'external_notion_secret',
  'external_slack_secret',
  'external_spotify_secret',
  'external_twitch_secret',
  'external_twitter_secret',
  'external_x_secret',
  'external_workos_secret',
  'external_zoom_secret',
  'hook_custom_access_token_secrets',
  'hook_mfa_verification_attempt_secrets',
  'hook_password_verification_attempt_secrets',
  'hook_send_sms_secrets',
  'hook_send_email_secrets',
  'hook_before_user_created_secrets',
  'hook_after_user_created_secrets',
]);

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
    handle(ctx) {
      const state = ctx.section(authSection);
      merge(state, ctx.body as Record<string, unknown>, ctx.project.ref);
      return { status: 200, body: state, mutated: true };
    },
  },
];
