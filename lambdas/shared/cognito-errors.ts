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
type Mapping = readonly [ErrorClass, (cause: Error) => HttpError];

const RETRY_AFTER_SECONDS = { throttled: 1, limit: 60, attempts: 300 } as const;
const POLICY_PREFIX = 'Password did not conform with policy:';

const misconfigured = (cause: Error) => new InternalError({ cause });

/** NotAuthorized about our SecretHash or secret is our misconfiguration, not the caller's fault. */
export const isSecretError = (error: Error) => /secret.?hash|client secret/i.test(error.message);
const trigger = (cause: Error) =>
  new BadGatewayError('TriggerFailed', 'A step of the identity provider failed. Please try again later.', { cause });

/**
 * Every exception the Cognito operations of this product can raise, to a documented status and
 * stable code. Details are our own words: Cognito's messages can reveal whether a user exists.
 * Order matters only for subclasses; none of these subclass each other.
 */
const MAPPINGS: readonly Mapping[] = [
  [InvalidPasswordException, (cause) => new BadRequestError('InvalidPassword', policyDetail(cause.message), { cause })],
  [
    PasswordHistoryPolicyViolationException,
    (cause) =>
      new BadRequestError('PasswordHistoryPolicyViolation', 'The password was used recently; choose another.', {
        cause,
      }),
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
        ? misconfigured(cause)
        : new UnauthorizedError('NotAuthorized', 'Incorrect username or password, or the session is no longer valid.', {
            cause,
          }),
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
  [
    TooManyRequestsException,
    (cause) =>
      new TooManyRequestsError('TooManyRequests', 'Too many requests; slow down.', RETRY_AFTER_SECONDS.throttled, {
        cause,
      }),
  ],
  [
    LimitExceededException,
    (cause) =>
      new TooManyRequestsError('LimitExceeded', 'Attempt limit exceeded; try again later.', RETRY_AFTER_SECONDS.limit, {
        cause,
      }),
  ],
  [
    TooManyFailedAttemptsException,
    (cause) =>
      new TooManyRequestsError(
        'TooManyFailedAttempts',
        'Too many failed attempts; request a new code later.',
        RETRY_AFTER_SECONDS.attempts,
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
export function mapCognitoError(error: unknown): HttpError {
  if (error instanceof CognitoIdentityProviderServiceException) {
    for (const [type, toHttp] of MAPPINGS) if (error instanceof type) return toHttp(error);
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
