/**
 * Trimming without a regular expression: `/\/+$/` looks linear but backtracks quadratically on a
 * long run of the character that does not end the text (every start inside the run scans it).
 */

/** `text` without the copies of `char` (one character) at its end. */
export function trimTrailing(text: string, char: string): string {
  let end = text.length;
  while (end > 0 && text[end - 1] === char) end--;
  return text.slice(0, end);
}
