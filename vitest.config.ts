import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'bench/**/*.test.ts', 'examples/**/*.test.ts', 'scripts/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**', 'bench/.work/**'],
    // Many tests run the built CLI, git, PostgreSQL or a browser as real processes: on a loaded
    // 2-core machine a test that takes 10 s alone can take several times that. A timeout here only
    // catches hangs; speed is measured by the benchmarks under bench/.
    testTimeout: 240_000,
    hookTimeout: 240_000,
    pool: 'forks',
  },
});
