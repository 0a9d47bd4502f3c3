/**
 * Each replacement in SAFE_PATTERNS accepts exactly what the spec's pattern accepts: every string up
 * to a length over an alphabet with one or two representatives of each character class the patterns
 * tell apart, then random strings with longer runs (within the lengths where the spec's pattern is
 * still fast). ajv compiles patterns with the `u` flag; so do these comparisons.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SAFE_PATTERNS } from '../../../scripts/gen-schema.js';

interface Proof {
  /** Every string over `alphabet` up to `maxLength` characters. */
  exhaustive: Array<{ alphabet: string[]; maxLength: number }>;
  /** Random strings made of these pieces (runs of one class of characters). */
  pieces: fc.Arbitrary<string>;
  maxPieces: number;
}

const run = (chars: string, max: number) => fc.string({ unit: fc.constantFrom(...chars), minLength: 1, maxLength: max });

const PROOFS: Record<string, Proof> = {
  // sessions_tags: tag characters, blanks (ASCII and Unicode, as \s reads them with `u`), commas, others.
  '^\\s*([a-zA-Z0-9_-]+(\\s*,+\\s*)?)*\\s*$': {
    exhaustive: [
      { alphabet: ['a', ' ', ',', '!'], maxLength: 10 },
      { alphabet: ['Z', '-', '\t', '\u00a0', ',', '\n', '.'], maxLength: 7 },
    ],
    pieces: fc.oneof(run('aZ09_-', 6), run(' \t\u2028', 4), run(',', 3), fc.constantFrom('!', 'é', ';')),
    maxPieces: 8,
  },
  // sms_test_otp: digits (runs around the 15-digit phone limit), '=', ',', others.
  '^([0-9]{1,15}=[0-9]+,?)*$': {
    exhaustive: [
      { alphabet: ['0', '=', ',', 'x'], maxLength: 10 },
      { alphabet: ['1', '9', '=', ','], maxLength: 9 },
    ],
    pieces: fc.oneof(run('0123456789', 18), fc.constantFrom('=', ',', ' ', 'x', '١')),
    maxPieces: 6,
  },
};

function* allStrings(alphabet: readonly string[], maxLength: number): Generator<string> {
  let level = [''];
  yield '';
  for (let length = 1; length <= maxLength; length++) {
    const next: string[] = [];
    for (const prefix of level) for (const c of alphabet) next.push(prefix + c);
    yield* next;
    level = next;
  }
}

describe('SAFE_PATTERNS', () => {
  it('has an equivalence proof for every replacement', () => {
    expect(Object.keys(PROOFS).sort()).toEqual(Object.keys(SAFE_PATTERNS).sort());
  });

  for (const [original, safe] of Object.entries(SAFE_PATTERNS)) {
    const spec = new RegExp(original, 'u');
    const linear = new RegExp(safe, 'u');
    const proof = PROOFS[original];

    it(`${safe} accepts exactly what ${original} accepts: every short string`, () => {
      if (!proof) throw new Error(`no proof for ${original}`);
      for (const { alphabet, maxLength } of proof.exhaustive) {
        let checked = 0;
        const differ: string[] = [];
        for (const s of allStrings(alphabet, maxLength)) {
          checked++;
          if (spec.test(s) !== linear.test(s) && differ.length < 5) differ.push(JSON.stringify(s));
        }
        expect(differ, `${checked} strings over ${JSON.stringify(alphabet)}`).toEqual([]);
        expect(checked).toBeGreaterThan(alphabet.length ** maxLength);
      }
    });

    it(`${safe} accepts exactly what ${original} accepts: random strings with longer runs`, () => {
      if (!proof) throw new Error(`no proof for ${original}`);
      const text = fc.array(proof.pieces, { maxLength: proof.maxPieces }).map((parts) => parts.join(''));
      fc.assert(
        fc.property(text, (s) => spec.test(s) === linear.test(s)),
        { numRuns: 20_000, seed: 13 },
      );
    });
  }
});
