/**
 * Guardrails: classify every change with the risk table the providers supply; a risky change is
 * allowed only by `--allow-risky` or an `allow_risky:` entry naming its section, its field
 * (`section.key`) or its item (`section[item]`).
 */
import type { Change, Risk, SectionPlan } from './types.js';

export interface RiskRuleLike {
  id: string;
  section: string;
  /** What the rule catches, in words that quote no value: the reason given for a sensitive change. */
  description?: string;
  test(change: Change): string | undefined;
}

const topField = (change: Change): string => change.path.split(/[.[]/, 1)[0] ?? change.path;

/**
 * The `allow_risky:` entry that allows exactly this change and nothing else: `section[item]` for an
 * item of a collection (`secrets[OLD_KEY]`, `sso[acme.com]`: the item is the change's, whatever the
 * collection's field is called), `section.<top-level field>` otherwise (`auth.password_min_length`).
 */
export function allowKeyFor(section: string, change: Change): string {
  if (change.item !== undefined) return `${section}[${change.item}]`;
  return `${section}.${topField(change)}`;
}

/**
 * Whether the entries allow the change: its own key, its whole section, or the top-level field it is
 * under (`sso.providers` allows every SSO provider's changes, as it always has).
 */
function isAllowed(section: string, change: Change, key: string, allowed: ReadonlySet<string>): boolean {
  return allowed.has(key) || allowed.has(section) || allowed.has(`${section}.${topField(change)}`);
}

export function classify(
  section: string,
  change: Change,
  rules: readonly RiskRuleLike[],
  allowed: ReadonlySet<string>,
  allowAll: boolean,
): Risk | undefined {
  for (const rule of rules) {
    if (rule.section !== section) continue;
    // The rule sees the real values, also of a sensitive change; its reason may quote them, so a
    // sensitive change gets the rule's generic description instead.
    const specific = rule.test(change);
    if (specific === undefined) continue;
    const reason = change.sensitive ? `${rule.description ?? 'a risky change'} (the value is sensitive and not shown)` : specific;
    const key = allowKeyFor(section, change);
    return { rule: rule.id, key, reason, allowed: allowAll || isAllowed(section, change, key, allowed) };
  }
  return undefined;
}

/** A risky change that nothing allowed. */
export function isRefused(change: Change): boolean {
  return change.risk !== undefined && !change.risk.allowed;
}

/**
 * The changes of a section that apply refuses (and so refuses the whole project): risky, not
 * allowed, in a section that is written — an observe-mode section never is, so nothing in it is.
 */
export function refusedIn(section: Pick<SectionPlan, 'mode' | 'changes'>): Change[] {
  return section.mode === 'enforce' ? section.changes.filter(isRefused) : [];
}
