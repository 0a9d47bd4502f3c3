/** "Did you mean …?" for unknown keys and values. */

/**
 * Optimal-string-alignment distance: Levenshtein plus adjacent transpositions. Three rolling rows
 * rather than a full matrix: a document with 90k unknown keys asks for this millions of times.
 */
export function editDistance(a: string, b: string): number {
  const cols = b.length + 1;
  let before = new Int32Array(cols); // row i - 2
  let previous = Int32Array.from({ length: cols }, (_, j) => j); // row i - 1
  let current = new Int32Array(cols);
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, before[j - 2]! + 1);
      current[j] = best;
    }
    [before, previous, current] = [previous, current, before];
  }
  return previous[b.length]!;
}

/** Folds differences people do not see as typos: case and `-`/`_`. */
const fold = (s: string): string => s.toLowerCase().replace(/-/g, '_');

/**
 * The candidate closest to `input`, or undefined when none is close enough to be a plausible typo
 * (at most a third of the longer name differs, and at least one character).
 */
export function suggest(input: string, candidates: Iterable<string>): string | undefined {
  const wanted = fold(input);
  let best: { name: string; distance: number } | undefined;
  for (const name of candidates) {
    if (name === input) continue;
    const allowed = Math.max(1, Math.floor(Math.max(wanted.length, name.length) / 3));
    // The distance is at least the difference in length: skip without the quadratic computation
    // (an unknown key of 100 kB would otherwise take seconds per candidate).
    if (Math.abs(wanted.length - name.length) > allowed) continue;
    const distance = editDistance(wanted, fold(name));
    // Ties go to the first name in sort order, whatever the order of the candidates.
    if (distance <= allowed && (!best || distance < best.distance || (distance === best.distance && name < best.name))) {
      best = { name, distance };
    }
  }
  return best?.name;
}

/** ` (did you mean "x"?)` or an empty string. */
export function didYouMean(input: string, candidates: Iterable<string>): string {
  const hit = suggest(input, candidates);
  return hit === undefined ? '' : ` (did you mean "${hit}"?)`;
}
