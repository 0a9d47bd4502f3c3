import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MEMORY_PATTERN, TIME_PATTERN, quantityOf, sameQuantity } from '../../../src/providers/quantity.js';

const kB = { kind: 'memory', unit: 'kB' } as const;
const pages = { kind: 'memory', unit: '8kB' } as const;
const ms = { kind: 'time', unit: 'ms' } as const;
const s = { kind: 'time', unit: 's' } as const;

describe('Postgres quantities', () => {
  it('reads sizes in the parameter’s unit, 1024-based, as Postgres does', () => {
    expect(quantityOf('4MB', kB)).toBe(4096);
    expect(quantityOf('4096', kB)).toBe(4096);
    expect(quantityOf(4096, kB)).toBe(4096);
    expect(quantityOf('1GB', kB)).toBe(1024 * 1024);
    expect(quantityOf('128MB', pages)).toBe(16384);
    expect(quantityOf('2048B', kB)).toBe(2);
    // Postgres's own example: 30.1GB is rounded to whole MB (30822MB) before conversion.
    expect(quantityOf('30.1GB', kB)).toBe(30822 * 1024);
    expect(quantityOf('-1', kB)).toBe(-1);
  });

  it('reads durations in the parameter’s unit', () => {
    expect(quantityOf('60s', ms)).toBe(60_000);
    expect(quantityOf('1min', ms)).toBe(60_000);
    expect(quantityOf('1.5s', ms)).toBe(1500);
    expect(quantityOf('1h', s)).toBe(3600);
    expect(quantityOf('1d', s)).toBe(86_400);
    expect(quantityOf('500ms', s)).toBe(0); // half rounds to even, as rint() does
    expect(quantityOf('1500ms', s)).toBe(2);
    expect(quantityOf('0', ms)).toBe(0);
  });

  it('refuses what Postgres refuses: wrong-kind units, wrong case, blanks are not read here', () => {
    for (const text of ['lots', '4mb', '4 MB', '4KB', '10s', '0x10', '', '1e3']) expect(quantityOf(text, kB), text).toBeUndefined();
    for (const text of ['1MB', '60S', 'soon']) expect(quantityOf(text, ms), text).toBeUndefined();
  });

  it('equal amounts are the same quantity; otherwise the text decides', () => {
    expect(sameQuantity('1GB', '1024MB', kB)).toBe(true);
    expect(sameQuantity('60s', '60000ms', ms)).toBe(true);
    expect(sameQuantity('60s', '1min', ms)).toBe(true);
    expect(sameQuantity('1GB', '1000MB', kB)).toBe(false);
    expect(sameQuantity('weird', 'weird', kB)).toBe(true);
    expect(sameQuantity('weird', '4MB', kB)).toBe(false);
  });

  it('the patterns accept exactly the texts quantityOf reads', () => {
    const memory = new RegExp(MEMORY_PATTERN);
    const time = new RegExp(TIME_PATTERN);
    const texts = fc.tuple(fc.stringMatching(/^-?[0-9]{1,6}(\.[0-9]{1,3})?$/), fc.constantFrom('', 'B', 'kB', 'MB', 'GB', 'TB', 'us', 'ms', 's', 'min', 'h', 'd', 'mb', 'KB', 'x'));
    fc.assert(
      fc.property(texts, ([n, unit]) => {
        const text = n + unit;
        expect(memory.test(text)).toBe(quantityOf(text, kB) !== undefined);
        expect(time.test(text)).toBe(quantityOf(text, ms) !== undefined);
      }),
    );
  });
});
