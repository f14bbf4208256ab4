import { defineConfig } from 'vitest/config';

/** `npm run test:deploy`: the real CDK CLI (bundling, cdk-nag) with the README's arguments. */
export default defineConfig({
  test: {
    include: ['test/deploy/**/*.test.ts'],
    testTimeout: 240_000,
    pool: 'forks',
  },
});
