/**
 * The risk rules of one provider, each with a change it must flag and a change it must let through;
 * every rule of the provider needs a case. Shared by the per-provider test files.
 */
import { expect, it } from 'vitest';
import type { AnyProvider } from '../../../src/providers/types.js';
import { classify } from '../../../src/reconcile/guardrails.js';
import type { Change } from '../../../src/reconcile/types.js';

export interface RiskCase {
  rule: string;
  risky: Change;
  safe: Change;
}

export const upd = (path: string, before: Change['before'], after: Change['after']): Change => ({ path, action: 'update', before, after, sensitive: false });

export function riskCases(provider: AnyProvider, cases: readonly RiskCase[]): void {
  const rules = provider.risks ?? [];
  it(`${provider.section}: every risk rule is the section's own and has a case`, () => {
    expect(rules.map((r) => r.section)).toEqual(rules.map(() => provider.section));
    expect(cases.map((c) => c.rule).sort()).toEqual(rules.map((r) => r.id).sort());
  });
  for (const c of cases) {
    it(`${c.rule}: flags the weakening change only`, () => {
      expect(classify(provider.section, c.risky, rules, new Set(), false)).toMatchObject({ rule: c.rule, allowed: false });
      expect(classify(provider.section, c.safe, rules, new Set(), false)).toBeUndefined();
    });
  }
}
