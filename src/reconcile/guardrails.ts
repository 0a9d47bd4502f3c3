/**
 * Guardrails: classify every change with the risk table the providers supply; a risky change is
 * allowed only by `--allow-risky` or an `allow_risky:` entry naming `section` or `section.key`.
 */
import type { Change, Risk, SectionPlan } from './types.js';

export interface RiskRuleLike {
  id: string;
  section: string;
  /** What the rule catches, in words that quote no value: the reason given for a sensitive change. */
  description?: string;
  test(change: Change): string | undefined;
}

/** The key an `allow_risky:` entry names for a change: `section.<top-level field>`. */
export function allowKeyFor(section: string, change: Change): string {
  const top = change.path.split(/[.[]/, 1)[0] ?? change.path;
  return `${section}.${top}`;
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
    return { rule: rule.id, key, reason, allowed: allowAll || allowed.has(key) || allowed.has(section) };
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
