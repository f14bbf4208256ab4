/**
 * After each test file, stops any local stack its tests started and did not stop (a failed assertion before
 * `stack.stop()`): a live child process would keep Jest from exiting, and CI would hang instead of failing.
 */
import { afterAll } from '@jest/globals';
import { stopAllStacks } from './stack';

afterAll(stopAllStacks);
