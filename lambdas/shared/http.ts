/**
 * The one HTTP chain every BFF route uses, in a fixed order:
 * invocation scope (metrics, log context) -> security headers -> CORS -> problem+json errors -> session mode and
 * its origin check -> auth -> JSON body -> zod -> logic -> session cookies.
 */
import type { AdminCheck } from './admin-token';
import middy, { type MiddlewareObj } from '@middy/core';
import httpSecurityHeaders from '@middy/http-security-headers';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import type { z } from 'zod/mini';
import type { AccessTokenCheck } from './access-token';
import { type ApiDeps, apiDeps } from './cognito';
import { mapCognitoError } from './cognito-errors';
import { type ApiConfig, BUILTIN_METADATA_KEYS, type SessionConfig, loadConfig } from './config';
import { holdFloor } from './floor';
import { type Environment, type LambdaFunction, lambdaFunction } from './function';
import { logger } from './logger';
import { scoped } from './invocation';
import { type MetricsEmitter, metricsEmitter } from './metrics';
import { routeMetrics } from './route-metrics';
import { isAllowedRedirect } from './redirect';
import { type RouteDefinition, functionKindOf } from './route';
import {
  type FieldError,
  HttpError,
  PROBLEM_CONTENT_TYPE,
  PayloadTooLargeError,
  UnauthorizedError,
  UnsupportedMediaTypeError,
  ValidationError,
} from './problem';
import { BCP47 } from './schema';
import {
  ACCESS_COOKIE,
  REFRESH_COOKIE,
  basePath,
  checkSessionOrigin,
  clearedCookies,
  isCookieMode,
  open,
  readCookies,
  sessionCookies,
} from './session';
import { sessionKey } from './session-key';

export const MAX_BODY_BYTES = 16 * 1024;
/** The deepest nesting of arrays and objects a body may have; every route's body is at most 2 deep. */
export const MAX_BODY_DEPTH = 16;

export type Auth = RouteDefinition['auth'];

export interface RouteRequest<B, P = Readonly<Record<string, never>>> {
  readonly body: B;
  /** The path parameters, validated by the route's `params` schema. */
  readonly params: P;
  /** The caller's IP as API Gateway saw it, for Cognito's UserContextData. */
  readonly sourceIp: string;
  /** Device fingerprint from the frontend's Cognito advanced-security SDK, if sent. */
  readonly encodedData?: string;
  /** The caller's verified access token (authenticated routes only), from the header or the session cookie. */
  readonly accessToken?: string;
  /** Its verified claims. */
  readonly claims?: Readonly<Record<string, unknown>>;
}

/** The validated body of a route, or undefined for routes without a body. */
export type BodyOf<R extends RouteDefinition> = R extends { schema: () => infer S extends z.ZodMiniType }
  ? z.infer<S>
  : undefined;

/** The validated path parameters of a route. */
export type ParamsOf<R extends RouteDefinition> = R extends { params: () => infer S extends z.ZodMiniType }
  ? z.infer<S>
  : Readonly<Record<string, never>>;

/** A route's logic: the validated request and the function's dependencies in, the answer body out. */
export type RouteLogic<R extends RouteDefinition> = (
  request: RouteRequest<BodyOf<R>, ParamsOf<R>>,
  deps: ApiDeps,
) => Promise<unknown>;

type Event = APIGatewayProxyEvent;

const header = (event: Event, name: string): string | undefined => {
  const headers = event.headers ?? {};
  for (const key in headers) if (key.toLowerCase() === name) return headers[key] ?? undefined;
  return undefined;
};

const JSON_CONTENT = /^application\/([\w.+-]+\+)?json\s*(;|$)/i;

/**
 * True when the JSON text nests arrays and objects deeper than `max`. A scan of the text, without
 * recursion: an 8000-deep body fits in 16 KB, and recursing over its parse would overflow the stack.
 */
function nestedDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      // A backslash escapes the next character; a quote ends the string.
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

/** Parses a JSON body: size limit, content type, nesting limit, and prototype keys refused. */
function parseBody(event: Event, optional = false): unknown {
  const raw = event.body ?? '';
  const text = event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw;
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) {
    throw new PayloadTooLargeError('PayloadTooLarge', `The body must be at most ${MAX_BODY_BYTES} bytes.`);
  }
  if (text.trim() === '' && optional) return {};
  if (text.trim() === '') throw new ValidationError([{ path: '', message: 'a JSON body is required' }]);
  if (!JSON_CONTENT.test(header(event, 'content-type') ?? '')) {
    throw new UnsupportedMediaTypeError('UnsupportedMediaType', 'Send the body as application/json.');
  }
  if (nestedDeeperThan(text, MAX_BODY_DEPTH)) {
    throw new ValidationError(
      [{ path: '', message: `nested deeper than ${MAX_BODY_DEPTH} levels` }],
      'The body is nested too deeply.',
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ValidationError([{ path: '', message: 'the body is not valid JSON' }], 'The body is not valid JSON.');
  }
  const polluting = findPrototypeKey(parsed);
  if (polluting !== undefined) throw new ValidationError([{ path: polluting, message: 'this key is not allowed' }]);
  return parsed;
}

const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Path of the first `__proto__`/`constructor`/`prototype` key, at any depth. */
function findPrototypeKey(value: unknown, path = ''): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  for (const key of Object.keys(value)) {
    const here = path ? `${path}.${key}` : key;
    if (PROTOTYPE_KEYS.has(key)) return here;
    const found = findPrototypeKey((value as Record<string, unknown>)[key], here);
    if (found !== undefined) return found;
  }
  return undefined;
}

const describeIssue = (issue: z.core.$ZodIssue): string => {
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${issue.expected}`;
    case 'too_big': {
      const unit =
        issue.origin === 'string'
          ? ' characters'
          : issue.origin === 'object' || issue.origin === 'record'
            ? ' entries'
            : '';
      return `must be at most ${issue.maximum}${unit}`;
    }
    case 'too_small':
      return `must be at least ${issue.minimum}${issue.origin === 'string' ? ' characters' : ''}`;
    case 'invalid_format':
      return 'has an invalid format';
    case 'unrecognized_keys':
      return `unknown field${issue.keys.length > 1 ? 's' : ''}: ${issue.keys.map((k) => k.slice(0, 64)).join(', ')}`;
    case 'invalid_key':
      return 'has an invalid key';
    case 'custom':
      return issue.message;
    default:
      return 'is not valid';
  }
};

const issuePath = (path: readonly PropertyKey[]) => path.map(String).join('.');

/**
 * ClientMetadata rules that depend on deployment config: known keys, locale, allowlisted redirect,
 * and an app id of bff:apps (mail shows its display name, never the text a request sent).
 */
function checkClientMetadata(
  metadata: Record<string, string> | undefined,
  config: {
    readonly metadataKeys: ReadonlySet<string>;
    readonly redirectAllowlist: readonly string[];
    readonly appIds: ReadonlySet<string>;
  },
): FieldError[] {
  if (!metadata) return [];
  const errors: FieldError[] = [];
  for (const [key, value] of Object.entries(metadata)) {
    const path = `clientMetadata.${key}`;
    if (!config.metadataKeys.has(key)) errors.push({ path, message: 'unknown key' });
    else if (key === 'locale' && !BCP47.test(value)) errors.push({ path, message: 'must be a BCP 47 language tag' });
    else if (key === 'redirectUri' && !isAllowedRedirect(value, config.redirectAllowlist)) {
      errors.push({ path, message: 'is not on the redirect allowlist' });
    } else if (key === 'app' && !config.appIds.has(value)) errors.push({ path, message: 'is not a configured app' });
  }
  return errors;
}

function validate(schema: z.ZodMiniType, value: unknown): unknown {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new ValidationError(result.error.issues.map((i) => ({ path: issuePath(i.path), message: describeIssue(i) })));
  }
  return result.data;
}

/**
 * A route's `{name}` segments, taken from the request's raw path and decoded exactly once. API Gateway passes
 * `pathParameters` decoded or not depending on the API type, so a value is never read from there twice
 * decoded (`a%2540b` must stay `a%40b`). The path is matched at its end, after any base-path prefix.
 */
function pathParamsReader(template: string) {
  const names = [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '');
  const source = template
    .split(/\{\w+\}/)
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('([^/]+)');
  const pattern = new RegExp(`${source}$`);
  return (event: Event): Record<string, string | undefined> => {
    const match = pattern.exec(event.path ?? '');
    if (!match) return { ...event.pathParameters };
    const params: Record<string, string> = {};
    for (const [i, name] of names.entries()) {
      try {
        params[name] = decodeURIComponent(match[i + 1] ?? '');
      } catch {
        throw new ValidationError([{ path: name, message: 'is not a valid URL path segment' }]);
      }
    }
    return params;
  };
}

/**
 * What a function that handles cookie sessions holds: the sealing key, the session length and, on an
 * authenticated route, the token check.
 */
interface SessionSupport {
  readonly key: () => Promise<Buffer>;
  readonly verify?: AccessTokenCheck;
  readonly refreshSeconds: number;
}

function sessionSupport(config: SessionConfig, env: Environment, verify: AccessTokenCheck | undefined): SessionSupport {
  return {
    key: sessionKey({
      secretId: config.sessionKeySecretId,
      region: env.AWS_REGION ?? process.env.AWS_REGION ?? config.userPoolId.split('_')[0] ?? '',
      ...(config.secretsManagerEndpoint ? { endpoint: config.secretsManagerEndpoint } : {}),
    }),
    ...(verify ? { verify } : {}),
    refreshSeconds: config.refreshTokenDays * 86_400,
  };
}

const NO_TOKEN = 'A valid access token is required.';

/**
 * The caller of an authenticated route, verified here (access-token.ts): the bearer token in token mode, the
 * access cookie in cookie mode (and only then: a request that carries cookies without the header has no
 * credentials). An admin route also checks the group and that the token is live.
 */
async function authenticate(
  event: Event,
  auth: Auth,
  session: SessionSupport | undefined,
  cookies: ReadonlyMap<string, string> | undefined,
  adminCheck: AdminCheck | undefined,
) {
  if (auth === 'none') return {};
  if (!session?.verify) throw new Error('an authenticated route handles sessions and checks tokens');
  const accessToken = cookies
    ? open(await session.key(), ACCESS_COOKIE, cookies.get(ACCESS_COOKIE))?.t
    : header(event, 'authorization')
        ?.replace(/^Bearer\s+/i, '')
        .trim();
  if (typeof accessToken !== 'string' || !accessToken) throw new UnauthorizedError('NotAuthorized', NO_TOKEN);
  const claims = await session.verify(accessToken);
  if (auth === 'admin') await adminCheck?.(accessToken, claims);
  return { accessToken, claims };
}

/** A cookie-mode refresh: the refresh token and the session's end, from the refresh cookie. */
async function refreshFromCookie(session: SessionSupport, cookies: ReadonlyMap<string, string>) {
  const payload = open(await session.key(), REFRESH_COOKIE, cookies.get(REFRESH_COOKIE));
  if (typeof payload?.t !== 'string' || typeof payload.e !== 'number') {
    throw new UnauthorizedError('NotAuthorized', 'There is no session to refresh: sign in again.');
  }
  return { refreshToken: payload.t, expiresAt: payload.e };
}

const problemResponse = (error: HttpError): APIGatewayProxyResult => ({
  statusCode: error.statusCode,
  headers: { 'Content-Type': PROBLEM_CONTENT_TYPE, 'Cache-Control': 'no-store', ...error.headers },
  body: JSON.stringify(error.toProblem()),
});

/** Last onError: any error becomes a problem; the log gets names and codes, never values. */
const problemErrors = (
  name: string,
  config: ApiConfig,
  counts: ReturnType<typeof routeMetrics>,
): MiddlewareObj<Event, APIGatewayProxyResult> => ({
  before: (request) => {
    (request.internal as Record<string, unknown>).started = performance.now();
  },
  after: (request) => {
    // The request's log record rides on its metric line (route-metrics.ts): one line a request.
    counts.answered({
      level: 'INFO',
      message: 'request',
      status: request.response?.statusCode,
      ms: elapsed(request),
      ...requestIds(request),
    });
  },
  onError: (request) => {
    const error = request.error instanceof HttpError ? request.error : mapCognitoError(request.error, config);
    const cause = (error.cause ?? request.error) as { name?: string; $metadata?: { requestId?: string } } | undefined;
    // Names and ids only: an error message may quote a request or response value.
    const fields = {
      status: error.statusCode,
      code: error.code,
      errorName: cause?.name,
      ...(cause?.$metadata?.requestId ? { cognitoRequestId: cause.$metadata.requestId } : {}),
      ms: elapsed(request),
    };
    const serverError = error.statusCode >= 500;
    const logAsError = counts.failed(error, cause, {
      level: serverError ? 'ERROR' : 'INFO',
      message: serverError ? 'request failed' : 'request rejected',
      ...fields,
      ...requestIds(request),
    });
    // A failure an operator acts on also gets a logger line, with the function's context (cold start, trace id).
    if (logAsError) logger.error('request failed', { route: name, ...fields });
    request.response = problemResponse(error);
  },
});

/** The ids that tie a request line to API Gateway's access log and to Lambda's own report line. */
const requestIds = (request: { event: Event; context?: Context }) => ({
  correlation_id: requestIdOf(request.event),
  function_request_id: request.context?.awsRequestId,
});

const elapsed = (request: { internal: unknown }) => {
  const started = (request.internal as { started?: number }).started;
  return started === undefined ? undefined : Math.round((performance.now() - started) * 100) / 100;
};

/**
 * CORS on every answer of a function: an allowlisted Origin is echoed exactly, with credentials (the session
 * cookies); any other origin gets no Access-Control-Allow-Origin at all, so its page cannot read the answer.
 * Never `*`, never a reflected unknown origin. Retry-After is readable.
 */
const cors = (allowedOrigins: readonly string[]): MiddlewareObj<Event, APIGatewayProxyResult> => {
  const apply = (request: { event: Event; response: APIGatewayProxyResult | null | undefined }) => {
    if (!request.response) return;
    const origin = header(request.event, 'origin');
    request.response.headers = {
      ...request.response.headers,
      Vary: 'Origin',
      'Access-Control-Expose-Headers': 'Retry-After',
      ...(origin !== undefined && allowedOrigins.includes(origin)
        ? { 'Access-Control-Allow-Origin': origin, 'Access-Control-Allow-Credentials': 'true' }
        : {}),
    };
  };
  return { after: apply, onError: apply };
};

/** The part of the configuration the chain itself reads, prepared once per instance. */
const chainConfig = (config: ApiConfig) => ({
  metadataKeys: new Set<string>([...BUILTIN_METADATA_KEYS, ...config.clientMetadataKeys]),
  redirectAllowlist: config.redirectAllowlist,
  appIds: new Set(Object.keys(config.apps)),
});

/**
 * The checks an authenticated route is built with, handed in by its entry so that the bundles of the routes that
 * take no token leave them out (aws-jwt-verify is a cold-start cost those functions need not pay).
 */
export interface TokenChecks {
  /** Every authenticated route: `accessTokenCheck` (access-token.ts). */
  readonly accessTokenCheck?: (config: ApiConfig) => AccessTokenCheck;
  /** `auth: 'admin'` routes also: `adminTokenCheck` (admin-token.ts). */
  readonly adminCheck?: (deps: ApiDeps) => AdminCheck;
}

/**
 * A route's Lambda function around plain logic. The route row decides everything HTTP: auth,
 * path-parameter and body schemas, and the success status (the logic returns only the body).
 */
export function httpRoute<R extends RouteDefinition>(
  route: R,
  logic: RouteLogic<R>,
  checks: TokenChecks = {},
): LambdaFunction<(event: Event, context: Context) => Promise<APIGatewayProxyResult>> {
  const auth: Auth = route.auth;
  if (auth !== 'none' && !checks.accessTokenCheck)
    throw new Error(`${route.name}: an authenticated route needs its token check`);
  if (auth === 'admin' && !checks.adminCheck) throw new Error(`${route.name}: an admin route needs its admin check`);
  return lambdaFunction((env: Environment) => {
    const kind = functionKindOf(route);
    const config = loadConfig(kind, env);
    const deps = apiDeps(config);
    const verify = auth === 'none' ? undefined : checks.accessTokenCheck?.(config);
    const session = kind === 'session' ? sessionSupport(config as SessionConfig, env, verify) : undefined;
    return middyChain(route, logic, deps, chainConfig(config), session, checks.adminCheck?.(deps), metricsEmitter(env));
  });
}

function middyChain<R extends RouteDefinition>(
  route: R,
  logic: RouteLogic<R>,
  deps: ApiDeps,
  chain: ReturnType<typeof chainConfig>,
  session: SessionSupport | undefined,
  adminCheck: AdminCheck | undefined,
  metrics: MetricsEmitter,
) {
  const options: RouteDefinition = route;
  const paramsOf = options.params && { schema: options.params, read: pathParamsReader(options.path) };
  const core = async (event: Event): Promise<APIGatewayProxyResult> => {
    const headers = event.headers ?? {};
    // Cookie mode (session.ts): only with the header, only from an allowlisted origin, on every route.
    const cookieMode = isCookieMode(headers);
    if (cookieMode) checkSessionOrigin(headers, deps.config.allowedOrigins);
    const cookies = cookieMode && session ? readCookies(headers) : undefined;
    const identity = await authenticate(event, options.auth, session, cookies, adminCheck);
    const params = paramsOf ? validate(paramsOf.schema(), paramsOf.read(event)) : {};
    let body: unknown;
    let refreshExpiresAt: number | undefined;
    if (cookies && session && options.cookieSchema) {
      // The cookie-mode body (`{}` or nothing), then the refresh token from its cookie.
      validate(options.cookieSchema(), parseBody(event, true));
      const stored = await refreshFromCookie(session, cookies);
      body = { refreshToken: stored.refreshToken };
      refreshExpiresAt = stored.expiresAt;
    } else if (options.schema) body = validate(options.schema(), parseBody(event, options.optionalBody));
    const metadataErrors = checkClientMetadata(
      (body as { clientMetadata?: Record<string, string> } | undefined)?.clientMetadata,
      chain,
    );
    if (metadataErrors.length > 0) throw new ValidationError(metadataErrors);
    const encodedData = header(event, 'x-cognito-encoded-data');
    const started = performance.now();
    let answer: unknown;
    try {
      answer = await logic(
        {
          body: body as BodyOf<R>,
          params: params as ParamsOf<R>,
          sourceIp: event.requestContext?.identity?.sourceIp ?? '0.0.0.0',
          ...(encodedData ? { encodedData } : {}),
          ...identity,
        },
        deps,
      );
    } finally {
      // Answers and errors alike: see floor.ts.
      if (options.hidesUser) await holdFloor(started, deps.config.responseFloorMs, options.name);
    }
    let setCookies: string[] | undefined;
    if (cookies && session) {
      const base = basePath(event.requestContext?.path ?? event.path, options.path);
      const tokens = answer as { accessToken?: unknown; refreshToken?: unknown; expiresIn?: unknown } | undefined;
      if (options.session === 'issue' && typeof tokens?.accessToken === 'string') {
        // The tokens go into the cookies only: the body says the session is on, and for how long.
        const now = Math.floor(Date.now() / 1000);
        const expiresIn = typeof tokens.expiresIn === 'number' ? tokens.expiresIn : 3600;
        setCookies = sessionCookies(
          await session.key(),
          base,
          {
            accessToken: tokens.accessToken,
            expiresIn,
            ...(typeof tokens.refreshToken === 'string' ? { refreshToken: tokens.refreshToken } : {}),
            refreshExpiresAt: refreshExpiresAt ?? now + session.refreshSeconds,
          },
          now,
        );
        answer = { mode: 'cookie', expiresIn };
      } else if (options.session === 'end') setCookies = clearedCookies(base);
    }
    const cookieHeaders = setCookies ? { multiValueHeaders: { 'Set-Cookie': setCookies } } : {};
    return answer === undefined
      ? { statusCode: options.status, headers: { 'Cache-Control': 'no-store' }, ...cookieHeaders, body: '' }
      : {
          statusCode: options.status,
          headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' },
          ...cookieHeaders,
          body: JSON.stringify(answer),
        };
  };
  const handler = middy<Event, APIGatewayProxyResult, Error, Context>(core)
    .use(httpSecurityHeaders())
    .use(cors(deps.config.allowedOrigins))
    .use(problemErrors(route.name, deps.config, routeMetrics(route.name, metrics)));
  // The invocation scope: what the chain and the code under it count with and log with (logger.ts reads the
  // Lambda context only when it writes a line, which an answered request never does).
  return scoped(metrics, (event: Event, context?: Context) => handler(event, context as Context), requestIdOf);
}

/** API Gateway's request id, which ties a log line to the access log. */
const requestIdOf = (event: Event) => event.requestContext?.requestId;
