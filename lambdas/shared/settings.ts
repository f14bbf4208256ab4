/**
 * The product's settings: one zod schema, plain data, no CDK import. The CDK app (bin/, lib/),
 * the local stack (local/) and the benchmark read the same `bff:*` values through
 * {@link settingsFromContext}; functions never import this module: they receive only their own
 * part of it through the configuration contract (./config.ts).
 */
import * as z from 'zod/mini';
import { LOCALE_TAGS } from '../triggers/custom-message/locales/tags.generated';
import { isLocalhost } from './redirect';
import { COGNITO_NAME_CHARACTERS } from './schema';
import { NO_OPERATION } from './route';

const int = (min: number, max: number) => z.int().check(z.gte(min), z.lte(max));
const strings = () => z.array(z.string());
const hexColor = () => z.string().check(z.regex(/^#[0-9a-fA-F]{6}$/));

const passwordPolicySchema = z.strictObject({
  /** @default 12 */
  minLength: z._default(int(8, 99), 12),
  requireLowercase: z._default(z.boolean(), true),
  requireUppercase: z._default(z.boolean(), true),
  requireDigits: z._default(z.boolean(), true),
  requireSymbols: z._default(z.boolean(), true),
  /** Days a temporary password (AdminCreateUser) stays valid. @default 7 */
  tempPasswordValidityDays: z._default(int(1, 365), 7),
  /**
   * How many of a user's most recent passwords (the current one included) a new one must differ from: 0-24,
   * 0 turns it off. Essentials or Plus plan only.
   * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_PasswordPolicyType.html
   * @default 0
   */
  passwordHistorySize: z._default(int(0, 24), 0),
});

const tokenValiditySchema = z.strictObject({
  accessTokenMinutes: z._default(int(5, 1440), 60),
  idTokenMinutes: z._default(int(5, 1440), 60),
  refreshTokenDays: z._default(int(1, 3650), 30),
});

const throttleSchema = (rateLimit: number, burstLimit: number) =>
  z.strictObject({
    rateLimit: z._default(z.number().check(z.positive()), rateLimit),
    burstLimit: z._default(int(0, 5000), burstLimit),
  });

const clientSchema = z.strictObject({
  clientName: z._default(z.string().check(z.minLength(1), z.maxLength(128)), 'password-bff'),
  /** Cognito explicit auth flows. */
  explicitAuthFlows: z._default(z.array(z.string().check(z.regex(/^ALLOW_[A-Z_]+$/))), [
    'ALLOW_USER_PASSWORD_AUTH',
    'ALLOW_REFRESH_TOKEN_AUTH',
  ]),
  readAttributes: z._default(strings(), ['email', 'email_verified', 'name', 'locale']),
  writeAttributes: z._default(strings(), ['email', 'name', 'locale']),
  tokenValidity: z._default(tokenValiditySchema, { accessTokenMinutes: 60, idTokenMinutes: 60, refreshTokenDays: 30 }),
  preventUserExistenceErrors: z._default(z.boolean(), true),
  /**
   * Refresh-token rotation is always on: a refresh returns a new refresh token, and the one it replaces keeps
   * working for this many seconds (0-60), so a retry or a second tab is not signed out.
   * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_RefreshTokenRotationType.html
   */
  refreshTokenRotationGraceSeconds: z._default(int(0, 60), 10),
});

/**
 * Cognito's user pool request-rate quota categories: the default requests per second of each, for
 * one account in one Region (all of its user pools together), and whether AWS raises it on request.
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/quotas.html ("Amazon Cognito user
 *   pools API operation categories and request rate quotas")
 */
export const COGNITO_QUOTA_CATEGORIES = {
  UserAuthentication: { rps: 120, adjustable: true },
  UserCreation: { rps: 50, adjustable: true },
  UserFederation: { rps: 25, adjustable: true },
  UserAccountRecovery: { rps: 30, adjustable: false },
  UserRead: { rps: 120, adjustable: true },
  UserUpdate: { rps: 25, adjustable: false },
  UserToken: { rps: 120, adjustable: true },
  UserResourceRead: { rps: 50, adjustable: true },
  UserResourceUpdate: { rps: 25, adjustable: false },
  UserList: { rps: 30, adjustable: false },
  UserPoolRead: { rps: 15, adjustable: false },
  UserPoolUpdate: { rps: 15, adjustable: false },
  UserPoolResourceRead: { rps: 20, adjustable: false },
  UserPoolResourceUpdate: { rps: 15, adjustable: false },
  UserPoolClientRead: { rps: 15, adjustable: false },
  UserPoolClientUpdate: { rps: 15, adjustable: false },
} as const;

export type CognitoQuotaCategory = keyof typeof COGNITO_QUOTA_CATEGORIES;

const QUOTA_CATEGORY_NAMES = Object.keys(COGNITO_QUOTA_CATEGORIES) as [CognitoQuotaCategory, ...CognitoQuotaCategory[]];

/**
 * The category each Cognito operation the product calls spends, as the quotas page lists them
 * (same page). The page states UserCreation (SignUp, ConfirmSignUp, AdminCreateUser,
 * AdminConfirmSignUp) and UserAuthentication (InitiateAuth, RespondToAuthChallenge and their Admin
 * forms; token refreshes count there too, per its sizing example) in its text; the other rows
 * follow its table. An operation missing here stops synth (see {@link routeThrottles}).
 */
export const OPERATION_CATEGORY: Readonly<Record<string, CognitoQuotaCategory>> = {
  SignUp: 'UserCreation',
  ConfirmSignUp: 'UserCreation',
  AdminCreateUser: 'UserCreation',
  AdminConfirmSignUp: 'UserCreation',
  InitiateAuth: 'UserAuthentication',
  RespondToAuthChallenge: 'UserAuthentication',
  AdminInitiateAuth: 'UserAuthentication',
  AdminRespondToAuthChallenge: 'UserAuthentication',
  GetTokensFromRefreshToken: 'UserAuthentication',
  ForgotPassword: 'UserAccountRecovery',
  ConfirmForgotPassword: 'UserAccountRecovery',
  ChangePassword: 'UserAccountRecovery',
  AdminResetUserPassword: 'UserAccountRecovery',
  AdminSetUserPassword: 'UserAccountRecovery',
  ResendConfirmationCode: 'UserAccountRecovery',
  GetUser: 'UserRead',
  AdminGetUser: 'UserRead',
  UpdateUserAttributes: 'UserUpdate',
  VerifyUserAttribute: 'UserUpdate',
  GetUserAttributeVerificationCode: 'UserUpdate',
  DeleteUser: 'UserUpdate',
  GlobalSignOut: 'UserUpdate',
  AdminUserGlobalSignOut: 'UserUpdate',
  AdminDisableUser: 'UserUpdate',
  AdminEnableUser: 'UserUpdate',
  AdminUpdateUserAttributes: 'UserUpdate',
  RevokeToken: 'UserToken',
  AdminAddUserToGroup: 'UserResourceUpdate',
  AdminRemoveUserFromGroup: 'UserResourceUpdate',
  AdminListGroupsForUser: 'UserResourceRead',
  ListUsers: 'UserList',
  DescribeUserPoolClient: 'UserPoolClientRead',
};

/** What Cognito's own triggers call in this product when an operation succeeds (PostConfirmation). */
export const TRIGGER_CALLS: Readonly<Record<string, readonly string[]>> = {
  ConfirmSignUp: ['AdminAddUserToGroup'],
  ConfirmForgotPassword: ['AdminUserGlobalSignOut'],
};

const sesRegion = () => z.string().check(z.regex(/^[a-z]{2}(-[a-z]+)+-\d$/));

/** Amazon SES sending for the pool's mail (Cognito's `DEVELOPER` email sending account). */
const emailSchema = z.strictObject({
  /** The sender address: verified in SES (or in the verified domain). */
  from: z.email(),
  /** Display name before the address. @default - the address alone */
  fromName: z.optional(z.string().check(z.minLength(1), z.maxLength(64))),
  /** @default - replies go to `from` */
  replyTo: z.optional(z.email()),
  /** The SES Region. @default - the stack's Region */
  sesRegion: z.optional(sesRegion()),
  /** SES configuration set (event publishing, dedicated IPs). @default - none */
  configurationSet: z.optional(z.string().check(z.regex(/^[a-zA-Z0-9_-]{1,64}$/))),
  /** Set when SES verified the domain rather than the `from` address itself. @default - the address is verified */
  verifiedDomain: z.optional(z.string().check(z.regex(/^(?=.{1,253}$)([a-z0-9-]{1,63}\.)+[a-z]{2,63}$/i))),
});

const DNS_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/**
 * A custom domain for the API (API Gateway regional custom domain, the stage mapped at its root), so that the
 * API is on the same site as the app (e.g. app.example.com and api.example.com): the session cookies are then
 * first-party (README, "Custom domain"). The hosted zone is given by id AND name, so that synth stays offline.
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/how-to-custom-domains.html
 */
const domainSchema = z.strictObject({
  /** The API's host name, e.g. `api.example.com`. */
  name: z.string().check(z.regex(DNS_NAME)),
  /** An ACM certificate for that name, in the stack's Region (a regional endpoint). */
  certificateArn: z.string().check(z.regex(/^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[\w-]{1,128}$/)),
  /** A Route 53 hosted zone in which to create the alias record. @default - no record: create it yourself */
  hostedZone: z.optional(
    z.strictObject({ id: z.string().check(z.regex(/^Z[A-Z0-9]{1,32}$/)), name: z.string().check(z.regex(DNS_NAME)) }),
  ),
});

const rate = () => z.number().check(z.gt(0), z.lte(1));

/**
 * Alarm thresholds (lib/constructs/operations.ts; README, "Runbook"). Each alarm fires when its figure over one
 * period of `periodMinutes` reaches its threshold; rates are shares of the API's requests (0-1].
 */
const alarmsSchema = z.strictObject({
  /** Minutes of one evaluation period. @default 5 */
  periodMinutes: z._default(int(1, 60), 5),
  /** Share of requests answered 5xx (API Gateway's 5XXError). @default 0.05 */
  serverErrorRate: z._default(rate(), 0.05),
  /** Share of requests answered 429 (the gateway's and the routes', from the access log). @default 0.1 */
  throttledRate: z._default(rate(), 0.1),
  /** Errors plus throttles of any one function. @default 1 */
  functionErrors: z._default(int(1, 1_000_000), 1),
  /** Trigger failures plus fallback messages (TriggerFailures, MessageFallbacks). @default 1 */
  triggerFailures: z._default(int(1, 1_000_000), 1),
  /** Mail Cognito refused for its daily email cap (EmailLimitReached). @default 1 */
  emailLimit: z._default(int(1, 1_000_000), 1),
  /** Requests the WAF blocked (only with bff:enableWaf). @default 100 */
  wafBlocked: z._default(int(1, 2_000_000_000), 100),
  /** Requests Cognito refused for the app client secret (SecretHashFailures). @default 1 */
  secretHash: z._default(int(1, 1_000_000), 1),
});

export const DEFAULT_ALARMS = {
  periodMinutes: 5,
  serverErrorRate: 0.05,
  throttledRate: 0.1,
  functionErrors: 1,
  triggerFailures: 1,
  emailLimit: 1,
  wafBlocked: 100,
  secretHash: 1,
} as const;

/** Every product setting with its default: `settingsSchema.parse({})` is the default product. */
export const settingsSchema = z.strictObject({
  /** Browser origins allowed by CORS. Never `*`. */
  allowedOrigins: z._default(strings(), ['http://localhost:3000', 'http://127.0.0.1:3000']),
  /**
   * Link targets in mail: an origin plus an exact path, or a path prefix when the path ends
   * with `/` (lambdas/shared/redirect.ts). https only, except http://localhost and
   * http://127.0.0.1 for development.
   */
  redirectAllowlist: z._default(strings(), ['http://localhost:3000/', 'http://127.0.0.1:3000/']),
  /**
   * Locales the CustomMessage trigger may answer in. @default every message file in
   * lambdas/triggers/custom-message/locales (a new locale is one file there)
   */
  locales: z._default(strings(), [...LOCALE_TAGS]),
  defaultLocale: z._default(z.string(), 'en'),
  adminGroupName: z._default(z.string(), 'admins'),
  /** Group every confirmed user joins. */
  defaultGroupName: z._default(z.string(), 'users'),
  /** Extra ClientMetadata keys accepted besides locale, redirectUri and app. */
  clientMetadataKeys: z._default(strings(), []),
  passwordPolicy: z._default(passwordPolicySchema, {
    minLength: 12,
    requireLowercase: true,
    requireUppercase: true,
    requireDigits: true,
    requireSymbols: true,
    tempPasswordValidityDays: 7,
    passwordHistorySize: 0,
  }),
  client: z._default(clientSchema, {
    clientName: 'password-bff',
    explicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    readAttributes: ['email', 'email_verified', 'name', 'locale'],
    writeAttributes: ['email', 'name', 'locale'],
    tokenValidity: { accessTokenMinutes: 60, idTokenMinutes: 60, refreshTokenDays: 30 },
    preventUserExistenceErrors: true,
    refreshTokenRotationGraceSeconds: 10,
  }),
  /** Sign every session out after a password reset (PostConfirmation). */
  signOutOnPasswordReset: z._default(z.boolean(), true),
  /** Audit event source name. */
  eventSource: z._default(z.string().check(z.minLength(1)), 'password-bff'),
  /** Put the user's email into audit events (personal data: off unless consumers need it). */
  auditIncludeEmail: z._default(z.boolean(), false),
  /**
   * Product name in messages: the brand, when a request names no app of {@link apps}. Set it:
   * the default is a visible placeholder.
   */
  appName: z._default(z.string().check(z.minLength(1), z.maxLength(64)), 'Example App'),
  /**
   * The look of the emails (lambdas/triggers/custom-message/templates/layout.eta): colours as
   * `#rrggbb`, an https logo URL and a support address shown under the sign-off. The product
   * name is appName. @default blue on light grey, no logo, no support line
   */
  brand: z._default(
    z.strictObject({
      primaryColor: z.optional(hexColor()),
      backgroundColor: z.optional(hexColor()),
      textColor: z.optional(hexColor()),
      logoUrl: z.optional(z.string().check(z.regex(/^https:\/\/[^\s"'<>]{1,500}$/))),
      supportEmail: z.optional(z.email()),
    }),
    {},
  ),
  /**
   * The apps a frontend may name in `clientMetadata.app`: id -> display name, which mail shows in
   * place of appName. Any other id is refused (400); mail never shows the value a request sent.
   * Ids: lower-case letters, digits, `-` and `_`, at most 32. @default {} (no app may be named)
   */
  apps: z._default(z.record(z.string(), z.string().check(z.minLength(1), z.maxLength(64))), {}),
  /** Stage-wide throttling. */
  throttle: z._default(throttleSchema(100, 200), { rateLimit: 100, burstLimit: 200 }),
  /** Stricter throttling on the routes of the route table's `throttle: 'strict'` class. */
  publicRouteThrottle: z._default(throttleSchema(10, 20), { rateLimit: 10, burstLimit: 20 }),
  /** `retain` keeps the pool (and deletion protection) when the stack is deleted; `destroy` is for dev stacks. */
  removalPolicy: z._default(z.enum(['retain', 'destroy']), 'retain'),
  /**
   * A WAF web ACL on the API stage with per-IP rate-based rules (lib/constructs/rate-limit-waf.ts): on by
   * default; `false` opts out (README, "Scale and cost", for its monthly cost).
   */
  enableWaf: z._default(z.boolean(), true),
  /** Requests per IP per 5 minutes, over every route, before the WAF blocks the IP. */
  wafLimitPer5Minutes: z._default(int(10, 2_000_000_000), 500),
  /** Requests per IP per 5 minutes to the routes that send mail (sign-up, resend, forgot, email change and code). */
  wafMailLimitPer5Minutes: z._default(int(10, 2_000_000_000), 20),
  /** Requests per IP per 5 minutes to sign-in. */
  wafSignInLimitPer5Minutes: z._default(int(10, 2_000_000_000), 100),
  /**
   * Cognito's feature plan. Essentials is Cognito's default; threat protection needs Plus.
   * @see https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-sign-in-feature-plans.html
   */
  featurePlan: z._default(z.enum(['lite', 'essentials', 'plus']), 'essentials'),
  /** Threat protection enforced (compromised credentials, adaptive authentication): Plus only. */
  threatProtection: z._default(z.boolean(), false),
  /**
   * Create API Gateway's CloudWatch logging role for the whole account and Region
   * (AWS::ApiGateway::Account), which every REST API there shares. Off: the stack changes nothing
   * outside itself, and the role must already be set once per Region (README, "Deploy").
   */
  apiGatewayAccountRole: z._default(z.boolean(), false),
  /**
   * Send the pool's mail with Amazon SES. Without it Cognito's built-in email sends at most 50
   * messages a day per account (synth warns).
   * @see https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-email.html
   */
  email: z.optional(emailSchema),
  /**
   * Mail the old address when `PATCH /me/attributes` changes the email (issue 17): the address it moves to
   * (masked), no code, no link. Sent through SES from bff:email (ROUND2: a notice needs a channel that sends any
   * mail), so `true` without bff:email is refused at synth. A failed notice never fails the change: it is logged
   * and counted (NoticeFailures). @default - on when bff:email is set, off otherwise
   */
  notifyEmailChange: z.optional(z.boolean()),
  /**
   * OWASP's advice against the sign-up oracle: a sign-up for an existing username answers exactly like a new
   * one (201, a random `userSub`, the masked destination), and the account's owner is mailed that someone tried
   * to sign up with the address. Changes the contract (no 409 UsernameExists), so off by default (ROUND2). Needs
   * bff:email (SES). @default false
   */
  hideDuplicateSignUp: z._default(z.boolean(), false),
  /**
   * The per-user cap on verification codes sent to a new address (`POST /me/attributes/verification-code`, and an
   * email change through `PATCH /me/attributes`): at most `max` in a fixed window of `windowMinutes`, counted in
   * a DynamoDB table (items expire by TTL). Over it: 429 with the bff:retryAfterSeconds Retry-After. `max` 0
   * turns the cap (and its table) off. @default { max: 5, windowMinutes: 60 }
   */
  verificationCodeCap: z._default(z.strictObject({ max: int(0, 1000), windowMinutes: int(1, 1440) }), {
    max: 5,
    windowMinutes: 60,
  }),
  /** A custom domain for the API, on the app's site, for first-party session cookies. @default - none */
  domain: z.optional(domainSchema),
  /** Ship source maps with the functions and turn them on (NODE_OPTIONS=--enable-source-maps). */
  sourceMaps: z._default(z.boolean(), false),
  /**
   * Cognito request-rate quotas of this account and Region where AWS raised them, by category
   * (requests per second); the others are Cognito's defaults ({@link COGNITO_QUOTA_CATEGORIES}).
   */
  cognitoQuotas: z._default(z.partialRecord(z.enum(QUOTA_CATEGORY_NAMES), int(1, 1_000_000)), {}),
  /**
   * The share of each Cognito quota this stack's API may spend: the method throttles of the
   * routes that spend a category add up to at most this share of it (other apps of the account
   * spend the rest).
   */
  cognitoQuotaShare: z._default(z.number().check(z.gt(0), z.lte(1)), 0.8),
  /**
   * Synthesize for `cdk import` of a kept pool: the pool without its trigger references, so that
   * the pool, its client and its groups can be imported into a stack that does not exist yet
   * (README, "Retention"). Only for that one command.
   */
  importUserPool: z._default(z.boolean(), false),
  /**
   * The least time, in ms, that an answer of a route that names a user without credentials (sign-in, forgot,
   * reset, sign-up confirm and resend) takes, so that its timing does not tell whether the user exists: in
   * AWS, Cognito runs the CustomMessage trigger only for real users. Set it above the p99 of those routes for
   * real users (a warm trigger included); an answer that takes longer is logged as `response floor exceeded`.
   * 0 turns the floor off. @default 400
   */
  responseFloorMs: z._default(int(0, 10_000), 400),
  /**
   * `Retry-After` of every 429 the BFF sends (Cognito's throttles and per-user limits on the authenticated
   * routes, API Gateway's throttle). Cognito publishes no windows, so in AWS it is a minimum wait; the local
   * Cognito counts those limits in a window of this length, so that locally the wait is exactly enough.
   * @default 60
   */
  retryAfterSeconds: z._default(int(1, 3600), 60),
  /**
   * How long a function keeps the app client's secret, read from Secrets Manager, before it reads it again. A
   * rotation (`npm run secret -- rotate`) keeps the old secret live in Cognito longer than this after it stores
   * the new one, so that no function signs with a deleted secret. @default 300
   */
  clientSecretMaxAgeSeconds: z._default(int(1, 3600), 300),
  /** Alarm thresholds, each with its default (README, "Runbook"). */
  alarms: z._default(alarmsSchema, DEFAULT_ALARMS),
  /** An address the alarm topic mails (a subscription to confirm once). @default - no subscription */
  alarmEmail: z.optional(z.email()),
});

export type Settings = z.infer<typeof settingsSchema>;
export type PasswordPolicySettings = Settings['passwordPolicy'];
export type ClientSettings = Settings['client'];
export type TokenValiditySettings = ClientSettings['tokenValidity'];
export type ThrottleSettings = Settings['throttle'];
export type EmailSettings = NonNullable<Settings['email']>;
export type AlarmSettings = Settings['alarms'];

export const defaultSettings: Settings = settingsSchema.parse({});

/** The names of the settings, as `bff:<name>` context keys. */
export const SETTING_NAMES = Object.keys(settingsSchema.def.shape) as (keyof Settings)[];

const PREFIX = 'bff:';

const describeValue = (value: unknown) => {
  const text = typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
};

/** What a field's schema takes, in words, for error messages: `true or false`, `a JSON array`... */
function expected(schema: z.ZodMiniType): string {
  const def = (schema as unknown as { def: { type: string; innerType?: z.ZodMiniType; entries?: object } }).def;
  switch (def.type) {
    case 'default':
    case 'optional':
      return def.innerType ? expected(def.innerType) : 'a value';
    case 'boolean':
      return 'true or false';
    case 'number':
      return 'a number';
    case 'string':
      return 'a string';
    case 'enum':
      return `one of ${Object.values(def.entries ?? {})
        .map((v) => JSON.stringify(v))
        .join(', ')}`;
    case 'array':
      return 'a JSON array';
    default:
      return 'a JSON object';
  }
}

/**
 * A context value as its field's schema reads it. cdk.json gives typed JSON; `-c key=value` always
 * gives a string, so a string is read by the field's type: kept as text for text fields (no blind
 * JSON.parse: `bff:appName=123` stays "123"), `true`/`false` for booleans, a number for numbers,
 * JSON for lists and objects.
 */
function fromContext(name: string, value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const kind = expected(settingsSchema.def.shape[name as keyof Settings]);
  const wrong = () => new Error(`bff:${name}: got ${describeValue(value)}, expected ${kind}`);
  if (kind === 'true or false') {
    if (value !== 'true' && value !== 'false') throw wrong();
    return value === 'true';
  }
  if (kind === 'a number') {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n)) throw wrong();
    return n;
  }
  if (kind === 'a JSON array' || kind === 'a JSON object') {
    try {
      return JSON.parse(value);
    } catch {
      throw wrong();
    }
  }
  return value;
}

/** What a failed check allows, in words (zod/mini carries no message texts). */
function allowed(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_value':
      return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'invalid_type':
      return `expected ${issue.expected === 'int' ? 'an integer' : `a ${issue.expected}`}`;
    case 'too_small':
      return `expected ${issue.inclusive === false ? 'more than' : 'at least'} ${issue.minimum}`;
    case 'too_big':
      return `expected at most ${issue.maximum}`;
    case 'invalid_format':
      return `expected the format ${
        issue.format === 'regex' ? String((issue as { pattern?: unknown }).pattern) : issue.format
      }`;
    case 'unrecognized_keys':
      return `unknown keys ${issue.keys.join(', ')}`;
    default:
      return 'not allowed here';
  }
}

/** Parses and checks settings, or throws one message naming each bad key, the value and what is allowed. */
export function parseSettings(input: unknown): Settings {
  const result = settingsSchema.safeParse(input);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const path = issue.path.map(String).join('.');
      const received = issue.path.reduce<unknown>(
        (value, key) => (value as Record<PropertyKey, unknown> | undefined)?.[key],
        input,
      );
      return `bff:${path}: got ${describeValue(received)}, ${allowed(issue)}`;
    });
    throw new Error(`invalid settings: ${problems.join('; ')}`);
  }
  validateSettings(result.data);
  return result.data;
}

/**
 * Settings from the CDK context (cdk.json and `-c`): every `bff:*` key, read the same way from
 * both, validated whole. An unknown `bff:` key is refused with the list of known ones.
 */
export function settingsFromContext(context: Readonly<Record<string, unknown>>): Settings {
  const input: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(context)) {
    if (!key.startsWith(PREFIX)) continue;
    const name = key.slice(PREFIX.length);
    if (!(SETTING_NAMES as string[]).includes(name)) {
      throw new Error(
        `unknown setting ${key}: the bff: settings are ${SETTING_NAMES.map((n) => PREFIX + n).join(', ')}`,
      );
    }
    if (value !== undefined) input[name] = fromContext(name, value);
  }
  return parseSettings(input);
}

/** The rules that span fields or need a URL parser. Throws with a lowercase message naming the bad value. */
export function validateSettings(s: Settings): void {
  const zone = s.domain?.hostedZone?.name.replace(/\.$/, '');
  if (s.domain && zone && s.domain.name !== zone && !s.domain.name.endsWith(`.${zone}`)) {
    throw new Error(`domain.name ${s.domain.name} is not in the hosted zone ${zone}`);
  }
  for (const origin of s.allowedOrigins) {
    if (origin === '*') throw new Error('allowedOrigins must list origins, not "*"');
    let url: URL;
    try {
      url = new URL(origin);
    } catch {
      throw new Error(`allowedOrigins: "${origin}" is not a URL origin`);
    }
    if (url.origin !== origin) throw new Error(`allowedOrigins: "${origin}" must be a bare origin (got path or slash)`);
  }
  for (const entry of s.redirectAllowlist) {
    let url: URL;
    try {
      url = new URL(entry);
    } catch {
      throw new Error(`redirectAllowlist: "${entry}" is not an absolute URL`);
    }
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLocalhost(url))) {
      throw new Error(`redirectAllowlist: "${entry}" must use https (http only for localhost)`);
    }
    if (url.search || url.hash) throw new Error(`redirectAllowlist: "${entry}" must not carry a query or fragment`);
    if (/%(2f|5c)/i.test(entry)) throw new Error(`redirectAllowlist: "${entry}" must not contain an encoded / or \\`);
  }
  if (s.locales.length === 0) throw new Error('locales must not be empty');
  const missing = s.locales.filter((l) => !LOCALE_TAGS.includes(l));
  if (missing.length) {
    throw new Error(`locales: no message file for ${missing.join(', ')} (found: ${LOCALE_TAGS.join(', ')})`);
  }
  if (!s.locales.includes(s.defaultLocale)) {
    throw new Error(`defaultLocale "${s.defaultLocale}" is not one of locales (${s.locales.join(', ')})`);
  }
  const p = s.passwordPolicy;
  if (!Number.isInteger(p.minLength) || p.minLength < 8 || p.minLength > 99) {
    throw new Error(`passwordPolicy.minLength must be an integer from 8 to 99, got ${p.minLength}`);
  }
  const t = s.client.tokenValidity;
  if (t.accessTokenMinutes < 5 || t.accessTokenMinutes > 1440) {
    throw new Error(`tokenValidity.accessTokenMinutes must be 5-1440, got ${t.accessTokenMinutes}`);
  }
  if (t.idTokenMinutes < 5 || t.idTokenMinutes > 1440) {
    throw new Error(`tokenValidity.idTokenMinutes must be 5-1440, got ${t.idTokenMinutes}`);
  }
  if (t.refreshTokenDays < 1 || t.refreshTokenDays > 3650) {
    throw new Error(`tokenValidity.refreshTokenDays must be 1-3650, got ${t.refreshTokenDays}`);
  }
  for (const key of s.clientMetadataKeys) {
    if (!/^[A-Za-z][A-Za-z0-9_]{0,31}$/.test(key)) throw new Error(`clientMetadataKeys: "${key}" is not a simple key`);
  }
  for (const [field, name] of [
    ['adminGroupName', s.adminGroupName],
    ['defaultGroupName', s.defaultGroupName],
  ] as const) {
    if (!new RegExp(`^${COGNITO_NAME_CHARACTERS}{1,128}$`, 'u').test(name)) {
      throw new Error(`${field} "${name}" is not a valid group name`);
    }
  }
  validateApps(s.apps);
  if (s.threatProtection && s.featurePlan !== 'plus') {
    throw new Error(
      `threatProtection needs the Plus feature plan, but featurePlan is "${s.featurePlan}": ` +
        'set bff:featurePlan to "plus", or bff:threatProtection to false',
    );
  }
  // Lite has neither password history nor refresh-token rotation, which the BFF always uses (its refresh
  // route calls GetTokensFromRefreshToken); Cognito would refuse both at deploy (FeatureUnavailableInTierException).
  // https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-sign-in-feature-plans.html
  if (s.featurePlan === 'lite') {
    const needs = [
      'refresh-token rotation (always on: bff:client.refreshTokenRotationGraceSeconds)',
      ...(p.passwordHistorySize > 0
        ? [`password history (bff:passwordPolicy.passwordHistorySize ${p.passwordHistorySize})`]
        : []),
    ];
    throw new Error(
      `featurePlan "lite" does not include ${needs.join(' or ')}: set bff:featurePlan to "essentials" or "plus"` +
        (p.passwordHistorySize > 0 ? ', or bff:passwordPolicy.passwordHistorySize to 0' : ''),
    );
  }
  if (s.adminGroupName === s.defaultGroupName) {
    throw new Error(`adminGroupName and defaultGroupName must differ, both are "${s.adminGroupName}"`);
  }
  // A notice needs a channel that can send any mail: SES (ROUND2). Cognito's own email sends only its codes.
  const sesExample = '-c bff:email=\'{"from":"no-reply@example.com"}\'';
  if (s.notifyEmailChange === true && !s.email) {
    throw new Error(
      `notifyEmailChange needs Amazon SES: set bff:email (a verified sender, e.g. ${sesExample}), ` +
        'or bff:notifyEmailChange to false',
    );
  }
  if (s.hideDuplicateSignUp && !s.email) {
    throw new Error(
      `hideDuplicateSignUp mails the account's owner and needs Amazon SES: set bff:email (e.g. ${sesExample}), ` +
        'or bff:hideDuplicateSignUp to false',
    );
  }
  const domain = s.email?.verifiedDomain;
  if (s.email && domain && !s.email.from.toLowerCase().endsWith(`@${domain.toLowerCase()}`)) {
    throw new Error(`email.from "${s.email.from}" is not an address of email.verifiedDomain "${domain}"`);
  }
}

/** A route as the throttle derivation reads it: a row of the route table (lambdas/routes.ts). */
export interface ThrottledRoute {
  readonly name: string;
  readonly operation: string;
  readonly actions: readonly string[];
  readonly throttle: 'strict' | 'stage';
}

/** A route's method throttle, and why it is what it is. */
export interface RouteThrottle extends ThrottleSettings {
  /** The Cognito quota categories one request spends (the route's calls and its triggers' calls). */
  readonly categories: readonly CognitoQuotaCategory[];
  /** The category whose share sets the rate, when the quota is lower than the route class's throttle. */
  readonly limitedBy?: CognitoQuotaCategory;
}

/** This account's quota of a category: a raised one from the settings, else Cognito's default. */
export const quotaOf = (settings: Settings, category: CognitoQuotaCategory): number =>
  settings.cognitoQuotas[category] ?? COGNITO_QUOTA_CATEGORIES[category].rps;

/**
 * The Cognito operations one request of a route spends: its operation, the Cognito actions it is
 * allowed (counted as if called on every request), and what the triggers call after it. The app
 * client's secret comes from Secrets Manager (cognito.ts): no Cognito quota.
 */
export function requestOperations(route: ThrottledRoute): string[] {
  const actions = route.actions.filter((a) => a.startsWith('cognito-idp:')).map((a) => a.slice('cognito-idp:'.length));
  const operations = [route.operation, ...actions, ...(TRIGGER_CALLS[route.operation] ?? [])];
  return [...new Set(operations)].filter((op) => op !== NO_OPERATION);
}

const floor2 = (n: number) => Math.floor(n * 100) / 100;

/**
 * Each route's method throttle, derived from one table ({@link COGNITO_QUOTA_CATEGORIES} with the
 * raised quotas of the settings): the routes that spend a category share `cognitoQuotaShare` of it
 * equally, so that API Gateway answers 429 before Cognito throttles, however the traffic is mixed;
 * a route's rate is the lowest of its shares and of its class's throttle (`publicRouteThrottle`
 * for `strict` routes, the stage `throttle` otherwise). Its burst is at most its lowest share (at
 * least 1): a larger bucket would let one second's requests pass that share.
 */
export function routeThrottles(settings: Settings, routes: readonly ThrottledRoute[]): Record<string, RouteThrottle> {
  const spent = new Map<string, CognitoQuotaCategory[]>();
  const users = new Map<CognitoQuotaCategory, number>();
  for (const route of routes) {
    const categories = new Set<CognitoQuotaCategory>();
    for (const operation of requestOperations(route)) {
      const category = OPERATION_CATEGORY[operation];
      if (!category) {
        throw new Error(
          `route ${route.name}: Cognito operation ${operation} has no quota category; ` +
            'add it to OPERATION_CATEGORY in lambdas/shared/settings.ts',
        );
      }
      categories.add(category);
    }
    spent.set(route.name, [...categories]);
    for (const category of categories) users.set(category, (users.get(category) ?? 0) + 1);
  }
  const out: Record<string, RouteThrottle> = {};
  for (const route of routes) {
    const categories = spent.get(route.name) ?? [];
    const cls = route.throttle === 'strict' ? settings.publicRouteThrottle : settings.throttle;
    let share = Number.POSITIVE_INFINITY;
    let lowest: CognitoQuotaCategory | undefined;
    for (const category of categories) {
      const own = floor2((quotaOf(settings, category) * settings.cognitoQuotaShare) / (users.get(category) ?? 1));
      if (own < share) {
        share = own;
        lowest = category;
      }
    }
    const rate = Math.min(cls.rateLimit, share);
    const limitedBy = share < cls.rateLimit ? lowest : undefined;
    if (rate <= 0) {
      throw new Error(
        `route ${route.name}: its share of ${limitedBy} rounds to 0 requests per second; ` +
          'raise bff:cognitoQuotaShare or the quota in bff:cognitoQuotas',
      );
    }
    const burstLimit = Math.min(cls.burstLimit, Math.max(1, Math.floor(share)));
    out[route.name] = { rateLimit: rate, burstLimit, categories, ...(limitedBy ? { limitedBy } : {}) };
  }
  return out;
}

/** At most this many apps: they travel in the functions' environment, which Lambda caps at 4 KB. */
export const MAX_APPS = 20;
export const APP_ID_PATTERN = /^[a-z0-9][a-z0-9_-]{0,31}$/;

function validateApps(apps: Settings['apps']): void {
  const entries = Object.entries(apps);
  if (entries.length > MAX_APPS) {
    throw new Error(`apps: ${entries.length} apps, at most ${MAX_APPS} (they travel in each function's environment)`);
  }
  for (const [id, name] of entries) {
    if (!APP_ID_PATTERN.test(id)) {
      throw new Error(`apps: "${id}" is not an app id (lower-case letters, digits, - and _, at most 32)`);
    }
    // eslint-disable-next-line no-control-regex -- refusing control characters is the point
    if (/[\u0000-\u001f\u007f-\u009f]/.test(name)) {
      throw new Error(`apps.${id}: the display name must not contain control characters`);
    }
  }
}
