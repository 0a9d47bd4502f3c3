import { describe, expect, it } from 'vitest';
import { float32Hours, float32Shortest, parseGoDuration, parseGoSize, wholeSeconds } from '../../../src/import/go-values.js';

describe('Go durations, as time.ParseDuration reads them', () => {
  it.each([
    ['1s', 1e9],
    ['1m30s', 90e9],
    ['1h', 3600e9],
    ['1.5h', 5400e9],
    ['90m', 5400e9],
    ['500ms', 5e8],
    ['2us', 2000],
    ['2µs', 2000],
    ['0', 0],
    ['-1s', -1e9],
    ['+5s', 5e9],
  ])('%s', (text, ns) => expect(parseGoDuration(text)).toBe(ns));

  it.each(['', '1', '1x', 's', '1.s.', '1 s', 'h1', '--1s', '+'])('refuses %j', (text) => expect(parseGoDuration(text)).toBeUndefined());

  it('sends whole seconds (truncated) and float32 hours as the CLI does', () => {
    expect(wholeSeconds(parseGoDuration('1500ms')!)).toBe(1);
    expect(float32Hours(parseGoDuration('24h')!)).toBe(24);
    expect(float32Hours(parseGoDuration('90m')!)).toBe(1.5);
    // Go: json.Marshal(float32(20*time.Minute.Hours())) = 0.33333334
    expect(float32Hours(parseGoDuration('20m')!)).toBe(0.33333334);
    expect(float32Shortest(0.1)).toBe(0.1);
  });
});

describe('sizes, as docker/go-units RAMInBytes reads them (1024-based)', () => {
  it.each([
    ['50MiB', 50 * 2 ** 20],
    ['5MB', 5 * 2 ** 20],
    ['5mb', 5 * 2 ** 20],
    ['5M', 5 * 2 ** 20],
    ['500KB', 500 * 1024],
    ['1.5 GiB', 1.5 * 2 ** 30],
    ['100', 100],
    ['100b', 100],
    ['1g', 2 ** 30],
  ])('%s', (text, bytes) => expect(parseGoSize(text)).toBe(bytes));

  it.each(['', 'MB', '5XB', '5MiBB', '5MX', '-5MB', '5  MB', 'five'])('refuses %j', (text) => expect(parseGoSize(text)).toBeUndefined());
});
