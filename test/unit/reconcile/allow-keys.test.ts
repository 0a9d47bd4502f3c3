/**
 * Issue 17 item 7: the allow_risky entry a plan suggests allows exactly the change it is shown for,
 * and pastes into YAML as it is.
 */
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { allowKeyFor, classify, type RiskRuleLike } from '../../../src/reconcile/guardrails.js';
import { allowEntry, yamlEntry } from '../../../src/reconcile/render/format.js';
import { publicChange, ItemLabels } from '../../../src/reconcile/sensitive-changes.js';
import { Redactor } from '../../../src/redact.js';
import type { Change } from '../../../src/reconcile/types.js';

const deleted = (item: string, path = item): Change => ({ path, item, action: 'delete', sensitive: false });
const anyDelete: RiskRuleLike = { id: 'x.deleted', section: 'secrets', test: (c) => (c.action === 'delete' ? 'deletes' : undefined) };
const ssoDelete: RiskRuleLike = { ...anyDelete, section: 'sso' };

describe('allowKeyFor', () => {
  it('names an item of a collection as section[item], a field as section.field', () => {
    expect(allowKeyFor('secrets', deleted('OLD_KEY'))).toBe('secrets[OLD_KEY]');
    expect(allowKeyFor('sso', deleted('acme.com', 'providers[acme.com]'))).toBe('sso[acme.com]');
    expect(allowKeyFor('auth', { path: 'password_min_length', action: 'update', sensitive: false })).toBe('auth.password_min_length');
    expect(allowKeyFor('sso', { path: 'providers[acme.com].domains', action: 'update', sensitive: false })).toBe('sso.providers');
  });

  it('an item entry allows that item only; the section and (as before) the collection field allow all of them', () => {
    const allowed = (section: string, change: Change, rule: RiskRuleLike, entries: string[]) => classify(section, change, [rule], new Set(entries), false)?.allowed;
    expect(allowed('secrets', deleted('OLD_KEY'), anyDelete, ['secrets[OLD_KEY]'])).toBe(true);
    expect(allowed('secrets', deleted('OTHER'), anyDelete, ['secrets[OLD_KEY]'])).toBe(false);
    expect(allowed('secrets', deleted('OTHER'), anyDelete, ['secrets'])).toBe(true);
    expect(allowed('sso', deleted('acme.com', 'providers[acme.com]'), ssoDelete, ['sso[acme.com]'])).toBe(true);
    expect(allowed('sso', deleted('other.com', 'providers[other.com]'), ssoDelete, ['sso[acme.com]'])).toBe(false);
    expect(allowed('sso', deleted('other.com', 'providers[other.com]'), ssoDelete, ['sso.providers'])).toBe(true);
  });

  it('never names an item whose name shows a secret: the plan suggests the section instead', () => {
    const redactor = new Redactor();
    redactor.add('TOPSECRETVALUE', { minLength: 8 });
    const change = { ...deleted('TOPSECRETVALUE'), risk: { rule: 'secrets.deleted', key: 'secrets[TOPSECRETVALUE]', reason: 'deletes secret TOPSECRETVALUE', allowed: false } };
    const out = publicChange(change, redactor, new ItemLabels(redactor));
    expect(out.risk?.key).toBe('secrets');
    expect(JSON.stringify(out)).not.toContain('TOPSECRETVALUE');
  });
});

describe('the suggested entry pastes into YAML as it is', () => {
  for (const key of ['auth.password_min_length', 'secrets', 'secrets[OLD_KEY]', 'sso[acme.com]', 'sso[providers[0]]', 'third_party_auth[https://issuer.example.com/a,b]', 'sso["quoted" \\ name]', 'sso[r\u202eversed]']) {
    it(key, () => {
      const risk = { rule: 'r', key, reason: 'x', allowed: false };
      expect(parse(allowEntry(risk))).toEqual({ allow_risky: [key] });
      expect(yamlEntry(key)).not.toContain('\u202e');
    });
  }
});
