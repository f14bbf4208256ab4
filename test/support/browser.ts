/**
 * A browser's side of cookie mode, reduced to what the session tests need: a cookie jar that keeps each cookie
 * with its Path (and forgets it on Max-Age=0), and requests that send the jar's cookies for the request's path,
 * the `X-BFF-Session: cookie` header and an Origin, as a frontend's `fetch(..., { credentials: 'include' })`
 * does. Shared by the flow suite (test/flows/sessions.test.ts, either target) and the local-only checks
 * (test/integration/cookie-sessions.test.ts).
 */
export interface Cookie {
  readonly value: string;
  readonly path: string;
  readonly attributes: string;
}

export class Jar {
  readonly cookies = new Map<string, Cookie>();

  /** Takes the Set-Cookie lines of an answer; returns them. */
  take(headers: Headers): string[] {
    const set = headers.getSetCookie();
    for (const line of set) {
      const [pair = '', ...rest] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const attributes = rest.map((a) => a.trim()).join('; ');
      const path = /(?:^|; )Path=([^;]*)/i.exec(attributes)?.[1] ?? '/';
      if (/(?:^|; )Max-Age=0(?:;|$)/i.test(attributes)) this.cookies.delete(name);
      else this.cookies.set(name, { value: pair.slice(eq + 1), path, attributes });
    }
    return set;
  }

  /** The Cookie header a browser sends to `path`. */
  header(path: string): string {
    return [...this.cookies]
      .filter(([, c]) => path.startsWith(c.path))
      .map(([name, c]) => `${name}=${c.value}`)
      .join('; ');
  }

  /** A copy, as a second tab, or a thief holding yesterday's cookies, would have. */
  copy(): Jar {
    const other = new Jar();
    for (const [name, cookie] of this.cookies) other.cookies.set(name, cookie);
    return other;
  }
}

export interface BrowserAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  readonly body: any;
  readonly setCookies: string[];
}

export interface BrowserRequestOptions {
  /** `cookie` (default) sends X-BFF-Session: cookie; `none` leaves it out. */
  readonly mode?: 'cookie' | 'none';
  /** The Origin header: the page's origin by default, `null` for none. */
  readonly origin?: string | null;
  readonly headers?: Record<string, string>;
}

/** Requests from a page on `origin` to the BFF at `baseUrl`, with `jar` as the browser's cookies. */
export function browser(baseUrl: string, origin: string) {
  const basePath = new URL(baseUrl).pathname.replace(/\/$/, '');
  return {
    /** The API's path prefix (`/v1` in AWS, empty locally): the refresh cookie's Path starts with it. */
    basePath,
    async request(
      jar: Jar,
      method: string,
      path: string,
      body?: unknown,
      options: BrowserRequestOptions = {},
    ): Promise<BrowserAnswer> {
      const headers: Record<string, string> = { ...options.headers };
      const cookie = jar.header(basePath + path);
      if (cookie) headers.cookie = cookie;
      if ((options.mode ?? 'cookie') === 'cookie') headers['x-bff-session'] = 'cookie';
      if (options.origin !== null) headers.origin = options.origin ?? origin;
      if (body !== undefined) headers['content-type'] = 'application/json';
      const response = await fetch(baseUrl + path, {
        method,
        headers,
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      const text = await response.text();
      let parsed: unknown;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        parsed = undefined;
      }
      return {
        status: response.status,
        headers: response.headers,
        text,
        body: parsed,
        setCookies: jar.take(response.headers),
      };
    },
  };
}
