/**
 * Every request is checked against its operation's input shape (shapes.ts) before the operation
 * runs, in the two steps Cognito's front end takes:
 * - a member of the wrong JSON type (a number where a string belongs, a string where a list
 *   belongs) cannot be read at all: SerializationException, whatever else is wrong;
 * - then every constraint (required, length, range, pattern, enum) is checked and all the
 *   violations are reported together, in Cognito's words: InvalidParameterException
 *   "2 validation errors detected: Value null at 'userPoolId' failed to satisfy constraint: Member
 *   must not be null; ...". A sensitive value (password, username, token) is never repeated.
 * So an operation only ever sees well-typed input that the model allows, and a malformed request
 * can no longer surface as something else (a ResourceNotFoundException for `UserPoolId: 5`).
 */
import { CognitoError } from './model';
import { INPUTS, SHAPES, type Shape } from './shapes';

const patterns = new Map<string, RegExp>();
/** Cognito matches a pattern against the whole value. */
const wholeMatch = (pattern: string) => {
  let regex = patterns.get(pattern);
  if (!regex) {
    regex = new RegExp(`^(?:${pattern})$`, 'u');
    patterns.set(pattern, regex);
  }
  return regex;
};

const lowerFirst = (name: string) => name.charAt(0).toLowerCase() + name.slice(1);

function jsonKind(value: unknown): string {
  if (Array.isArray(value)) return 'START_ARRAY';
  if (typeof value === 'object') return 'START_OBJECT';
  if (typeof value === 'number') return 'NUMBER_VALUE';
  if (typeof value === 'boolean') return 'BOOLEAN_VALUE';
  return 'STRING_VALUE';
}

const EXPECTED: Record<Shape['type'], string> = {
  string: 'a String',
  integer: 'an Integer',
  boolean: 'a Boolean',
  list: 'a List',
  map: 'a Map',
  structure: 'a Structure',
};

function mistyped(shape: Shape, value: unknown, path: string): CognitoError {
  return new CognitoError(
    'SerializationException',
    `${jsonKind(value)} can not be converted to ${EXPECTED[shape.type]} (at '${path}')`,
  );
}

function hasType(shape: Shape, value: unknown): boolean {
  switch (shape.type) {
    case 'string':
      return typeof value === 'string';
    case 'integer':
      return typeof value === 'number' && Number.isSafeInteger(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'list':
      return Array.isArray(value);
    case 'map':
    case 'structure':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
  }
}

class Walk {
  readonly errors: string[] = [];

  private fail(path: string, constraint: string, shown?: string): void {
    const value = shown === undefined ? 'Value' : `Value '${shown}'`;
    this.errors.push(`${value} at '${path}' failed to satisfy constraint: ${constraint}`);
  }

  /** Length of a string, list or map (`length`), or an integer's `value`, within the shape's bounds. */
  private bounds(path: string, size: number, shape: { min?: number; max?: number }, what: string, shown?: string) {
    const { min, max } = shape;
    if (min !== undefined && size < min)
      this.fail(path, `Member must have ${what} greater than or equal to ${min}`, shown);
    if (max !== undefined && size > max)
      this.fail(path, `Member must have ${what} less than or equal to ${max}`, shown);
  }

  check(name: string, value: unknown, path: string): void {
    if (value === undefined || value === null) return;
    const shape = SHAPES[name];
    if (!shape) throw new Error(`no shape ${name}`);
    if (!hasType(shape, value)) throw mistyped(shape, value, path);
    switch (shape.type) {
      case 'string': {
        const text = value as string;
        const shown = shape.sensitive ? undefined : text;
        this.bounds(path, text.length, shape, 'length', shown);
        if (shape.pattern !== undefined && text !== '' && !wholeMatch(shape.pattern).test(text)) {
          this.fail(path, `Member must satisfy regular expression pattern: ${shape.pattern}`, shown);
        }
        if (shape.enum && !shape.enum.includes(text)) {
          this.fail(path, `Member must satisfy enum value set: [${shape.enum.join(', ')}]`, shown);
        }
        return;
      }
      case 'integer':
        this.bounds(path, value as number, shape, 'value', String(value));
        return;
      case 'boolean':
        return;
      case 'list': {
        const items = value as unknown[];
        this.bounds(path, items.length, shape, 'length');
        items.forEach((item, i) => this.check(shape.member, item, `${path}.${i + 1}.member`));
        return;
      }
      case 'map': {
        const entries = Object.entries(value as Record<string, unknown>);
        this.bounds(path, entries.length, shape, 'length');
        for (const [key, item] of entries) {
          this.check(shape.key, key, `${path}.key`);
          this.check(shape.value, item, `${path}.${key}`);
        }
        return;
      }
      case 'structure':
        this.structure(shape.members, shape.required, value as Record<string, unknown>, `${path}.`);
    }
  }

  structure(
    members: Readonly<Record<string, string>>,
    required: readonly string[],
    value: Record<string, unknown>,
    prefix: string,
  ): void {
    for (const [member, shape] of Object.entries(members)) {
      const path = `${prefix}${lowerFirst(member)}`;
      const item = Object.hasOwn(value, member) ? value[member] : undefined;
      if ((item === undefined || item === null) && required.includes(member)) {
        this.errors.push(`Value null at '${path}' failed to satisfy constraint: Member must not be null`);
      } else {
        this.check(shape, item, path);
      }
    }
  }
}

/**
 * Throws what Cognito answers for a request its model refuses: SerializationException for a
 * member of the wrong JSON type, else InvalidParameterException listing every violated constraint.
 * Members the model does not name are ignored, as Cognito ignores them.
 */
export function validateInput(operation: string, input: Record<string, unknown>): void {
  const shape = SHAPES[INPUTS[operation] ?? ''];
  if (shape?.type !== 'structure') throw new Error(`no input shape for ${operation}`);
  const walk = new Walk();
  walk.structure(shape.members, shape.required, input, '');
  const n = walk.errors.length;
  if (n > 0) {
    throw new CognitoError(
      'InvalidParameterException',
      `${n} validation error${n === 1 ? '' : 's'} detected: ${walk.errors.join('; ')}`,
    );
  }
}
