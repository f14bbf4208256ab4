/**
 * One Lambda function: its AWS entry point and a way to make an independent instance of it.
 * No module-level configuration or clients: an instance gets them from the environment it is
 * created with, so the local stack can run several stacks in one process and tests give each
 * case its own configuration.
 */
import { ConfigError } from './config';
import { finished } from './invocation';
import { logger } from './logger';

export type Environment = Readonly<Record<string, string | undefined>>;

export interface LambdaFunction<H> {
  /**
   * The Lambda entry point: the instance is created from `process.env` once, on the cold
   * start's first invocation; a missing or malformed setting fails that invocation by name.
   */
  readonly handler: H;
  /** An independent instance configured from `env` (local stack, tests, benchmark). */
  readonly create: (env: Environment) => H;
}

export function lambdaFunction<A extends unknown[], R>(
  create: (env: Environment) => (...args: A) => Promise<R>,
): LambdaFunction<(...args: A) => Promise<R>> {
  let instance: ((...args: A) => Promise<R>) | undefined;
  const handler = async (...args: A): Promise<R> => {
    if (!instance) {
      try {
        instance = create(process.env);
      } catch (error) {
        if (error instanceof ConfigError) {
          logger.error('function configuration invalid', { problem: error.message });
          await finished();
        }
        throw error;
      }
    }
    return instance(...args);
  };
  return { handler, create };
}
