/**
 * For every guardrail rule of the registry, a live state (as emulator seed fields) and a desired
 * state (YAML values of one project) that make the plan flag it. The scenarios of all rules are
 * merged into one project, so each is checked beside all the others: a suggested `allow_risky`
 * entry must let through its own change and none of theirs. Collections get two risky items, so
 * that an entry for one item is seen not to allow the other. A scenario that one project cannot
 * hold beside the others (a project has one standby signing key, one custom domain) names a second
 * project, merged the same way.
 *
 * A new rule needs a scenario here: the test fails naming any rule that has none.
 */
export interface RiskScenario {
  /** Fields of the emulator seed's project (see docs/emulator.md, "Seed document"). */
  seed: Record<string, unknown>;
  /** Sections of the project's YAML document. */
  config: Record<string, unknown>;
  /** Environment variables the configuration references. */
  env?: Record<string, string>;
  /** The project it is seen on, when not the main one (test/helpers/emulator.ts REF). */
  project?: string;
}

/** The second project: what the main one cannot hold beside its other scenarios. */
export const SECOND_REF = 'zyxwvutsrqponmlkjihg';
/** Signing key ids of the main project (seeded, so that `revoke:` can name them). */
const LEGACY_KEY = '11111111-1111-4111-8111-111111111111';
const OLD_KEY = '22222222-2222-4222-8222-222222222222';

const turnedOff = (field: string): RiskScenario => ({ seed: { auth: { [field]: true } }, config: { auth: { [field]: false } } });

export const RISK_SCENARIOS: Record<string, RiskScenario> = {
  'network_restrictions.emptied': {
    seed: { network_restrictions: { dbAllowedCidrs: ['203.0.113.0/24'], dbAllowedCidrsV6: ['2001:db8::/32'] } },
    config: { network_restrictions: { dbAllowedCidrs: [] } },
  },
  'network_restrictions.opened': {
    seed: { network_restrictions: { dbAllowedCidrs: ['203.0.113.0/24'], dbAllowedCidrsV6: ['2001:db8::/32'] } },
    config: { network_restrictions: { dbAllowedCidrsV6: ['2001:db8::/32', '::/0'] } },
  },
  'sso.provider.deleted': {
    seed: {
      sso_providers: [
        { metadata_url: 'https://idp.keep.example.com/metadata', domains: ['keep.example.com'] },
        { metadata_url: 'https://idp.old-a.example.com/metadata', domains: ['old-a.example.com'] },
        { metadata_url: 'https://idp.old-b.example.com/metadata', domains: ['old-b.example.com'] },
      ],
    },
    config: { sso: { prune: true, providers: [{ metadata_url: 'https://idp.keep.example.com/metadata', domains: ['keep.example.com'] }] } },
  },
  'auth.password_min_length.lowered': { seed: { auth: { password_min_length: 12 } }, config: { auth: { password_min_length: 8 } } },
  'auth.password_required_characters.weakened': {
    seed: { auth: { password_required_characters: 'abcdefghijklmnopqrstuvwxyz:ABCDEFGHIJKLMNOPQRSTUVWXYZ:0123456789' } },
    config: { auth: { password_required_characters: 'letters_digits' } },
  },
  'auth.mailer_secure_email_change_enabled.disabled': turnedOff('mailer_secure_email_change_enabled'),
  'auth.refresh_token_rotation_enabled.disabled': turnedOff('refresh_token_rotation_enabled'),
  'auth.security_update_password_require_reauthentication.disabled': turnedOff('security_update_password_require_reauthentication'),
  'auth.security_captcha_enabled.disabled': turnedOff('security_captcha_enabled'),
  'auth.mfa_totp_verify_enabled.disabled': turnedOff('mfa_totp_verify_enabled'),
  'auth.mfa_phone_verify_enabled.disabled': turnedOff('mfa_phone_verify_enabled'),
  'auth.mfa_web_authn_verify_enabled.disabled': turnedOff('mfa_web_authn_verify_enabled'),
  'auth.disable_signup.disabled': turnedOff('disable_signup'),
  'auth.mailer_autoconfirm.enabled': { seed: { auth: { mailer_autoconfirm: false } }, config: { auth: { mailer_autoconfirm: true } } },
  'auth.site_url.insecure': { seed: { auth: { site_url: 'https://app.example.com' } }, config: { auth: { site_url: 'http://app.example.com' } } },
  'auth.uri_allow_list.insecure': {
    seed: { auth: { uri_allow_list: 'https://app.example.com/cb' } },
    config: { auth: { uri_allow_list: ['https://app.example.com/cb', 'http://localhost:3000/cb'] } },
  },
  'auth.jwt_exp.too_long': { seed: { auth: { jwt_exp: 3600 } }, config: { auth: { jwt_exp: 172800 } } },
  'ssl_enforcement.database.disabled': { seed: { ssl_enforcement: { database: true } }, config: { ssl_enforcement: { database: false } } },
  'third_party_auth.integration.deleted': {
    seed: {
      third_party_auth: [
        { oidc_issuer_url: 'https://securetoken.google.com/old-app-a' },
        { oidc_issuer_url: 'https://securetoken.google.com/old-app-b' },
      ],
    },
    config: { third_party_auth: { prune: true } },
  },
  'third_party_auth.integration.replaced': {
    seed: { third_party_auth: [{ oidc_issuer_url: 'https://auth.example.com/issuer' }] },
    config: { third_party_auth: { integrations: [{ oidc_issuer_url: 'https://auth.example.com/issuer', jwks_url: 'https://auth.example.com/jwks.json' }] } },
  },
  'realtime.private_only.disabled': { seed: { realtime: { private_only: true } }, config: { realtime: { private_only: false } } },
  'api_keys.legacy_enabled.enabled': { seed: { api_keys: { legacy_enabled: false } }, config: { api_keys: { legacy_enabled: true } } },
  'api_keys.key.deleted': {
    seed: {
      api_keys: {
        keys: [
          { type: 'publishable', name: 'webapp' },
          { type: 'secret', name: 'keep' },
          { type: 'secret', name: 'old_key_a' },
          { type: 'publishable', name: 'old_key_b' },
        ],
      },
    },
    config: { api_keys: { prune: true, keys: [{ type: 'publishable', name: 'webapp' }, { type: 'secret', name: 'keep' }] } },
  },
  'api_keys.key.template_changed': {
    seed: { api_keys: { keys: [{ type: 'secret', name: 'backend', secret_jwt_template: { role: 'service_role' } }] } },
    config: { api_keys: { keys: [{ type: 'secret', name: 'backend', secret_jwt_template: { role: 'authenticated' } }] } },
  },
  // The main project rotates to its standby key, so its standby is not changed too (one step at a
  // time): the standby key's creation is seen on the second project.
  'signing_keys.rotated': {
    seed: {
      signing_keys: [
        { algorithm: 'ES256', status: 'in_use' },
        { algorithm: 'RS256', status: 'standby' },
      ],
    },
    config: { signing_keys: { in_use: 'RS256' } },
  },
  'signing_keys.revoked': {
    seed: {
      signing_keys: [
        { id: LEGACY_KEY, algorithm: 'HS256', status: 'previously_used', legacy: true },
        { id: OLD_KEY, algorithm: 'EdDSA', status: 'previously_used' },
      ],
    },
    config: { signing_keys: { revoke: [LEGACY_KEY, OLD_KEY] } },
  },
  'signing_keys.standby.created': { project: SECOND_REF, seed: {}, config: { signing_keys: { standby: 'RS256' } } },
  'custom_domain.custom_hostname.removed': {
    seed: { custom_hostname: { hostname: 'api.example.com', status: '5_services_reconfigured' } },
    config: { custom_domain: { custom_hostname: null } },
  },
  // A project uses a custom hostname or a vanity subdomain, not both.
  'custom_domain.vanity_subdomain.removed': { project: SECOND_REF, seed: { vanity_subdomain: 'my-app' }, config: { custom_domain: { vanity_subdomain: null } } },
  'secrets.deleted': {
    seed: { secrets: { KEEP: 'keep-value-0001', OLD_A: 'old-value-000a', OLD_B: 'old-value-000b' } },
    config: { secrets: { prune: true, values: { KEEP: '${KEEP_VALUE}' } } },
    env: { KEEP_VALUE: 'keep-value-0001' },
  },
};

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Deep merge: mappings merged, seed lists of items (SSO providers, integrations) put together, and
 * otherwise `b` wins (the scenarios never set one value twice differently).
 */
export function merge(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const have = out[k];
    if (isObject(have) && isObject(v)) out[k] = merge(have, v);
    else if (Array.isArray(have) && Array.isArray(v) && v.every(isObject)) out[k] = [...have, ...v];
    else out[k] = v;
  }
  return out;
}
