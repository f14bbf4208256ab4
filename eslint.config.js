// Lint: no focused or skipped tests, no unused imports or variables, no `any` in product code.
import js from '@eslint/js';
import jest from 'eslint-plugin-jest';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'cdk.out/', '.local/', 'bench/out/', 'test-results/', 'dist/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-non-null-assertion': 'error',
      // Prettier's width for what Prettier cannot wrap (comments); long texts stay whole.
      'max-len': [
        'error',
        { code: 120, ignoreUrls: true, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreRegExpLiterals: true },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  {
    // Functions are bundled on their own: they never reach into the CDK app (lib/, bin/) nor the
    // local stack. The configuration contract (lambdas/shared/config.ts) is their only input.
    files: ['lambdas/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(\\.\\./)+(lib|bin|local|bench|test)(/|$)',
              message:
                'lambdas/ must not import lib/, bin/, local/, bench/ or test/: ' +
                'take values through the configuration contract.',
            },
          ],
        },
      ],
      // V8 checks a regular-expression literal while it parses a bundle; with Unicode property classes
      // (\p{L}...) that check alone costs millions of instructions at every cold start (lambdas/shared/schema.ts).
      'no-restricted-syntax': [
        'error',
        {
          selector: 'Literal[regex.pattern=/\\\\[pP]\\{/]',
          message:
            'No regular-expression literal with a Unicode property class in lambdas/: build it with new RegExp() ' +
            'inside a lazy schema, so that only a function that uses it pays for it.',
        },
      ],
    },
  },
  {
    files: ['test/**/*.ts'],
    plugins: { jest },
    settings: { jest: { version: 30 } },
    rules: {
      'jest/no-focused-tests': 'error',
      'jest/no-disabled-tests': 'error',
      'jest/expect-expect': [
        'error',
        {
          assertFunctionNames: [
            'expect',
            'expectWith',
            'eventually',
            'expectProblem',
            '*.hasResourceProperties',
            '*.hasResource',
            '*.resourceCountIs',
            'template.*',
            't.*',
          ],
        },
      ],
      // Test doubles and JSON answers are untyped by nature; product code keeps the rule.
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
);
