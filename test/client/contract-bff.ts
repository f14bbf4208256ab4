/**
 * A fake BFF that plays the pinned cookie-session contract (shared/briefs/cookie-contract.md), with the browser's
 * cookie jar, for unit tests of the session manager before the real cookie mode is merged:
 * - cookies are read only when the request has `X-BFF-Session: cookie` and `credentials: 'include'`;
 * - session answers are 200 `{"mode":"cookie","expiresIn":n}` with no token in the body;
 * - `POST /auth/refresh` takes `{}` and rotates the refresh cookie; sign-out and `DELETE /me` clear both.
 */
export interface Seen {
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly credentials?: RequestCredentials;
  readonly body?: string;
  readonly status: number;
  readonly answer: string;
}

export function contractBff(options: { expiresIn?: number } = {}) {
  const expiresIn = options.expiresIn ?? 3600;
  /** The browser's cookie jar for the BFF's origin. */
  const jar: { access?: string; refresh?: string } = {};
  const validAccess = new Set<string>();
  const validRefresh = new Set<string>();
  const seen: Seen[] = [];
  /** Requests as they arrive, before their answer (which a held refresh delays). */
  const arrived: string[] = [];
  let serial = 0;
  let refreshGate: Promise<void> | undefined;

  const json = (status: number, body?: unknown) =>
    new Response(body === undefined ? null : JSON.stringify(body), {
      status,
      headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json' },
    });
  const problem = (status: number, code: string) =>
    json(status, { type: `urn:password-bff:problem:${code}`, title: code, status, detail: code, code });

  const startSession = () => {
    serial += 1;
    jar.access = `access-${serial}`;
    jar.refresh = `refresh-${serial}`;
    validAccess.add(jar.access);
    validRefresh.add(jar.refresh);
    return json(200, { mode: 'cookie', expiresIn });
  };
  const clear = () => {
    validAccess.clear();
    validRefresh.clear();
    delete jar.access;
    delete jar.refresh;
  };

  async function answer(method: string, path: string, cookieMode: boolean, body: string | undefined) {
    const cookies = cookieMode ? jar : {};
    const signedIn = cookies.access !== undefined && validAccess.has(cookies.access);
    const parsed = body ? (JSON.parse(body) as Record<string, string>) : undefined;
    switch (`${method} ${path}`) {
      case 'POST /auth/sign-in':
        if (parsed?.password === 'temporary')
          return json(200, {
            challenge: { name: 'NEW_PASSWORD_REQUIRED', session: 's'.repeat(20), username: 'sub-1', parameters: {} },
          });
        if (parsed?.password !== 'right') return problem(401, 'NotAuthorized');
        return cookieMode
          ? startSession()
          : json(200, { accessToken: 'a', idToken: 'i', expiresIn, tokenType: 'Bearer' });
      case 'POST /auth/new-password':
        return startSession();
      case 'POST /auth/refresh': {
        if (body !== '{}') return problem(400, 'ValidationFailed');
        await refreshGate;
        if (!cookies.refresh || !validRefresh.has(cookies.refresh)) return problem(401, 'NotAuthorized');
        return startSession();
      }
      case 'GET /me':
        return signedIn
          ? json(200, { username: 'sub-1', attributes: { email: 'jane@example.com' }, groups: [] })
          : problem(401, 'NotAuthorized');
      case 'POST /password/change':
        if (!signedIn) return problem(401, 'NotAuthorized');
        clear();
        return startSession();
      case 'POST /auth/sign-out':
      case 'DELETE /me':
        if (!signedIn) return problem(401, 'NotAuthorized');
        clear();
        return json(204);
      default:
        return problem(404, 'NotFound');
    }
  }

  const fetch = async (input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> => {
    const url = new URL(String(input));
    url.pathname = url.pathname.replace(/^\/v1/, '');
    const headers = Object.fromEntries(
      Object.entries((init.headers ?? {}) as Record<string, string>).map(([k, v]) => [k.toLowerCase(), v]),
    );
    const cookieMode = headers['x-bff-session'] === 'cookie' && init.credentials === 'include';
    const body = typeof init.body === 'string' ? init.body : undefined;
    const method = init.method ?? 'GET';
    arrived.push(`${method} ${url.pathname}`);
    const response = await answer(method, url.pathname, cookieMode, body);
    const copy = response.clone();
    seen.push({
      method,
      path: url.pathname,
      headers,
      ...(init.credentials ? { credentials: init.credentials } : {}),
      ...(body !== undefined ? { body } : {}),
      status: response.status,
      answer: await copy.text(),
    });
    return response;
  };

  return {
    fetch: fetch as typeof globalThis.fetch,
    seen,
    jar,
    /** The access token expires at the BFF (the cookie is still sent). */
    expireAccess: () => validAccess.clear(),
    /** Every refresh token is revoked (signed out elsewhere). */
    revokeAll: () => {
      validAccess.clear();
      validRefresh.clear();
    },
    /** Holds every refresh answer until `release` is called. */
    holdRefresh: () => {
      let release!: () => void;
      refreshGate = new Promise((resolve) => {
        release = () => {
          refreshGate = undefined;
          resolve();
        };
      });
      return release;
    },
    /** Waits (a bounded number of turns of the event loop) until a request has arrived. */
    arrival: async (method: string, path: string) => {
      for (let turn = 0; turn < 10_000 && !arrived.includes(`${method} ${path}`); turn++) {
        await new Promise((resolve) => setImmediate(resolve));
      }
    },
    count: (method: string, path: string) => seen.filter((s) => s.method === method && s.path === path).length,
  };
}

/** A manual timer queue: tests run the scheduled refreshes when they choose, no real time passes. */
export function manualScheduler() {
  const timers: { at: number; callback: () => void; cancelled: boolean }[] = [];
  return {
    schedule: (callback: () => void, ms: number) => {
      const timer = { at: ms, callback, cancelled: false };
      timers.push(timer);
      return () => {
        timer.cancelled = true;
      };
    },
    /** The delays of the timers that are still pending. */
    pending: () => timers.filter((t) => !t.cancelled).map((t) => t.at),
    /** Runs every pending timer once. */
    runAll: () => {
      for (const timer of timers.splice(0)) if (!timer.cancelled) timer.callback();
    },
  };
}

/** Web Locks in one process: callbacks of one name run one after the other, as across tabs. */
export function fakeLocks() {
  const tails = new Map<string, Promise<unknown>>();
  let requests = 0;
  return {
    get requests() {
      return requests;
    },
    request<T>(name: string, callback: () => Promise<T>): Promise<T> {
      requests += 1;
      const previous = tails.get(name) ?? Promise.resolve();
      const run = previous.then(callback, callback);
      tails.set(
        name,
        run.catch(() => undefined),
      );
      return run;
    },
  };
}

/** BroadcastChannel between tabs of one origin: a message reaches every other member. */
export function fakeChannels() {
  const members: { listeners: ((event: { data: unknown }) => void)[] }[] = [];
  return () => {
    const me = { listeners: [] as ((event: { data: unknown }) => void)[] };
    members.push(me);
    return {
      postMessage: (data: unknown) => {
        for (const other of members) if (other !== me) for (const l of other.listeners) l({ data });
      },
      addEventListener: (_type: 'message', listener: (event: { data: unknown }) => void) => {
        me.listeners.push(listener);
      },
    };
  };
}
