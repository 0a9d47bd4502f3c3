/**
 * The redactor (issue 13, item 2): every form a secret may take in a message is found, whatever its
 * case; work is linear in the text whatever the secrets (counted in automaton steps, not timed);
 * memory is bounded by a budget that makes the caller fail closed.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SensitiveValues } from '../../src/config/sensitive.js';
import { NO_SECRETS, PATTERN_BUDGET, REDACTED, Redactor } from '../../src/redact.js';

const SECRET = 'FileSecretCanary-Abc123';
const REF = 'abcdefghijklmnopqrst';

function redactor(...values: string[]): Redactor {
  const r = new Redactor();
  for (const v of values) r.add(v, { minLength: 4, hmacKeys: [REF] });
  return r;
}

describe('Redactor', () => {
  const SPECIAL = 'p@ss w/rd:42!';
  const r = redactor(SECRET, SPECIAL, 'two words\nsecond line here');
  const b64 = (text: string) => Buffer.from(text).toString('base64');

  it.each([
    ['as written', SECRET],
    ['lower case', SECRET.toLowerCase()],
    ['upper case', SECRET.toUpperCase()],
    ['URL-encoded', encodeURIComponent(SPECIAL)],
    ['URL-encoded, lower-case escapes', encodeURIComponent(SPECIAL).toLowerCase()],
    ['form-encoded', encodeURIComponent(SPECIAL).replace(/%20/g, '+')],
    ['hex', Buffer.from(SECRET).toString('hex')],
    ['hex, upper case', Buffer.from(SECRET).toString('hex').toUpperCase()],
    ['base64', b64(SECRET)],
    ['base64url', Buffer.from(SECRET).toString('base64url')],
    ['SHA-256', createHash('sha256').update(SECRET).digest('hex')],
    ['HMAC-SHA256 keyed by the ref', createHmac('sha256', REF).update(SECRET).digest('hex')],
    ['one line of a multi-line value, trimmed', '  second line here  '],
  ])('finds the secret %s', (_, form) => {
    const text = `before ${form} after`;
    expect(r.reveals(text)).toBe(true);
    expect(r.redact(text)).toBe(text.replace(form.trim(), REDACTED));
  });

  it('finds base64 of the secret inside a longer base64 text, at every byte alignment', () => {
    for (const prefix of ['', 'a', 'ab', 'abc']) {
      const encoded = b64(`${prefix}${SECRET}; and more text after it`);
      expect(r.redact(encoded), prefix).toContain(REDACTED);
      // What is left is not enough to decode the secret.
      expect(Buffer.from(r.redact(encoded).replace(REDACTED, ''), 'base64').toString('latin1')).not.toContain('SecretCanary');
    }
  });

  it('finds a JSON-escaped secret', () => {
    const quoted = redactor('pa"ss\\word-42');
    expect(quoted.redact(JSON.stringify({ v: 'pa"ss\\word-42' }))).toBe(`{"v":"${REDACTED}"}`);
  });

  it('redacts overlapping and adjacent secrets whole, and leaves other text alone', () => {
    const o = redactor('abcdef', 'defghi', 'zzzz');
    expect(o.redact('xx abcdefghi yy zzzzzzzz ww')).toBe(`xx ${REDACTED} yy ${REDACTED} ww`);
    expect(o.redact('nothing to see')).toBe('nothing to see');
  });

  it('ignores values shorter than the minimum (mostly ordinary words)', () => {
    const short = redactor('abc');
    expect(short.size).toBe(0);
    expect(short.redact('abc abc')).toBe('abc abc');
  });

  it('positions survive case folding that changes length elsewhere in the text', () => {
    // U+0130 lower-cases to two units; the text around a secret must stay aligned.
    expect(r.redact(`\u0130\u0130 ${SECRET} \u0130`)).toBe(`\u0130\u0130 ${REDACTED} \u0130`);
  });

  it('scans in time linear in the text, whatever the secrets: adversarial nested secrets', () => {
    // Secrets a, aa, aaa, ... (each a suffix of the next): a reporting-every-match scan does
    // quadratic work on a text of a's; this one follows at most two edges per character.
    const nested = new Redactor();
    for (let n = 4; n <= 250; n++) nested.add('a'.repeat(n), { minLength: 4 });
    expect(nested.tooLarge).toBe(false);
    const text = 'a'.repeat(100_000) + 'b'.repeat(100_000);
    expect(nested.redact(text)).toBe(REDACTED + 'b'.repeat(100_000));
    expect(nested.lastScanSteps).toBeLessThanOrEqual(2 * text.length);
    // Many secrets sharing a prefix, the text repeating it.
    const shared = new Redactor();
    for (let i = 0; i < 5000; i++) shared.add(`prefix-${i.toString(36)}-tail`, { minLength: 4 });
    const probe = 'prefix-'.repeat(30_000);
    expect(shared.redact(probe)).toBe(probe);
    expect(shared.lastScanSteps).toBeLessThanOrEqual(2 * probe.length);
  });

  it('indexes a long value (SAML metadata, a certificate) by its lines only: twenty 25 kB documents fit the budget', () => {
    const docs = new Redactor();
    const line = (d: number, i: number) => `  <md:KeyDescriptor use="signing">${createHash('sha256').update(`${d}/${i}`).digest('base64')}</md:KeyDescriptor>`;
    const doc = (d: number) => Array.from({ length: 250 }, (_, i) => line(d, i)).join('\n');
    for (let d = 0; d < 20; d++) docs.add(doc(d), { minLength: 4 });
    expect(docs.tooLarge).toBe(false);
    expect(docs.redact(`error near ${line(7, 42).trim().toUpperCase()} here`)).toBe(`error near ${REDACTED} here`);
  });

  it('takes no value once it has redacted (its patterns are dropped for the automaton)', () => {
    const sealed = redactor('first-secret');
    expect(sealed.redact('a first-secret b')).toBe(`a ${REDACTED} b`);
    expect(() => sealed.add('second-secret', { minLength: 4 })).toThrow(/after the first redaction/);
  });

  it('refuses more material than its budget (the loader then fails closed)', () => {
    const big = new Redactor();
    for (let i = 0; i < 4; i++) big.add(randomBytes(1 << 20).toString('base64'), { minLength: 4 });
    expect(big.tooLarge).toBe(true);
    expect(PATTERN_BUDGET).toBeGreaterThanOrEqual(1 << 19);
  });

  it('NO_SECRETS redacts nothing', () => {
    expect(NO_SECRETS.redact('x')).toBe('x');
    expect(NO_SECRETS.reveals('x')).toBe(false);
  });
});

describe('SensitiveValues (the loader): transformed forms of file values and secret fields', () => {
  it('redacts the case-folded, trimmed and URL-encoded forms of a file value (issue 13, item 2)', () => {
    const s = new SensitiveValues();
    s.addDocument({ project: REF, sso: { providers: [{ domains: [`${SECRET}.example.com`] }] } }, [['sso', 'providers', 0, 'domains', 0]], []);
    const message = `domain "${SECRET.toLowerCase()}.example.com" (was ${encodeURIComponent(SECRET.toUpperCase())}.example.com)`;
    expect(s.redact(message)).toBe(`domain "${REDACTED}" (was ${REDACTED})`);
  });

  it('redacts secret fields, also nested maps of secrets, with the HMAC the API answers for them', () => {
    const s = new SensitiveValues();
    s.addDocument({ project: REF, auth: { smtp_pass: 'smtp-password-1' }, secrets: { values: { A: 'function-secret-2' } } }, [], []);
    const hmac = createHmac('sha256', REF).update('smtp-password-1').digest('hex');
    const sha = createHash('sha256').update('function-secret-2').digest('hex');
    expect(s.redact(`x SMTP-PASSWORD-1 ${hmac} ${sha} FUNCTION-secret-2`)).toBe(`x ${REDACTED} ${REDACTED} ${REDACTED} ${REDACTED}`);
  });

  it('skips unresolved references (they hold the reference as written, no secret)', () => {
    const s = new SensitiveValues();
    s.addDocument({ project: REF, auth: { smtp_pass: '${SMTP}' } }, [], [['auth', 'smtp_pass']]);
    expect(s.redact('${SMTP} is not set')).toBe('${SMTP} is not set');
  });
});
