/**
 * auth — GET / PATCH /v1/projects/{ref}/config/auth. PATCH carries only the changed keys.
 * Secret fields come back as HMAC-SHA256(key = ref) hex; they are compared by hash.
 */
import type { ApiClient } from '../api/types.js';
import { AUTH_CONFIG_DEFAULTS } from '../recorded/auth-config-defaults.js';
import { authRisks } from './auth.risk.js';
import { diffFlat, exportFlat, flatRules } from './normalise.js';
import type { DiffInput, Provider, SectionDiff, SectionSchema } from './types.js';

type AuthLive = Record<string, unknown>;

const OAUTH_PROVIDERS = [
  'apple', 'azure', 'bitbucket', 'discord', 'facebook', 'figma', 'github', 'gitlab', 'google', 'kakao',
  'keycloak', 'linkedin_oidc', 'notion', 'slack', 'slack_oidc', 'spotify', 'twitch', 'twitter', 'workos',
  'x', 'zoom',
];
const HOOKS = [
  'mfa_verification_attempt', 'password_verification_attempt', 'custom_access_token', 'send_sms',
  'send_email', 'before_user_created', 'after_user_created',
];

/** Fields the API answers with an HMAC of the value instead of the value. */
export const AUTH_SECRET_FIELDS: readonly string[] = [
  'smtp_pass',
  'security_captcha_secret',
  'nimbus_oauth_client_secret',
  'sms_messagebird_access_key',
  'sms_textlocal_api_key',
  'sms_twilio_auth_token',
  'sms_twilio_verify_auth_token',
  'sms_vonage_api_key',
  'sms_vonage_api_secret',
  ...OAUTH_PROVIDERS.map((p) => `external_${p}_secret`),
  ...HOOKS.map((h) => `hook_${h}_secrets`),
].sort();

const SYMBOLS = String.raw`!@#$%^&*()_+-=[]{};'\\:"|<>?,./` + '`~';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const DIGITS = '0123456789';

/** Names for `password_required_characters`, as the official CLI's config.toml spells them. */
const PASSWORD_REQUIREMENTS: Record<string, string> = {
  none: '',
  letters_digits: `${LOWER}${UPPER}:${DIGITS}`,
  lower_upper_letters_digits: `${LOWER}:${UPPER}:${DIGITS}`,
  lower_upper_letters_digits_symbols: `${LOWER}:${UPPER}:${DIGITS}:${SYMBOLS}`,
};

/** The email templates of UpdateAuthConfigBody (`mailer_templates_<name>_content`): long texts. */
const MAILER_TEMPLATES = [
  'confirmation', 'email_change', 'email_changed_notification', 'identity_linked_notification',
  'identity_unlinked_notification', 'invite', 'magic_link', 'mfa_factor_enrolled_notification',
  'mfa_factor_unenrolled_notification', 'password_changed_notification', 'phone_changed_notification',
  'reauthentication', 'recovery',
];

const schema: SectionSchema = {
  description: 'Auth (GoTrue) settings: fields of UpdateAuthConfigBody, names exactly as the API.',
  longTexts: [...MAILER_TEMPLATES.map((t) => `mailer_templates_${t}_content`), 'sms_template'],
  body: { $body: 'UpdateAuthConfigBody' },
  // sms_test_otp: `phone=otp` pairs, a set (the official CLI sends them in Go's map order, which varies).
  commaLists: ['uri_allow_list', 'external_apple_additional_client_ids', 'external_google_additional_client_ids', 'sessions_tags', 'sms_test_otp'],
  // One pair of the API's pattern for the whole string.
  commaListItems: { sms_test_otp: '^[0-9]{1,15}(?:=[0-9]{2,})*=[0-9]+$' },
  aliases: { password_required_characters: PASSWORD_REQUIREMENTS },
  numericStrings: ['smtp_port'],
  secretFields: [...AUTH_SECRET_FIELDS],
};

const rules = flatRules(schema);

const path = (ref: string) => `/v1/projects/${ref}/config/auth`;

export const authProvider: Provider<AuthLive> = {
  section: 'auth',
  schema,
  risks: authRisks,
  async read(client: ApiClient, ref: string): Promise<AuthLive> {
    return client.get<AuthLive>(path(ref));
  },
  diff({ ref, desired, live }: DiffInput<AuthLive>): SectionDiff {
    const { changes, patch } = diffFlat(desired.values, live, rules, ref, desired.fromFile);
    return {
      changes,
      requests: changes.length ? [{ method: 'PATCH', path: path(ref), body: patch }] : [],
    };
  },
  export: (live, ctx) => exportFlat('auth', live, AUTH_CONFIG_DEFAULTS, rules, ctx),
};
