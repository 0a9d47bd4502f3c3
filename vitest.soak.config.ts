import { defineConfig } from 'vitest/config';

/**
 * `npm run test:soak`: the long reliability runs — the daemon soak for 1,000 cycles, many more
 * invariant cases and hostile inputs, two daemons for longer (SUPASYNC_SOAK=1 scales them).
 */
export default defineConfig({
  test: {
    include: [
      'test/soak/**/*.test.ts',
      'test/reliability/invariants.test.ts',
      'test/reliability/hostile-config.test.ts',
      'test/reliability/two-daemons.test.ts',
    ],
    globalSetup: ['test/global-setup.ts'],
    env: { SUPASYNC_SOAK: '1' },
    testTimeout: 3_600_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
