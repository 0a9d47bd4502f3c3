import { describe, expect, it } from 'vitest';
import { signalCopyFilter } from '../../../src/commands/signal-copy.js';

describe('signalCopyFilter', () => {
  it('under npm (no window): the second signal is the copy however late; the third stops', () => {
    const meaning = signalCopyFilter(Number.POSITIVE_INFINITY);
    expect(meaning(0)).toBe('stop');
    expect(meaning(60_000)).toBe('copy');
    expect(meaning(60_001)).toBe('stop');
    expect(meaning(60_002)).toBe('stop');
  });

  it('with a window: a second signal inside it is the copy, once', () => {
    const meaning = signalCopyFilter(500);
    expect(meaning(1_000)).toBe('stop');
    expect(meaning(1_499)).toBe('copy');
    expect(meaning(1_499)).toBe('stop');
  });

  it('with a window: a second signal after it stops', () => {
    const meaning = signalCopyFilter(500);
    expect(meaning(1_000)).toBe('stop');
    expect(meaning(1_500)).toBe('stop');
    expect(meaning(1_501)).toBe('stop');
  });
});
