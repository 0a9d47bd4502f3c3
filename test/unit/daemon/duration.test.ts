import { describe, expect, it } from 'vitest';
import { DurationSyntaxError, formatDuration, formatLongDuration, parseDuration } from '../../../src/daemon/duration.js';

describe('parseDuration', () => {
  it.each([
    ['0', 0],
    ['0s', 0],
    ['500ms', 500],
    ['10s', 10_000],
    ['1.5s', 1_500],
    ['2m', 120_000],
    ['1h', 3_600_000],
    ['1m30s', 90_000],
    ['1h2m3s4ms', 3_723_004],
    [' 25s ', 25_000],
    ['0.0004s', 0],
  ])('%s → %i ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', '10', '-1s', '1d', 's', '1 s', '10sec', '1m 30s', '.5s', '1e3ms', '10s!'])('refuses %j', (text) => {
    expect(() => parseDuration(text)).toThrow(DurationSyntaxError);
  });

  it('says where it stopped understanding', () => {
    expect(() => parseDuration('1m30x')).toThrow(/at "30x"/);
  });

  it('refuses a bare number other than 0, which would be ambiguous', () => {
    expect(() => parseDuration('30')).toThrow(/expected e\.g\. 500ms/);
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0ms'],
    [999, '999ms'],
    [1_500, '1.5s'],
    [25_000, '25s'],
    [90_000, '1.5m'],
  ])('%i → %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it('round-trips through parseDuration', () => {
    for (const ms of [0, 1, 250, 1_000, 12_345, 60_000, 90_000]) expect(parseDuration(formatDuration(ms))).toBe(ms);
  });
});

describe('formatLongDuration', () => {
  it.each([
    [1_500, '1.5s'],
    [60_000, '1m'],
    [1_388_889, '23m9s'],
    [3_723_000, '1h2m3s'],
    [7_200_000, '2h'],
  ])('%i → %s', (ms, text) => {
    expect(formatLongDuration(ms)).toBe(text);
    expect(Math.abs(parseDuration(text) - ms)).toBeLessThan(1_000); // to the second, and parseable
  });
});
