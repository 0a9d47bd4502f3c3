/**
 * Values as the official CLI (Go) reads and sends them, so that an imported setting equals what
 * `supabase config push` sent: Go durations (`time.ParseDuration`: "1s", "1h30m", "0"), sizes
 * (docker/go-units `RAMInBytes`: "50MiB", "5MB" — both 1024-based), and Go's float32 JSON form
 * (the CLI sends session timeouts as float32 hours). Each parser is a single linear pass.
 */

const DURATION_UNITS: Readonly<Record<string, number>> = {
  ns: 1,
  us: 1e3,
  'µs': 1e3, // U+00B5 micro sign
  'μs': 1e3, // U+03BC Greek mu
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

/**
 * Nanoseconds of a Go duration string, or undefined when Go would refuse it. Like Go: an optional
 * sign, then one or more `<number><unit>`; a bare "0" is zero; no blanks.
 */
export function parseGoDuration(text: string): number | undefined {
  let i = 0;
  let sign = 1;
  if (text[0] === '-' || text[0] === '+') {
    sign = text[0] === '-' ? -1 : 1;
    i = 1;
  }
  if (text.slice(i) === '0') return 0;
  if (i >= text.length) return undefined;
  let total = 0;
  while (i < text.length) {
    const start = i;
    while (isDigit(text[i])) i++;
    let number = text.slice(start, i);
    if (text[i] === '.') {
      i++;
      const fraction = i;
      while (isDigit(text[i])) i++;
      number += `.${text.slice(fraction, i)}`;
    }
    if (number === '' || number === '.') return undefined;
    const unitStart = i;
    while (i < text.length && text[i] !== '.' && !isDigit(text[i])) i++;
    const unit = text.slice(unitStart, i);
    const scale = Object.hasOwn(DURATION_UNITS, unit) ? DURATION_UNITS[unit] : undefined;
    if (scale === undefined) return undefined; // a missing or unknown unit
    total += Number(number) * scale;
  }
  return sign * total;
}

/** Go's `int(d.Seconds())`: whole seconds, truncated toward zero. */
export const wholeSeconds = (ns: number): number => Math.trunc(ns / 1e9);

/** Go's `float32(d.Hours())` as its JSON encoder writes it (the shortest text that reads back). */
export const float32Hours = (ns: number): number => float32Shortest(ns / 3600e9);

/** The shortest decimal that reads back as the same float32 (Go: strconv 'g', -1, 32). */
export function float32Shortest(value: number): number {
  const single = Math.fround(value);
  if (!Number.isFinite(single) || single === 0) return single;
  for (let digits = 1; digits <= 9; digits++) {
    const candidate = Number(single.toPrecision(digits));
    if (Math.fround(candidate) === single) return candidate;
  }
  return single;
}

const SIZE_UNITS: Readonly<Record<string, number>> = { k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40, p: 2 ** 50 };

/**
 * Bytes of a size as docker/go-units `RAMInBytes` reads it: a non-negative decimal number, an
 * optional blank, and an optional suffix `b`, or `k|m|g|t|p` followed by nothing, `b` or `ib`
 * (any letter case; every unit 1024-based). Undefined when go-units would refuse the text.
 */
export function parseGoSize(text: string): number | undefined {
  let end = text.length;
  while (end > 0 && /[A-Za-z]/.test(text[end - 1]!)) end--;
  const suffix = text.slice(end).toLowerCase();
  let number = text.slice(0, end);
  if (number.endsWith(' ')) number = number.slice(0, -1);
  if (!/^[0-9]+(?:\.[0-9]*)?$|^\.[0-9]+$/.test(number)) return undefined;
  let size = Number(number);
  if (suffix === '' || suffix === 'b') return Math.trunc(size);
  const scale = Object.hasOwn(SIZE_UNITS, suffix[0]!) ? SIZE_UNITS[suffix[0]!] : undefined;
  if (scale === undefined || suffix.length > 3) return undefined;
  if ((suffix.length === 2 && suffix[1] !== 'b') || (suffix.length === 3 && suffix.slice(1) !== 'ib')) return undefined;
  size *= scale;
  return Math.trunc(size);
}
