/** Two things vitest's expect had and Jest's has not: a custom failure message, and polling. */
import { fileURLToPath } from 'node:url';
import { expect } from '@jest/globals';

const HERE = fileURLToPath(import.meta.url);

type Matchers = ReturnType<typeof expect>;

/**
 * `expect(actual)` whose failures start with `message` (vitest's `expect(actual, message)`): the
 * matchers are Jest's own, only the message of the error they throw is prefixed.
 */
export function expectWith(actual: unknown, message: string): Matchers {
  return withMessage(expect(actual), message);
}

function withMessage<T extends object>(target: T, message: string): T {
  return new Proxy(target, {
    get(object, key) {
      const value: unknown = Reflect.get(object, key);
      if (typeof value === 'function')
        return (...args: unknown[]) => {
          try {
            const result: unknown = value.apply(object, args);
            return result instanceof Promise ? result.catch((error: unknown) => rethrow(error, message)) : result;
          } catch (error) {
            return rethrow(error, message);
          }
        };
      // `.not`, `.resolves`, `.rejects`: matchers again.
      if (value !== null && typeof value === 'object') return withMessage(value, message);
      return value;
    },
  });
}

function rethrow(error: unknown, message: string): never {
  if (error instanceof Error) {
    const stack = error.stack ?? '';
    const original = error.message;
    error.message = `${message}\n\n${original}`;
    // The code frame then points at the test's line, not at this wrapper.
    error.stack = stack
      .replace(original, error.message)
      .split('\n')
      .filter((line) => !line.includes(HERE))
      .join('\n');
  }
  throw error;
}

/**
 * Retries until `assertion(await read())` passes, or throws the assertion's last failure once
 * `timeout` ms have passed (vitest's `expect.poll(read).matcher()`, same defaults: 1000 ms, every
 * 50 ms). A `read` that throws counts as a failed try.
 */
export async function eventually<T>(
  read: () => T | Promise<T>,
  assertion: (value: T) => void,
  { timeout = 1000, interval = 50 }: { timeout?: number; interval?: number } = {},
): Promise<void> {
  const deadline = Date.now() + timeout;
  for (;;) {
    try {
      assertion(await read());
      return;
    } catch (error) {
      if (Date.now() >= deadline) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}
