/**
 * The per-file set-up of the daemon e2e tests: one in-process emulator for the file; the daemons and
 * scratch directories a test starts are killed and removed after it, and the emulator's faults cleared.
 */
import { afterAll, afterEach, beforeAll } from 'vitest';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../src/emulator/index.js';
import { scratchDir, type DaemonProcess } from './daemon-harness.js';

export interface DaemonFixture {
  /** The file's emulator (started before its first test). */
  readonly emulator: Emulator;
  /** A daemon the test started: killed after the test. */
  track(daemon: DaemonProcess): DaemonProcess;
  /** A scratch directory with these files: removed after the test. */
  scratch(files?: Record<string, string>): ReturnType<typeof scratchDir>;
}

export function useDaemonFixture(emulatorOptions: EmulatorOptions = { port: 0 }): DaemonFixture {
  let emulator: Emulator | undefined;
  const daemons: DaemonProcess[] = [];
  const dirs: Array<{ cleanup(): void }> = [];
  beforeAll(async () => {
    emulator = await startEmulator(emulatorOptions);
  });
  afterAll(async () => {
    await emulator?.close();
  });
  afterEach(async () => {
    await Promise.all(daemons.splice(0).map((d) => d.kill()));
    for (const d of dirs.splice(0)) d.cleanup();
    emulator?.clearFaults();
  });
  return {
    get emulator(): Emulator {
      if (!emulator) throw new Error('the emulator starts in beforeAll: use it inside a test or hook');
      return emulator;
    },
    track(daemon) {
      daemons.push(daemon);
      return daemon;
    },
    scratch(files = {}) {
      const dir = scratchDir(files);
      dirs.push(dir);
      return dir;
    },
  };
}
