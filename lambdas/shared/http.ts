/**
 * The one HTTP chain every BFF route uses, in a fixed order:
 * Lambda context in logs -> security headers -> CORS -> problem+json errors -> auth -> JSON body
 * -> zod -> logic.
 */
import type { AdminCheck } from './admin-token';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy, { type MiddlewareObj } from '@middy/core';
import httpCors from '@middy/http-cors';
import httpSecurityHeaders from '@middy/http-security-headers';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import type { z } from 'zod/mini';
import { type ApiDeps, apiDeps } from './cognito';
import { mapCognitoError } from './cognito-errors';
import { type ApiConfig, BUILTIN_METADATA_KEYS, loadConfig } from './config';
import { holdFloor } from './floor';
import { type Environment, type LambdaFunction, lambdaFunction } from './function';
import { logger } from './logger';
import { type MetricsEmitter, metricsEmitter, withMetrics } from './metrics';
import { routeMetrics } from './route-metrics';
import { isAllowedRedirect } from './redirect';
import type { RouteDefinition } from './route';
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
  /** The bearer access token (authenticated routes only). */
  readonly accessToken?: string;
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

/** The gateway's authorizer let the request in; an admin route also checks the token itself. */
async function authenticate(event: Event, auth: Auth, adminCheck: AdminCheck | undefined) {
  if (auth === 'none') return {};
  const accessToken = header(event, 'authorization')
    ?.replace(/^Bearer\s+/i, '')
    .trim();
  const claims = event.requestContext?.authorizer?.claims as Record<string, unknown> | undefined;
  if (!accessToken || !claims) throw new UnauthorizedError('NotAuthorized', 'A valid access token is required.');
  if (auth === 'admin') await adminCheck?.(accessToken);
  return { accessToken, claims };
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
    // API Gateway's request id ties our log lines to the access log.
    const requestId = request.event.requestContext?.requestId;
    if (requestId) logger.setCorrelationId(requestId);
  },
  after: (request) => {
    logger.info('request', { route: name, status: request.response?.statusCode, ms: elapsed(request) });
    counts.answered();
  },
  onError: (request) => {
    const error = request.error instanceof HttpError ? request.error : mapCognitoError(request.error, config);
    const cause = (error.cause ?? request.error) as { name?: string; $metadata?: { requestId?: string } } | undefined;
    // Names and ids only: an error message may quote a request or response value.
    const fields = {
      route: name,
      status: error.statusCode,
      code: error.code,
      errorName: cause?.name,
      ...(cause?.$metadata?.requestId ? { cognitoRequestId: cause.$metadata.requestId } : {}),
      ms: elapsed(request),
    };
    if (counts.failed(error, cause)) logger.error('request failed', fields);
    else logger.info('request rejected', fields);
    request.response = problemResponse(error);
  },
});

const elapsed = (request: { internal: unknown }) => {
  const started = (request.internal as { started?: number }).started;
  return started === undefined ? undefined : Math.round((performance.now() - started) * 100) / 100;
};

/** The part of the configuration the chain itself reads, prepared once per instance. */
const chainConfig = (config: ApiConfig) => ({
  metadataKeys: new Set<string>([...BUILTIN_METADATA_KEYS, ...config.clientMetadataKeys]),
  redirectAllowlist: config.redirectAllowlist,
  appIds: new Set(Object.keys(config.apps)),
});

/**
 * A route's Lambda function around plain logic. The route row decides everything HTTP: auth,
 * path-parameter and body schemas, and the success status (the logic returns only the body).
 */
export function httpRoute<R extends RouteDefinition>(
  route: R,
  logic: RouteLogic<R>,
  /** Required by `auth: 'admin'` routes: `adminTokenCheck` (admin-token.ts), kept out of other bundles. */
  adminCheck?: (deps: ApiDeps) => AdminCheck,
): LambdaFunction<(event: Event, context: Context) => Promise<APIGatewayProxyResult>> {
  const auth: Auth = route.auth;
  if (auth === 'admin' && !adminCheck) throw new Error(`${route.name}: an admin route needs its token check`);
  return lambdaFunction((env: Environment) => {
    const config = loadConfig('api', env);
    const deps = apiDeps(config);
    return middyChain(route, logic, deps, chainConfig(config), adminCheck?.(deps), metricsEmitter(env));
  });
}

function middyChain<R extends RouteDefinition>(
  route: R,
  logic: RouteLogic<R>,
  deps: ApiDeps,
  chain: ReturnType<typeof chainConfig>,
  adminCheck: AdminCheck | undefined,
  metrics: MetricsEmitter,
) {
  const options: RouteDefinition = route;
  const paramsOf = options.params && { schema: options.params, read: pathParamsReader(options.path) };
  const core = async (event: Event): Promise<APIGatewayProxyResult> => {
    const identity = await authenticate(event, options.auth, adminCheck);
    const params = paramsOf ? validate(paramsOf.schema(), paramsOf.read(event)) : {};
    const body = options.schema ? validate(options.schema(), parseBody(event, options.optionalBody)) : undefined;
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
    return answer === undefined
      ? { statusCode: options.status, headers: { 'Cache-Control': 'no-store' }, body: '' }
      : {
          statusCode: options.status,
          headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' },
          body: JSON.stringify(answer),
        };
  };
  const counted = (event: Event) => withMetrics(metrics, () => core(event));
  return middy<Event, APIGatewayProxyResult, Error, Context>(counted)
    .use(injectLambdaContext(logger, { resetKeys: true, logEvent: false }))
    .use(httpSecurityHeaders())
    .use(
      httpCors({
        origins: [...deps.config.allowedOrigins],
        credentials: false,
        headers: 'Content-Type,Authorization,X-Cognito-Encoded-Data',
        methods: 'GET,POST,PATCH,DELETE,OPTIONS',
        exposeHeaders: 'Retry-After',
        maxAge: 600,
      }),
    )
    .use(problemErrors(route.name, deps.config, routeMetrics(route.name, metrics)));
}
