/** Every row of the guardrail table has a test here (risky and not risky), plus the allow logic. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { riskRules, isInsecureUrl } from '../../../src/providers/risk-rules.js';
import { allowKeyFor, classify } from '../../../src/reconcile/guardrails.js';
import type { Change } from '../../../src/reconcile/types.js';

const upd = (path: string, before: Change['before'], after: Change['after']): Change => ({ path, action: 'update', before, after, sensitive: false });
const risk = (section: string, change: Change) => classify(section, change, riskRules, new Set(), false);

const cases: Array<{ rule: string; section: string; risky: Change; safe: Change }> = [
  { rule: 'network_restrictions.emptied', section: 'network_restrictions', risky: upd('dbAllowedCidrs', ['10.0.0.0/8'], []), safe: upd('dbAllowedCidrs', [], ['10.0.0.0/8']) },
  { rule: 'network_restrictions.opened', section: 'network_restrictions', risky: upd('dbAllowedCidrsV6', ['2001:db8::/32'], ['::/0']), safe: upd('dbAllowedCidrs', ['0.0.0.0/0'], ['0.0.0.0/0', '10.0.0.0/8']) },
  { rule: 'sso.provider.deleted', section: 'sso', risky: { path: 'providers[acme.com]', item: 'acme.com', action: 'delete', sensitive: false }, safe: { path: 'providers[acme.com]', item: 'acme.com', action: 'create', sensitive: false } },
  { rule: 'auth.password_min_length.lowered', section: 'auth', risky: upd('password_min_length', 12, 8), safe: upd('password_min_length', 8, 12) },
  { rule: 'auth.password_required_characters.weakened', section: 'auth', risky: upd('password_required_characters', 'abc:ABC:012', 'abcABC:012'), safe: upd('password_required_characters', '', 'abc:ABC:012') },
  { rule: 'auth.mailer_secure_email_change_enabled.disabled', section: 'auth', risky: upd('mailer_secure_email_change_enabled', true, false), safe: upd('mailer_secure_email_change_enabled', false, true) },
  { rule: 'auth.refresh_token_rotation_enabled.disabled', section: 'auth', risky: upd('refresh_token_rotation_enabled', true, false), safe: upd('refresh_token_rotation_enabled', false, true) },
  { rule: 'auth.security_update_password_require_reauthentication.disabled', section: 'auth', risky: upd('security_update_password_require_reauthentication', true, null), safe: upd('security_update_password_require_reauthentication', null, true) },
  { rule: 'auth.security_captcha_enabled.disabled', section: 'auth', risky: upd('security_captcha_enabled', true, false), safe: upd('security_captcha_enabled', false, true) },
  { rule: 'auth.mfa_totp_verify_enabled.disabled', section: 'auth', risky: upd('mfa_totp_verify_enabled', true, false), safe: upd('mfa_totp_verify_enabled', false, true) },
  { rule: 'auth.mfa_phone_verify_enabled.disabled', section: 'auth', risky: upd('mfa_phone_verify_enabled', true, false), safe: upd('mfa_phone_verify_enabled', false, true) },
  { rule: 'auth.mfa_web_authn_verify_enabled.disabled', section: 'auth', risky: upd('mfa_web_authn_verify_enabled', true, false), safe: upd('mfa_web_authn_verify_enabled', false, true) },
  { rule: 'auth.disable_signup.disabled', section: 'auth', risky: upd('disable_signup', true, false), safe: upd('disable_signup', false, true) },
  { rule: 'auth.mailer_autoconfirm.enabled', section: 'auth', risky: upd('mailer_autoconfirm', false, true), safe: upd('mailer_autoconfirm', true, false) },
  { rule: 'auth.site_url.insecure', section: 'auth', risky: upd('site_url', 'https://app.example.com', 'http://app.example.com'), safe: upd('site_url', 'http://localhost:3000', 'https://app.example.com') },
  { rule: 'auth.uri_allow_list.insecure', section: 'auth', risky: upd('uri_allow_list', ['https://a.example.com'], ['https://a.example.com', 'http://localhost:3000/**']), safe: upd('uri_allow_list', ['http://localhost:3000'], ['http://localhost:3000', 'https://b.example.com']) },
  { rule: 'ssl_enforcement.database.disabled', section: 'ssl_enforcement', risky: upd('database', true, false), safe: upd('database', false, true) },
  { rule: 'secrets.deleted', section: 'secrets', risky: { path: 'OLD_KEY', item: 'OLD_KEY', action: 'delete', sensitive: false }, safe: { path: 'NEW_KEY', item: 'NEW_KEY', action: 'create', sensitive: true, beforeSet: false } },
  { rule: 'auth.jwt_exp.too_long', section: 'auth', risky: upd('jwt_exp', 3600, 172800), safe: upd('jwt_exp', 172800, 3600) },
];

describe('guardrail table', () => {
  it('has a test case for every rule', () => {
    expect(cases.map((c) => c.rule).sort()).toEqual(riskRules.map((r) => r.id).sort());
  });

  for (const c of cases) {
    it(`${c.rule}: flags the weakening change only`, () => {
      expect(risk(c.section, c.risky)).toMatchObject({ rule: c.rule, allowed: false });
      expect(risk(c.section, c.safe)).toBeUndefined();
    });
  }

  it('the README lists every rule', () => {
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    for (const rule of riskRules) expect(readme, rule.id).toContain(`| \`${rule.id}\` |`);
  });

  it('a rule applies only to its own section', () => {
    expect(risk('postgres', upd('jwt_exp', 3600, 172800))).toBeUndefined();
  });

  it('is allowed by --allow-risky, by section.key, or by the whole section', () => {
    const change = upd('jwt_exp', 3600, 172800);
    expect(classify('auth', change, riskRules, new Set(), true)?.allowed).toBe(true);
    expect(classify('auth', change, riskRules, new Set(['auth.jwt_exp']), false)?.allowed).toBe(true);
    expect(classify('auth', change, riskRules, new Set(['auth']), false)?.allowed).toBe(true);
    expect(classify('auth', change, riskRules, new Set(['auth.site_url']), false)?.allowed).toBe(false);
  });

  it('names the allow key after the top-level field', () => {
    expect(allowKeyFor('sso', { path: 'providers[acme.com].domains', action: 'update', sensitive: false })).toBe('sso.providers');
    expect(allowKeyFor('network_restrictions', upd('dbAllowedCidrs', [], []))).toBe('network_restrictions.dbAllowedCidrs');
  });

  it('recognises insecure URLs', () => {
    for (const u of ['http://example.com', 'https://localhost:3000', 'https://127.0.0.1/cb', 'https://[::1]:8080', 'https://app.localhost'])
      expect(isInsecureUrl(u), u).toBe(true);
    for (const u of ['https://example.com', 'https://localhost.example.com', 'com.example.app://callback'])
      expect(isInsecureUrl(u), u).toBe(false);
  });
});
