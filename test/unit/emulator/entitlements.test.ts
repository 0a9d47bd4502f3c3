/** The plan entitlement table: every key of the spec's enum, coherent per plan. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ENTITLEMENT_KEYS, entitlementsFor, hasFeature, numericLimit, organizationPlan } from '../../../src/emulator/defaults/entitlements.js';
import { PLANS } from '../../../src/emulator/types.js';

const spec = JSON.parse(readFileSync(new URL('../../../vendor/openapi/supabase-management-api.json', import.meta.url), 'utf8')) as {
  components: { schemas: Record<string, unknown> };
};

describe('entitlements', () => {
  it('answers exactly the spec\'s feature keys, in its order', () => {
    const schema = spec.components.schemas.V1ListEntitlementsResponse as {
      properties: { entitlements: { items: { properties: { feature: { properties: { key: { enum: string[] } } } } } } };
    };
    expect(ENTITLEMENT_KEYS).toEqual(schema.properties.entitlements.items.properties.feature.properties.key.enum);
  });

  it('never takes a feature away on a higher plan', () => {
    for (let i = 1; i < PLANS.length; i++) {
      const lower = entitlementsFor(PLANS[i - 1]!);
      const higher = entitlementsFor(PLANS[i]!);
      lower.forEach((e, j) => {
        if (e.hasAccess) expect(higher[j]!.hasAccess, `${e.feature.key} on ${PLANS[i]}`).toBe(true);
      });
    }
  });

  it('gives the limits the emulator enforces', () => {
    expect(numericLimit('free', 'storage.max_file_size')).toBe(52_428_800);
    expect(numericLimit('pro', 'storage.max_file_size')).toBe(536_870_912_000);
    expect(hasFeature('free', 'storage.image_transformations')).toBe(false);
    expect(hasFeature('pro', 'custom_domain')).toBe(true);
    expect(numericLimit('pro', 'branching_limit')).toBeUndefined();
    expect(() => hasFeature('pro', 'storage.max_file_size')).toThrow();
  });

  it('an organisation has the highest plan of its projects', () => {
    expect(organizationPlan([])).toBe('free');
    expect(organizationPlan(['free', 'team', 'pro'])).toBe('team');
  });
});
