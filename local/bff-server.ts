/**
 * The BFF's public port, locally: every route of the table mounted with the SAME handler
 * module as in AWS, each HTTP request turned into an API Gateway (REST, v1) proxy event and the
 * result back. As in AWS, there is no gateway authorizer: the functions verify the access token
 * themselves, from the bearer header or the session cookie (lambdas/shared/access-token.ts).
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { pathToFileURL } from 'node:url';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { readBody } from './aws-json';
import { type RouteDefinition, routeList } from '../lambdas/routes';
import { ALLOWED_REQUEST_HEADERS } from '../lambdas/shared/session';
import { PROBLEM_CONTENT_TYPE, problemType } from '../lambdas/shared/problem';
import type { ThrottleSettings } from '../lambdas/shared/settings';

type Handler = (event: APIGatewayProxyEvent, context: unknown) => Promise<APIGatewayProxyResult>;

interface Mounted {
  readonly route: RouteDefinition & { name: string };
  readonly pattern: RegExp;
  readonly params: string[];
  readonly handler: Handler;
}

export interface BffOptions {
  readonly allowedOrigins: readonly string[];
  /** Extra GET endpoints (local-only): path -> JSON value or undefined for 404. */
  readonly localGet: (path: string, query: URLSearchParams) => unknown | undefined;
  /** Local-only POST endpoints: path + parsed JSON body -> an answer, or undefined for 404. */
  readonly localPost?: (
    path: string,
    body: unknown,
  ) =>
    { readonly status: 200; readonly value: unknown } | { readonly status: 400; readonly detail: string } | undefined;
  /** The stack's clock, for the throttles' buckets. @default Date.now */
  readonly now?: () => number;
  /** Static local files (the page at `/`), by path. */
  readonly assets?: Readonly<Record<string, { readonly contentType: string; readonly body: string }>>;
  /**
   * API Gateway's throttles, emulated when given: every method has its own token bucket, of the
   * `strict` class's settings or the stage's (the route table's `throttle`). Absent: no throttling.
   */
  readonly throttle?: {
    readonly stage: ThrottleSettings;
    readonly strict: ThrottleSettings;
    /** `Retry-After` of a throttled request: bff:retryAfterSeconds, as the gateway's THROTTLED answer. */
    readonly retryAfterSeconds: number;
  };
}

/**
 * Whether a Host header names this machine's loopback: `localhost`, `127.0.0.1` or `[::1]`,
 * with or without a port. The local-only endpoints and the page answer only such requests, so
 * that a page on another site whose DNS name is rebound to 127.0.0.1 cannot read them.
 */
export function isLoopbackHost(host: string | undefined): boolean {
  return /^(localhost|127\.0\.0\.1|\[::1\])(:\d{1,5})?$/i.test(host ?? '');
}

const LOCAL_ONLY_DETAIL =
  'The local endpoints and the page answer only requests addressed to localhost, 127.0.0.1 or [::1].';

const problemBody = (status: number, code: string, title: string, detail: string) =>
  JSON.stringify({ type: problemType(code), title, status, detail, code });

/** What the BFF port answers while the stack is starting: 503 with Retry-After, never silence. */
export function startingListener(): RequestListener {
  return (_req, res) => {
    const body = problemBody(503, 'Starting', 'Service Unavailable', 'The local stack is starting; retry shortly.');
    res.writeHead(503, {
      ...BASE_HEADERS,
      'Content-Type': PROBLEM_CONTENT_TYPE,
      'Retry-After': '1',
      'Content-Length': String(Buffer.byteLength(body)),
    });
    res.end(body);
  };
}

/**
 * A token bucket as API Gateway throttles with: `burstLimit` tokens at most, refilled at
 * `rateLimit` per second, one taken per request.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-request-throttling.html
 */
class TokenBucket {
  private tokens: number;
  private at: number;

  constructor(
    private readonly limits: ThrottleSettings,
    private readonly now: () => number,
  ) {
    this.tokens = limits.burstLimit;
    this.at = now();
  }

  take(): boolean {
    const now = this.now();
    this.tokens = Math.min(this.limits.burstLimit, this.tokens + ((now - this.at) / 1000) * this.limits.rateLimit);
    this.at = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

/** The local page runs only its own script; email previews keep their inline styles. */
const PAGE_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "frame-src 'self'; base-uri 'none'; form-action 'self'";

/** Headers API Gateway / the security-headers middleware put on answers we build ourselves. */
const BASE_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Strict-Transport-Security': 'max-age=31536000; includeSubDomains; preload',
  'X-Frame-Options': 'DENY',
  'Cache-Control': 'no-store',
};

const MAX_REQUEST_BYTES = 1024 * 1024;

/**
 * How many invocations may run at once; the rest wait their turn in arrival order, as requests
 * wait at a gateway in front of a saturated backend.
 */
export class Concurrency {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly limit: number) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.running += 1;
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running -= 1;
    }
  }
}

/**
 * The function whose entry (relative to `root`) is given, run as Lambda runs it: every entry
 * exports `create(env)`, and each instance, created from `env` with its own configuration and
 * SDK clients, handles one invocation at a time. One instance is created now (the start pays the
 * first cold start); an invocation that finds every instance busy gets a new one, as Lambda
 * scales out. Without this, concurrent requests would share one function instance and so one
 * SDK client: 50 sockets behind a 1 s connection timeout.
 */
export async function createFunction<H extends (...args: never[]) => Promise<unknown>>(
  root: URL,
  entry: string,
  env: Readonly<Record<string, string>>,
  concurrency?: Concurrency,
): Promise<H> {
  const module = (await import(pathToFileURL(new URL(entry, root).pathname).href)) as {
    create: (env: Readonly<Record<string, string>>) => H;
  };
  const idle: H[] = [module.create(env)];
  const invoke = async (...args: Parameters<H>) => {
    const instance = idle.pop() ?? module.create(env);
    try {
      return await instance(...args);
    } finally {
      idle.push(instance);
    }
  };
  const limited = concurrency ? (...args: Parameters<H>) => concurrency.run(() => invoke(...args)) : invoke;
  return limited as unknown as H;
}

/**
 * One instance of every route's function, each created from `env` as its Lambda would be. The
 * entries are imported one after the other: they share modules, and Jest's ESM loader cannot
 * link one module for two concurrent imports (the in-process stack runs under Jest too).
 */
export async function mountRoutes(
  root: URL,
  envOf: (route: RouteDefinition) => Readonly<Record<string, string>>,
  concurrency?: Concurrency,
): Promise<Mounted[]> {
  const mounted: Mounted[] = [];
  for (const route of routeList) {
    const params: string[] = [];
    const source = route.path.replace(/\{(\w+)\}/g, (_, name: string) => {
      params.push(name);
      return '([^/]+)';
    });
    const handler = await createFunction<Handler>(root, route.entry, envOf(route), concurrency);
    mounted.push({ route, pattern: new RegExp(`^${source}$`), params, handler });
  }
  return mounted;
}

export function bffListener(mounted: readonly Mounted[], options: BffOptions): RequestListener {
  const now = options.now ?? Date.now;
  const throttle = options.throttle;
  const buckets = new Map(
    throttle ? mounted.map((m) => [m, new TokenBucket(throttle[m.route.throttle], now)] as const) : [],
  );
  const cors = (req: IncomingMessage): Record<string, string> => {
    const origin = req.headers.origin;
    return origin && options.allowedOrigins.includes(origin)
      ? { 'Access-Control-Allow-Origin': origin, 'Access-Control-Allow-Credentials': 'true', Vary: 'Origin' }
      : { Vary: 'Origin' };
  };

  const send = (
    req: IncomingMessage,
    res: ServerResponse,
    status: number,
    body: string,
    headers: Record<string, string>,
  ) => {
    res.writeHead(status, {
      ...BASE_HEADERS,
      ...cors(req),
      ...headers,
      'Content-Length': String(Buffer.byteLength(body)),
    });
    res.end(body);
  };

  const problem = (
    req: IncomingMessage,
    res: ServerResponse,
    status: number,
    code: string,
    title: string,
    detail: string,
  ) => send(req, res, status, problemBody(status, code, title, detail), { 'Content-Type': PROBLEM_CONTENT_TYPE });

  return async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const method = req.method ?? 'GET';
      const candidates = mounted.filter((m) => m.pattern.test(url.pathname));

      if (method === 'OPTIONS' && candidates.length > 0) {
        // API Gateway's CORS preflight (mock integration): allow headers only for allowed origins.
        const allowed = 'Access-Control-Allow-Origin' in cors(req);
        return send(
          req,
          res,
          204,
          '',
          allowed
            ? {
                'Access-Control-Allow-Methods': `${candidates.map((c) => c.route.method).join(',')},OPTIONS`,
                'Access-Control-Allow-Headers': ALLOWED_REQUEST_HEADERS.join(','),
                'Access-Control-Max-Age': '600',
              }
            : {},
        );
      }

      const match = candidates.find((m) => m.route.method === method);
      if (!match) {
        if (
          (url.pathname.startsWith('/_local/') || options.assets?.[url.pathname]) &&
          !isLoopbackHost(req.headers.host)
        )
          return problem(req, res, 403, 'Forbidden', 'Forbidden', LOCAL_ONLY_DETAIL);
        const asset = method === 'GET' ? options.assets?.[url.pathname] : undefined;
        if (asset)
          return send(req, res, 200, asset.body, {
            'Content-Type': asset.contentType,
            'Content-Security-Policy': PAGE_CSP,
          });
        if (method === 'GET') {
          const value = options.localGet(url.pathname, url.searchParams);
          if (value !== undefined)
            return send(req, res, 200, JSON.stringify(value), { 'Content-Type': 'application/json' });
        }
        if (method === 'POST' && options.localPost && url.pathname.startsWith('/_local/')) {
          const text = (await readBody(req, MAX_REQUEST_BYTES).catch(() => undefined))?.toString('utf8');
          let parsed: unknown;
          try {
            parsed = text ? JSON.parse(text) : undefined;
          } catch {
            return problem(req, res, 400, 'ValidationFailed', 'Bad Request', 'The body is not valid JSON.');
          }
          const answer = options.localPost(url.pathname, parsed);
          if (answer?.status === 400) return problem(req, res, 400, 'ValidationFailed', 'Bad Request', answer.detail);
          if (answer) return send(req, res, 200, JSON.stringify(answer.value), { 'Content-Type': 'application/json' });
        }
        if (candidates.length > 0)
          return problem(req, res, 405, 'MethodNotAllowed', 'Method Not Allowed', 'This method is not allowed here.');
        return problem(req, res, 404, 'NotFound', 'Not Found', 'No such route.');
      }

      if (buckets.get(match)?.take() === false) {
        // As the gateway response THROTTLED of lib/constructs/bff-api.ts.
        res.setHeader('Retry-After', String(throttle?.retryAfterSeconds));
        return problem(req, res, 429, 'TooManyRequests', 'Too Many Requests', 'Too many requests; slow down.');
      }
      const body = await readBody(req, MAX_REQUEST_BYTES).catch(() => undefined);
      if (body === undefined)
        return problem(req, res, 413, 'PayloadTooLarge', 'Payload Too Large', 'The body is too large.');

      const values = match.pattern.exec(url.pathname)?.slice(1) ?? [];
      const pathParameters = Object.fromEntries(match.params.map((name, i) => [name, safeDecode(values[i] ?? '')]));
      const headers: Record<string, string> = {};
      for (const [key, value] of Object.entries(req.headers)) if (typeof value === 'string') headers[key] = value;
      const query = Object.fromEntries(url.searchParams);
      const event = {
        resource: match.route.path,
        path: url.pathname,
        httpMethod: method,
        headers,
        multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
        queryStringParameters: Object.keys(query).length > 0 ? query : null,
        multiValueQueryStringParameters: null,
        pathParameters: match.params.length > 0 ? pathParameters : null,
        stageVariables: null,
        isBase64Encoded: false,
        body: body.length > 0 ? body.toString('utf8') : null,
        requestContext: {
          requestId: randomUUID(),
          stage: 'local',
          httpMethod: method,
          path: url.pathname,
          resourcePath: match.route.path,
          identity: { sourceIp: req.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '127.0.0.1' },
        },
      } as unknown as APIGatewayProxyEvent;
      const context = {
        functionName: match.route.name,
        awsRequestId: event.requestContext.requestId,
        getRemainingTimeInMillis: () => 29_000,
      };
      const result = await match.handler(event, context);
      const out: Record<string, string | string[]> = {};
      // Like API Gateway, a header without a value is not sent.
      for (const [key, value] of Object.entries(result.headers ?? {}))
        if (value != null && value !== '') out[key] = String(value);
      // Each value its own header line, as API Gateway sends multiValueHeaders (Set-Cookie cannot be joined).
      for (const [key, value] of Object.entries(result.multiValueHeaders ?? {})) out[key] = value.map(String);
      // Handlers set their own CORS and security headers: ours only fill gaps.
      res.writeHead(result.statusCode, {
        ...BASE_HEADERS,
        ...out,
        'Content-Length': String(Buffer.byteLength(result.body ?? '')),
      });
      res.end(result.body ?? '');
    } catch {
      // The handlers never throw (middy answers problems); this is the gateway failing.
      if (!res.headersSent) problem(req, res, 502, 'Upstream', 'Bad Gateway', 'The function failed.');
      else res.end();
    }
  };
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
