/** The sentence each log event becomes on a terminal (`--log-format pretty`), and what it never prints. */
import { describe, expect, it } from 'vitest';
import { humanDuration, prettyMessage, shortPath } from '../../src/log-pretty.js';

const REF = 'abcdefghijklmnopqrst';
const say = (line: Record<string, unknown>) => prettyMessage({ level: 40, time: 0, name: 'supasync', ...line }, 'msg');

describe('prettyMessage', () => {
  it('api retry: method, the path after the project, the status, the wait and the attempt out of how many', () => {
    expect(say({ msg: 'api retry', method: 'GET', path: `/v1/projects/${REF}/config/auth`, status: 503, errorCode: undefined, attempt: 1, maxAttempts: 5, delayMs: 2100 })).toBe(
      `${REF} retrying GET …/config/auth (503) in 2.1 s, attempt 2/5`,
    );
    expect(say({ msg: 'api retry', method: 'PATCH', path: '/v1/organizations/acme', errorCode: 'ECONNRESET', attempt: 3, maxAttempts: 5, delayMs: 350 })).toBe(
      'retrying PATCH /v1/organizations/acme (ECONNRESET) in 350 ms, attempt 4/5',
    );
  });

  it('one line per change applied, drifted or refused, with the section and path', () => {
    expect(say({ msg: 'change applied', project: REF, section: 'auth', path: 'site_url', action: 'update', sensitive: false })).toBe(`${REF} applied ~ auth.site_url`);
    expect(say({ msg: 'change applied', project: REF, section: 'auth', path: 'smtp_pass', action: 'update', sensitive: true })).toBe(`${REF} applied ~ auth.smtp_pass (sensitive value)`);
    expect(say({ msg: 'change applied', project: REF, section: 'sso', path: 'providers[example.com]', action: 'create', sensitive: false })).toBe(`${REF} applied + sso.providers[example.com]`);
    expect(say({ msg: 'drift observed', project: REF, section: 'pooler', path: 'default_pool_size', action: 'update', sensitive: false })).toBe(
      `${REF} drift ~ pooler.default_pool_size (observe mode: reported, not applied)`,
    );
    expect(say({ msg: 'change refused: risky', project: REF, section: 'auth', path: 'password_min_length', action: 'update', rule: 'auth.password_min_length.lowered', allow_with: 'auth.password_min_length' })).toBe(
      `${REF} refused ~ auth.password_min_length: risky (auth.password_min_length.lowered); allow it with allow_risky: [auth.password_min_length]`,
    );
  });

  it('one line per cycle', () => {
    expect(say({ msg: 'cycle complete', trigger: 'schedule', result: 'ok', duration_ms: 78, mode: 'enforce', config_valid: true, projects: 2, changed: 1, unchanged: 0, drift: 1, refused: 0, failed: 0, changes: 4, requests: 1, held: 0 })).toBe(
      'cycle ok (schedule, 78 ms): 2 projects, 1 changed, 1 drifted, 1 write request',
    );
    expect(say({ msg: 'cycle complete', trigger: 'start', result: 'auth_error', duration_ms: 1500, projects: 1, failed: 1, detail: `${REF}: GET … failed 401: Unauthorized` })).toBe(
      `cycle auth_error (start, 1.5 s): 1 project, 1 failed — ${REF}: GET … failed 401: Unauthorized`,
    );
  });

  it('one line per project the work queue reconciled', () => {
    expect(say({ msg: 'project reconciled', project: REF, result: 'changed', priority: 'change', attempt: 1, queued_ms: 3, duration_ms: 45, changes: 2, requests: 1 })).toBe(
      `${REF} reconciled: changed, 2 changes, 1 write request (45 ms)`,
    );
    expect(say({ msg: 'project reconciled', project: REF, result: 'error', duration_ms: 1200, changes: 0, requests: 0, code: 'E_API_STATUS', status: 503, retry_in_ms: 30_000 })).toBe(
      `${REF} reconciled: error, E_API_STATUS 503, retry in 30 s (1.2 s)`,
    );
    // A failure is said in full when it starts or changes; its repeats (debug) say how often so far.
    expect(say({ msg: 'project reconciled', project: REF, result: 'error', duration_ms: 40, code: 'E_API_STATUS', status: 401, retry_in_ms: 9_000, failure: 'repeat', repeats: 3, first_seen_at: '2025-01-01T10:00:00.000Z' })).toBe(
      `${REF} reconciled: error, E_API_STATUS 401, same failure again (3 times so far), retry in 9.0 s (40 ms)`,
    );
    expect(say({ msg: 'project reconciled', project: REF, result: 'error', duration_ms: 40, code: 'E_API_STATUS', status: 401, failure: 'repeat', repeats: 1 })).toBe(
      `${REF} reconciled: error, E_API_STATUS 401, same failure again (once so far) (40 ms)`,
    );
    expect(say({ msg: 'project reconciled', project: REF, result: 'error', duration_ms: 40, code: 'E_API_STATUS', status: 500, failure: 'changed', retry_in_ms: 20_000 })).toBe(
      `${REF} reconciled: error, E_API_STATUS 500, the failure changed, retry in 20 s (40 ms)`,
    );
    expect(say({ msg: 'project recovered', project: REF, failed_attempts: 4, first_failed_at: '2025-01-01T10:00:00.000Z', failed_for_ms: 75_000 })).toBe(
      `${REF} recovered after 4 failed attempts over 1 min 15 s`,
    );
  });

  it('other events: the message, the section, simple fields as key=value, an error\'s message; objects are left out', () => {
    expect(say({ msg: 'shutting down', reason: 'SIGINT', timeout: '10s' })).toBe('shutting down reason=SIGINT timeout=10s');
    expect(say({ msg: 'apply failed', project: REF, section: 'storage', err: { kind: 'forbidden', message: 'PATCH … failed 403: not on the free plan' } })).toBe(
      `${REF} apply failed: PATCH … failed 403: not on the free plan (storage)`,
    );
    expect(say({ msg: 'something', detail: 'two words', nested: { a: 1 }, list: [1] })).toBe('something detail="two words"');
  });

  it('escapes control characters from any field: text from the API cannot drive the terminal', () => {
    const line = say({ msg: 'api said \u001b[2J\u001b]0;owned\u0007', project: REF, section: 'auth', note: 'a\nb\u009bc' });
    // eslint-disable-next-line no-control-regex -- asserting that no control character is left is the point
    expect(line).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
    expect(line).toContain('\\u001b[2J');
    expect(line).toContain('note=a\\u000ab\\u009bc');
  });
});

describe('helpers', () => {
  it('humanDuration', () => {
    expect([humanDuration(83), humanDuration(2100), humanDuration(12_400), humanDuration(125_000), humanDuration(120_000)]).toEqual(['83 ms', '2.1 s', '12 s', '2 min 5 s', '2 min']);
  });
  it('shortPath keeps what follows the project', () => {
    expect(shortPath(`/v1/projects/${REF}/config/database/pooler`)).toBe('…/config/database/pooler');
    expect(shortPath(`/v1/projects/${REF}`)).toBe('…');
    expect(shortPath('/v1/organizations/acme')).toBe('/v1/organizations/acme');
  });
});
