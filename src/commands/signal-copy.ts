/**
 * Tells a wrapper's copy of a signal from a second one meant as such. `npm start` forwards the
 * terminal's Ctrl-C to the demo, which the terminal has already sent it: one key press arrives twice.
 * The first signal stops; the next one within `copyWindowMs` of it is taken for the copy (once);
 * every other signal stops again (for the daemon: at once).
 */
export type SignalMeaning = 'stop' | 'copy';

export function signalCopyFilter(copyWindowMs: number): (now: number) => SignalMeaning {
  let firstAt: number | undefined;
  let copySeen = false;
  return (now) => {
    if (firstAt === undefined) {
      firstAt = now;
      return 'stop';
    }
    if (!copySeen && now - firstAt < copyWindowMs) {
      copySeen = true;
      return 'copy';
    }
    return 'stop';
  };
}
