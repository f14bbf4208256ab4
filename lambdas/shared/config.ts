/**
 * The configuration contract between the deployers (the CDK app, the local stack, the benchmark)
 * and the functions. Per function kind it names the configuration that kind needs;
 * {@link toEnvironment} is the only writer of a function's environment and {@link loadConfig}
 * the only reader. A function calls loadConfig once, at cold start, and a missing or malformed
 * value stops it there with the variable's name. No CDK import: functions bundle this module.
 */
import type { Settings } from './settings';

/** Metadata keys the BFF accepts from frontends and the triggers understand. */
export const BUILTIN_METADATA_KEYS = ['locale', 'redirectUri', 'app'] as const;

/**
 * ClientMetadata `flow` value the admin reset route sets itself (frontends cannot send `flow`),
 * so the CustomMessage trigger words the mail as an administrator's reset.
 */
export const ADMIN_RESET_FLOW = 'admin-reset';

/**
 * What the deployer knows only once the resources exist (CDK tokens in AWS, ids locally). Give
 * what the function kind reads; {@link toEnvironment} names a missing one.
 */
export interface DeployedIds {
  readonly userPoolId?: string;
  readonly clientId?: string;
  /** The audit bus (PostConfirmation). */
  readonly eventBusName?: string;
  /** The Secrets Manager secret the session cookies are sealed with (session-key.ts). */
  readonly sessionKeySecretId?: string;
  /** The DynamoDB table of the per-user code cap (code-cap.ts), when the cap is on. */
  readonly codeCapTable?: string;
  /**
   * The Secrets Manager secret that holds the app client's secret (cognito.ts). Given to the functions that
   * compute a SecretHash (route.ts SECRET_ACTION) and to them only; with it goes bff:clientSecretMaxAgeSeconds.
   */
  readonly clientSecretId?: string;
  /** Local stack only: where the SDK clients send their calls. @default - AWS's regional endpoints */
  readonly cognitoEndpoint?: string;
  readonly eventBridgeEndpoint?: string;
  readonly secretsManagerEndpoint?: string;
  readonly sesEndpoint?: string;
  readonly dynamoDbEndpoint?: string;
}

/**
 * What a route's function does besides its kind's configuration (route table `notice` and `codeCap`): the
 * notice it mails through SES, and whether it counts code sends against the per-user cap. Each is written into
 * the function's environment only when its setting is on, so that a function without it never reads it.
 */
export interface FunctionFeatures {
  /** `emailChange` (bff:notifyEmailChange) or `duplicateSignUp` (bff:hideDuplicateSignUp). */
  readonly notice?: NoticeKind;
  /** Counts code sends to a new address (bff:verificationCodeCap). */
  readonly codeCap?: boolean;
}

export type NoticeKind = 'emailChange' | 'duplicateSignUp';

/** The SES sending a notice function uses (MAIL): from bff:email. */
export interface MailConfig {
  /** `From`, with the display name when one is set. */
  readonly from: string;
  readonly replyTo?: string;
  readonly configurationSet?: string;
  /** @default - the function's own Region (AWS_REGION) */
  readonly region?: string;
  /** The notice this function sends. */
  readonly notice: NoticeKind;
}

/** The per-user cap on code sends to new addresses (CODE_CAP): bff:verificationCodeCap and its table. */
export interface CodeCapConfig {
  readonly table: string;
  readonly max: number;
  readonly windowSeconds: number;
}

/** How one field travels in an environment variable: written by encode, read by decode. */
interface Codec<T> {
  readonly env: string;
  readonly encode: (value: T) => string;
  /** The value, or a message that says what is wrong with the text. */
  readonly decode: (raw: string) => { readonly value: T } | { readonly problem: string };
}

const text = (env: string): Codec<string> => ({ env, encode: (value) => value, decode: (value) => ({ value }) });

/** Lists travel as JSON arrays: an origin, a path or a group name may hold a comma. */
const list = (env: string): Codec<readonly string[]> => ({
  env,
  encode: (value) => JSON.stringify(value),
  decode: (raw) => {
    try {
      const value: unknown = JSON.parse(raw);
      if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return { value };
    } catch {
      // reported below
    }
    return { problem: 'expected a JSON array of strings' };
  },
});

/** A whole number from 0 up, as decimal digits. */
const count = (env: string): Codec<number> => ({
  env,
  encode: (value) => String(value),
  decode: (raw) => (/^\d{1,9}$/.test(raw) ? { value: Number(raw) } : { problem: 'expected a whole number' }),
});

/** A map of strings travels as a JSON object. */
const stringMap = (env: string): Codec<Readonly<Record<string, string>>> => ({
  env,
  encode: (value) => JSON.stringify(value),
  decode: (raw) => {
    try {
      const value: unknown = JSON.parse(raw);
      if (
        typeof value === 'object' &&
        value !== null &&
        !Array.isArray(value) &&
        Object.values(value).every((item) => typeof item === 'string')
      ) {
        return { value: value as Record<string, string> };
      }
    } catch {
      // reported below
    }
    return { problem: 'expected a JSON object of strings' };
  },
});

/** The password policy travels as a JSON object of numbers and booleans, every field of the setting. */
const policy = (env: string): Codec<Readonly<Record<string, number | boolean>>> => ({
  env,
  encode: (value) => JSON.stringify(value),
  decode: (raw) => {
    try {
      const value: unknown = JSON.parse(raw);
      if (
        typeof value === 'object' &&
        value !== null &&
        !Array.isArray(value) &&
        Object.values(value).every((item) => typeof item === 'number' || typeof item === 'boolean')
      ) {
        return { value: value as Record<string, number | boolean> };
      }
    } catch {
      // reported below
    }
    return { problem: 'expected a JSON object of numbers and booleans' };
  },
});

const flag = (env: string): Codec<boolean> => ({
  env,
  encode: (value) => String(value),
  decode: (raw) =>
    raw === 'true' || raw === 'false' ? { value: raw === 'true' } : { problem: 'expected true or false' },
});

/** Every configuration field a function may need, with its variable and its encoding. */
const FIELDS = {
  userPoolId: text('USER_POOL_ID'),
  clientId: text('USER_POOL_CLIENT_ID'),
  allowedOrigins: list('ALLOWED_ORIGINS'),
  redirectAllowlist: list('REDIRECT_ALLOWLIST'),
  clientMetadataKeys: list('CLIENT_METADATA_KEYS'),
  adminGroupName: text('ADMIN_GROUP'),
  defaultGroupName: text('DEFAULT_GROUP'),
  locales: list('LOCALES'),
  defaultLocale: text('DEFAULT_LOCALE'),
  appName: text('APP_NAME'),
  apps: stringMap('APPS'),
  brand: stringMap('BRAND'),
  signOutOnPasswordReset: flag('SIGN_OUT_ON_PASSWORD_RESET'),
  eventBusName: text('EVENT_BUS_NAME'),
  eventSource: text('EVENT_SOURCE'),
  auditIncludeEmail: flag('AUDIT_INCLUDE_EMAIL'),
  responseFloorMs: count('RESPONSE_FLOOR_MS'),
  retryAfterSeconds: count('RETRY_AFTER_SECONDS'),
  sessionKeySecretId: text('SESSION_KEY_SECRET_ID'),
  refreshTokenDays: count('REFRESH_TOKEN_DAYS'),
  passwordPolicy: policy('PASSWORD_POLICY'),
} as const;

/** A JSON object whose fields `check` accepts. */
const json = <T>(env: string, check: (value: Record<string, unknown>) => boolean, what: string): Codec<T> => ({
  env,
  encode: (value) => JSON.stringify(value),
  decode: (raw) => {
    try {
      const value: unknown = JSON.parse(raw);
      if (typeof value === 'object' && value !== null && !Array.isArray(value) && check(value as never)) {
        return { value: value as T };
      }
    } catch {
      // reported below
    }
    return { problem: `expected ${what}` };
  },
});

const optionalText = (value: unknown) => value === undefined || typeof value === 'string';

/** Optional in the api and session kinds: only the functions that compute a SecretHash get them (cognito.ts). */
const CLIENT_SECRET = {
  clientSecretId: text('CLIENT_SECRET_ID'),
  clientSecretMaxAgeSeconds: count('CLIENT_SECRET_MAX_AGE_SECONDS'),
};

/** Optional in every kind; set by the local stack only. */
const ENDPOINTS = {
  cognitoEndpoint: text('COGNITO_ENDPOINT'),
  eventBridgeEndpoint: text('EVENTBRIDGE_ENDPOINT'),
  secretsManagerEndpoint: text('SECRETS_MANAGER_ENDPOINT'),
  sesEndpoint: text('SES_ENDPOINT'),
  dynamoDbEndpoint: text('DYNAMODB_ENDPOINT'),
};

/** Optional in every kind; written only for the functions whose route has the feature on (FunctionFeatures). */
const FEATURES = {
  mail: json<MailConfig>(
    'MAIL',
    (v) =>
      typeof v.from === 'string' &&
      (v.notice === 'emailChange' || v.notice === 'duplicateSignUp') &&
      optionalText(v.replyTo) &&
      optionalText(v.configurationSet) &&
      optionalText(v.region),
    'a JSON object {from, notice, replyTo?, configurationSet?, region?}',
  ),
  codeCap: json<CodeCapConfig>(
    'CODE_CAP',
    (v) =>
      typeof v.table === 'string' &&
      Number.isSafeInteger(v.max) &&
      (v.max as number) > 0 &&
      Number.isSafeInteger(v.windowSeconds) &&
      (v.windowSeconds as number) > 0,
    'a JSON object {table, max, windowSeconds}',
  ),
};

type FieldName = keyof typeof FIELDS;
type FieldValue<F extends FieldName> = (typeof FIELDS)[F] extends Codec<infer T> ? T : never;

/** What every BFF route function reads. */
const API_FIELDS = [
  'userPoolId',
  'clientId',
  'allowedOrigins',
  'redirectAllowlist',
  'clientMetadataKeys',
  'adminGroupName',
  'apps',
  'responseFloorMs',
  'retryAfterSeconds',
  'passwordPolicy',
] as const;

/** Per function kind, exactly the configuration it reads. */
export const FUNCTION_KINDS = {
  /** Every BFF route function. */
  api: API_FIELDS,
  /** The BFF route functions that handle cookie sessions (route.ts `usesSession`): api, and the key and lifetime. */
  session: [...API_FIELDS, 'sessionKeySecretId', 'refreshTokenDays'],
  customMessage: ['locales', 'defaultLocale', 'redirectAllowlist', 'appName', 'apps', 'brand'],
  postConfirmation: [
    'defaultGroupName',
    'signOutOnPasswordReset',
    'eventBusName',
    'eventSource',
    'auditIncludeEmail',
    'clientMetadataKeys',
    'redirectAllowlist',
  ],
} as const satisfies Record<string, readonly FieldName[]>;

export type FunctionKind = keyof typeof FUNCTION_KINDS;

export type ConfigOf<K extends FunctionKind> = {
  readonly [F in (typeof FUNCTION_KINDS)[K][number]]: FieldValue<F>;
} & {
  /** The route functions that compute a SecretHash only (CLIENT_SECRET). */
  readonly clientSecretId?: string;
  readonly clientSecretMaxAgeSeconds?: number;
  readonly cognitoEndpoint?: string;
  readonly eventBridgeEndpoint?: string;
  readonly secretsManagerEndpoint?: string;
  readonly sesEndpoint?: string;
  readonly dynamoDbEndpoint?: string;
  readonly mail?: MailConfig;
  readonly codeCap?: CodeCapConfig;
};

export type ApiConfig = ConfigOf<'api'>;
export type SessionConfig = ConfigOf<'session'>;
export type CustomMessageConfig = ConfigOf<'customMessage'>;
export type PostConfirmationConfig = ConfigOf<'postConfirmation'>;

type Environment = Readonly<Record<string, string | undefined>>;

/** The environment of a function of `kind`: the only place that writes one. */
export function toEnvironment(
  kind: FunctionKind,
  settings: Settings,
  ids: DeployedIds,
  features: FunctionFeatures = {},
): Record<string, string> {
  const values: Record<FieldName, unknown> = {
    ...settings,
    userPoolId: ids.userPoolId,
    clientId: ids.clientId,
    eventBusName: ids.eventBusName,
    sessionKeySecretId: ids.sessionKeySecretId,
    refreshTokenDays: settings.client.tokenValidity.refreshTokenDays,
  };
  const env: Record<string, string> = {};
  for (const field of FUNCTION_KINDS[kind]) {
    const codec = FIELDS[field] as unknown as Codec<unknown>;
    if (values[field] === undefined) throw new ConfigError(`${kind} function configuration: ${field} is not given`);
    env[codec.env] = codec.encode(values[field]);
  }
  if (ids.clientSecretId && (kind === 'api' || kind === 'session')) {
    env[CLIENT_SECRET.clientSecretId.env] = ids.clientSecretId;
    env[CLIENT_SECRET.clientSecretMaxAgeSeconds.env] = String(settings.clientSecretMaxAgeSeconds);
  }
  if (ids.cognitoEndpoint) env[ENDPOINTS.cognitoEndpoint.env] = ids.cognitoEndpoint;
  if (ids.eventBridgeEndpoint) env[ENDPOINTS.eventBridgeEndpoint.env] = ids.eventBridgeEndpoint;
  if (ids.secretsManagerEndpoint) env[ENDPOINTS.secretsManagerEndpoint.env] = ids.secretsManagerEndpoint;
  const mail = features.notice && noticeOn(settings, features.notice) ? settings.email : undefined;
  if (features.notice && mail) {
    const value: MailConfig = {
      from: fromAddress(mail.from, mail.fromName),
      notice: features.notice,
      ...(mail.replyTo ? { replyTo: mail.replyTo } : {}),
      ...(mail.configurationSet ? { configurationSet: mail.configurationSet } : {}),
      ...(mail.sesRegion ? { region: mail.sesRegion } : {}),
    };
    env[FEATURES.mail.env] = FEATURES.mail.encode(value);
    if (ids.sesEndpoint) env[ENDPOINTS.sesEndpoint.env] = ids.sesEndpoint;
  }
  if (features.codeCap && settings.verificationCodeCap.max > 0) {
    if (!ids.codeCapTable) throw new ConfigError(`${kind} function configuration: codeCapTable is not given`);
    const cap = settings.verificationCodeCap;
    env[FEATURES.codeCap.env] = FEATURES.codeCap.encode({
      table: ids.codeCapTable,
      max: cap.max,
      windowSeconds: cap.windowMinutes * 60,
    });
    if (ids.dynamoDbEndpoint) env[ENDPOINTS.dynamoDbEndpoint.env] = ids.dynamoDbEndpoint;
  }
  return env;
}

/** Whether the setting of a notice is on (validateSettings refuses either without bff:email). */
export const noticeOn = (settings: Settings, notice: NoticeKind): boolean =>
  notice === 'emailChange'
    ? (settings.notifyEmailChange ?? settings.email !== undefined)
    : settings.hideDuplicateSignUp;

/**
 * `From` as SES takes it: the address, or `"Name" <address>` with the name as an RFC 2047 encoded word when it is
 * not plain ASCII (https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_SendEmail.html, FromEmailAddress).
 */
export function fromAddress(address: string, name: string | undefined): string {
  if (!name) return address;
  const plain = /^[\x20-\x7e]*$/.test(name);
  const display = plain
    ? `"${name.replace(/["\\]/g, (c) => `\\${c}`)}"`
    : `=?UTF-8?B?${Buffer.from(name).toString('base64')}?=`;
  return `${display} <${address}>`;
}

/** A configuration that cannot run: names every variable that is missing or malformed. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** The configuration of a function of `kind`, read once at cold start; throws {@link ConfigError}. */
export function loadConfig<K extends FunctionKind>(kind: K, env: Environment = process.env): ConfigOf<K> {
  const config: Record<string, unknown> = {};
  const problems: string[] = [];
  const read = (name: string, codec: Codec<unknown>, required: boolean) => {
    const raw = env[codec.env];
    if (raw === undefined || raw === '') {
      if (required) problems.push(`${codec.env} is missing`);
      return;
    }
    const decoded = codec.decode(raw);
    if ('value' in decoded) config[name] = decoded.value;
    else problems.push(`${codec.env} is malformed: ${decoded.problem}`);
  };
  for (const field of FUNCTION_KINDS[kind]) read(field, FIELDS[field] as unknown as Codec<unknown>, true);
  const optional = kind === 'api' || kind === 'session' ? { ...CLIENT_SECRET, ...ENDPOINTS } : ENDPOINTS;
  for (const [name, codec] of Object.entries(optional)) read(name, codec as unknown as Codec<unknown>, false);
  for (const [name, codec] of Object.entries(FEATURES)) read(name, codec as unknown as Codec<unknown>, false);
  if (problems.length > 0) throw new ConfigError(`${kind} function configuration: ${problems.join('; ')}`);
  return config as ConfigOf<K>;
}
