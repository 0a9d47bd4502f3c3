/**
 * The guardrail table: every change that weakens security or can lock people out. One table, in
 * one place; src/reconcile/guardrails.ts applies it without knowing any field. The README lists
 * these rules (a test keeps the two in step).
 */
import type { Change, JsonValue } from '../reconcile/types.js';

export interface RiskRule {
  /** Stable id, shown in plans. */
  id: string;
  section: string;
  /** One line for the README and the plan. */
  description: string;
  /** The reason this change is risky, or undefined when it is not. */
  test(change: Change): string | undefined;
}

const field = (change: Change): string => change.path;
const isTrue = (v: JsonValue | undefined): boolean => v === true;
const asNumber = (v: JsonValue | undefined): number | undefined => (typeof v === 'number' ? v : undefined);
const asList = (v: JsonValue | undefined): string[] =>
  Array.isArray(v) ? v.map(String) : typeof v === 'string' && v ? [v] : [];

/** A plain-http or loopback address: fine for development, dangerous in a production allow list. */
export function isInsecureUrl(url: string): boolean {
  const m = /^([a-z][a-z0-9+.-]*):\/\/(\[[^\]]*\]|[^/:?#]*)/i.exec(url.trim());
  if (!m) return false;
  const scheme = m[1]!.toLowerCase();
  const host = m[2]!.toLowerCase();
  const loopback =
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    /^127\.\d+\.\d+\.\d+$/.test(host) ||
    host === '[::1]' ||
    host === '0.0.0.0';
  return scheme === 'http' || loopback;
}

/** `turnedOff('x')`: a boolean setting going from true to false/unset. */
function turnedOff(section: string, name: string, why: string): RiskRule {
  return {
    id: `${section}.${name}.disabled`,
    section,
    description: `turning off \`${name}\` (${why})`,
    test: (c) => (field(c) === name && isTrue(c.before) && !isTrue(c.after) ? `turns off ${name}: ${why}` : undefined),
  };
}

/** Ranks of `password_required_characters` values: more character classes = stronger. */
function passwordClassRank(v: JsonValue | undefined): number {
  if (typeof v !== 'string' || v === '') return 0;
  return v.split(':').length;
}

const AUTH = 'auth';
const NET = 'network_restrictions';
const OPEN_CIDRS = new Set(['0.0.0.0/0', '::/0']);

export const riskRules: readonly RiskRule[] = [
  {
    id: `${NET}.emptied`,
    section: NET,
    description: 'a network-restrictions list becoming empty (denies every client of that IP family)',
    test: (c) =>
      asList(c.after).length === 0 && asList(c.before).length > 0
        ? `empties ${c.path}: every client of that IP family is denied`
        : undefined,
  },
  {
    id: `${NET}.opened`,
    section: NET,
    description: 'a network-restrictions list gaining `0.0.0.0/0` or `::/0` (opens the database to everyone)',
    test: (c) => {
      const before = new Set(asList(c.before));
      const opened = asList(c.after).filter((cidr) => OPEN_CIDRS.has(cidr) && !before.has(cidr));
      return opened.length ? `adds ${opened.join(', ')} to ${c.path}: the database accepts every address` : undefined;
    },
  },
  {
    id: 'sso.provider.deleted',
    section: 'sso',
    description: 'deleting an SSO provider (its users can no longer sign in)',
    test: (c) => (c.action === 'delete' ? `deletes SSO provider ${c.item ?? c.path}: its users cannot sign in` : undefined),
  },
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
  {
    id: 'ssl_enforcement.database.disabled',
    section: 'ssl_enforcement',
    description: 'turning SSL enforcement off (the database accepts unencrypted connections)',
    test: (c) => (field(c) === 'database' && isTrue(c.before) && !isTrue(c.after) ? 'accepts database connections without SSL' : undefined),
  },
  {
    id: 'secrets.deleted',
    section: 'secrets',
    description: 'deleting an Edge Function secret (functions that read it break)',
    test: (c) => (c.action === 'delete' ? `deletes secret ${c.path}: functions that read it break` : undefined),
  },
];
