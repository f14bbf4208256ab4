// @ts-check
/**
 * One Jest config, three projects. Native ESM (the package is "type": "module"): run through
 * `node --experimental-vm-modules`, see package.json. TypeScript is only stripped here (@swc/jest);
 * `npm run typecheck` checks the types.
 *
 * - default (`npm test`): unit, CDK assertions, local Cognito conformance, integration, client
 * - reliability (`npm run test:reliability`): fuzz, faults, leaks, load, enumeration, headers
 * - e2e (`npm run test:e2e`): the local page in Debian's Chromium, driven by playwright-core
 * - deploy (`npm run test:deploy`): the README's deploy arguments through the real `cdk synth`
 */

/** @type {import('jest').Config['transform']} */
const transform = {
  '^.+\\.ts$': [
    '@swc/jest',
    {
      // keepImportAttributes: `import x from './x.json' with { type: 'json' }` stays as written.
      jsc: { parser: { syntax: 'typescript' }, target: 'es2022', experimental: { keepImportAttributes: true } },
    },
  ],
};

/** @type {import('jest').Config} */
const shared = {
  extensionsToTreatAsEsm: ['.ts'],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
  transform,
  testEnvironment: 'node',
};

/** @type {import('jest').Config} */
export default {
  projects: [
    {
      ...shared,
      displayName: 'default',
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      testPathIgnorePatterns: [
        '/node_modules/',
        '<rootDir>/test/e2e/',
        '<rootDir>/test/reliability/',
        '<rootDir>/test/deploy/',
      ],
      setupFilesAfterEnv: [
        'aws-sdk-client-mock-jest',
        '<rootDir>/test/support/timeout.ts',
        '<rootDir>/test/support/cleanup.ts',
      ],
      globals: { testTimeout: 30_000 },
    },
    {
      ...shared,
      displayName: 'reliability',
      testMatch: ['<rootDir>/test/reliability/**/*.test.ts'],
      globalSetup: '<rootDir>/test/reliability/global-setup.ts',
      globalTeardown: '<rootDir>/test/reliability/global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/test/support/timeout.ts', '<rootDir>/test/support/cleanup.ts'],
      globals: { testTimeout: 180_000 },
    },
    {
      ...shared,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/e2e/**/*.test.ts'],
      testEnvironment: '<rootDir>/test/support/failure-aware-environment.ts',
      setupFilesAfterEnv: ['<rootDir>/test/support/timeout.ts', '<rootDir>/test/support/cleanup.ts'],
      globals: { testTimeout: 60_000 },
    },
    {
      ...shared,
      displayName: 'deploy',
      testMatch: ['<rootDir>/test/deploy/**/*.test.ts'],
      setupFilesAfterEnv: ['<rootDir>/test/support/timeout.ts', '<rootDir>/test/support/cleanup.ts'],
      // A CLI synth bundles every function and runs cdk-nag: tens of seconds on two cores.
      globals: { testTimeout: 240_000 },
    },
  ],
};
