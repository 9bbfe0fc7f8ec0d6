import { defineConfig } from 'vitest/config';

// Chapter tests compile C and run programs under LD_PRELOAD: seconds, not milliseconds.
export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 300_000,
    hookTimeout: 600_000,
    pool: 'forks',
  },
});
