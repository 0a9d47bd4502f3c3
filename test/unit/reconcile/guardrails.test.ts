/**
 * The guardrails' allow logic. Every rule has its own cases in its provider's test file
 * (test/unit/providers/*.test.ts); the registry's table is checked in registry.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { riskRules } from '../../../src/providers/index.js';
import { allowKeyFor, classify } from '../../../src/reconcile/guardrails.js';
import type { Change } from '../../../src/reconcile/types.js';

const upd = (path: string, before: Change['before'], after: Change['after']): Change => ({ path, action: 'update', before, after, sensitive: false });
const risk = (section: string, change: Change) => classify(section, change, riskRules, new Set(), false);

describe('guardrails', () => {
  it('a rule applies only to its own section', () => {
    expect(risk('auth', upd('jwt_exp', 3600, 172800))).toMatchObject({ rule: 'auth.jwt_exp.too_long' });
    expect(risk('postgres', upd('jwt_exp', 3600, 172800))).toBeUndefined();
  });

  it('is allowed by --allow-risky, by section.key, or by the whole section', () => {
    const change = upd('jwt_exp', 3600, 172800);
    expect(classify('auth', change, riskRules, new Set(), true)?.allowed).toBe(true);
    expect(classify('auth', change, riskRules, new Set(['auth.jwt_exp']), false)?.allowed).toBe(true);
    expect(classify('auth', change, riskRules, new Set(['auth']), false)?.allowed).toBe(true);
    expect(classify('auth', change, riskRules, new Set(['auth.site_url']), false)?.allowed).toBe(false);
  });

  it('gives a sensitive change the rule’s description, never its values', () => {
    const change: Change = { ...upd('site_url', 'https://a.example.com', 'http://secret-host.example.com'), sensitive: true, beforeSet: true };
    const found = risk('auth', change);
    expect(found?.reason).toBe('`site_url` becoming a plain-http or localhost address (the value is sensitive and not shown)');
  });

  it('names the allow key after the top-level field', () => {
    expect(allowKeyFor('sso', { path: 'providers[acme.com].domains', action: 'update', sensitive: false })).toBe('sso.providers');
    expect(allowKeyFor('network_restrictions', upd('dbAllowedCidrs', [], []))).toBe('network_restrictions.dbAllowedCidrs');
  });
});
