import {
  AliasExistsException,
  CodeDeliveryFailureException,
  CodeMismatchException,
  CognitoIdentityProviderServiceException,
  ExpiredCodeException,
  ForbiddenException,
  InternalErrorException,
  InvalidEmailRoleAccessPolicyException,
  InvalidLambdaResponseException,
  InvalidParameterException,
  InvalidPasswordException,
  InvalidSmsRoleAccessPolicyException,
  InvalidSmsRoleTrustRelationshipException,
  InvalidUserPoolConfigurationException,
  LimitExceededException,
  MFAMethodNotFoundException,
  NotAuthorizedException,
  OperationNotEnabledException,
  PasswordHistoryPolicyViolationException,
  PasswordResetRequiredException,
  PreconditionNotMetException,
  RefreshTokenReuseException,
  ResourceNotFoundException,
  SoftwareTokenMFANotFoundException,
  TooManyFailedAttemptsException,
  TooManyRequestsException,
  UnauthorizedException,
  UnexpectedLambdaException,
  UnsupportedOperationException,
  UnsupportedTokenTypeException,
  UnsupportedUserStateException,
  UserLambdaValidationException,
  UserNotConfirmedException,
  UserNotFoundException,
  UsernameExistsException,
} from '@aws-sdk/client-cognito-identity-provider';
import { logger } from './logger';
import { countHiddenFailure } from './route-metrics';
import {
  BadGatewayError,
  BadRequestError,
  ConflictError,
  ForbiddenError,
  type HttpError,
  InternalError,
  NotFoundError,
  ServiceUnavailableError,
  TooManyRequestsError,
  UnauthorizedError,
} from './problem';

type ErrorClass = abstract new (...args: never[]) => Error;
/** What a mapping knows besides the error: the `Retry-After` of every 429 (`bff:retryAfterSeconds`). */
interface MappingContext {
  readonly retryAfterSeconds: number;
}
type Mapping = readonly [ErrorClass, (cause: Error, context: MappingContext) => HttpError];

const POLICY_PREFIX = 'Password did not conform with policy:';

const misconfigured = (cause: Error) => new InternalError({ cause });

/** NotAuthorized about our SecretHash or secret is our misconfiguration, not the caller's fault. */
export const isSecretError = (error: Error) => /secret.?hash|client secret/i.test(error.message);
/**
 * Since the refresh contract takes no username, every SecretHash failure is ours (ROUND2): a wrong or stale app
 * client secret. A 502 with its own code, counted (SecretHashFailures, alarmed) and logged once per container.
 */
const secretRejected = (cause: Error) =>
  new BadGatewayError(
    'ClientSecretRejected',
    "The identity provider refused the service's credentials; the operator is alerted. Please try again later.",
    { cause },
  );
/**
 * Cognito answers NotAuthorizedException "A client attempted to write unauthorized attribute" when a request
 * (SignUp, UpdateUserAttributes, a challenge answer's attributes) writes an attribute outside the app client's
 * WriteAttributes: the caller's credentials are fine, the request is not, so it is a 403 on every route, never
 * the 401 that means invalid credentials (issue 17; https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-settings-attributes.html#user-pool-settings-attribute-permissions-and-scopes).
 */
export const isUnwritableAttribute = (error: Error) => /unauthorized attribute/i.test(error.message);
const attributeNotWritable = (cause: Error) =>
  new ForbiddenError('AttributeNotWritable', 'One of these attributes cannot be changed here.', { cause });
const trigger = (cause: Error) =>
  new BadGatewayError('TriggerFailed', 'A step of the identity provider failed. Please try again later.', { cause });

/**
 * Every exception the Cognito operations of this product can raise, to a documented status and
 * stable code. Details are our own words: Cognito's messages can reveal whether a user exists.
 * Order matters only for subclasses; none of these subclass each other.
 */
const MAPPINGS: readonly Mapping[] = [
  [InvalidPasswordException, (cause) => new BadRequestError('InvalidPassword', policyDetail(cause.message), { cause })],
  // The pool's password history (bff:passwordPolicy.passwordHistorySize) refused a recent password.
  [
    PasswordHistoryPolicyViolationException,
    (cause) =>
      new BadRequestError(
        'PasswordReused',
        'You used this password recently on this account. Choose a password you have not used before.',
        { cause },
      ),
  ],
  [CodeMismatchException, (cause) => new BadRequestError('CodeMismatch', 'The code is not valid.', { cause })],
  [
    ExpiredCodeException,
    (cause) => new BadRequestError('ExpiredCode', 'The code has expired; request a new one.', { cause }),
  ],
  [
    InvalidParameterException,
    (cause) =>
      new BadRequestError('InvalidParameter', 'The identity provider rejected the request as invalid.', { cause }),
  ],
  [
    UnsupportedTokenTypeException,
    (cause) => new BadRequestError('UnsupportedTokenType', 'The token type is not supported.', { cause }),
  ],
  [
    NotAuthorizedException,
    (cause) =>
      isSecretError(cause)
        ? secretRejected(cause)
        : isUnwritableAttribute(cause)
          ? attributeNotWritable(cause)
          : new UnauthorizedError(
              'NotAuthorized',
              'Incorrect username or password, or the session is no longer valid.',
              {
                cause,
              },
            ),
  ],
  [
    RefreshTokenReuseException,
    (cause) =>
      new UnauthorizedError('NotAuthorized', 'The refresh token was replaced by a newer one; sign in again.', {
        cause,
      }),
  ],
  [
    UnauthorizedException,
    (cause) => new UnauthorizedError('NotAuthorized', 'The request is not authorized.', { cause }),
  ],
  [
    UserNotConfirmedException,
    (cause) => new ForbiddenError('UserNotConfirmed', 'The account is not confirmed yet.', { cause }),
  ],
  [
    PasswordResetRequiredException,
    (cause) => new ForbiddenError('PasswordResetRequired', 'A password reset is required for this account.', { cause }),
  ],
  [ForbiddenException, (cause) => new ForbiddenError('Forbidden', 'The request was blocked.', { cause })],
  [UserNotFoundException, (cause) => new NotFoundError('UserNotFound', 'The user does not exist.', { cause })],
  [
    UsernameExistsException,
    (cause) => new ConflictError('UsernameExists', 'An account with this username already exists.', { cause }),
  ],
  [
    AliasExistsException,
    (cause) => new ConflictError('AliasExists', 'Another account already uses this email.', { cause }),
  ],
  [
    UnsupportedUserStateException,
    (cause) => new ConflictError('UnsupportedUserState', 'The account is not in a state that allows this.', { cause }),
  ],
  [
    PreconditionNotMetException,
    (cause) => new ConflictError('PreconditionNotMet', 'A precondition was not met.', { cause }),
  ],
  // The 429s that remain once the routes that name a user without credentials have hidden theirs (see
  // hiddenCodeErrors and the route logic): Cognito's account-wide throttle, and the per-user limits of the
  // authenticated routes. One Retry-After for all, from one setting: a minimum wait, since Cognito publishes
  // no windows (https://docs.aws.amazon.com/cognito/latest/developerguide/quotas.html).
  [
    TooManyRequestsException,
    (cause, { retryAfterSeconds }) =>
      new TooManyRequestsError('TooManyRequests', 'Too many requests; slow down.', retryAfterSeconds, { cause }),
  ],
  [
    LimitExceededException,
    (cause, { retryAfterSeconds }) =>
      new TooManyRequestsError('LimitExceeded', 'Attempt limit exceeded; try again later.', retryAfterSeconds, {
        cause,
      }),
  ],
  [
    TooManyFailedAttemptsException,
    (cause, { retryAfterSeconds }) =>
      new TooManyRequestsError(
        'TooManyFailedAttempts',
        'Too many wrong codes; request a new code.',
        retryAfterSeconds,
        { cause },
      ),
  ],
  [UserLambdaValidationException, trigger],
  [UnexpectedLambdaException, trigger],
  [InvalidLambdaResponseException, trigger],
  [
    CodeDeliveryFailureException,
    (cause) =>
      new BadGatewayError('CodeDeliveryFailure', 'The code could not be delivered. Please try again later.', { cause }),
  ],
  [
    InternalErrorException,
    (cause) => new BadGatewayError('Upstream', 'The identity provider failed. Please try again.', { cause }),
  ],
  [ResourceNotFoundException, misconfigured],
  [InvalidUserPoolConfigurationException, misconfigured],
  [InvalidSmsRoleAccessPolicyException, misconfigured],
  [InvalidSmsRoleTrustRelationshipException, misconfigured],
  [InvalidEmailRoleAccessPolicyException, misconfigured],
  [OperationNotEnabledException, misconfigured],
  [UnsupportedOperationException, misconfigured],
  [MFAMethodNotFoundException, misconfigured],
  [SoftwareTokenMFANotFoundException, misconfigured],
];

/*
 * The routes that name a user without credentials (sign-in, forgot, reset, sign-up confirm and resend) answer
 * the same whether or not the user exists, whatever state it is in and whatever limit it has reached
 * (ROUND2, "Enumeration wins over convenience"). Cognito's PreventUserExistenceErrors hides unknown users
 * (https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pool-managing-errors.html); the
 * answers below hide the rest: a state, a lockout, a per-user limit or a failed mail only a real user can get.
 */

/** NotAuthorized that is about the user, not about our SecretHash (that one is our misconfiguration). */
const userNotAuthorized = (error: unknown) =>
  error instanceof NotAuthorizedException && !isSecretError(error) && !isUnwritableAttribute(error);

/**
 * Sign-in's one refusal: a wrong password, an unknown user (UserNotFound if the client were LEGACY), a disabled
 * user and a lockout answer alike. Cognito answers a lockout with NotAuthorized "Password attempts exceeded"
 * (https://docs.aws.amazon.com/cognito/latest/developerguide/authentication.html#authentication-flow-lockout-behavior),
 * so the message covers it: no 429 that only a real account can get.
 */
export function signInRefusal(error: unknown): HttpError | undefined {
  if (!(error instanceof UserNotFoundException) && !userNotAuthorized(error)) return undefined;
  return new UnauthorizedError(
    'NotAuthorized',
    'Incorrect username or password, or wait a few minutes after several failed attempts.',
    { cause: error },
  );
}

/**
 * The refusal of the password a signed-in caller gives to prove it is them (the previous password of a change, the
 * current password of an email change). Their access token is valid, so this is not the 401 that tells a client to
 * refresh its session and retry (which would count the same wrong password twice toward the lockout): a wrong
 * password is 403 `IncorrectPassword` (Cognito: NotAuthorized "Incorrect username or password.", as in
 * https://github.com/aws-amplify/amplify-js/issues/1580 for ChangePassword); a lockout (NotAuthorized "Password attempts exceeded",
 * https://docs.aws.amazon.com/cognito/latest/developerguide/authentication.html#authentication-flow-lockout-behavior)
 * is 429 `LimitExceeded` with Retry-After. There is no one to hide the account from: the caller holds its token.
 * Any other NotAuthorized (a revoked access token) keeps the usual 401.
 */
export function passwordCheckRefusal(error: unknown, retryAfterSeconds: number): HttpError | undefined {
  if (!userNotAuthorized(error)) return undefined;
  const { message } = error as Error;
  if (/password attempts exceeded/i.test(message)) {
    return new TooManyRequestsError(
      'LimitExceeded',
      'Too many wrong passwords; wait a few minutes before trying again.',
      retryAfterSeconds,
      { cause: error },
    );
  }
  if (/incorrect username or password/i.test(message)) {
    return new ForbiddenError('IncorrectPassword', 'The current password is not correct.', { cause: error });
  }
  return undefined;
}

/**
 * The failures of a code that depend on the user (ConfirmSignUp, ConfirmForgotPassword): a wrong code, an
 * expired or missing one, too many wrong ones (Cognito: LimitExceededException after the fifth on
 * ConfirmForgotPassword, field report #25.3; TooManyFailedAttempts in its API model), an unknown, unconfirmed,
 * already confirmed or disabled user. One answer for all, which says what always helps: request a new code.
 */
export function codeRefusal(error: unknown): HttpError | undefined {
  const hidden =
    error instanceof CodeMismatchException ||
    error instanceof ExpiredCodeException ||
    error instanceof TooManyFailedAttemptsException ||
    error instanceof LimitExceededException ||
    error instanceof UserNotFoundException ||
    error instanceof UserNotConfirmedException ||
    error instanceof InvalidParameterException ||
    userNotAuthorized(error);
  if (!hidden) return undefined;
  return new BadRequestError('CodeMismatch', 'The code is wrong or no longer valid: check it, or request a new code.', {
    cause: error,
  });
}

/** Failures of a code request that mean no mail went out: trigger and delivery failures. */
const mailFailed = (error: unknown) =>
  error instanceof CodeDeliveryFailureException ||
  error instanceof UserLambdaValidationException ||
  error instanceof UnexpectedLambdaException ||
  error instanceof InvalidLambdaResponseException;

/**
 * Whether a failed code request (ForgotPassword, ResendConfirmationCode, the invitation resent by AdminCreateUser
 * RESEND) is answered as sent: an unknown, unconfirmed, confirmed or disabled user, a user in a state that gets
 * no code, the per-user limit on code requests (LimitExceeded; hidden: 202, no Retry-After, and no mail), and a
 * mail that failed (only a real user gets one; logged as an error for the operator). Not hidden: Cognito's
 * account-wide throttle, its outages, and our misconfigurations, which every caller meets alike.
 */
export function hidesCodeRequestFailure(error: unknown, route: string): boolean {
  const failedMail = mailFailed(error);
  const hidden =
    failedMail ||
    error instanceof UserNotFoundException ||
    error instanceof UserNotConfirmedException ||
    error instanceof InvalidParameterException ||
    error instanceof LimitExceededException ||
    error instanceof UnsupportedUserStateException ||
    userNotAuthorized(error);
  if (hidden) {
    countHiddenFailure(error, route);
    const fields = { route, errorName: (error as Error).name, answeredAs: 'sent' };
    if (failedMail) logger.error('code request failed', fields);
    else logger.info('code request refused', fields);
  }
  return hidden;
}

function policyDetail(message: string): string {
  return message.startsWith(POLICY_PREFIX)
    ? `The password does not meet the policy: ${message.slice(POLICY_PREFIX.length).trim()}`
    : 'The password does not meet the policy.';
}

const TRANSPORT_ERRORS = new Set([
  'TimeoutError',
  'RequestTimeout',
  'AbortError',
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
]);

/** Any error from a Cognito call to the HttpError the client sees; never echoes the cause. */
export function mapCognitoError(error: unknown, context: MappingContext): HttpError {
  if (error instanceof CognitoIdentityProviderServiceException) {
    for (const [type, toHttp] of MAPPINGS) if (error instanceof type) return toHttp(error, context);
    const status = error.$metadata?.httpStatusCode ?? 500;
    return status >= 500
      ? new BadGatewayError('Upstream', 'The identity provider failed. Please try again.', { cause: error })
      : new InternalError({ cause: error });
  }
  const e = error as { name?: string; code?: string; $metadata?: { httpStatusCode?: number } } | undefined;
  if (e && (TRANSPORT_ERRORS.has(e.name ?? '') || TRANSPORT_ERRORS.has(e.code ?? ''))) {
    return new ServiceUnavailableError('UpstreamUnavailable', 'The identity provider did not answer in time.', {
      cause: error,
    });
  }
  if ((e?.$metadata?.httpStatusCode ?? 0) >= 500 || e?.name === 'SyntaxError' || (e?.name === 'Error' && e.$metadata)) {
    return new BadGatewayError('Upstream', 'The identity provider failed. Please try again.', { cause: error });
  }
  return new InternalError({ cause: error });
}
