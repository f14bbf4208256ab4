/**
 * Cookie mode and token mode over HTTP against the real local stack (README, "Sessions"; the pinned contract):
 * sessions in sealed HttpOnly cookies only with `X-BFF-Session: cookie` from an allowlisted origin, rotation
 * through the refresh cookie, sign-out and delete clearing both cookies, no token in any cookie-mode body,
 * CORS credentials only for exact allowlisted origins, and a walk of the route table proving that no
 * state-changing route acts on cookies sent without the header.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { routeList } from '../../lambdas/routes';
import { usesSession } from '../../lambdas/shared/route';
import { ACCESS_COOKIE, REFRESH_COOKIE, open } from '../../lambdas/shared/session';
import { deriveKey } from '../../lambdas/shared/session-key';
import { LOCAL_SESSION_KEY_SECRET_ID } from '../../local/secrets';
import {
  NEW_PASSWORD,
  PASSWORD,
  type RunningStack,
  client,
  removeDir,
  startStack,
  uniqueEmail,
} from '../support/stack';

// The machine is shared and has two cores: starting a stack and walking every route take a while.
jest.setTimeout(120_000);

let stack: RunningStack;
let api: ReturnType<typeof client>;
const FOREIGN = 'https://attacker.example';

beforeAll(async () => {
  stack = await startStack();
  api = client(stack.url);
});

afterAll(async () => {
  await stack?.stop();
  if (stack) removeDir(stack.dataDir);
});

interface Cookie {
  readonly value: string;
  readonly path: string;
  readonly attributes: string;
}

/** A browser's cookie jar, reduced to what matters here: name, value, Path, expiry by Max-Age=0. */
class Jar {
  readonly cookies = new Map<string, Cookie>();

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

  header(path: string): string {
    return [...this.cookies]
      .filter(([, c]) => path.startsWith(c.path))
      .map(([name, c]) => `${name}=${c.value}`)
      .join('; ');
  }
}

interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  readonly body: any;
  readonly setCookies: string[];
}

/** A browser-like request: the jar's cookies for the path, the session header unless `token` mode. */
async function request(
  jar: Jar,
  method: string,
  path: string,
  body?: unknown,
  options: { mode?: 'cookie' | 'none'; origin?: string | null; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { ...options.headers };
  const cookie = jar.header(path);
  if (cookie) headers.cookie = cookie;
  if ((options.mode ?? 'cookie') === 'cookie') headers['x-bff-session'] = 'cookie';
  if (options.origin !== null) headers.origin = options.origin ?? stack.url;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(stack.url + path, {
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
}

async function confirmedUser(password = PASSWORD) {
  const email = uniqueEmail('cookie');
  await api.call('POST', '/auth/sign-up', { username: email, password });
  await api.call('POST', '/auth/sign-up/confirm', { username: email, code: await api.latestCode(email) });
  return email;
}

async function cookieSession(email: string, password = PASSWORD) {
  const jar = new Jar();
  const answer = await request(jar, 'POST', '/auth/sign-in', { username: email, password });
  expect(answer.status).toBe(200);
  return { jar, answer };
}

/** The local stack's session key (its state folder), to open the cookies as the BFF does. */
const sessionKey = () => {
  const state = JSON.parse(readFileSync(join(stack.dataDir, 'secrets.json'), 'utf8')) as {
    secrets: Record<string, string>;
  };
  return deriveKey(state.secrets[LOCAL_SESSION_KEY_SECRET_ID] ?? '');
};
const refreshTokenOf = (jar: Jar) => {
  const token = open(sessionKey(), REFRESH_COOKIE, jar.cookies.get(REFRESH_COOKIE)?.value)?.t;
  expect(typeof token).toBe('string');
  return token as string;
};
const maxAge = (cookie: Cookie | undefined) => Number(/Max-Age=(\d+)/i.exec(cookie?.attributes ?? '')?.[1]);

const TOKEN_FIELDS = ['accessToken', 'idToken', 'refreshToken'];

describe('cookie mode', () => {
  it('signs in with both tokens in sealed HttpOnly Secure SameSite=Strict cookies and none in the body', async () => {
    const { jar, answer } = await cookieSession(await confirmedUser());
    expect(answer.body).toEqual({ mode: 'cookie', expiresIn: 3600 });
    const access = jar.cookies.get(ACCESS_COOKIE);
    const refresh = jar.cookies.get(REFRESH_COOKIE);
    expect(access?.attributes).toBe('Path=/; Max-Age=3600; HttpOnly; Secure; SameSite=Strict');
    expect(refresh?.attributes).toBe(`Path=/auth/; Max-Age=${30 * 86_400}; HttpOnly; Secure; SameSite=Strict`);
    // Sealed: no JWT (or any token) readable in a cookie value.
    for (const cookie of [access, refresh]) expect(cookie?.value).toMatch(/^v1\.[\w-]+$/);
    expect(answer.text).not.toContain(refreshTokenOf(jar));
    expect(answer.text).not.toMatch(/eyJ/);
  });

  it('serves GET /me from the access cookie, and only with the header and an allowlisted origin', async () => {
    const email = await confirmedUser();
    const { jar } = await cookieSession(email);
    const me = await request(jar, 'GET', '/me');
    expect(me.status).toBe(200);
    expect(me.body.attributes.email).toBe(email);
    // A same-origin GET carries no Origin: Sec-Fetch-Site decides.
    expect(
      (await request(jar, 'GET', '/me', undefined, { origin: null, headers: { 'sec-fetch-site': 'same-origin' } }))
        .status,
    ).toBe(200);
    // Cookies without the header are no credentials at all.
    const bare = await request(jar, 'GET', '/me', undefined, { mode: 'none' });
    expect([bare.status, bare.body.code]).toEqual([401, 'NotAuthorized']);
    const foreign = await request(jar, 'GET', '/me', undefined, { origin: FOREIGN });
    expect([foreign.status, foreign.body.code]).toEqual([403, 'Forbidden']);
    for (const site of ['cross-site', 'same-site', 'none']) {
      const noOrigin = await request(jar, 'GET', '/me', undefined, {
        origin: null,
        headers: { 'sec-fetch-site': site },
      });
      expect([site, noOrigin.status]).toEqual([site, 403]);
    }
    expect((await request(jar, 'GET', '/me', undefined, { origin: null })).status).toBe(403);
    expect((await request(jar, 'GET', '/me', undefined, { origin: 'null' })).status).toBe(403);
  });

  it('refreshes from the refresh cookie with {}: a new refresh cookie each time, never a longer session', async () => {
    const { jar } = await cookieSession(await confirmedUser());
    const first = refreshTokenOf(jar);
    const firstAge = maxAge(jar.cookies.get(REFRESH_COOKIE));
    const refreshed = await request(jar, 'POST', '/auth/refresh', {});
    expect(refreshed.status).toBe(200);
    expect(refreshed.body).toEqual({ mode: 'cookie', expiresIn: 3600 });
    const second = refreshTokenOf(jar);
    expect(second).not.toBe(first);
    expect(refreshed.text).not.toContain(second);
    expect(maxAge(jar.cookies.get(REFRESH_COOKIE))).toBeLessThanOrEqual(firstAge);
    expect((await request(jar, 'GET', '/me')).status).toBe(200);
    // Without a refresh cookie there is nothing to refresh.
    const empty = await request(new Jar(), 'POST', '/auth/refresh', {});
    expect([empty.status, empty.body.code]).toEqual([401, 'NotAuthorized']);
    // A tampered cookie is no cookie.
    const forged = new Jar();
    forged.cookies.set(REFRESH_COOKIE, { value: `v1.${'A'.repeat(80)}`, path: '/auth/', attributes: '' });
    expect((await request(forged, 'POST', '/auth/refresh', {})).status).toBe(401);
  });

  it('signs out: revokes the session and clears both cookies on their own paths', async () => {
    const { jar } = await cookieSession(await confirmedUser());
    const stale = new Jar();
    for (const [name, cookie] of jar.cookies) stale.cookies.set(name, cookie);
    const out = await request(jar, 'POST', '/auth/sign-out');
    expect(out.status).toBe(204);
    expect(out.setCookies.sort()).toEqual([
      `${ACCESS_COOKIE}=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=Strict`,
      `${REFRESH_COOKIE}=; Path=/auth/; Max-Age=0; HttpOnly; Secure; SameSite=Strict`,
    ]);
    expect(jar.cookies.size).toBe(0);
    // The old cookies, replayed, open nothing: the tokens they seal were revoked.
    expect((await request(stale, 'GET', '/me')).status).toBe(401);
    expect((await request(stale, 'POST', '/auth/refresh', {})).status).toBe(401);
  });

  it('deletes the account and clears both cookies', async () => {
    const { jar } = await cookieSession(await confirmedUser());
    const gone = await request(jar, 'DELETE', '/me');
    expect(gone.status).toBe(204);
    expect(gone.setCookies.map((c) => c.split(';')[0]).sort()).toEqual([`${ACCESS_COOKIE}=`, `${REFRESH_COOKIE}=`]);
    expect(jar.cookies.size).toBe(0);
  });

  it('changes the password with fresh cookies (200) and the old session ended', async () => {
    const email = await confirmedUser();
    const { jar } = await cookieSession(email);
    const old = new Jar();
    for (const [name, cookie] of jar.cookies) old.cookies.set(name, cookie);
    const changed = await request(jar, 'POST', '/password/change', {
      previousPassword: PASSWORD,
      proposedPassword: NEW_PASSWORD,
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toEqual({ mode: 'cookie', expiresIn: 3600 });
    expect(refreshTokenOf(jar)).not.toBe(refreshTokenOf(old));
    expect((await request(jar, 'GET', '/me')).status).toBe(200);
    expect((await request(old, 'GET', '/me')).status).toBe(401);
  });

  it('puts no token in any cookie-mode body', async () => {
    const email = await confirmedUser();
    const { jar, answer } = await cookieSession(email);
    const bodies = [answer.text];
    const secrets = [refreshTokenOf(jar)];
    for (const [method, path, body] of [
      ['GET', '/me', undefined],
      ['POST', '/auth/refresh', {}],
      ['POST', '/password/change', { previousPassword: PASSWORD, proposedPassword: NEW_PASSWORD }],
      ['GET', '/me', undefined],
    ] as const) {
      const step = await request(jar, method, path, body);
      expect([path, step.status]).toEqual([path, 200]);
      bodies.push(step.text);
      secrets.push(refreshTokenOf(jar));
    }
    for (const text of bodies) {
      for (const field of TOKEN_FIELDS) expect(text).not.toContain(`"${field}"`);
      for (const secret of secrets) expect(text).not.toContain(secret);
    }
  });

  it('refuses an X-BFF-Session value other than cookie, rather than falling back to token mode', async () => {
    const answer = await request(new Jar(), 'GET', '/me', undefined, {
      mode: 'none',
      headers: { 'x-bff-session': 'tokens' },
    });
    expect([answer.status, answer.body.code]).toEqual([400, 'ValidationFailed']);
  });
});

describe('token mode (no header) is unchanged', () => {
  it('answers tokens in the body, sets no cookie, refreshes from the body and reads the bearer header', async () => {
    const email = await confirmedUser();
    const jar = new Jar();
    const signIn = await request(
      jar,
      'POST',
      '/auth/sign-in',
      { username: email, password: PASSWORD },
      { mode: 'none' },
    );
    expect(signIn.status).toBe(200);
    expect(Object.keys(signIn.body).sort()).toEqual([
      'accessToken',
      'expiresIn',
      'idToken',
      'refreshToken',
      'tokenType',
    ]);
    expect(signIn.setCookies).toEqual([]);
    const refreshed = await api.call('POST', '/auth/refresh', { refreshToken: signIn.body.refreshToken });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.refreshToken).not.toBe(signIn.body.refreshToken);
    expect(refreshed.headers.getSetCookie()).toEqual([]);
    expect((await api.call('GET', '/me', undefined, { token: refreshed.body.accessToken })).status).toBe(200);
    expect((await api.call('GET', '/me', undefined, { token: 'not.a.token' })).status).toBe(401);
  });
});

describe('CORS', () => {
  it('allows credentials only for an exact allowlisted origin, echoed with Vary: Origin', async () => {
    const allowed = await api.call('GET', '/me', undefined, { headers: { origin: stack.url } });
    expect(allowed.headers.get('access-control-allow-origin')).toBe(stack.url);
    expect(allowed.headers.get('access-control-allow-credentials')).toBe('true');
    expect(allowed.headers.get('vary')).toMatch(/Origin/);
    for (const origin of [FOREIGN, `${stack.url}.attacker.example`, 'null']) {
      const answer = await api.call('GET', '/me', undefined, { headers: { origin } });
      expect([origin, answer.headers.get('access-control-allow-origin')]).toEqual([origin, null]);
      expect(answer.headers.get('access-control-allow-credentials')).toBeNull();
    }
  });

  it('preflights X-BFF-Session for an allowlisted origin only', async () => {
    const preflight = (origin: string) =>
      fetch(`${stack.url}/auth/refresh`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'x-bff-session' },
      });
    const ok = await preflight(stack.url);
    expect(ok.headers.get('access-control-allow-origin')).toBe(stack.url);
    expect(ok.headers.get('access-control-allow-credentials')).toBe('true');
    expect(ok.headers.get('access-control-allow-headers')?.toLowerCase().split(',')).toContain('x-bff-session');
    const refused = await preflight(FOREIGN);
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
    expect(refused.headers.get('access-control-allow-credentials')).toBeNull();
    expect(refused.headers.get('access-control-allow-headers')).toBeNull();
  });
});

describe('CSRF: the route table walk', () => {
  const pathOf = (path: string) => path.replace(/\{\w+\}/g, 'someone%40example.com');
  const stateChanging = routeList.filter((route) => route.method !== 'GET');

  it('walks every state-changing route, the session routes among them', () => {
    expect(stateChanging.map((r) => r.name)).toEqual(
      expect.arrayContaining(['refresh', 'signOut', 'changePassword', 'deleteMe', 'adminResetPassword']),
    );
  });

  it('never acts on session cookies sent without the header, on any state-changing route', async () => {
    const { jar } = await cookieSession(await confirmedUser());
    for (const route of stateChanging) {
      const answer = await request(jar, route.method, pathOf(route.path), {}, { mode: 'none' });
      expect([route.name, answer.setCookies]).toEqual([route.name, []]);
      if (usesSession(route)) {
        // Authenticated routes: no credentials (401); refresh: token mode wants a refreshToken in the body (400).
        expect([route.name, answer.status]).toEqual([route.name, route.auth === 'none' ? 400 : 401]);
      } else expect([route.name, answer.status]).toEqual([route.name, 400]);
    }
    // Nothing happened to the session: no sign-out, no deletion, no password change.
    expect((await request(jar, 'GET', '/me')).status).toBe(200);
    expect((await request(jar, 'POST', '/auth/refresh', {})).status).toBe(200);
  });

  it('refuses every route, with the header, from an origin not on the allowlist (403)', async () => {
    const { jar } = await cookieSession(await confirmedUser());
    for (const route of routeList) {
      const answer = await request(jar, route.method, pathOf(route.path), route.method === 'GET' ? undefined : {}, {
        origin: FOREIGN,
      });
      expect([route.name, answer.status, answer.setCookies]).toEqual([route.name, 403, []]);
    }
    expect((await request(jar, 'GET', '/me')).status).toBe(200);
  });
});
