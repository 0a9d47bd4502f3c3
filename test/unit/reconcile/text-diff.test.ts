import { describe, expect, it } from 'vitest';
import { MAX_DIFF_LINES, isLongText, textDiff } from '../../../src/reconcile/render/text-diff.js';
import type { Change } from '../../../src/reconcile/types.js';

const upd = (before: Change['before'], after: Change['after'], more: Partial<Change> = {}): Change => ({ path: 'x', action: 'update', before, after, sensitive: false, ...more });
const lines = (n: number, change?: number) => Array.from({ length: n }, (_, i) => (i === change ? `changed line ${i}` : `line ${i}`)).join('\n') + '\n';

describe('isLongText', () => {
  it('takes multi-line or long strings that were updated, nothing else', () => {
    expect(isLongText(upd('a\nb', 'a\nc'))).toBe(true);
    expect(isLongText(upd('x'.repeat(101), 'y'))).toBe(true);
    expect(isLongText(upd(null, 'a\nb'))).toBe(true);
    expect(isLongText(upd('a\nb', null))).toBe(true);
    expect(isLongText(upd('short', 'also short'))).toBe(false);
    expect(isLongText(upd(['a\nb'], ['c']))).toBe(false);
    expect(isLongText(upd(1, 'a\nb'))).toBe(false);
    expect(isLongText(upd(undefined, undefined))).toBe(false);
    expect(isLongText({ ...upd('a\nb', 'a\nc'), sensitive: true })).toBe(false);
    expect(isLongText({ ...upd('a\nb', 'a\nc'), action: 'create' })).toBe(false);
  });
});

describe('textDiff', () => {
  it('a short text: the whole of it, no hunk header', () => {
    const d = textDiff(upd('a\nb\nc\n', 'a\nB\nc\n'));
    expect(d.title).toBe('text, 3 lines → 3 lines');
    expect(d.lines).toEqual([
      { kind: 'context', text: 'a' },
      { kind: 'remove', text: 'b' },
      { kind: 'add', text: 'B' },
      { kind: 'context', text: 'c' },
    ]);
  });

  it('a long text: three lines of context around each change, hunk headers where lines are left out', () => {
    const d = textDiff(upd(lines(40), lines(40, 20)));
    expect(d.lines[0]).toEqual({ kind: 'hunk', text: '@@ -18,7 +18,7 @@' });
    expect(d.lines.filter((l) => l.kind === 'context')).toHaveLength(6);
    expect(d.lines).toContainEqual({ kind: 'remove', text: 'line 20' });
    expect(d.lines).toContainEqual({ kind: 'add', text: 'changed line 20' });
  });

  it('from and to nothing', () => {
    expect(textDiff(upd(null, 'a\nb\n'))).toEqual({ title: '(not set) → text, 2 lines', lines: [{ kind: 'add', text: 'a' }, { kind: 'add', text: 'b' }] });
    expect(textDiff(upd('a\nb', null)).title).toBe('text, 2 lines → (not set)');
  });

  it('says so when only the final newline differs', () => {
    const d = textDiff(upd('a\nb\n', 'a\nb'));
    expect(d.lines.filter((l) => l.kind === 'note')).toEqual([{ kind: 'note', text: 'no newline at the end of the text above' }]);
  });

  it('escapes control and bidi characters, keeps tabs', () => {
    const d = textDiff(upd('a\n', 'a\n\tb\u001b[31m\u202e\n'));
    expect(d.lines).toContainEqual({ kind: 'add', text: '\tb\\u001b[31m\\u202e' });
  });

  it('shows at most MAX_DIFF_LINES lines of one change, and counts the rest', () => {
    const d = textDiff(upd(lines(10), Array.from({ length: 500 }, (_, i) => `new ${i}`).join('\n')));
    expect(d.lines).toHaveLength(MAX_DIFF_LINES + 1);
    expect(d.lines.at(-1)).toEqual({ kind: 'note', text: expect.stringMatching(/^… \d+ more lines of the difference not shown$/) });
  });

  it('summarises a wholly different large text instead of searching it line by line', () => {
    const a = Array.from({ length: 3000 }, (_, i) => `a${i}`).join('\n');
    const b = Array.from({ length: 3000 }, (_, i) => `b${i}`).join('\n');
    expect(textDiff(upd(a, b)).lines).toEqual([{ kind: 'note', text: 'too many differences to show line by line' }]);
  });
});
