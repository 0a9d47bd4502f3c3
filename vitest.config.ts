import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

/**
 * Test files run in parallel workers (vitest's default on a 2-core machine is one worker: one file
 * at a time). Most files spend their time waiting on child processes and HTTP, so more workers than
 * cores pay off; SUPASYNC_TEST_WORKERS overrides the count.
 *
 * Files that must run alone run after the others, one at a time (project `isolated`, a later
 * `groupOrder`): the reliability and soak runs (heavy, and they measure durations and memory that a
 * loaded machine would distort), the container tests (Docker builds; fixed ports 54321 and 9464),
 * and three end-to-end files that time out beside others on a loaded 2-core machine: a bound on
 * probe latency during reloads (daemon-hostile-reload), npm/npx runs (install) and one test that
 * plans dozens of configurations (risk-suggestions, ~24 s of its 30 s alone).
 */
const ISOLATED = [
  'test/reliability/**/*.test.ts',
  'test/soak/**/*.test.ts',
  'test/container/**/*.test.ts',
  'test/e2e/daemon-hostile-reload.test.ts',
  'test/e2e/install.test.ts',
  'test/e2e/risk-suggestions.test.ts',
];
const WORKERS = process.env.SUPASYNC_TEST_WORKERS ?? String(Math.max(2, availableParallelism() * 2));

const shared = {
  // A bound on a hung test, not a measure of speed: e2e tests start processes, and a loaded CI
  // machine (2 cores, 4 workers, plus the image build) has made 20 s tests take 30.
  testTimeout: 60_000,
  hookTimeout: 60_000,
  pool: 'forks',
} as const;

export default defineConfig({
  test: {
    // Once for the whole run (not per project): builds dist/.
    globalSetup: ['test/global-setup.ts'],
    projects: [
      {
        test: {
          ...shared,
          name: 'parallel',
          include: ['test/**/*.test.ts'],
          exclude: ISOLATED,
          maxWorkers: WORKERS,
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          ...shared,
          name: 'isolated',
          include: ISOLATED,
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
