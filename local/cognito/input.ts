import { err } from './model';

export type Input = Record<string, unknown>;

const notNull = (name: string) =>
  err.invalidParameter(
    `1 validation error detected: Value null at '${name}' failed to satisfy constraint: Member must not be null`,
  );

/** A required string member, with Cognito's length bounds. */
export function str(input: Input, name: string, max = 2048): string {
  const value = input[name];
  if (value === undefined || value === null) throw notNull(name);
  if (typeof value !== 'string' || value.length < 1 || value.length > max) {
    throw err.invalidParameter(
      `1 validation error detected: Value at '${name}' failed to satisfy constraint: ` +
        `Member must have length between 1 and ${max}`,
    );
  }
  return value;
}

export function optStr(input: Input, name: string, max = 2048): string | undefined {
  return input[name] === undefined || input[name] === null ? undefined : str(input, name, max);
}

export function record(input: Input, name: string): Record<string, string> | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw err.invalidParameter(`${name} must be a map of strings`);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== 'string') throw err.invalidParameter(`${name} must be a map of strings`);
    out[k] = v;
  }
  return out;
}

/** `[{Name, Value}]` into a map; Cognito attribute lists. */
export function attributeList(input: Input, name: string): Record<string, string> {
  const value = input[name];
  if (value === undefined || value === null) return {};
  if (!Array.isArray(value)) throw err.invalidParameter(`${name} must be a list of attributes`);
  const out: Record<string, string> = {};
  for (const item of value as unknown[]) {
    const a = item as { Name?: unknown; Value?: unknown };
    if (typeof a?.Name !== 'string' || (a.Value !== undefined && typeof a.Value !== 'string')) {
      throw err.invalidParameter(`${name} must be a list of {Name, Value}`);
    }
    out[a.Name] = a.Value ?? '';
  }
  return out;
}

export const isEmail = (value: string) => /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(value);
