/**
 * A small, dependency-free client for the password BFF, for browsers and Node 18+ (fetch): one method per route
 * ({@link createClient}) and a session manager on top of it ({@link createSession}). Its types are its own
 * (./types.ts), kept equal to the route table by test/client/types.test.ts; the endpoints below are checked
 * against the route table by the same test. `npm pack` builds it to dist/client/ (ESM plus .d.ts), exported as
 * `cognito-password-bff/client`.
 */
import type {
  AdminResetAnswer,
  AdminResetBody,
  ChallengeAnswer,
  ChangeBody,
  CodeDeliveryAnswer,
  ConfirmSignUpBody,
  CookieSession,
  FieldError,
  ForgotBody,
  Me,
  NewPasswordBody,
  PasswordPolicy,
  ProblemCode,
  RefreshBody,
  ResendBody,
  ResetBody,
  SessionMode,
  SignInBody,
  SignUpAnswer,
  SignUpBody,
  Tokens,
  UpdateAttributesAnswer,
  UpdateAttributesBody,
  VerificationCodeBody,
  VerifyAttributeBody,
} from './types';

export type * from './types';
export { createSession } from './session';
export type { Session, SessionEvent, SessionOptions, SessionState } from './session';

/** The header that puts a request in cookie mode (a non-simple header: browsers preflight it). */
export const SESSION_HEADER = 'X-BFF-Session';

/** Every {@link ProblemCode}, at run time (test/client/types.test.ts compares it with what the BFF sends). */
export const PROBLEM_CODES = [
  'ValidationFailed',
  'PayloadTooLarge',
  'UnsupportedMediaType',
  'NotAuthorized',
  'Forbidden',
  'RequestBlocked',
  'NotFound',
  'UserNotFound',
  'UserNotConfirmed',
  'UsernameExists',
  'AliasExists',
  'CodeMismatch',
  'ExpiredCode',
  'InvalidPassword',
  'InvalidParameter',
  'PasswordReused',
  'ClientSecretRejected',
  'PasswordResetRequired',
  'PreconditionNotMet',
  'UnsupportedUserState',
  'UnsupportedTokenType',
  'TargetDisabled',
  'TargetStateUnsupported',
  'TargetNotConfirmed',
  'AttributeNotWritable',
  'IncorrectPassword',
  'TooManyRequests',
  'LimitExceeded',
  'TooManyFailedAttempts',
  'CodeLimitExceeded',
  'CodeLimitUnavailable',
  'CodeDeliveryFailure',
  'TriggerFailed',
  'Internal',
  'Upstream',
  'UpstreamUnavailable',
  'GatewayTimeout',
  'GatewayRejected',
  'GatewayError',
  'MethodNotAllowed',
  'Starting',
  'Unknown',
] as const satisfies readonly ProblemCode[];

/** A failure as the BFF describes it (RFC 9457 problem details). */
export class ProblemError extends Error {
  readonly status: number;
  readonly code: ProblemCode;
  readonly detail: string;
  readonly title: string;
  readonly type: string;
  readonly errors: readonly FieldError[];
  /** Seconds to wait before retrying, from Retry-After (429, 503). */
  readonly retryAfter?: number;

  constructor(
    problem: {
      status: number;
      code?: ProblemCode;
      detail?: string;
      title?: string;
      type?: string;
      errors?: readonly FieldError[];
    },
    retryAfter?: number,
  ) {
    super(problem.detail ?? problem.title ?? `HTTP ${problem.status}`);
    this.name = 'ProblemError';
    this.status = problem.status;
    this.code = problem.code ?? 'Unknown';
    this.detail = problem.detail ?? problem.title ?? 'The request failed.';
    this.title = problem.title ?? '';
    this.type = problem.type ?? 'about:blank';
    this.errors = problem.errors ?? [];
    if (retryAfter !== undefined) this.retryAfter = retryAfter;
  }
}

export interface ClientOptions<M extends SessionMode = 'token'> {
  /** The BFF's base URL, e.g. `https://abc.execute-api.eu-west-1.amazonaws.com/v1`. */
  readonly baseUrl: string;
  /**
   * `token` (default for this low-level client): tokens in answers, `Authorization: Bearer`. `cookie`: every
   * request carries `X-BFF-Session: cookie` and the browser's cookies; session answers are {@link CookieSession}.
   */
  readonly mode?: M;
  /** Returns the current access token for bearer routes (token mode). */
  readonly accessToken?: () => string | undefined | Promise<string | undefined>;
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch;
  /** Device fingerprint for Cognito threat protection (sent as X-Cognito-Encoded-Data). */
  readonly encodedData?: () => string | undefined;
}

/** The answer that starts a session: tokens in token mode, `{mode: 'cookie', expiresIn}` in cookie mode. */
export type SessionAnswer<M extends SessionMode> = M extends 'cookie' ? CookieSession : Tokens;

/** Each route's method and path; test/client/types.test.ts checks them against the route table. */
export const ENDPOINTS = {
  signUp: ['POST', '/auth/sign-up'],
  confirmSignUp: ['POST', '/auth/sign-up/confirm'],
  resendSignUpCode: ['POST', '/auth/sign-up/resend'],
  signIn: ['POST', '/auth/sign-in'],
  newPassword: ['POST', '/auth/new-password'],
  refresh: ['POST', '/auth/refresh'],
  signOut: ['POST', '/auth/sign-out'],
  passwordPolicy: ['GET', '/auth/password-policy'],
  forgotPassword: ['POST', '/password/forgot'],
  resetPassword: ['POST', '/password/reset'],
  changePassword: ['POST', '/password/change'],
  adminResetPassword: ['POST', '/admin/users/{username}/password-reset'],
  getMe: ['GET', '/me'],
  updateAttributes: ['PATCH', '/me/attributes'],
  verifyAttribute: ['POST', '/me/attributes/verify'],
  sendVerificationCode: ['POST', '/me/attributes/verification-code'],
  deleteMe: ['DELETE', '/me'],
} as const;
export type EndpointName = keyof typeof ENDPOINTS;

export function createClient<M extends SessionMode = 'token'>(options: ClientOptions<M>) {
  const base = options.baseUrl.replace(/\/+$/, '');
  const cookie = options.mode === 'cookie';
  const doFetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));

  async function call<A>(name: EndpointName, body?: unknown, params: Record<string, string> = {}): Promise<A> {
    const [method, path] = ENDPOINTS[name];
    const url = base + path.replace(/\{(\w+)\}/g, (_, key: string) => encodeURIComponent(params[key] ?? ''));
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (cookie) headers[SESSION_HEADER] = 'cookie';
    else {
      const token = await options.accessToken?.();
      if (token) headers.Authorization = `Bearer ${token}`;
    }
    const encoded = options.encodedData?.();
    if (encoded) headers['X-Cognito-Encoded-Data'] = encoded;
    const response = await doFetch(url, {
      method,
      headers,
      ...(cookie ? { credentials: 'include' as const } : {}),
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    const json = text ? safeJson(text) : undefined;
    if (!response.ok) {
      const retry = response.headers.get('Retry-After');
      const problem = (json && typeof json === 'object' ? json : {}) as ConstructorParameters<typeof ProblemError>[0];
      throw new ProblemError({ ...problem, status: response.status }, retry ? Number(retry) : undefined);
    }
    return json as A;
  }

  return {
    mode: (cookie ? 'cookie' : 'token') as M,
    signUp: (body: SignUpBody) => call<SignUpAnswer>('signUp', body),
    confirmSignUp: (body: ConfirmSignUpBody) => call<undefined>('confirmSignUp', body),
    resendSignUpCode: (body: ResendBody) => call<CodeDeliveryAnswer>('resendSignUpCode', body),
    signIn: (body: SignInBody) => call<SessionAnswer<M> | ChallengeAnswer>('signIn', body),
    newPassword: (body: NewPasswordBody) => call<SessionAnswer<M>>('newPassword', body),
    /** Token mode: the refresh token; cookie mode: nothing (the cookie carries it). */
    refresh: (body?: RefreshBody) => call<SessionAnswer<M>>('refresh', body ?? {}),
    signOut: () => call<undefined>('signOut'),
    passwordPolicy: () => call<PasswordPolicy>('passwordPolicy'),
    forgotPassword: (body: ForgotBody) => call<CodeDeliveryAnswer>('forgotPassword', body),
    resetPassword: (body: ResetBody) => call<undefined>('resetPassword', body),
    changePassword: (body: ChangeBody) => call<SessionAnswer<M>>('changePassword', body),
    adminResetPassword: (username: string, body: AdminResetBody = {}) =>
      call<AdminResetAnswer>('adminResetPassword', body, { username }),
    getMe: () => call<Me>('getMe'),
    updateAttributes: (body: UpdateAttributesBody) => call<UpdateAttributesAnswer>('updateAttributes', body),
    verifyAttribute: (body: VerifyAttributeBody) => call<undefined>('verifyAttribute', body),
    sendVerificationCode: (body: VerificationCodeBody) => call<CodeDeliveryAnswer>('sendVerificationCode', body),
    deleteMe: () => call<undefined>('deleteMe'),
  } satisfies { [N in EndpointName]: (...args: never[]) => Promise<unknown> } & { mode: M };
}

export type PasswordBffClient<M extends SessionMode = 'token'> = ReturnType<typeof createClient<M>>;

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
