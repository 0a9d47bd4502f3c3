import { describe, expect, it } from 'vitest';
import { interpolate, retypePlain, type InterpolationSources } from '../../../src/config/interpolate.js';

const files: Record<string, string> = { '/secrets/smtp': 's3cret', '/secrets/url': 'https://x.example.com' };
const sources: InterpolationSources = {
  env: { HOST: 'db.example.com', EMPTY: '', PORT: '5432' },
  readFile: (p) => (p in files ? { ok: true, text: files[p]! } : { ok: false, message: `cannot read \${file:${p}}: no such file` }),
};
const run = (input: string) => interpolate(input, sources);

describe('interpolate', () => {
  it('substitutes variables anywhere in a string', () => {
    expect(run('postgres://${HOST}:${PORT}/app')).toMatchObject({ value: 'postgres://db.example.com:5432/app', single: false, errors: [] });
  });

  it('uses the default when the variable is unset or empty, like the shell', () => {
    expect(run('${MISSING:-fallback}').value).toBe('fallback');
    expect(run('${EMPTY:-fallback}').value).toBe('fallback');
    expect(run('${HOST:-fallback}').value).toBe('db.example.com');
    expect(run('${MISSING:-}').value).toBe('');
    expect(run('${MISSING:-a:b}c').value).toBe('a:bc');
  });

  it('keeps a set-but-empty variable without a default as an empty string', () => {
    expect(run('${EMPTY}')).toMatchObject({ value: '', errors: [] });
  });

  it('reports an unset variable by name, never with its default or any value', () => {
    const result = run('x ${NOPE} y ${NOPE}');
    expect(result.errors).toEqual([
      { raw: '${NOPE}', occurrence: 0, message: expect.stringContaining('environment variable NOPE is not set') },
      { raw: '${NOPE}', occurrence: 1, message: expect.stringContaining('NOPE') },
    ]);
  });

  it('suggests a default for an unset variable, but not in a secret field (a default there is a secret in git)', () => {
    expect(run('${NOPE}').errors[0]?.message).toBe('environment variable NOPE is not set (give it a value, or a default: ${NOPE:-default})');
    const secret = interpolate('${NOPE}', sources, { secret: true }).errors[0]?.message;
    expect(secret).toBe(
      'environment variable NOPE is not set (this is a secret field: set NOPE in the environment, or read the secret from a file with ${file:/path}; a default would put the secret in git)',
    );
    expect(secret).not.toContain(':-');
  });

  it('reads file references and marks the value as coming from a file', () => {
    expect(run('${file:/secrets/smtp}')).toMatchObject({ value: 's3cret', fromFile: true, single: true });
    expect(run('prefix-${file:/secrets/smtp}')).toMatchObject({ value: 'prefix-s3cret', fromFile: true, single: false });
    expect(run('${file:/secrets/none}').errors[0]?.message).toContain('no such file');
  });

  it('treats $${ as a literal ${', () => {
    expect(run('$${HOST} and ${HOST}')).toMatchObject({ value: '${HOST} and db.example.com', single: false });
    expect(run('$${HOST}')).toMatchObject({ value: '${HOST}', single: false, errors: [] });
    expect(run('cost: $5 $$ ${PORT}').value).toBe('cost: $5 $$ 5432');
  });

  it('detects a value that is exactly one reference', () => {
    expect(run('${PORT}').single).toBe(true);
    expect(run(' ${PORT}').single).toBe(false);
    expect(run('${PORT}${PORT}').single).toBe(false);
  });

  it('rejects malformed references without echoing their text', () => {
    expect(run('${NOT VALID:-hunter2}').errors[0]?.message).toMatch(/^invalid reference/);
    expect(run('${NOT VALID:-hunter2}').errors[0]?.message).not.toContain('hunter2');
    expect(run('${A:-${B}}').errors[0]?.message).toContain('nested');
    expect(run('abc ${HOST').errors[0]).toMatchObject({ raw: '${HOST', message: expect.stringContaining('unterminated') });
    expect(run('${}').errors).toHaveLength(1);
  });
});

describe('retypePlain', () => {
  it('types text as YAML 1.2 core would: integers, floats, booleans', () => {
    expect(retypePlain('3600')).toBe(3600);
    expect(retypePlain('-12')).toBe(-12);
    expect(retypePlain('0x1F')).toBe(31);
    expect(retypePlain('0o17')).toBe(15);
    expect(retypePlain('1.5')).toBe(1.5);
    expect(retypePlain('1e3')).toBe(1000);
    expect(retypePlain('.inf')).toBe(Infinity);
    expect(retypePlain('true')).toBe(true);
    expect(retypePlain('FALSE')).toBe(false);
  });

  it('keeps strings, and never produces null (an empty variable must not unset a setting)', () => {
    expect(retypePlain('')).toBe('');
    expect(retypePlain('null')).toBe('null');
    expect(retypePlain('~')).toBe('~');
    expect(retypePlain('yes')).toBe('yes');
    expect(retypePlain('60s')).toBe('60s');
    expect(retypePlain('1.2.3')).toBe('1.2.3');
  });

  it('keeps integers that would lose digits as text', () => {
    expect(retypePlain('12345678901234567890')).toBe('12345678901234567890');
  });
});
