import { defineConfig } from 'vitest/config';

/** `npm run test:reliability`: fuzz, faults, leaks, load, enumeration, headers. */
export default defineConfig({
  test: {
    include: ['test/reliability/**/*.test.ts'],
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    globalSetup: ['test/reliability/summary-setup.ts'],
    testTimeout: 180_000,
    hookTimeout: 60_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
