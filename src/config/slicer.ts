/**
 * Cooperative loading: the daemon reloads its configuration on the event loop that answers its
 * probes, and a 1 MiB hostile file takes seconds to refuse. The loader's steps call `pause()`
 * often; once a slice has run for `sliceMs`, it gives the event loop a turn (setImmediate runs
 * after pending I/O, so a probe waiting on its socket is answered) before going on.
 */
export const SLICE_MS = 20;

export type Pause = () => Promise<void>;

export function timeSlicer(sliceMs = SLICE_MS): Pause {
  let started = performance.now();
  return async () => {
    if (performance.now() - started < sliceMs) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
    started = performance.now();
  };
}

/** Runs a generator of steps to its end, pausing between steps: the sliced form of a sync function. */
export async function runSliced<T>(steps: Generator<void, T>, pause: Pause): Promise<T> {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    await pause();
  }
}

/** Runs a generator of steps to its end at once: the synchronous form. */
export function runAtOnce<T>(steps: Generator<void, T>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}
