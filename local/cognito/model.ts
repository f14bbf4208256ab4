/** The local Cognito's persisted state and its errors. */

export type UserStatus = 'UNCONFIRMED' | 'CONFIRMED' | 'RESET_REQUIRED' | 'FORCE_CHANGE_PASSWORD';
export type CodePurpose = 'signUp' | 'forgotPassword' | `verify:${string}`;

export interface StoredCode {
  /** sha256 of the code: the plain code only ever exists in the delivered message. */
  readonly hash: string;
  readonly expiresAt: number;
  failedAttempts: number;
}

export interface StoredUser {
  readonly username: string;
  attributes: Record<string, string>;
  /** Attribute values waiting for verification (keepOriginal). */
  pendingAttributes: Record<string, string>;
  status: UserStatus;
  enabled: boolean;
  passwordHash: string;
  /** The passwords it replaced, most recent first (at most 23), for the pool's password history (history.ts). */
  previousPasswordHashes?: string[];
  tempPasswordExpiresAt?: number;
  readonly createdAt: number;
  updatedAt: number;
  groups: string[];
  /** Live sign-in sessions by origin_jti; a token is valid only while its session is here. */
  sessions: Record<string, StoredSession>;
  codes: Partial<Record<CodePurpose, StoredCode>>;
  failedSignIns: number;
  lockedUntil?: number;
  /** When the user last tried to sign in with a password (for the lockout's idle reset). */
  lastSignInAttemptAt?: number;
  /** Times of code deliveries requested, for the per-user rate limit. */
  codeRequests: number[];
  /** Times of ChangePassword calls, for Cognito's per-user quota. */
  passwordChanges?: number[];
}

/**
 * A sign-in session. With refresh-token rotation, only its current refresh token refreshes it, and the ones it
 * replaced until their grace period ends. Older state files have no `refreshJti`: any of the session's works.
 */
export interface StoredSession {
  clientId: string;
  createdAt: number;
  refreshJti?: string;
  replaced?: { jti: string; until: number }[];
}

export interface StoredClientSecret {
  /** `<client-id>--<epoch-create-time>`, as ClientSecretDescriptorType describes it. */
  readonly id: string;
  readonly value: string;
  readonly createdAt: number;
}

export interface StoredClient {
  readonly clientId: string;
  clientName: string;
  /** The first live secret; the only one in state files written before clientSecrets existed. */
  clientSecret?: string;
  /** Every live secret, oldest first (at most two: client-secrets.ts). Absent in older state files. */
  clientSecrets?: StoredClientSecret[];
  /** As given; empty means Cognito's default flows (see clients.ts). */
  explicitAuthFlows: string[];
  /** As given; empty means Cognito's default set (see attributes.ts). */
  readAttributes: string[];
  writeAttributes: string[];
  preventUserExistenceErrors: 'ENABLED' | 'LEGACY';
  accessTokenValidityMinutes: number;
  idTokenValidityMinutes: number;
  refreshTokenValidityDays: number;
  enablePropagateAdditionalUserContextData: boolean;
  enableTokenRevocation: boolean;
  /** API_RefreshTokenRotationType; absent in older state files (disabled). */
  refreshTokenRotation?: { feature: 'ENABLED' | 'DISABLED'; retryGracePeriodSeconds: number };
  readonly createdAt: number;
  lastModifiedAt: number;
}

export interface PasswordPolicy {
  minimumLength: number;
  requireUppercase: boolean;
  requireLowercase: boolean;
  requireNumbers: boolean;
  requireSymbols: boolean;
  temporaryPasswordValidityDays: number;
  /** PasswordHistorySize 0-24; absent or 0: not enforced (history.ts). */
  passwordHistorySize?: number;
}

/** One attribute of a pool's schema, as CreateUserPool's `Schema` and DescribeUserPool's `SchemaAttributes` say it. */
export interface SchemaAttribute {
  readonly dataType: 'String' | 'Number' | 'DateTime' | 'Boolean';
  readonly mutable: boolean;
  readonly required: boolean;
  readonly developerOnly: boolean;
  readonly minLength?: number;
  readonly maxLength?: number;
}

export interface StoredGroup {
  readonly groupName: string;
  description?: string;
  precedence?: number;
  roleArn?: string;
  readonly createdAt: number;
  lastModifiedAt?: number;
}

export interface StoredPool {
  readonly id: string;
  name: string;
  readonly createdAt: number;
  lastModifiedAt: number;
  policy: PasswordPolicy;
  usernameAttributes: string[];
  /**
   * Standard attributes whose settings were given, and every custom (`custom:x`) and developer-only
   * (`dev:x`) attribute, by full name. Absent in state files written before it existed.
   */
  schema?: Record<string, SchemaAttribute>;
  autoVerifiedAttributes: string[];
  attributesRequireVerificationBeforeUpdate: string[];
  /** Trigger name -> function name registered in the local stack. */
  lambdaConfig: Partial<Record<'CustomMessage' | 'PostConfirmation', string>>;
  deletionProtection: 'ACTIVE' | 'INACTIVE';
  /** UserPoolTier, the feature plan; absent in older state files (Essentials, history.ts). */
  tier?: 'LITE' | 'ESSENTIALS' | 'PLUS';
  /** UserPoolAddOns.AdvancedSecurityMode; absent: OFF. */
  advancedSecurityMode?: 'OFF' | 'AUDIT' | 'ENFORCED';
  readonly key: { readonly kid: string; readonly privatePem: string; readonly publicJwk: Record<string, string> };
  clients: Record<string, StoredClient>;
  groups: Record<string, StoredGroup>;
  users: Record<string, StoredUser>;
  challenges: Record<string, { username: string; clientId: string; expiresAt: number }>;
}

export interface OutboxMessage {
  readonly id: string;
  readonly to: string;
  readonly subject: string;
  readonly body: string;
  readonly code: string;
  readonly triggerSource: string;
  readonly clientMetadata: Record<string, string>;
  readonly createdAt: string;
}

export interface CognitoState {
  version: 1;
  pools: Record<string, StoredPool>;
  outbox: OutboxMessage[];
}

/**
 * Reads a map entry only if the map really holds it: keys come from requests, and a username
 * like "constructor" must not find Object.prototype.constructor.
 */
export const own = <T>(record: Record<string, T>, key: unknown): T | undefined =>
  typeof key === 'string' && Object.hasOwn(record, key) ? record[key] : undefined;

/** Stores a map entry as an own property, even for a key like "__proto__". */
export function put<T>(record: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
}

/** An error as Cognito puts it on the wire: HTTP 400 `{__type, message}`. */
export class CognitoError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = type;
  }
}

export const err = {
  invalidParameter: (m: string) => new CognitoError('InvalidParameterException', m),
  notAuthorized: (m = 'Incorrect username or password.') => new CognitoError('NotAuthorizedException', m),
  userNotFound: () => new CognitoError('UserNotFoundException', 'User does not exist.'),
  resourceNotFound: (m: string) => new CognitoError('ResourceNotFoundException', m),
  codeMismatch: () =>
    new CognitoError('CodeMismatchException', 'Invalid verification code provided, please try again.'),
  expiredCode: () => new CognitoError('ExpiredCodeException', 'Invalid code provided, please request a code again.'),
  invalidPassword: (m: string) =>
    new CognitoError('InvalidPasswordException', `Password did not conform with policy: ${m}`),
  limitExceeded: () =>
    new CognitoError('LimitExceededException', 'Attempt limit exceeded, please try after some time.'),
  userNotConfirmed: () => new CognitoError('UserNotConfirmedException', 'User is not confirmed.'),
  passwordResetRequired: () =>
    new CognitoError('PasswordResetRequiredException', 'Password reset required for the user'),
  usernameExists: () => new CognitoError('UsernameExistsException', 'An account with the given email already exists.'),
  aliasExists: () => new CognitoError('AliasExistsException', 'An account with the given email already exists.'),
};
