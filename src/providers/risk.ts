/**
 * What a risk rule is, and the helpers several providers' rules share. Each provider owns its rules
 * (`Provider.risks`); the registry (./index.ts) concatenates them for the plan's guardrails
 * (src/reconcile/guardrails.ts, which knows no field) and for the README's table (a test keeps the
 * two in step).
 */
import type { Change, JsonValue } from '../reconcile/types.js';

export interface RiskRule {
  /** Stable id, shown in plans: `section.field.what`. */
  id: string;
  section: string;
  /** One line for the README and the plan; quotes no value (it is the reason given for a sensitive change). */
  description: string;
  /** The reason this change is risky, or undefined when it is not. */
  test(change: Change): string | undefined;
}

/** The field a change is about: its path inside the section. */
export const field = (change: Change): string => change.path;
export const isTrue = (v: JsonValue | undefined): boolean => v === true;
export const asNumber = (v: JsonValue | undefined): number | undefined => (typeof v === 'number' ? v : undefined);
export const asList = (v: JsonValue | undefined): string[] =>
  Array.isArray(v) ? v.map(String) : typeof v === 'string' && v ? [v] : [];

/** A plain-http or loopback address: fine for development, dangerous in a production allow list. */
export function isInsecureUrl(url: string): boolean {
  const m = /^([a-z][a-z0-9+.-]*):\/\/(\[[^\]]*\]|[^/:?#]*)/i.exec(url.trim());
  if (!m) return false;
  const scheme = m[1]!.toLowerCase();
  const host = m[2]!.toLowerCase();
  const loopback =
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    /^127\.\d+\.\d+\.\d+$/.test(host) ||
    host === '[::1]' ||
    host === '0.0.0.0';
  return scheme === 'http' || loopback;
}

/** A boolean setting going from true to false or unset. */
export function turnedOff(section: string, name: string, why: string): RiskRule {
  return {
    id: `${section}.${name}.disabled`,
    section,
    description: `turning off \`${name}\` (${why})`,
    test: (c) => (field(c) === name && isTrue(c.before) && !isTrue(c.after) ? `turns off ${name}: ${why}` : undefined),
  };
}

