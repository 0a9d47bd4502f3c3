/** A compact way to write a table's rows: `field('jwt_expiry', 'jwt_exp', 'integer')`. */
import type { FieldRule, Kind } from '../model.js';

export const field = (key: string, to: string, kind: Kind, more: Omit<FieldRule, 'key' | 'to' | 'kind'> = {}): FieldRule => ({
  key,
  to,
  kind,
  ...more,
});

/** Whether the switch at a dotted path is on, with the CLI's default when the key is absent. */
export const isOn = (value: unknown, fallback = false): boolean => (value === undefined ? fallback : value === true);
