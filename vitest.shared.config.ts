import { defineConfig } from 'vitest/config';

// Runs the project against ../shared (seeds and third-party feed fixtures) where that folder exists.
export default defineConfig({
  test: {
    include: ['test/shared/**/*.test.ts'],
    globalSetup: ['test/setup/redis.ts'],
    testTimeout: 60_000,
  },
});
