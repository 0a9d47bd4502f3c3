/**
 * Auth secrets come back as HMAC-SHA256(key = project ref, value) hex, never in plaintext; function
 * secrets as SHA-256 digests. The expected values were computed independently
 * (`printf VALUE | openssl dgst -sha256 -hmac KEY`, `printf VALUE | sha256sum`) and are literals here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashAuthSecret, secretDigest } from '../../src/emulator/hashing.js';
import { REF, startTestEmulator, type TestEmulator } from '../helpers/emulator.js';

// printf 'test-key' | openssl dgst -sha256 -hmac ''
const HMAC_EMPTY_KEY_TEST_KEY = 'ed64b7695a606bc6ab4fcb41fe815b5ddf1063ccbc87afe1fa89756635db520e';
// printf 'hunter2' | openssl dgst -sha256 -hmac 'abcdefghijklmnopqrst'
const HMAC_REF_HUNTER2 = '0ec8dce6afbd5c2f55eddd8622292f96aff2198856c2d17d290eed51d859c39f';
// printf 'bar' | sha256sum
const SHA256_BAR = 'fcde2b2edba56bf408601fb721fe9b5c338d10ee429ea04fae5511b68fbf8fb9';

describe('secret hashing: known vectors', () => {
  it('HMAC-SHA256 with key "" of "test-key" is ed64b769…', () => {
    expect(HMAC_EMPTY_KEY_TEST_KEY.startsWith('ed64b769')).toBe(true);
    expect(hashAuthSecret('', 'test-key')).toBe(HMAC_EMPTY_KEY_TEST_KEY);
  });

  it('HMAC-SHA256 keyed by a real project ref', () => {
    expect(hashAuthSecret(REF, 'hunter2')).toBe(HMAC_REF_HUNTER2);
  });

  it('SHA-256 digest of a function secret', () => {
    expect(secretDigest('bar')).toBe(SHA256_BAR);
  });
});

describe('secret hashing over HTTP', () => {
  let emu: TestEmulator;
  const auth = `/v1/projects/${REF}/config/auth`;
  beforeAll(async () => {
    emu = await startTestEmulator();
  });
  afterAll(() => emu.close());

  it('answers a written auth secret as its HMAC keyed by the ref, in PATCH and GET, never the plaintext', async () => {
    const patched = await emu.call<Record<string, unknown>>('PATCH', auth, { smtp_pass: 'hunter2', smtp_user: 'mailer' });
    expect(patched.status).toBe(200);
    expect(patched.body.smtp_pass).toBe(HMAC_REF_HUNTER2);
    expect(patched.body.smtp_user).toBe('mailer');
    const read = await emu.call<Record<string, unknown>>('GET', auth);
    expect(read.body.smtp_pass).toBe(HMAC_REF_HUNTER2);
    expect(read.text).not.toContain('hunter2');
    expect(JSON.stringify(emu.state())).not.toContain('hunter2');
  });

  it('hashes every kind of secret field: external_*_secret, hook_*_secrets, sms tokens and keys, captcha', async () => {
    const canaries = {
      external_github_secret: 'canary-github',
      hook_send_email_secrets: 'v1,whsec_canary',
      sms_twilio_auth_token: 'canary-twilio',
      sms_vonage_api_secret: 'canary-vonage',
      security_captcha_secret: 'canary-captcha',
      nimbus_oauth_client_secret: 'canary-nimbus',
    };
    await emu.call('PATCH', auth, canaries);
    const read = await emu.call<Record<string, unknown>>('GET', auth);
    for (const [field, value] of Object.entries(canaries)) {
      expect(read.body[field]).toBe(hashAuthSecret(REF, value));
      expect(read.text).not.toContain(value);
    }
  });

  it('unset secrets are null; null clears a set one; other fields are untouched by a PATCH that omits them', async () => {
    const before = await emu.call<Record<string, unknown>>('GET', auth);
    expect(before.body.external_google_secret).toBeNull();
    await emu.call('PATCH', auth, { smtp_pass: null });
    const after = await emu.call<Record<string, unknown>>('GET', auth);
    expect(after.body.smtp_pass).toBeNull();
    expect(after.body.smtp_user).toBe('mailer');
    expect(after.body.external_github_secret).toBe(hashAuthSecret(REF, 'canary-github'));
  });

  it('the same value under another project hashes differently (keyed by the ref)', async () => {
    const other = '/v1/projects/zyxwvutsrqponmlkjihg/config/auth';
    const res = await emu.call<Record<string, unknown>>('PATCH', other, { smtp_pass: 'hunter2' });
    expect(res.body.smtp_pass).toBe(hashAuthSecret('zyxwvutsrqponmlkjihg', 'hunter2'));
    expect(res.body.smtp_pass).not.toBe(HMAC_REF_HUNTER2);
  });

  it('answers function secrets as SHA-256 digests', async () => {
    await emu.call('POST', `/v1/projects/${REF}/secrets`, [{ name: 'FOO', value: 'bar' }]);
    const res = await emu.call<{ name: string; value: string }[]>('GET', `/v1/projects/${REF}/secrets`);
    expect(res.body.map(({ name, value }) => ({ name, value }))).toEqual([{ name: 'FOO', value: SHA256_BAR }]);
  });
});
