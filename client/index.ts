/**
 * A small, dependency-free client for the password BFF, for browsers and Node 18+ (fetch).
 * Request and answer types come from the route table's zod schemas (type-only imports, so
 * nothing of zod reaches a bundle); each endpoint's method and path are checked at compile
 * time against the route table, so the client cannot drift from the contract.
 */
import type { z } from 'zod/mini';
import type { routes } from '../lambdas/routes';

type Routes = typeof routes;
type RouteName = keyof Routes;
type Body<N extends RouteName> = Routes[N] extends { schema: () => infer S extends z.ZodMiniType } ? z.input<S> : never;
type Answer<N extends RouteName> = Routes[N] extends { answer: () => infer S extends z.ZodMiniType }
  ? z.output<S>
  : undefined;

export type SignUpBody = Body<'signUp'>;
export type SignInAnswer = Answer<'signIn'>;
export type Tokens = Answer<'refresh'>;
export type Me = Answer<'getMe'>;
export type CodeDelivery = Answer<'forgotPassword'>['codeDelivery'];
export type ClientMetadata = NonNullable<Body<'forgotPassword'>['clientMetadata']>;
/** What a mailed link is for: the `flow` in its fragment (`#flow=reset&code=...&username=...`). */
export type { LinkFlow } from '../lambdas/shared/redirect';

export interface FieldError {
  readonly path: string;
  readonly message: string;
}

/** A failure as the BFF describes it (RFC 9457 problem details). */
export class ProblemError extends Error {
  readonly status: number;
  readonly code: string;
  readonly detail: string;
  readonly title: string;
  readonly type: string;
  readonly errors: readonly FieldError[];
  /** Seconds to wait before retrying, from Retry-After (429, 503). */
  readonly retryAfter?: number;

  constructor(
    problem: {
      status: number;
      code?: string;
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

export interface ClientOptions {
  /** The BFF's base URL, e.g. `https://abc.execute-api.eu-west-1.amazonaws.com/v1`. */
  readonly baseUrl: string;
  /** Returns the current access token for bearer routes. */
  readonly accessToken?: () => string | undefined | Promise<string | undefined>;
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch;
  /** Device fingerprint for Cognito threat protection (sent as X-Cognito-Encoded-Data). */
  readonly encodedData?: () => string | undefined;
}

/** Binds a route's method and path; both must equal the route table's, or this does not compile. */
const endpoint = <N extends RouteName>(name: N, method: Routes[N]['method'], path: Routes[N]['path']) => ({
  name,
  method,
  path,
});

const ENDPOINTS = {
  signUp: endpoint('signUp', 'POST', '/auth/sign-up'),
  confirmSignUp: endpoint('confirmSignUp', 'POST', '/auth/sign-up/confirm'),
  resendSignUpCode: endpoint('resendSignUpCode', 'POST', '/auth/sign-up/resend'),
  signIn: endpoint('signIn', 'POST', '/auth/sign-in'),
  newPassword: endpoint('newPassword', 'POST', '/auth/new-password'),
  refresh: endpoint('refresh', 'POST', '/auth/refresh'),
  signOut: endpoint('signOut', 'POST', '/auth/sign-out'),
  forgotPassword: endpoint('forgotPassword', 'POST', '/password/forgot'),
  resetPassword: endpoint('resetPassword', 'POST', '/password/reset'),
  changePassword: endpoint('changePassword', 'POST', '/password/change'),
  adminResetPassword: endpoint('adminResetPassword', 'POST', '/admin/users/{username}/password-reset'),
  getMe: endpoint('getMe', 'GET', '/me'),
  updateAttributes: endpoint('updateAttributes', 'PATCH', '/me/attributes'),
  verifyAttribute: endpoint('verifyAttribute', 'POST', '/me/attributes/verify'),
  sendVerificationCode: endpoint('sendVerificationCode', 'POST', '/me/attributes/verification-code'),
  deleteMe: endpoint('deleteMe', 'DELETE', '/me'),
} satisfies { [N in RouteName]: { name: N } };

export function createClient(options: ClientOptions) {
  const base = options.baseUrl.replace(/\/+$/, '');
  const doFetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));

  async function call<N extends RouteName>(
    name: N,
    body?: unknown,
    params: Record<string, string> = {},
  ): Promise<Answer<N>> {
    const { method, path } = ENDPOINTS[name];
    const url = base + path.replace(/\{(\w+)\}/g, (_, key: string) => encodeURIComponent(params[key] ?? ''));
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const token = await options.accessToken?.();
    if (token) headers.Authorization = `Bearer ${token}`;
    const encoded = options.encodedData?.();
    if (encoded) headers['X-Cognito-Encoded-Data'] = encoded;
    const response = await doFetch(url, {
      method,
      headers,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    const json = text ? safeJson(text) : undefined;
    if (!response.ok) {
      const retry = response.headers.get('Retry-After');
      const problem = (json && typeof json === 'object' ? json : {}) as ConstructorParameters<typeof ProblemError>[0];
      throw new ProblemError({ ...problem, status: response.status }, retry ? Number(retry) : undefined);
    }
    return json as Answer<N>;
  }

  return {
    signUp: (body: Body<'signUp'>) => call('signUp', body),
    confirmSignUp: (body: Body<'confirmSignUp'>) => call('confirmSignUp', body),
    resendSignUpCode: (body: Body<'resendSignUpCode'>) => call('resendSignUpCode', body),
    signIn: (body: Body<'signIn'>) => call('signIn', body),
    newPassword: (body: Body<'newPassword'>) => call('newPassword', body),
    refresh: (body: Body<'refresh'>) => call('refresh', body),
    signOut: () => call('signOut'),
    forgotPassword: (body: Body<'forgotPassword'>) => call('forgotPassword', body),
    resetPassword: (body: Body<'resetPassword'>) => call('resetPassword', body),
    changePassword: (body: Body<'changePassword'>) => call('changePassword', body),
    adminResetPassword: (username: string, body: Body<'adminResetPassword'> = {}) =>
      call('adminResetPassword', body, { username }),
    getMe: () => call('getMe'),
    updateAttributes: (body: Body<'updateAttributes'>) => call('updateAttributes', body),
    verifyAttribute: (body: Body<'verifyAttribute'>) => call('verifyAttribute', body),
    sendVerificationCode: (body: Body<'sendVerificationCode'>) => call('sendVerificationCode', body),
    deleteMe: () => call('deleteMe'),
  } satisfies { [N in RouteName]: (...args: never[]) => Promise<unknown> };
}

export type PasswordBffClient = ReturnType<typeof createClient>;

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
