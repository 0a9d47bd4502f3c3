import { describe, expect, it } from 'vitest';
import { authProvider } from '../../../src/providers/auth.js';
import { hmacHex } from '../../../src/providers/normalise.js';
import { REF, section } from '../../helpers/desired.js';
import { riskCases, upd } from './risk-cases.js';

describe('auth provider', () => {
  it('PATCHes only the changed keys, in API form', () => {
    const live = { site_url: 'https://old', jwt_exp: 3600, password_required_characters: '', smtp_pass: null };
    const desired = section('auth', {
      site_url: 'https://new',
      jwt_exp: 3600,
      password_required_characters: 'lower_upper_letters_digits',
      smtp_pass: 'canary-smtp',
    });
    const diff = authProvider.diff({ ref: REF, desired, live });
    expect(diff.changes.map((c) => c.path)).toEqual(['password_required_characters', 'site_url', 'smtp_pass']);
    expect(diff.requests).toEqual([
      {
        method: 'PATCH',
        path: `/v1/projects/${REF}/config/auth`,
        body: {
          site_url: 'https://new',
          password_required_characters: 'abcdefghijklmnopqrstuvwxyz:ABCDEFGHIJKLMNOPQRSTUVWXYZ:0123456789',
          smtp_pass: 'canary-smtp',
        },
      },
    ]);
    expect(JSON.stringify(diff.changes)).not.toContain('canary-smtp');
  });

  it('shows no change when converged, secrets included', () => {
    const live = { smtp_pass: hmacHex(REF, 's3cret'), uri_allow_list: 'https://a,https://b' };
    const desired = section('auth', { smtp_pass: 's3cret', uri_allow_list: ['https://b', 'https://a'] });
    expect(authProvider.diff({ ref: REF, desired, live })).toEqual({ changes: [], requests: [] });
  });

  it('takes its comma lists, numeric strings and secrets from its descriptor alone', () => {
    const live = { sessions_tags: 'b,a', smtp_port: '587', external_github_secret: hmacHex(REF, 'gh') };
    const desired = section('auth', { sessions_tags: ['a', 'b'], smtp_port: 587, external_github_secret: 'gh' });
    expect(authProvider.diff({ ref: REF, desired, live }).changes).toEqual([]);
    for (const field of authProvider.schema.commaLists ?? []) {
      const diff = authProvider.diff({ ref: REF, desired: section('auth', { [field]: ['x', 'y'] }), live: { [field]: 'y,x' } });
      expect(diff.changes, field).toEqual([]);
    }
  });

  it('compares sms_test_otp pairs as a set: the official CLI sends them in Go map order, which varies', () => {
    const desired = section('auth', { sms_test_otp: ['4152127777=123456', '4152127778=654321'] });
    expect(authProvider.diff({ ref: REF, desired, live: { sms_test_otp: '4152127778=654321,4152127777=123456' } }).changes).toEqual([]);
    const changed = authProvider.diff({ ref: REF, desired, live: { sms_test_otp: '4152127778=654321' } });
    expect(changed.requests[0]!.body).toEqual({ sms_test_otp: '4152127777=123456,4152127778=654321' });
  });
});

describe('auth risk rules', () => {
  riskCases(authProvider, [
    { rule: 'auth.password_min_length.lowered', risky: upd('password_min_length', 12, 8), safe: upd('password_min_length', 8, 12) },
    { rule: 'auth.password_required_characters.weakened', risky: upd('password_required_characters', 'abc:ABC:012', 'abcABC:012'), safe: upd('password_required_characters', '', 'abc:ABC:012') },
    { rule: 'auth.mailer_secure_email_change_enabled.disabled', risky: upd('mailer_secure_email_change_enabled', true, false), safe: upd('mailer_secure_email_change_enabled', false, true) },
    { rule: 'auth.refresh_token_rotation_enabled.disabled', risky: upd('refresh_token_rotation_enabled', true, false), safe: upd('refresh_token_rotation_enabled', false, true) },
    { rule: 'auth.security_update_password_require_reauthentication.disabled', risky: upd('security_update_password_require_reauthentication', true, null), safe: upd('security_update_password_require_reauthentication', null, true) },
    { rule: 'auth.security_captcha_enabled.disabled', risky: upd('security_captcha_enabled', true, false), safe: upd('security_captcha_enabled', false, true) },
    { rule: 'auth.mfa_totp_verify_enabled.disabled', risky: upd('mfa_totp_verify_enabled', true, false), safe: upd('mfa_totp_verify_enabled', false, true) },
    { rule: 'auth.mfa_phone_verify_enabled.disabled', risky: upd('mfa_phone_verify_enabled', true, false), safe: upd('mfa_phone_verify_enabled', false, true) },
    { rule: 'auth.mfa_web_authn_verify_enabled.disabled', risky: upd('mfa_web_authn_verify_enabled', true, false), safe: upd('mfa_web_authn_verify_enabled', false, true) },
    { rule: 'auth.disable_signup.disabled', risky: upd('disable_signup', true, false), safe: upd('disable_signup', false, true) },
    { rule: 'auth.mailer_autoconfirm.enabled', risky: upd('mailer_autoconfirm', false, true), safe: upd('mailer_autoconfirm', true, false) },
    { rule: 'auth.site_url.insecure', risky: upd('site_url', 'https://app.example.com', 'http://app.example.com'), safe: upd('site_url', 'http://localhost:3000', 'https://app.example.com') },
    { rule: 'auth.uri_allow_list.insecure', risky: upd('uri_allow_list', ['https://a.example.com'], ['https://a.example.com', 'http://localhost:3000/**']), safe: upd('uri_allow_list', ['http://localhost:3000'], ['http://localhost:3000', 'https://b.example.com']) },
    { rule: 'auth.jwt_exp.too_long', risky: upd('jwt_exp', 3600, 172800), safe: upd('jwt_exp', 172800, 3600) },
  ]);
});
