/**
 * User attributes as a pool's schema allows them: which names exist, which an app client may
 * write, how Cognito reads the `*_verified` flags, and the checks every operation that writes
 * attributes makes before it changes anything.
 * https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-settings-attributes.html
 */
import { isEmail } from './input';
import { type SchemaAttribute, type StoredClient, type StoredPool, err } from './model';

const string = (o: Partial<SchemaAttribute> = {}): SchemaAttribute => ({
  dataType: 'String',
  mutable: true,
  required: false,
  developerOnly: false,
  minLength: 0,
  maxLength: 2048,
  ...o,
});

/** Every pool has the standard attributes (OpenID Connect's), whether or not its schema names them. */
export const STANDARD_ATTRIBUTES: Readonly<Record<string, SchemaAttribute>> = {
  sub: string({ mutable: false, required: true, minLength: 1 }),
  name: string(),
  given_name: string(),
  family_name: string(),
  middle_name: string(),
  nickname: string(),
  preferred_username: string(),
  profile: string(),
  picture: string(),
  website: string(),
  email: string(),
  email_verified: { dataType: 'Boolean', mutable: true, required: false, developerOnly: false },
  gender: string(),
  birthdate: string({ minLength: 10, maxLength: 10 }),
  zoneinfo: string(),
  locale: string(),
  phone_number: string(),
  phone_number_verified: { dataType: 'Boolean', mutable: true, required: false, developerOnly: false },
  address: string(),
  updated_at: { dataType: 'Number', mutable: true, required: false, developerOnly: false },
};

const VERIFIED = new Set(['email_verified', 'phone_number_verified']);

/** The pool's whole schema: the standard attributes with the settings given, and its custom ones. */
export function schemaOf(pool: StoredPool): Readonly<Record<string, SchemaAttribute>> {
  return { ...STANDARD_ATTRIBUTES, ...pool.schema };
}

/**
 * CreateUserPool's `Schema`: a standard name changes that attribute's settings, any other name adds
 * `custom:<Name>` (or `dev:<Name>` when DeveloperOnlyAttribute).
 * https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_SchemaAttributeType.html
 */
export function schemaFromInput(list: unknown): Record<string, SchemaAttribute> {
  const schema: Record<string, SchemaAttribute> = {};
  for (const item of Array.isArray(list) ? (list as Record<string, unknown>[]) : []) {
    const name = String(item.Name ?? '');
    const standard = Object.hasOwn(STANDARD_ATTRIBUTES, name) ? STANDARD_ATTRIBUTES[name] : undefined;
    const developerOnly = !standard && item.DeveloperOnlyAttribute === true;
    const constraints = (item.StringAttributeConstraints ?? {}) as { MinLength?: string; MaxLength?: string };
    const dataType = (item.AttributeDataType as SchemaAttribute['dataType'] | undefined) ?? standard?.dataType;
    const attribute: SchemaAttribute = {
      dataType: dataType ?? 'String',
      mutable: typeof item.Mutable === 'boolean' ? item.Mutable : (standard?.mutable ?? true),
      required: typeof item.Required === 'boolean' ? item.Required : (standard?.required ?? false),
      developerOnly,
      ...((dataType ?? 'String') === 'String'
        ? {
            minLength: constraints.MinLength ? Number(constraints.MinLength) : (standard?.minLength ?? 0),
            maxLength: constraints.MaxLength ? Number(constraints.MaxLength) : (standard?.maxLength ?? 2048),
          }
        : {}),
    };
    if (!standard && attribute.required) {
      throw err.invalidParameter(`Required custom attributes are not supported currently.`);
    }
    schema[standard ? name : `${developerOnly ? 'dev' : 'custom'}:${name}`] = attribute;
  }
  return schema;
}

/** DescribeUserPool's `SchemaAttributes`: names as the schema shows them (`custom:x`, `dev:x`). */
export function describeSchema(pool: StoredPool) {
  return Object.entries(schemaOf(pool)).map(([name, a]) => ({
    Name: name,
    AttributeDataType: a.dataType,
    DeveloperOnlyAttribute: a.developerOnly,
    Mutable: a.mutable,
    Required: a.required,
    ...(a.dataType === 'String'
      ? { StringAttributeConstraints: { MinLength: String(a.minLength ?? 0), MaxLength: String(a.maxLength ?? 2048) } }
      : {}),
  }));
}

/**
 * Cognito reads a `*_verified` flag as Java reads a boolean: "true" in any case is true, anything
 * else false ("True" verifies an email, "yes" does not). Stored as "true" or "false".
 */
export const readBoolean = (value: string | undefined) => value?.toLowerCase() === 'true';
export const isVerified = (attributes: Record<string, string>, name: 'email' | 'phone_number') =>
  readBoolean(attributes[`${name}_verified`]);

/**
 * The attributes an app client may write, and read: the ones given at creation, or by default the
 * standard attributes (writing), and those plus the two `*_verified` flags (reading).
 * https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_CreateUserPoolClient.html#CognitoUserPools-CreateUserPoolClient-request-WriteAttributes
 */
export function writableBy(client: StoredClient, name: string): boolean {
  if (client.writeAttributes.length > 0) return client.writeAttributes.includes(name);
  return Object.hasOwn(STANDARD_ATTRIBUTES, name) && name !== 'sub' && !VERIFIED.has(name);
}

export function readableBy(client: StoredClient, name: string): boolean {
  if (name === 'sub') return true;
  if (client.readAttributes.length > 0) return client.readAttributes.includes(name);
  return Object.hasOwn(STANDARD_ATTRIBUTES, name);
}

/** Read and write attributes of a new or updated client must exist in the pool's schema. */
export function checkClientAttributes(pool: StoredPool, read: readonly string[], write: readonly string[]): void {
  const schema = schemaOf(pool);
  if (read.some((name) => !Object.hasOwn(schema, name))) {
    throw err.invalidParameter('Invalid read attributes specified while creating a client');
  }
  if (write.some((name) => !Object.hasOwn(schema, name) || name === 'sub')) {
    throw err.invalidParameter('Invalid write attributes specified while creating a client');
  }
}

export interface AttributeWrite {
  /** `create` (SignUp, AdminCreateUser) may set immutable attributes; `update` may not. */
  readonly mode: 'create' | 'update';
  /** The app client the request came through (SignUp, UpdateUserAttributes): its WriteAttributes apply. */
  readonly client?: StoredClient;
  /** SignUp: every attribute the schema requires must be given. */
  readonly requireRequired?: boolean;
}

/**
 * Checks attributes a request wants to write, all of them before anything is written, in
 * Cognito's order and words:
 * 1. every name exists in the schema, else InvalidParameterException "Attributes did not conform
 *    to the schema: <name>: Attribute does not exist in the schema." (one line per name), and
 *    (SignUp) every required one is given;
 * 2. `sub` and, on update, immutable attributes are refused ("Cannot modify the non-mutable
 *    attribute"); a value respects its length and an email is an email;
 * 3. through an app client, every name is in its WriteAttributes, else NotAuthorizedException
 *    "A client attempted to write unauthorized attribute".
 * Answers the attributes with the `*_verified` flags read as Cognito reads them.
 */
export function checkAttributes(
  pool: StoredPool,
  attributes: Record<string, string>,
  write: AttributeWrite,
): Record<string, string> {
  const schema = schemaOf(pool);
  const problems = Object.keys(attributes)
    .filter((name) => !Object.hasOwn(schema, name))
    .map((name) => `${name}: Attribute does not exist in the schema.\n`);
  if (write.requireRequired) {
    for (const [name, a] of Object.entries(schema)) {
      if (a.required && name !== 'sub' && !attributes[name]) problems.push(`${name}: The attribute is required\n`);
    }
  }
  if (problems.length > 0) throw err.invalidParameter(`Attributes did not conform to the schema: ${problems.join('')}`);
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(attributes)) {
    const a = schema[name] as SchemaAttribute;
    if (name === 'sub' || (write.mode === 'update' && !a.mutable)) {
      throw err.invalidParameter(`Cannot modify the non-mutable attribute ${name}`);
    }
    if (a.maxLength !== undefined && value.length > a.maxLength) {
      throw err.invalidParameter(`${name}: String must be no longer than ${a.maxLength} characters`);
    }
    if (name === 'email' && value !== '' && !isEmail(value))
      throw err.invalidParameter('Invalid email address format.');
    out[name] = a.dataType === 'Boolean' ? String(readBoolean(value)) : name === 'email' ? value.toLowerCase() : value;
  }
  if (write.client && Object.keys(out).some((name) => !writableBy(write.client as StoredClient, name))) {
    throw err.notAuthorized('A client attempted to write unauthorized attribute');
  }
  return out;
}
