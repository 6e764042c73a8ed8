import { defineConfig } from 'vitest/config';
import { testEnv } from './vitest.config';

/** Tests that drive a real Chromium (Debian's `chromium` package, installed by .ci/run). */
export default defineConfig({
  test: {
    include: ['test/browser/**/*.test.ts'],
    pool: 'forks',
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    env: testEnv,
  },
});
