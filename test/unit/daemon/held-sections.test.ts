import { describe, expect, it } from 'vitest';
import { HOLD_AFTER_CYCLES, HeldSections, sectionKey } from '../../../src/daemon/held-sections.js';
import { desiredSectionDigest as sectionFingerprint } from '../../../src/reconcile/desired-digest.js';

const A = sectionFingerprint({ mode: 'enforce', values: { site_url: 'https://a.example.com', jwt_exp: 3600 } });
const B = sectionFingerprint({ mode: 'enforce', values: { site_url: 'https://b.example.com', jwt_exp: 3600 } });

describe('desiredSectionDigest', () => {
  it('depends on values and mode, not on key order', () => {
    const reordered = sectionFingerprint({ mode: 'enforce', values: { jwt_exp: 3600, site_url: 'https://a.example.com' } });
    expect(reordered).toBe(A);
    expect(B).not.toBe(A);
    expect(sectionFingerprint({ mode: 'observe', values: { site_url: 'https://a.example.com', jwt_exp: 3600 } })).not.toBe(A);
    expect(A).toMatch(/^[0-9a-f]{64}$/); // a hash: the values themselves are not kept
  });
});

describe('HeldSections', () => {
  it(`holds a section after ${HOLD_AFTER_CYCLES} cycles in a row with the same keys not taken`, () => {
    const held = new HeldSections();
    expect(held.check('p', 'auth', A)).toBe('free');
    expect(held.record('p', 'auth', A, ['site_url'])).toBe('counting');
    expect(held.record('p', 'auth', A, ['site_url'])).toBe('counting');
    expect(held.check('p', 'auth', A)).toBe('free');
    expect(held.record('p', 'auth', A, ['site_url'])).toBe('held');
    expect(held.check('p', 'auth', A)).toBe('held');
    expect(held.list()).toEqual([{ ref: 'p', section: 'auth', keys: ['site_url'] }]);
  });

  it('restarts the count when a cycle takes everything, or other keys are not taken', () => {
    const held = new HeldSections(2);
    held.record('p', 'auth', A, ['site_url']);
    expect(held.record('p', 'auth', A, [])).toBe('clear');
    expect(held.record('p', 'auth', A, ['site_url'])).toBe('counting');
    expect(held.record('p', 'auth', A, ['jwt_exp'])).toBe('counting');
    expect(held.record('p', 'auth', A, ['jwt_exp'])).toBe('held');
  });

  it('treats the key set regardless of order and duplicates', () => {
    const held = new HeldSections(2);
    held.record('p', 'auth', A, ['b', 'a']);
    expect(held.record('p', 'auth', A, ['a', 'b', 'a'])).toBe('held');
  });

  it('restarts the count when the desired configuration changes', () => {
    const held = new HeldSections(2);
    held.record('p', 'auth', A, ['site_url']);
    expect(held.record('p', 'auth', B, ['site_url'])).toBe('counting');
  });

  it('releases a hold once the section’s desired configuration changes, and only then', () => {
    const held = new HeldSections(1);
    held.record('p', 'auth', A, ['site_url']);
    expect(held.check('p', 'auth', A)).toBe('held');
    expect(held.check('p', 'auth', B)).toBe('released');
    expect(held.check('p', 'auth', B)).toBe('free');
    expect(held.list()).toEqual([]);
  });

  it('keeps projects and sections apart', () => {
    const held = new HeldSections(1);
    held.record('p', 'auth', A, ['site_url']);
    expect(held.check('q', 'auth', A)).toBe('free');
    expect(held.check('p', 'pooler', A)).toBe('free');
  });

  it('forgets sections that left the configuration', () => {
    const held = new HeldSections(2);
    held.record('p', 'auth', A, ['x']);
    held.record('q', 'auth', A, ['x']);
    held.record('q', 'auth', A, ['x']);
    held.retain(new Set([sectionKey('p', 'auth')]));
    expect(held.list()).toEqual([]);
    expect(held.record('p', 'auth', A, ['x'])).toBe('held'); // p's streak was kept
  });

  it('refuses a threshold below one', () => {
    expect(() => new HeldSections(0)).toThrow(RangeError);
  });
});
