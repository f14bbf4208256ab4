/** The shape of one row of the route table (lambdas/routes.ts). No CDK import: bundles include it. */
import type { z } from 'zod/mini';

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

export interface RouteDefinition {
  /** Stable route id: function construct id, log field, OpenAPI operationId. */
  readonly name: string;
  readonly method: HttpMethod;
  /** API Gateway style, `{param}` for path parameters. */
  readonly path: string;
  /** `none`: public; `user`: Cognito access token; `admin`: access token of the admin group. */
  readonly auth: 'none' | 'user' | 'admin';
  /**
   * API Gateway throttling class: `strict` routes (the password and sign-in routes, where
   * credential stuffing and mail bombing aim) get the `publicRouteThrottle` setting, `stage` the
   * stage-wide `throttle`.
   */
  readonly throttle: 'strict' | 'stage';
  /** Handler entry, relative to the project root; it exports `handler`. */
  readonly entry: string;
  /** The Cognito operation the route calls, or {@link NO_OPERATION}. */
  readonly operation: string;
  /** IAM actions on this pool the function needs (token-authorized Cognito APIs need none). */
  readonly actions: readonly string[];
  /**
   * The route names a user without credentials (sign-in, forgot, reset, sign-up confirm and resend): it answers
   * alike whether or not the user exists, and never sooner than `bff:responseFloorMs` after its logic started.
   */
  readonly hidesUser?: boolean;
  /**
   * The notice the route mails through SES when its setting is on (config.ts FunctionFeatures): its function then
   * gets the MAIL configuration and may call ses:SendEmail on bff:email's identity only.
   */
  readonly notice?: 'emailChange' | 'duplicateSignUp';
  /** The route sends codes to new addresses: it counts them against bff:verificationCodeCap (code-cap.ts). */
  readonly codeCap?: boolean;
  /** Path parameters' schema (`{name}` in `path`), validated in the HTTP chain, built on first use. */
  readonly params?: () => z.ZodMiniType;
  /** Request body schema, built on first use. */
  readonly schema?: () => z.ZodMiniType;
  readonly optionalBody?: boolean;
  /**
   * What the route does to a cookie-mode session (session.ts): `issue` answers tokens, which cookie mode turns
   * into the two session cookies; `end` ends the session, and cookie mode clears them.
   */
  readonly session?: 'issue' | 'end';
  /**
   * The body schema of a cookie-mode request, where it differs: the refresh route's `{}`, its refresh token
   * being read from the cookie into the body's `refreshToken`.
   */
  readonly cookieSchema?: () => z.ZodMiniType;
  /** The success status the handler sends: the logic returns only the body. */
  readonly status: number;
  /** Success answer schema (for the OpenAPI document), built on first use. */
  readonly answer?: () => z.ZodMiniType;
  readonly summary: string;
}

/**
 * Needed by every route that computes a SecretHash: the app client's secret is read from Secrets Manager, on the
 * one secret that holds it (cognito.ts), and only by these routes' functions.
 */
export const SECRET_ACTION = 'secretsmanager:GetSecretValue';

/**
 * Whether a route's function handles cookie sessions (reads or sets the cookies, so it holds the sealing key):
 * every authenticated route, and the routes that open a session.
 */
export const usesSession = (route: Pick<RouteDefinition, 'auth' | 'session'>): boolean =>
  route.auth !== 'none' || route.session !== undefined;

/** The configuration kind (lambdas/shared/config.ts) of a route's function. */
export const functionKindOf = (route: Pick<RouteDefinition, 'auth' | 'session'>) =>
  usesSession(route) ? ('session' as const) : ('api' as const);
/** `operation` of a route that calls no Cognito operation (it answers from its configuration). */
export const NO_OPERATION = 'none';
