/** Reads a required environment variable at cold start; a missing one names itself. */
export function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`missing required environment variable ${name}`);
  return value;
}

/** A comma-separated list; empty when unset. */
export const listEnv = (name: string): string[] =>
  (process.env[name] ?? '')
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
