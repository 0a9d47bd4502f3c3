/**
 * The registry: sections are unique, each provider's risk rules are its own, the README's guardrail
 * table lists exactly the registry's rules, and diff rules are never declared beside a descriptor.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { providers, riskRules } from '../../../src/providers/index.js';
import { ROOT } from '../../helpers/cli.js';

describe('provider registry', () => {
  it('has one provider per section, and rules with unique ids, each in its own section', () => {
    const sections = providers.map((p) => p.section);
    expect(new Set(sections).size).toBe(sections.length);
    const ids = riskRules.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const p of providers) for (const rule of p.risks ?? []) expect(rule.section, rule.id).toBe(p.section);
    expect(riskRules).toEqual(providers.flatMap((p) => p.risks ?? []));
  });

  it('the README’s guardrail table lists exactly the registry’s rules, in registry order', () => {
    const readme = readFileSync(`${ROOT}/README.md`, 'utf8');
    const section = readme.slice(readme.indexOf('## Guardrails'), readme.indexOf('\n## ', readme.indexOf('## Guardrails') + 1));
    const rows = [...section.matchAll(/^\| `([a-z_.]+)` \| (.+) \|$/gm)].map((m) => m[1]);
    expect(rows).toEqual(riskRules.map((r) => r.id));
  });

  it('diff rules come from the descriptors only (no provider declares FlatRules of its own)', () => {
    const dir = `${ROOT}/src/providers`;
    const declaring = readdirSync(dir)
      .filter((f) => f.endsWith('.ts') && f !== 'normalise.ts')
      .filter((f) => /:\s*FlatRules\b|FlatRules\s*=/.test(readFileSync(`${dir}/${f}`, 'utf8')));
    expect(declaring).toEqual([]);
  });
});
