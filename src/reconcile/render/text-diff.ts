/**
 * A changed long text (an email template, an SMS template, a long URL list kept as one string) shown
 * as a unified diff of its lines instead of two long JSON strings. Sensitive values never get here:
 * a sensitive change holds no values at all.
 */
import { structuredPatch } from 'diff';
import { escapeHidden } from '../../config/printable.js';
import type { Change, JsonValue } from '../types.js';

/** Shorter single-line strings read fine as `"before" → "after"`. */
const LONG_TEXT = 100;
/** Unchanged lines shown around each change, as git does. */
const CONTEXT = 3;
/**
 * Most line edits the diff looks for: Myers' algorithm is O(lines × edits), so this bounds the work
 * on a large, wholly different text (it is then summarised instead).
 */
const MAX_EDITS = 2_000;
/** Lines of one change's diff shown; the rest are counted. */
export const MAX_DIFF_LINES = 200;

export type TextDiffLine =
  | { kind: 'context' | 'add' | 'remove'; text: string }
  | { kind: 'hunk' | 'note'; text: string };

export interface TextDiff {
  /** `text, 4 lines → 5 lines`: what replaces the two values on the change's line. */
  title: string;
  lines: TextDiffLine[];
}

const isText = (v: JsonValue | undefined): v is string => typeof v === 'string';
const unset = (v: JsonValue | undefined): boolean => v === undefined || v === null;

/** Whether the change is a long or multi-line text better read as a diff of lines. */
export function isLongText(change: Change): boolean {
  if (change.sensitive || change.action !== 'update') return false;
  const { before, after } = change;
  if (!(isText(before) || unset(before)) || !(isText(after) || unset(after)) || (unset(before) && unset(after))) return false;
  return [before, after].some((v) => isText(v) && (v.length > LONG_TEXT || v.includes('\n')));
}

/** Lines of a text as a diff shows them: a final newline ends the last line, it does not start another. */
const lineCount = (text: string): number => (text === '' ? 0 : text.split('\n').length - (text.endsWith('\n') ? 1 : 0));

/** Tabs kept (they are harmless and common in templates); every other hidden or control character escaped. */
const shown = (line: string): string => line.split('\t').map(escapeHidden).join('\t');

export function textDiff(change: Change): TextDiff {
  const before = isText(change.before) ? change.before : '';
  const after = isText(change.after) ? change.after : '';
  const count = (text: string) => (lineCount(text) === 1 ? '1 line' : `${lineCount(text)} lines`);
  const title = unset(change.before)
    ? `(not set) → text, ${count(after)}`
    : unset(change.after)
      ? `text, ${count(before)} → (not set)`
      : `text, ${count(before)} → ${count(after)}`;
  const patch = structuredPatch('before', 'after', before, after, undefined, undefined, { context: CONTEXT, maxEditLength: MAX_EDITS });
  if (!patch) return { title, lines: [{ kind: 'note', text: 'too many differences to show line by line' }] };
  const whole = patch.hunks.length === 1 && patch.hunks[0]!.oldStart <= 1 && patch.hunks[0]!.oldLines === lineCount(before);
  const lines: TextDiffLine[] = [];
  for (const hunk of patch.hunks) {
    // A hunk header only where lines are left out: a short text's diff reads better without one.
    if (!whole) lines.push({ kind: 'hunk', text: `@@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@` });
    for (const line of hunk.lines) {
      const mark = line[0];
      const text = shown(line.slice(1));
      if (mark === '+') lines.push({ kind: 'add', text });
      else if (mark === '-') lines.push({ kind: 'remove', text });
      else if (mark === ' ') lines.push({ kind: 'context', text });
      else lines.push({ kind: 'note', text: 'no newline at the end of the text above' });
    }
  }
  if (lines.length > MAX_DIFF_LINES) {
    const left = lines.length - MAX_DIFF_LINES;
    lines.length = MAX_DIFF_LINES;
    lines.push({ kind: 'note', text: `… ${left} more line${left === 1 ? '' : 's'} of the difference not shown` });
  }
  return { title, lines };
}
