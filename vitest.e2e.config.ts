import { defineConfig } from 'vitest/config';

/** Browser end-to-end tests: the real server in a child process, Debian's Chromium via playwright-core. */
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.ts'],
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
