/** Issue 17 item 6: the commit and time a plan shows come from the flag or the CI's environment, at the edge. */
import { describe, expect, it } from 'vitest';
import { commitOf, isCommit, plannedAt } from '../../../src/commands/plan-context.js';

const SHA = '0123456789abcdef0123456789abcdef01234567';

describe('plan context', () => {
  it('takes --commit first, then GITHUB_SHA, then CI_COMMIT_SHA; ignores a variable without a SHA', () => {
    expect(commitOf('ABCDEF1', { GITHUB_SHA: SHA })).toBe('abcdef1');
    expect(commitOf(undefined, { GITHUB_SHA: SHA, CI_COMMIT_SHA: 'fedcba9' })).toBe(SHA);
    expect(commitOf(undefined, { CI_COMMIT_SHA: 'fedcba9' })).toBe('fedcba9');
    expect(commitOf(undefined, { GITHUB_SHA: '<img src=x>', CI_COMMIT_SHA: 'fedcba9' })).toBe('fedcba9');
    expect(commitOf(undefined, {})).toBeUndefined();
  });

  it('a commit is 7 to 64 hex digits', () => {
    expect(isCommit('abcdef1')).toBe(true);
    expect(isCommit('a'.repeat(64))).toBe(true);
    expect(isCommit('abcdef')).toBe(false);
    expect(isCommit('a'.repeat(65))).toBe(false);
    expect(isCommit('main')).toBe(false);
  });

  it('the time in UTC to the second; SOURCE_DATE_EPOCH when set', () => {
    expect(plannedAt({}, Date.UTC(2026, 10, 30, 9, 39, 37, 123))).toBe('2026-11-30T09:39:37Z');
    expect(plannedAt({ SOURCE_DATE_EPOCH: '1780000000' }, 0)).toBe('2026-05-28T20:26:40Z');
    expect(plannedAt({ SOURCE_DATE_EPOCH: 'soon' }, 0)).toBe('1970-01-01T00:00:00Z');
  });
});
