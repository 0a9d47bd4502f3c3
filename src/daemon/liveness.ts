/**
 * Liveness: the event loop turns. A timer beats every second; if the last beat is much older than
 * that, the loop is stuck (or starved) and /healthz says so. It never looks at the Supabase API: an
 * API outage must not get the container restarted.
 */
export const BEAT_MS = 1_000;
/** Lag beyond which the process is reported not live. */
export const MAX_LAG_MS = 10_000;

export interface Liveness {
  /** Milliseconds by which the last beat is late. */
  lagMs(): number;
  live(): boolean;
  stop(): void;
}

export function startLiveness(now: () => number = Date.now): Liveness {
  let last = now();
  const timer = setInterval(() => (last = now()), BEAT_MS);
  timer.unref(); // the beat alone must not keep the process alive
  const lagMs = () => Math.max(0, now() - last - BEAT_MS);
  return {
    lagMs,
    live: () => lagMs() < MAX_LAG_MS,
    stop: () => clearInterval(timer),
  };
}
