import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { apiMessageFrom, MAX_API_MESSAGE, reasonPhrase, scrubberFor, scrubKeyMaterial, stringLeaves, tokenSecrets, transportFailure } from '../../../src/api/error-mapping.js';
import { NO_SECRETS, Redactor } from '../../../src/redact.js';
import { routeOf } from '../../../src/api/route.js';

describe('transportFailure', () => {
  it('classifies got timeouts, resets, refusals and aborts', () => {
    expect(transportFailure({ name: 'TimeoutError', code: 'ETIMEDOUT', event: 'request' }, 30_000)).toEqual({
      code: 'E_API_TIMEOUT',
      errorCode: 'ETIMEDOUT',
      detail: 'no answer within 30000 ms (request)',
    });
    expect(transportFailure({ name: 'RequestError', code: 'ECONNRESET' }, 1)).toMatchObject({ code: 'E_API_NETWORK', errorCode: 'ECONNRESET' });
    expect(transportFailure({ name: 'RequestError', code: 'ECONNREFUSED' }, 1).detail).toBe('connection refused (ECONNREFUSED)');
    expect(transportFailure({ name: 'AbortError', code: 'ERR_ABORTED' }, 1)).toMatchObject({ errorCode: 'ERR_ABORTED', detail: 'request aborted' });
  });

  it('never uses the error message, and tolerates junk', () => {
    const got = { name: 'RequestError', code: 'EWEIRD', message: 'GET https://x/?token=secret failed', options: { headers: { authorization: 'Bearer secret' } } };
    expect(JSON.stringify(transportFailure(got, 1))).not.toContain('secret');
    expect(transportFailure(null, 1)).toMatchObject({ code: 'E_API_NETWORK', errorCode: 'EUNKNOWN' });
    expect(transportFailure({ code: 'not a code; rm -rf' }, 1).errorCode).toBe('EUNKNOWN');
  });
});

describe('apiMessageFrom', () => {
  it('reads message, error, error.message or msg', () => {
    expect(apiMessageFrom('{"message":"Project not ready for deletion."}')).toBe('Project not ready for deletion.');
    expect(apiMessageFrom('{"error":"invalid_grant"}')).toBe('invalid_grant');
    expect(apiMessageFrom('{"error":{"message":"nested"}}')).toBe('nested');
    expect(apiMessageFrom('{"msg":"gotrue style"}')).toBe('gotrue style');
  });

  it('drops whatever is shaped like key material: API keys and JWTs the API quotes (supasync never knows them)', () => {
    const secretKey = 'sb_secret_N7UND0UgjKTVK-Uodkm0Hg_bx8Ay7Ge';
    const jwt = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJyb2xlIjoic2VydmljZV9yb2xlIn0.c2lnbmF0dXJl';
    expect(apiMessageFrom(JSON.stringify({ message: `API key ${secretKey} was revoked; legacy key ${jwt} too` }))).toBe('API key [redacted] was revoked; legacy key [redacted] too');
    expect(reasonPhrase(`Bad key sb_publishable_abcdEFGH1234`)).toBe('Bad key [redacted]');
    // Words that only look a little like keys stay.
    expect(scrubKeyMaterial('sb_secret_ is a prefix; eyJ alone; a.b.c')).toBe('sb_secret_ is a prefix; eyJ alone; a.b.c');
  });

  it('is undefined for non-JSON or message-less bodies', () => {
    expect(apiMessageFrom('<html>502</html>')).toBeUndefined();
    expect(apiMessageFrom('{"message":""}')).toBeUndefined();
    expect(apiMessageFrom('{"code":42}')).toBeUndefined();
    expect(apiMessageFrom('"just a string"')).toBeUndefined();
  });

  it('flattens control characters and trims to the maximum', () => {
    expect(apiMessageFrom(JSON.stringify({ message: 'line one\n\u001b[31mline two\t ' }))).toBe('line one [31mline two');
    const long = apiMessageFrom(JSON.stringify({ message: 'y'.repeat(5000) })) as string;
    expect(long).toHaveLength(MAX_API_MESSAGE);
    expect(long.endsWith('…')).toBe(true);
  });

  it('scrubs the values a request sent, whole, leaving short words alone', () => {
    const scrub = scrubberFor(NO_SECRETS, { a: 'supersecret', b: 'supersecret-long', c: 'session'.slice(0, 4) });
    const msg = apiMessageFrom(JSON.stringify({ message: 'value supersecret-long is bad; session gone' }), scrub);
    expect(msg).toBe('value [redacted] is bad; session gone');
  });

  it("scrubs the token, its part after sbp_, and the caller's secrets, in any case and encoding, before the length cap", () => {
    const token = `sbp_${'a1b2c3d4e5'.repeat(4)}`;
    const caller = new Redactor();
    caller.add('Configured-Secret-42', { minLength: 4 });
    const scrub = scrubberFor(tokenSecrets(token), undefined, caller);
    const message = `${'x'.repeat(200)} ${token.slice(4).toUpperCase()} current smtp_pass is ${encodeURIComponent('Configured-Secret-42').toLowerCase()} ${Buffer.from(token).toString('base64')}`;
    const msg = apiMessageFrom(JSON.stringify({ message }), scrub) as string;
    expect(msg).toBe(`${'x'.repeat(200)} [redacted] current smtp_pass is [redacted] [redacted]`);
    // Scrubbed before it is cut: a secret across the cut leaves no prefix of itself.
    const cut = apiMessageFrom(JSON.stringify({ message: `${'x'.repeat(290)} ${token.slice(4)}` }), scrub) as string;
    expect(cut).toHaveLength(MAX_API_MESSAGE);
    expect(cut.toLowerCase()).not.toContain('a1b2c3');
    expect(reasonPhrase(`Bad ${token}`, scrub)).toBe('Bad [redacted]');
  });

  it('keeps nothing of the text when the request values are too large to look for', () => {
    // Five distinct 1.3 MB values: more than the redactor's budget of pattern characters.
    const huge = Array.from({ length: 5 }, () => randomBytes(1 << 20).toString('base64'));
    expect(apiMessageFrom('{"message":"anything"}', scrubberFor(NO_SECRETS, huge))).toBe('[redacted]');
  });
});

describe('helpers', () => {
  it('reasonPhrase tidies a status text', () => {
    expect(reasonPhrase('Bad\r\nGateway')).toBe('Bad Gateway');
    expect(reasonPhrase('')).toBeUndefined();
  });

  it('stringLeaves collects nested strings', () => {
    expect(stringLeaves({ a: 'x', b: [1, 'y', { c: 'z' }], d: null })).toEqual(['x', 'y', 'z']);
  });

  it('routeOf replaces refs and ids and drops the query', () => {
    expect(routeOf('/v1/projects/abcdefghijklmnopqrst/config/auth?x=1')).toBe('/v1/projects/{ref}/config/auth');
    expect(routeOf('/v1/projects/abcdefghijklmnopqrst/config/auth/sso/providers/0b5e4cd4-3a4b-4c2e-9f1e-2a6b1d8e9f00')).toBe(
      '/v1/projects/{ref}/config/auth/sso/providers/{id}',
    );
    expect(routeOf('/v1/projects')).toBe('/v1/projects');
  });
});
