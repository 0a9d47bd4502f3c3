/** Risk rules of the auth section: password policy, sign-up, MFA, tokens and redirect URLs. */
import type { JsonValue } from '../reconcile/types.js';
import { asList, asNumber, field, isInsecureUrl, isTrue, turnedOff, type RiskRule } from './risk.js';

const AUTH = 'auth';

/** Ranks of `password_required_characters` values: more character classes = stronger. */
function passwordClassRank(v: JsonValue | undefined): number {
  if (typeof v !== 'string' || v === '') return 0;
  return v.split(':').length;
}

export const authRisks: readonly RiskRule[] = [
  {
    id: `${AUTH}.password_min_length.lowered`,
    section: AUTH,
    description: 'lowering `password_min_length`',
    test: (c) => {
      if (field(c) !== 'password_min_length') return undefined;
      const before = asNumber(c.before);
      const after = asNumber(c.after);
      return before !== undefined && (after === undefined || after < before)
        ? `lowers password_min_length from ${before} to ${after ?? 'unset'}`
        : undefined;
    },
  },
  {
    id: `${AUTH}.password_required_characters.weakened`,
    section: AUTH,
    description: 'weakening `password_required_characters` (fewer required character classes)',
    test: (c) =>
      field(c) === 'password_required_characters' && passwordClassRank(c.after) < passwordClassRank(c.before)
        ? 'requires fewer character classes in passwords'
        : undefined,
  },
  turnedOff(AUTH, 'mailer_secure_email_change_enabled', 'an email change no longer needs confirming on both addresses'),
  turnedOff(AUTH, 'refresh_token_rotation_enabled', 'a stolen refresh token stays valid'),
  turnedOff(AUTH, 'security_update_password_require_reauthentication', 'a hijacked session can change the password'),
  turnedOff(AUTH, 'security_captcha_enabled', 'sign-up and sign-in lose bot protection'),
  turnedOff(AUTH, 'mfa_totp_verify_enabled', 'users can no longer verify with TOTP MFA and may be locked out'),
  turnedOff(AUTH, 'mfa_phone_verify_enabled', 'users can no longer verify with phone MFA and may be locked out'),
  turnedOff(AUTH, 'mfa_web_authn_verify_enabled', 'users can no longer verify with WebAuthn MFA and may be locked out'),
  {
    id: `${AUTH}.disable_signup.disabled`,
    section: AUTH,
    description: 'turning `disable_signup` off (anyone can sign up)',
    test: (c) => (field(c) === 'disable_signup' && isTrue(c.before) && !isTrue(c.after) ? 'opens sign-up to anyone' : undefined),
  },
  {
    id: `${AUTH}.mailer_autoconfirm.enabled`,
    section: AUTH,
    description: 'turning `mailer_autoconfirm` on (email addresses are no longer verified)',
    test: (c) =>
      field(c) === 'mailer_autoconfirm' && isTrue(c.after) && !isTrue(c.before)
        ? 'accepts sign-ups without verifying the email address'
        : undefined,
  },
  {
    id: `${AUTH}.site_url.insecure`,
    section: AUTH,
    description: '`site_url` becoming a plain-http or localhost address',
    test: (c) =>
      field(c) === 'site_url' && typeof c.after === 'string' && isInsecureUrl(c.after)
        ? `site_url becomes ${c.after}: plain http or localhost`
        : undefined,
  },
  {
    id: `${AUTH}.uri_allow_list.insecure`,
    section: AUTH,
    description: '`uri_allow_list` gaining plain-http or localhost addresses',
    test: (c) => {
      if (field(c) !== 'uri_allow_list') return undefined;
      const before = new Set(asList(c.before));
      const added = asList(c.after).filter((u) => !before.has(u) && isInsecureUrl(u));
      return added.length ? `uri_allow_list gains ${added.join(', ')}: plain http or localhost` : undefined;
    },
  },
  {
    id: `${AUTH}.jwt_exp.too_long`,
    section: AUTH,
    description: '`jwt_exp` above one day (86400 s): stolen tokens stay valid longer',
    test: (c) => {
      const after = asNumber(c.after);
      return field(c) === 'jwt_exp' && after !== undefined && after > 86_400
        ? `jwt_exp becomes ${after} s, above one day`
        : undefined;
    },
  },
];
