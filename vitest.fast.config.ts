import { fileURLToPath } from 'node:url';
import { defineConfig, mergeConfig } from 'vitest/config';
import base from './vitest.config.js';
import { binaryBackedTests } from './scripts/test-suites.mjs';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * `npm run test:fast`: every test but the binary-backed suites (scripts/test-suites.mjs), for the
 * edit-test loop. `npm test` runs the full suite, as CI does.
 */
export default mergeConfig(
  base,
  defineConfig({
    test: {
      exclude: [...(base.test?.exclude ?? []), ...binaryBackedTests(root).map((t) => t.file)],
    },
  }),
);
