/**
 * [auth] and its smaller tables → `auth` (UpdateAuthConfigBody), as the official CLI 2.99's
 * `ToUpdateAuthConfigBody` sends them (pkg/config/auth.go): names, negations, units, and which keys
 * a switch gates. Email, SMS and OAuth providers are in sibling files.
 */
import type { RuleContext, TableRule } from '../model.js';
import { field, isOn } from './field.js';

/** `[auth.email.smtp]` is on when it says so, or when it has keys but no `enabled` (the CLI's default). */
export function smtpOn(ctx: RuleContext): boolean {
  const smtp = ctx.get('auth.email.smtp');
  if (!smtp || typeof smtp !== 'object' || Object.keys(smtp).length === 0) return false;
  return isOn(ctx.get('auth.email.smtp.enabled'), true);
}

const core: TableRule = {
  table: 'auth',
  section: 'auth',
  switch: { key: 'enabled', default: true, offNote: '[auth] enabled = false: config push leaves Auth alone' },
  fields: [
    field('site_url', 'site_url', 'string'),
    field('additional_redirect_urls', 'uri_allow_list', 'string_list'),
    field('jwt_expiry', 'jwt_exp', 'integer'),
    field('enable_refresh_token_rotation', 'refresh_token_rotation_enabled', 'boolean'),
    field('refresh_token_reuse_interval', 'security_refresh_token_reuse_interval', 'integer'),
    field('enable_manual_linking', 'security_manual_linking_enabled', 'boolean'),
    field('enable_signup', 'disable_signup', 'boolean', { negate: true }),
    field('enable_anonymous_sign_ins', 'external_anonymous_users_enabled', 'boolean'),
    field('minimum_password_length', 'password_min_length', 'integer'),
    // The CLI's names are supasync's aliases; its empty string is the alias `none`.
    field('password_requirements', 'password_required_characters', 'string', { rename: { '': 'none' } }),
  ],
};

const rateLimit: TableRule = {
  table: 'auth.rate_limit',
  section: 'auth',
  fields: [
    field('anonymous_users', 'rate_limit_anonymous_users', 'integer'),
    field('token_refresh', 'rate_limit_token_refresh', 'integer'),
    field('sign_in_sign_ups', 'rate_limit_otp', 'integer'),
    field('token_verifications', 'rate_limit_verify', 'integer'),
    field('sms_sent', 'rate_limit_sms_sent', 'integer'),
    field('web3', 'rate_limit_web3', 'integer'),
    field('email_sent', 'rate_limit_email_sent', 'integer', {
      unless: (ctx) => (smtpOn(ctx) ? undefined : 'sent only while [auth.email.smtp] is enabled'),
    }),
  ],
};

const captcha: TableRule = {
  table: 'auth.captcha',
  section: 'auth',
  switch: { key: 'enabled', to: 'security_captcha_enabled', default: false, offNote: 'captcha is disabled: only security_captcha_enabled is sent' },
  fields: [
    field('provider', 'security_captcha_provider', 'string'),
    field('secret', 'security_captcha_secret', 'string', { secret: true, onlyIfSet: true }),
  ],
};

const passkey: TableRule = {
  table: 'auth.passkey',
  section: 'auth',
  fields: [field('enabled', 'passkey_enabled', 'boolean')],
};

const webauthn: TableRule = {
  table: 'auth.webauthn',
  section: 'auth',
  fields: [
    field('rp_display_name', 'webauthn_rp_display_name', 'string'),
    field('rp_id', 'webauthn_rp_id', 'string'),
    field('rp_origins', 'webauthn_rp_origins', 'comma_string'),
  ],
};

/** The hooks config push sends (auth.go `hook.toAuthConfigBody`); supasync also knows after_user_created. */
export const HOOKS = [
  'before_user_created',
  'custom_access_token',
  'send_email',
  'send_sms',
  'mfa_verification_attempt',
  'password_verification_attempt',
] as const;

const hooks: TableRule[] = HOOKS.map((hook) => ({
  table: `auth.hook.${hook}`,
  section: 'auth',
  switch: { key: 'enabled', to: `hook_${hook}_enabled`, default: false, offNote: `the hook is disabled: only hook_${hook}_enabled is sent` },
  fields: [
    field('uri', `hook_${hook}_uri`, 'string'),
    field('secrets', `hook_${hook}_secrets`, 'string', { secret: true, onlyIfSet: true }),
  ],
}));

const mfa: TableRule[] = [
  { table: 'auth.mfa', section: 'auth', fields: [field('max_enrolled_factors', 'mfa_max_enrolled_factors', 'integer')] },
  {
    table: 'auth.mfa.totp',
    section: 'auth',
    fields: [field('enroll_enabled', 'mfa_totp_enroll_enabled', 'boolean'), field('verify_enabled', 'mfa_totp_verify_enabled', 'boolean')],
  },
  {
    table: 'auth.mfa.phone',
    section: 'auth',
    fields: [
      field('enroll_enabled', 'mfa_phone_enroll_enabled', 'boolean'),
      field('verify_enabled', 'mfa_phone_verify_enabled', 'boolean'),
      field('otp_length', 'mfa_phone_otp_length', 'integer'),
      field('template', 'mfa_phone_template', 'string'),
      field('max_frequency', 'mfa_phone_max_frequency', 'seconds'),
    ],
  },
  {
    table: 'auth.mfa.web_authn',
    section: 'auth',
    fields: [
      field('enroll_enabled', 'mfa_web_authn_enroll_enabled', 'boolean'),
      field('verify_enabled', 'mfa_web_authn_verify_enabled', 'boolean'),
    ],
  },
];

const sessions: TableRule = {
  table: 'auth.sessions',
  section: 'auth',
  fields: [field('timebox', 'sessions_timebox', 'hours'), field('inactivity_timeout', 'sessions_inactivity_timeout', 'hours')],
};

const web3: TableRule[] = [
  { table: 'auth.web3.solana', section: 'auth', fields: [field('enabled', 'external_web3_solana_enabled', 'boolean')] },
  { table: 'auth.web3.ethereum', section: 'auth', fields: [field('enabled', 'external_web3_ethereum_enabled', 'boolean')] },
];

export const AUTH_TABLES: readonly TableRule[] = [core, rateLimit, captcha, passkey, webauthn, ...hooks, ...mfa, sessions, ...web3];
