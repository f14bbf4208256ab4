/**
 * Each project's test (and hook) timeout. Jest 30 takes `testTimeout` from the global config
 * only, so a project passes its own as `globals.testTimeout` and this sets it.
 */
import { jest } from '@jest/globals';

const { testTimeout } = globalThis as { testTimeout?: unknown };
if (typeof testTimeout !== 'number') throw new Error('set globals.testTimeout in the project config');
jest.setTimeout(testTimeout);
