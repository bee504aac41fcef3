import { defineConfig } from 'vitest/config';

/**
 * Unit and API tests. They run on PGlite by default; with TEST_DATABASE_URL set
 * (a PostgreSQL server), the same files run against PostgreSQL instead.
 */
export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/api/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
