import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // test/shared reads ../shared (not in users' clones): run it with npm run test:shared.
    exclude: ['test/shared/**', 'node_modules/**'],
    // Finds a reachable Redis or starts an embedded one; sets REDIS_URL for every test file.
    globalSetup: ['test/setup/redis.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // The JSON report lets .ci/run print a one-line "N passed, N failed" summary.
    reporters: ['default', 'json'],
    outputFile: { json: '.test-results/vitest.json' },
  },
});
