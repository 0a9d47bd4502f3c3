/**
 * Text that came from a configuration (keys, values, file names) made safe to print in a message:
 * characters that are invisible, reorder the text around them (bidi controls, "Trojan Source") or
 * drive a terminal are shown as `\uXXXX` escapes, so that what the reader sees is what the file
 * says; and overlong quoted values and words are shortened, so that a message stays one readable
 * line whatever the input.
 */

/** C0/C1 controls (line breaks included: a message is one line), soft hyphen, bidi controls, zero-width characters, BOM. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const HIDDEN = /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff\ufff9-\ufffb]/gu;

export function escapeHidden(text: string): string {
  return text.replace(HIDDEN, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Longest quoted value kept whole in a message. */
export const LONGEST_QUOTED = 100;
/** Longest unquoted word (an unset variable's name, a path) kept whole: long enough for real file paths. */
export const LONGEST_WORD = 240;
const KEPT = 60;

const shorten = (text: string): string => `${text.slice(0, KEPT)}…(${text.length} characters)`;

/**
 * Every quoted span and every word, whatever their length (the callback decides), each read once:
 * `[^\s"]{241,}` would scan a 240-character word from each of its positions, O(length × 240).
 */
const QUOTED = /"([^"]*)"/g;
const WORD = /[^\s"]+/g;

/** Quoted spans and words longer than the limits become their start, an ellipsis and their length. */
export function shortenLong(text: string): string {
  return text
    .replace(QUOTED, (span, inner: string) => (inner.length > LONGEST_QUOTED ? `"${shorten(inner)}"` : span))
    .replace(WORD, (word) => (word.length > LONGEST_WORD ? shorten(word) : word));
}

/** Both: a user-supplied string as a message may show it. */
export function printable(text: string): string {
  return shortenLong(escapeHidden(text));
}
