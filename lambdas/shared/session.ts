/**
 * Cookie sessions for browsers (README, "Sessions: cookie mode and token mode"). A request is in cookie mode
 * only when it carries `X-BFF-Session: cookie`: a non-simple header, so a cross-origin page must preflight it,
 * and CORS lets through only the allowlisted origins. Such a request must also come from an allowlisted
 * `Origin` (or, without one, from `Sec-Fetch-Site: same-origin`). With `X-BFF-Session: token` (a native or
 * server client that says so) or without the header, the request is in token mode and the session cookies are
 * never read: a cross-site form or fetch that rides on the cookies is a request without credentials.
 *
 * Both tokens live in HttpOnly cookies, sealed with AES-256-GCM under a key only the functions hold
 * (session-key.ts), the cookie's name as associated data (a value cannot be moved to the other cookie).
 * - `__Host-bff-access`: the access token; `__Host-` means Secure, Path=/ and no Domain, so no other host
 *   of the site can set or shadow it. Max-Age = the access token's lifetime.
 * - `__Secure-bff-refresh`: the refresh token, sent only to the API's refresh route (`<base>/auth/refresh`), the
 *   one route that reads it (sign-out ends the session with the access token: GlobalSignOut revokes every refresh
 *   token); `__Host-` would force Path=/ and send it with every call. It carries the session's absolute end, so that
 *   a rotation never extends the original lifetime. Max-Age = what is left of it.
 * SameSite=Strict on both: a cross-site navigation or form never carries them. Lax would add only cross-site
 * top-level GET navigations, and nothing navigates to the API: the app calls it with fetch.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { BadRequestError, ForbiddenError } from './problem';

export const SESSION_HEADER = 'x-bff-session';
/** The request headers a browser may send (the CORS preflight's Access-Control-Allow-Headers). */
export const ALLOWED_REQUEST_HEADERS = ['Content-Type', 'Authorization', 'X-Cognito-Encoded-Data', 'X-BFF-Session'];
export const ACCESS_COOKIE = '__Host-bff-access';
export const REFRESH_COOKIE = '__Secure-bff-refresh';

type Headers = Readonly<Record<string, string | undefined>>;

const headerOf = (headers: Headers, name: string): string | undefined => {
  for (const key in headers) if (key.toLowerCase() === name) return headers[key] ?? undefined;
  return undefined;
};

/**
 * Whether the request asked for cookie mode: `cookie`; `token` or no header is token mode. Any other value is
 * refused (400), so that a typo does not silently fall back to token mode.
 */
export function isCookieMode(headers: Headers): boolean {
  const value = headerOf(headers, SESSION_HEADER);
  if (value === undefined) return false;
  const mode = value.trim().toLowerCase();
  if (mode === 'cookie') return true;
  if (mode === 'token') return false;
  throw new BadRequestError('ValidationFailed', 'X-BFF-Session must be "cookie" or "token" (absent: token mode).');
}

/**
 * The CSRF check of a cookie-mode request: its Origin is on the allowlist, or, when the browser sent none
 * (same-origin GET), Sec-Fetch-Site says same-origin. Anything else (another site, `Origin: null`, a client
 * that sends neither) is 403.
 */
export function checkSessionOrigin(headers: Headers, allowedOrigins: readonly string[]): void {
  const origin = headerOf(headers, 'origin');
  if (origin !== undefined) {
    if (allowedOrigins.includes(origin)) return;
  } else if (headerOf(headers, 'sec-fetch-site') === 'same-origin') return;
  throw new ForbiddenError('Forbidden', 'This origin may not use cookie sessions.');
}

/** The cookies of a Cookie header: the first of each name (a `__Host-` cookie cannot be shadowed). */
export function readCookies(headers: Headers): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (headerOf(headers, 'cookie') ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim();
    if (name && !cookies.has(name)) cookies.set(name, part.slice(eq + 1).trim());
  }
  return cookies;
}

const VERSION = 'v1.';

/** AES-256-GCM: a random 96-bit IV, the cookie name as associated data, base64url of iv | ciphertext | tag. */
export function seal(key: Buffer, name: string, payload: object): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(name));
  const body = Buffer.concat([cipher.update(JSON.stringify(payload), 'utf8'), cipher.final()]);
  return VERSION + Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url');
}

/** The payload, or undefined for anything that was not sealed by this key for this cookie. */
export function open(key: Buffer, name: string, value: string | undefined): Record<string, unknown> | undefined {
  if (!value?.startsWith(VERSION)) return undefined;
  const raw = Buffer.from(value.slice(VERSION.length), 'base64url');
  if (raw.length < 12 + 16 + 2) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
    decipher.setAAD(Buffer.from(name));
    decipher.setAuthTag(raw.subarray(raw.length - 16));
    const text = Buffer.concat([decipher.update(raw.subarray(12, raw.length - 16)), decipher.final()]).toString();
    const payload: unknown = JSON.parse(text);
    return typeof payload === 'object' && payload !== null ? (payload as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The API's base path as the browser sees it: the request's full path (`requestContext.path`, with the stage
 * `/v1` on the execute-api domain, or the base-path mapping of a custom domain) less the route's own path.
 */
export function basePath(fullPath: string | undefined, routePath: string): string {
  const source = routePath
    .split(/\{\w+\}/)
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('[^/]+');
  const match = new RegExp(`^(.*?)${source}/?$`).exec(fullPath ?? '');
  return match?.[1] ?? '';
}

const attributes = (path: string, maxAge: number) =>
  `Path=${path}; Max-Age=${Math.max(0, Math.floor(maxAge))}; HttpOnly; Secure; SameSite=Strict`;

/** The refresh cookie's Path: the refresh route, under the API's base path. */
export const refreshPath = (base: string) => `${base}/auth/refresh`;

export interface SessionTokens {
  readonly accessToken: string;
  readonly expiresIn: number;
  readonly refreshToken?: string;
  /** The session's absolute end, epoch seconds: kept across rotations. */
  readonly refreshExpiresAt: number;
}

/** Set-Cookie values that open (or renew) a session. */
export function sessionCookies(key: Buffer, base: string, tokens: SessionTokens, nowSeconds: number): string[] {
  const cookies = [
    `${ACCESS_COOKIE}=${seal(key, ACCESS_COOKIE, { t: tokens.accessToken })}; ${attributes('/', tokens.expiresIn)}`,
  ];
  if (tokens.refreshToken) {
    const value = seal(key, REFRESH_COOKIE, { t: tokens.refreshToken, e: tokens.refreshExpiresAt });
    cookies.push(`${REFRESH_COOKIE}=${value}; ${attributes(refreshPath(base), tokens.refreshExpiresAt - nowSeconds)}`);
  }
  return cookies;
}

/** Set-Cookie values that end a session: the same names and paths, empty, Max-Age=0. */
export const clearedCookies = (base: string): string[] => [
  `${ACCESS_COOKIE}=; ${attributes('/', 0)}`,
  `${REFRESH_COOKIE}=; ${attributes(refreshPath(base), 0)}`,
];
