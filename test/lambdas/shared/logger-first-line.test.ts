/**
 * The logger's module is loaded on the first line (logger.ts), so that line is written a few ticks after it was
 * asked for. An invocation must not answer before it: Lambda may freeze the process as soon as it has the answer.
 * Its own file, so that the logger is loaded here for the first time.
 */
import { afterAll, beforeAll, expect, it, jest } from '@jest/globals';
import { lambdaContext } from '../../support/events';

// Powertools then writes through the global console, which the test captures.
process.env.POWERTOOLS_DEV = 'true';

const lines: string[] = [];

beforeAll(() => {
  for (const level of ['log', 'info', 'warn', 'error'] as const) {
    jest.spyOn(console, level).mockImplementation((...args: unknown[]) => {
      lines.push(args.map(String).join(' '));
    });
  }
});

afterAll(() => {
  jest.restoreAllMocks();
});

it('an invocation answers only once the line that loads the logger is written', async () => {
  const { scoped } = await import('../../../lambdas/shared/invocation');
  const { logger } = await import('../../../lambdas/shared/logger');
  const { metricsEmitter } = await import('../../../lambdas/shared/metrics');
  const handler = scoped(metricsEmitter({}), async () => {
    logger.error('first line', { route: 'test' });
    return 'answer';
  });
  expect(await handler({}, lambdaContext)).toBe('answer');
  expect(lines.join('\n')).toContain('first line');
});
