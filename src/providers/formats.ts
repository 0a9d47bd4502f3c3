/**
 * Value formats a descriptor may give a string field (SectionSchema `formats`): the generator turns
 * one into a pattern and a description, the diff compares values by what they mean. Every pattern
 * here is linear (test/reliability/pattern-audit.test.ts checks the schema's).
 */
import { MEMORY_PATTERN, TIME_PATTERN, describeQuantity, sameQuantity, type QuantityFormat } from './quantity.js';

/** A Postgres quantity (memory size, duration), or a time of day (HH:MM:SS, as the backup schedule takes it). */
export type ValueFormat = QuantityFormat | { kind: 'time_of_day' };

export const TIME_OF_DAY_PATTERN = '^(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]$';

export function patternOf(format: ValueFormat): string {
  if (format.kind === 'time_of_day') return TIME_OF_DAY_PATTERN;
  return format.kind === 'memory' ? MEMORY_PATTERN : TIME_PATTERN;
}

export function describeFormat(format: ValueFormat): string {
  return format.kind === 'time_of_day' ? 'A time of day, HH:MM:SS (24-hour, UTC).' : describeQuantity(format);
}

/** Whether the YAML may give a number, sent as the API's string (a quantity in the field's own unit). */
export const takesNumber = (format: ValueFormat): boolean => format.kind !== 'time_of_day';

/** Whether two (non-null) values mean the same in this format. */
export function sameFormatted(a: unknown, b: unknown, format: ValueFormat): boolean {
  return format.kind === 'time_of_day' ? String(a) === String(b) : sameQuantity(a, b, format);
}
