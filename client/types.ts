/**
 * The public types of the client, written by hand so that the built `.d.ts` needs nothing but itself (no zod,
 * no import into lambdas/). test/client/types.test.ts keeps each of them equal to the route table's schemas, and
 * the code union to the codes the BFF and API Gateway send, so they cannot drift.
 */

/**
 * ClientMetadata keys the BFF knows: `locale`, `redirectUri` and `app`. A deployment's extra keys
 * (`bff:clientMetadataKeys`) are added by declaration merging:
 * `declare module 'cognito-password-bff/client' { interface ClientMetadataKeys { tenant?: string } }`.
 */
export interface ClientMetadataKeys {
  /** BCP 47 language tag of the messages. */
  locale?: string;
  /** Where emailed links point: an entry of `bff:redirectAllowlist`. */
  redirectUri?: string;
  /** An app id of `bff:apps`: mail shows its display name. */
  app?: string;
}
export type ClientMetadata = ClientMetadataKeys;

/**
 * Attributes a user may write (the app client's `writeAttributes`, default `email`, `name`, `locale`). A
 * deployment that allows more adds them by declaration merging, as for {@link ClientMetadataKeys}.
 */
export interface WritableAttributes {
  email?: string;
  name?: string;
  locale?: string;
}

/** Cognito's challenge names (ChallengeNameType); the BFF answers NEW_PASSWORD_REQUIRED itself. */
export type ChallengeName =
  | 'SMS_MFA'
  | 'EMAIL_OTP'
  | 'SOFTWARE_TOKEN_MFA'
  | 'SELECT_MFA_TYPE'
  | 'MFA_SETUP'
  | 'PASSWORD_VERIFIER'
  | 'CUSTOM_CHALLENGE'
  | 'SELECT_CHALLENGE'
  | 'DEVICE_SRP_AUTH'
  | 'DEVICE_PASSWORD_VERIFIER'
  | 'ADMIN_NO_SRP_AUTH'
  | 'NEW_PASSWORD_REQUIRED'
  | 'SMS_OTP'
  | 'PASSWORD'
  | 'WEB_AUTHN'
  | 'PASSWORD_SRP';

/** What a mailed link is for: the `flow` in its fragment (`#flow=reset&code=...&username=...`). */
export type LinkFlow = 'confirm' | 'reset' | 'verify' | 'invite' | 'sign-in';

/** Every `code` of a problem the BFF or its API Gateway sends; `Unknown` when an answer carried none. */
export type ProblemCode =
  | 'ValidationFailed'
  | 'PayloadTooLarge'
  | 'UnsupportedMediaType'
  | 'NotAuthorized'
  | 'Forbidden'
  | 'RequestBlocked'
  | 'NotFound'
  | 'UserNotFound'
  | 'UserNotConfirmed'
  | 'UsernameExists'
  | 'AliasExists'
  | 'CodeMismatch'
  | 'ExpiredCode'
  | 'InvalidPassword'
  | 'InvalidParameter'
  | 'PasswordReused'
  | 'ClientSecretRejected'
  | 'PasswordResetRequired'
  | 'PreconditionNotMet'
  | 'UnsupportedUserState'
  | 'UnsupportedTokenType'
  | 'TargetDisabled'
  | 'TargetStateUnsupported'
  | 'TargetNotConfirmed'
  | 'AttributeNotWritable'
  /** The current (or previous) password a signed-in caller gave is wrong (403): not a reason to refresh. */
  | 'IncorrectPassword'
  | 'TooManyRequests'
  | 'LimitExceeded'
  | 'TooManyFailedAttempts'
  /** The per-user cap on codes sent to a new address (429), or its store unreachable (503). */
  | 'CodeLimitExceeded'
  | 'CodeLimitUnavailable'
  | 'CodeDeliveryFailure'
  | 'TriggerFailed'
  | 'Internal'
  | 'Upstream'
  | 'UpstreamUnavailable'
  | 'GatewayTimeout'
  | 'GatewayRejected'
  | 'GatewayError'
  /** The local stack only: a method the route has not, and the answer while it starts. */
  | 'MethodNotAllowed'
  | 'Starting'
  | 'Unknown';

export interface CodeDelivery {
  destination: string;
  medium: string;
  attribute: string;
}

export interface SignUpBody {
  username: string;
  password: string;
  attributes?: WritableAttributes;
  clientMetadata?: ClientMetadata;
}
export interface SignUpAnswer {
  userSub: string;
  userConfirmed: boolean;
  codeDelivery?: CodeDelivery;
}
export interface ConfirmSignUpBody {
  username: string;
  code: string;
  clientMetadata?: ClientMetadata;
}
export interface ResendBody {
  username: string;
  clientMetadata?: ClientMetadata;
}
export interface CodeDeliveryAnswer {
  codeDelivery: CodeDelivery;
}
export interface SignInBody {
  username: string;
  password: string;
}
/** Token mode's session answer. */
export interface Tokens {
  accessToken: string;
  idToken: string;
  refreshToken?: string;
  /** Seconds the access token is valid. */
  expiresIn: number;
  tokenType: string;
}
/** Cookie mode's session answer: the tokens are in HttpOnly cookies. */
export interface CookieSession {
  mode: 'cookie';
  /** Seconds the access token (cookie) is valid. */
  expiresIn: number;
}
export interface Challenge {
  name: ChallengeName;
  session: string;
  /** The user's real username: send it back as `username` of the answer, not the email. */
  username: string;
  parameters: Record<string, string>;
}
export interface ChallengeAnswer {
  challenge: Challenge;
}
export interface NewPasswordBody {
  /** `challenge.username` of the sign-in answer (Cognito refuses the email). */
  username: string;
  session: string;
  newPassword: string;
}
export interface RefreshBody {
  refreshToken: string;
  /** @deprecated Ignored: no longer needed. */
  username?: string;
}
export interface ForgotBody {
  username: string;
  clientMetadata?: ClientMetadata;
}
export interface ResetBody {
  username: string;
  code: string;
  password: string;
  clientMetadata?: ClientMetadata;
}
export interface ChangeBody {
  previousPassword: string;
  proposedPassword: string;
}
export interface AdminResetBody {
  clientMetadata?: ClientMetadata;
}
export interface AdminResetAnswer {
  action: 'resetRequired' | 'invitationResent';
}
export interface Me {
  username: string;
  attributes: Record<string, string>;
  /** The user's groups (the access token's `cognito:groups`), e.g. to show an admin panel. */
  groups: string[];
}
export interface UpdateAttributesBody {
  attributes: WritableAttributes;
  /** Required when `attributes` changes the email. */
  currentPassword?: string;
  clientMetadata?: ClientMetadata;
}
export interface UpdateAttributesAnswer {
  codeDeliveries: CodeDelivery[];
}
export interface VerifyAttributeBody {
  attribute: keyof WritableAttributes;
  code: string;
}
export interface VerificationCodeBody {
  attribute: keyof WritableAttributes;
  clientMetadata?: ClientMetadata;
}
/** The pool's password policy: every field of `bff:passwordPolicy` (more may come). */
export interface PasswordPolicy {
  minLength: number;
  requireLowercase: boolean;
  requireUppercase: boolean;
  requireDigits: boolean;
  requireSymbols: boolean;
  tempPasswordValidityDays: number;
  /** A new password may not be one of this many last passwords (0: no history rule). */
  passwordHistorySize: number;
  [field: string]: number | boolean;
}

export interface FieldError {
  readonly path: string;
  readonly message: string;
}

/** `token`: tokens in bodies and `Authorization: Bearer` (native, server). `cookie`: HttpOnly cookies (browsers). */
export type SessionMode = 'token' | 'cookie';
