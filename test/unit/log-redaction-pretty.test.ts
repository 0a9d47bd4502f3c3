/**
 * Pretty output goes through the same redaction as JSON: pino's path redaction (the token, bodies,
 * values) and the configuration's secrets removed from every line as written, before pino-pretty
 * sees it. Runs the built logger in a child process, so that it writes to a real file descriptor.
 */
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';

const SECRET = 'canary-smtp-5d1e8a0c77';
const TOKEN = `sbp_${'c4'.repeat(20)}`;

function logWith(format: 'json' | 'pretty'): string {
  const log = pathToFileURL(`${ROOT}/dist/log.js`).href;
  const redact = pathToFileURL(`${ROOT}/dist/redact.js`).href;
  const script = `
    const { createLogger, redactLogLines, setLogFormat } = await import(${JSON.stringify(log)});
    const { Redactor } = await import(${JSON.stringify(redact)});
    const secrets = new Redactor();
    secrets.add(${JSON.stringify(SECRET)}, { minLength: 6 });
    redactLogLines(secrets);
    setLogFormat(${JSON.stringify(format)});
    const logger = createLogger({ destination: 'stdout' });
    logger.warn({ token: ${JSON.stringify(TOKEN)}, project: 'abcdefghijklmnopqrst', note: 'the API said ${SECRET}' }, 'api answered with ${SECRET.toUpperCase()}');
    logger.error({ err: { message: 'failed 400: smtp_pass ${SECRET} rejected' } }, 'apply failed');
  `;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  expect(run.status, run.stderr).toBe(0);
  return run.stdout;
}

describe('redaction, whatever the format', () => {
  it.each(['json', 'pretty'] as const)('%s: no secret value and no token in any line', (format) => {
    const out = logWith(format);
    expect(out).not.toContain(SECRET);
    expect(out.toLowerCase()).not.toContain(SECRET.toLowerCase());
    expect(out).not.toContain(TOKEN);
    expect(out).toContain('[redacted]');
    expect(out.trim().split('\n')).toHaveLength(2);
  });

  it('pretty: one readable line per event', () => {
    const [first, second] = logWith('pretty').trim().split('\n');
    expect(first).toMatch(/^\[\d\d:\d\d:\d\d\] WARN: abcdefghijklmnopqrst api answered with \[redacted\] token=\[redacted\] note="the API said \[redacted\]"$/);
    expect(second).toMatch(/^\[\d\d:\d\d:\d\d\] ERROR: apply failed: failed 400: smtp_pass \[redacted\] rejected$/);
  });

  it('json: pino lines as before', () => {
    const lines = logWith('json').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines[0]).toMatchObject({ level: 'warn', name: 'supasync', token: '[redacted]', msg: 'api answered with [redacted]' });
    expect(typeof lines[0]!.time).toBe('string');
  });
});
