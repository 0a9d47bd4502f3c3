/**
 * `${NAME}` looks up own properties only (issue 13, item 10): `${toString}` once became
 * `function toString() { [native code] }`. Names that Object.prototype has must read as "not set",
 * in a plain object and in process.env alike, and their defaults must apply.
 */
import { describe, expect, it } from 'vitest';
import { interpolate } from '../../../src/config/interpolate.js';

const PROTOTYPE_NAMES = ['toString', '__proto__', 'constructor', 'hasOwnProperty', 'valueOf', 'isPrototypeOf', '__defineGetter__', 'toLocaleString'];
const noFiles = () => ({ ok: false as const, message: 'no files' });

describe('${NAME} and Object.prototype', () => {
  for (const [label, env] of [
    ['a plain object', { HOST: 'db' }],
    ['process.env', process.env],
  ] as const) {
    it(`reads ${PROTOTYPE_NAMES.join(', ')} as not set in ${label}`, () => {
      for (const name of PROTOTYPE_NAMES) {
        const result = interpolate(`\${${name}}`, { env, readFile: noFiles });
        expect(result.errors.map((e) => e.message), name).toEqual([
          `environment variable ${name} is not set (give it a value, or a default: \${${name}:-default})`,
        ]);
        expect(result.value).not.toContain('native code');
        expect(interpolate(`\${${name}:-fallback}`, { env, readFile: noFiles })).toMatchObject({ value: 'fallback', errors: [] });
      }
    });
  }

  it('still reads a variable that is set, even one named like a prototype member', () => {
    const env = Object.defineProperty({}, 'toString', { value: 'set-by-operator', enumerable: true });
    expect(interpolate('${toString}', { env, readFile: noFiles })).toMatchObject({ value: 'set-by-operator', errors: [] });
  });
});
