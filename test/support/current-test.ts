/**
 * The running test's name and whether it has failed so far, for an afterEach (vitest's per-test
 * context). Kept up to date by a test environment that listens to Jest's test events.
 */
export interface CurrentTest {
  name: string;
  failed: boolean;
}

export const CURRENT_TEST = '__currentTest';

export function currentTest(): CurrentTest {
  const state = (globalThis as Record<string, unknown>)[CURRENT_TEST] as CurrentTest | undefined;
  if (!state) throw new Error('currentTest() needs testEnvironment test/support/failure-aware-environment.ts');
  return state;
}
