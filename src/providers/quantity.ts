/**
 * Postgres quantities: memory sizes and durations, as Postgres reads a parameter's value
 * (https://www.postgresql.org/docs/current/config-setting.html, "Numeric with Unit"; guc.c
 * `parse_int` / `convert_to_base_unit`). Memory units are B, kB, MB, GB, TB (1024-based), time units
 * us, ms, s, min, h, d; units are case-sensitive; a number without a unit is in the parameter's own
 * unit (`work_mem`: kB, `shared_buffers`: 8 kB pages, `checkpoint_timeout`: s); a fraction with a
 * unit is rounded to the next smaller unit, and the result to a whole number of the parameter's unit.
 *
 * The accepted text is the Management API's own form for its duration fields
 * (`^(-?[0-9]+(?:\.[0-9]+)?)(us|ms|s|min|h|d)?$`, UpdatePostgresConfigBody) and the same form for
 * sizes: no blanks, no hex or octal (Postgres reads those too, nobody writes them). A minus sign is
 * allowed, as the spec allows it (-1 means "no limit" for some parameters); ranges are Postgres's
 * to check. Both patterns are linear.
 */

export type MemoryUnit = 'B' | 'kB' | '8kB' | 'MB';
export type TimeUnit = 'us' | 'ms' | 's' | 'min';

export type QuantityFormat = { kind: 'memory'; unit: MemoryUnit } | { kind: 'time'; unit: TimeUnit };

export const MEMORY_PATTERN = '^(-?[0-9]+(?:\\.[0-9]+)?)(B|kB|MB|GB|TB)?$';
/** The spec's own pattern for statement_timeout, wal_sender_timeout and checkpoint_timeout. */
export const TIME_PATTERN = '^(-?[0-9]+(?:\\.[0-9]+)?)(us|ms|s|min|h|d)?$';

/** Units from the largest down, each in the smallest one (bytes, microseconds): Postgres's tables. */
const MEMORY: ReadonlyArray<[string, number]> = [['TB', 2 ** 40], ['GB', 2 ** 30], ['MB', 2 ** 20], ['kB', 2 ** 10], ['B', 1]];
const TIME: ReadonlyArray<[string, number]> = [['d', 86_400e6], ['h', 3_600e6], ['min', 60e6], ['s', 1e6], ['ms', 1e3], ['us', 1]];
const BASE: Readonly<Record<MemoryUnit | TimeUnit, number>> = { B: 1, kB: 2 ** 10, '8kB': 2 ** 13, MB: 2 ** 20, us: 1, ms: 1e3, s: 1e6, min: 60e6 };

/** How the schema describes a field of this format. */
export function describeQuantity(format: QuantityFormat): string {
  const units = format.kind === 'memory' ? 'B, kB, MB, GB, TB (1024-based)' : 'us, ms, s, min, h, d';
  const bare = format.unit === '8kB' ? '8 kB pages' : format.unit;
  return `A ${format.kind === 'memory' ? 'memory size' : 'duration'}: a number with an optional unit, ${units}; a number alone is in ${bare}.`;
}

/** Postgres's rint(): to the nearest integer, halves to even. */
function rint(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 ? 2 * Math.round(x / 2) : r;
}

const TEXT = /^(-?[0-9]+(?:\.[0-9]+)?)([A-Za-z]*)$/;

/**
 * The value as Postgres would store it: a whole number of the parameter's unit. Undefined when it
 * is not a quantity of this kind (the caller then compares the text as it is).
 */
export function quantityOf(value: unknown, format: QuantityFormat): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? rint(value) : undefined;
  if (typeof value !== 'string') return undefined;
  const m = TEXT.exec(value);
  if (!m) return undefined;
  const number = Number(m[1]);
  const unit = m[2] ?? '';
  if (!unit) return rint(number);
  const table = format.kind === 'memory' ? MEMORY : TIME;
  const i = table.findIndex(([name]) => name === unit);
  if (i < 0) return undefined;
  let amount = number * table[i]![1];
  const next = table[i + 1];
  // "30.1GB" is rounded to whole MB first, as Postgres does.
  if (next) amount = rint(amount / next[1]) * next[1];
  return rint(amount / BASE[format.unit]);
}

/** Whether two values are the same quantity (or, when either is not one, the same text). */
export function sameQuantity(a: unknown, b: unknown, format: QuantityFormat): boolean {
  const qa = quantityOf(a, format);
  const qb = quantityOf(b, format);
  if (qa !== undefined && qb !== undefined) return qa === qb;
  return String(a) === String(b);
}
