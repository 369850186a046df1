import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'scripts/**/*.test.ts'],
    setupFiles: ['src/test-support/vitest-setup.ts'],
    // Bounds for hung tests, not speed checks: no test asserts wall-clock time (src/core/fake-clock.ts),
    // and the suite must pass beside a CPU hog on 2 cores, where starting a child-process control plane
    // or a CLI run through tsx takes several times longer than on a quiet machine.
    testTimeout: 180_000,
    hookTimeout: 120_000,
    teardownTimeout: 60_000,
    // Two cores: parallel files that each start servers and load generators would measure each other.
    // Forks, not threads: tests send signals to and spawn child processes, and a fork's crash stays its own.
    // A worker answers vitest's RPC (onTaskUpdate) only while its event loop is free, and vitest 3 gives
    // each call 60 s: tests must never block it that long (src/cli/test-support.ts runs the CLI async);
    // src/test-support/vitest-setup.ts tolerates a late acknowledgement and names a test that blocks the loop.
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
  },
});
