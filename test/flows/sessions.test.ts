/**
 * Cookie sessions and token sessions (README "Sessions"), as a browser and a native client see them.
 * Part of the flow suite: written once against a target (test/support/target.ts), so `npm run test:aws` holds the
 * deployed API to the same contract, with the refresh cookie's Path under the stage (`/v1/auth/refresh`).
 * What needs the local stack's own key or its gateway emulation lives in test/integration/cookie-sessions.test.ts.
 */
import { beforeAll, describe, expect, it } from '@jest/globals';
import { routeList } from '../../lambdas/routes';
import { usesSession } from '../../lambdas/shared/route';
import { ACCESS_COOKIE, REFRESH_COOKIE } from '../../lambdas/shared/session';
import { Jar, browser } from '../support/browser';
import { NEW_PASSWORD, PASSWORD, call, signUpConfirmed, target, uniqueEmail, useFlow } from './flow';

useFlow();

const FOREIGN = 'https://attacker.example';
const FLAGS = 'HttpOnly; Secure; SameSite=Strict';
const TOKEN_FIELDS = ['accessToken', 'idToken', 'refreshToken'];
let page: ReturnType<typeof browser>;

beforeAll(() => {
  page = browser(target().baseUrl, target().allowedOrigin);
});

const request = (...args: Parameters<(typeof page)['request']>) => page.request(...args);
const refreshPath = () => `${page.basePath}/auth/refresh`;

async function cookieSession() {
  const email = uniqueEmail('cookie');
  await signUpConfirmed(email);
  const jar = new Jar();
  const answer = await request(jar, 'POST', '/auth/sign-in', { username: email, password: PASSWORD });
  expect(answer.status).toBe(200);
  return { email, jar, answer };
}

describe('cookie mode', () => {
  it('signs in with both tokens in sealed HttpOnly Secure SameSite=Strict cookies, and none in the body', async () => {
    const { jar, answer } = await cookieSession();
    expect(answer.body).toEqual({ mode: 'cookie', expiresIn: expect.any(Number) });
    const access = jar.cookies.get(ACCESS_COOKIE);
    const refresh = jar.cookies.get(REFRESH_COOKIE);
    expect(access?.attributes).toBe(`Path=/; Max-Age=${answer.body.expiresIn}; ${FLAGS}`);
    expect(refresh?.attributes).toMatch(new RegExp(`^Path=${refreshPath()}; Max-Age=\\d+; ${FLAGS}$`));
    // Sealed: no JWT, nor any other token, readable in a cookie value or the body.
    for (const cookie of [access, refresh]) expect(cookie?.value).toMatch(/^v1\.[\w-]+$/);
    expect(answer.text).not.toMatch(/eyJ/);
  });

  it('serves GET /me from the access cookie, only with the header and an allowlisted origin', async () => {
    const { email, jar } = await cookieSession();
    const me = await request(jar, 'GET', '/me');
    expect(me.status).toBe(200);
    expect(me.body.attributes.email).toBe(email);
    // A same-origin GET carries no Origin: Sec-Fetch-Site decides.
    const sameOrigin = await request(jar, 'GET', '/me', undefined, {
      origin: null,
      headers: { 'sec-fetch-site': 'same-origin' },
    });
    expect(sameOrigin.status).toBe(200);
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
    const { jar } = await cookieSession();
    const before = jar.cookies.get(REFRESH_COOKIE);
    const refreshed = await request(jar, 'POST', '/auth/refresh', {});
    expect(refreshed.status).toBe(200);
    expect(refreshed.body).toEqual({ mode: 'cookie', expiresIn: expect.any(Number) });
    const after = jar.cookies.get(REFRESH_COOKIE);
    expect(after?.value).not.toBe(before?.value);
    const age = (attributes = '') => Number(/Max-Age=(\d+)/.exec(attributes)?.[1]);
    expect(age(after?.attributes)).toBeLessThanOrEqual(age(before?.attributes));
    expect((await request(jar, 'GET', '/me')).status).toBe(200);
    // Without a refresh cookie there is nothing to refresh; a tampered cookie is no cookie.
    const empty = await request(new Jar(), 'POST', '/auth/refresh', {});
    expect([empty.status, empty.body.code]).toEqual([401, 'NotAuthorized']);
    const forged = new Jar();
    forged.cookies.set(REFRESH_COOKIE, { value: `v1.${'A'.repeat(80)}`, path: refreshPath(), attributes: '' });
    expect((await request(forged, 'POST', '/auth/refresh', {})).status).toBe(401);
  });

  it('signs out: revokes the session and clears both cookies on their own paths', async () => {
    const { jar } = await cookieSession();
    const stale = jar.copy();
    const out = await request(jar, 'POST', '/auth/sign-out');
    expect(out.status).toBe(204);
    expect(out.setCookies.sort()).toEqual([
      `${ACCESS_COOKIE}=; Path=/; Max-Age=0; ${FLAGS}`,
      `${REFRESH_COOKIE}=; Path=${refreshPath()}; Max-Age=0; ${FLAGS}`,
    ]);
    expect(jar.cookies.size).toBe(0);
    // The old cookies, replayed, open nothing: the tokens they seal were revoked.
    expect((await request(stale, 'GET', '/me')).status).toBe(401);
    expect((await request(stale, 'POST', '/auth/refresh', {})).status).toBe(401);
  });

  it('deletes the account and clears both cookies', async () => {
    const { jar } = await cookieSession();
    const gone = await request(jar, 'DELETE', '/me');
    expect(gone.status).toBe(204);
    expect(gone.setCookies.map((c) => c.split(';')[0]).sort()).toEqual([`${ACCESS_COOKIE}=`, `${REFRESH_COOKIE}=`]);
    expect(jar.cookies.size).toBe(0);
  });

  it('changes the password with fresh cookies (200), ends the other session, and puts no token in any body', async () => {
    const { jar, answer } = await cookieSession();
    const other = jar.copy();
    const bodies = [answer.text];
    const changed = await request(jar, 'POST', '/password/change', {
      previousPassword: PASSWORD,
      proposedPassword: NEW_PASSWORD,
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toEqual({ mode: 'cookie', expiresIn: expect.any(Number) });
    expect(jar.cookies.get(REFRESH_COOKIE)?.value).not.toBe(other.cookies.get(REFRESH_COOKIE)?.value);
    bodies.push(changed.text);
    for (const [method, path, body] of [
      ['GET', '/me', undefined],
      ['POST', '/auth/refresh', {}],
      ['GET', '/me', undefined],
    ] as const) {
      const step = await request(jar, method, path, body);
      expect([path, step.status]).toEqual([path, 200]);
      bodies.push(step.text);
    }
    expect((await request(other, 'GET', '/me')).status).toBe(401);
    for (const text of bodies) {
      for (const field of TOKEN_FIELDS) expect(text).not.toContain(`"${field}"`);
      expect(text).not.toMatch(/eyJ/);
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

describe('token mode (no header, or X-BFF-Session: token) is unchanged', () => {
  it('answers tokens in the body, sets no cookie, refreshes from the body and reads the bearer header', async () => {
    const email = uniqueEmail('token');
    await signUpConfirmed(email);
    const signIn = await request(
      new Jar(),
      'POST',
      '/auth/sign-in',
      { username: email, password: PASSWORD },
      {
        mode: 'none',
      },
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
    const refreshed = await call('POST', '/auth/refresh', { refreshToken: signIn.body.refreshToken });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.refreshToken).not.toBe(signIn.body.refreshToken);
    expect(refreshed.headers.getSetCookie()).toEqual([]);
    expect((await call('GET', '/me', undefined, { token: refreshed.body.accessToken })).status).toBe(200);
    expect((await call('GET', '/me', undefined, { token: 'not.a.token' })).status).toBe(401);
  });

  it('is chosen explicitly with X-BFF-Session: token, and then reads no session cookie', async () => {
    const { email, jar } = await cookieSession();
    const headers = { 'x-bff-session': 'token' };
    const signIn = await request(
      jar,
      'POST',
      '/auth/sign-in',
      { username: email, password: PASSWORD },
      {
        mode: 'none',
        headers,
      },
    );
    expect(signIn.status).toBe(200);
    expect(signIn.setCookies).toEqual([]);
    expect(typeof signIn.body.refreshToken).toBe('string');
    // The session cookies ride along (the jar holds them) but are no credentials in token mode.
    expect((await request(jar, 'GET', '/me', undefined, { mode: 'none', headers })).status).toBe(401);
    const me = await call('GET', '/me', undefined, { token: signIn.body.accessToken, headers });
    expect(me.status).toBe(200);
  });
});

describe('CORS on the functions’ answers', () => {
  it('allows credentials only for an exact allowlisted origin, echoed with Vary: Origin', async () => {
    const origin = target().allowedOrigin;
    const allowed = await call('GET', '/me', undefined, { headers: { origin } });
    expect(allowed.headers.get('access-control-allow-origin')).toBe(origin);
    expect(allowed.headers.get('access-control-allow-credentials')).toBe('true');
    expect(allowed.headers.get('vary')).toMatch(/Origin/);
    for (const other of [FOREIGN, `${origin}.attacker.example`, 'null']) {
      const answer = await call('GET', '/me', undefined, { headers: { origin: other } });
      expect([other, answer.headers.get('access-control-allow-origin')]).toEqual([other, null]);
      expect(answer.headers.get('access-control-allow-credentials')).toBeNull();
    }
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
    const { jar } = await cookieSession();
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
    const { jar } = await cookieSession();
    for (const route of routeList) {
      const body = route.method === 'GET' ? undefined : {};
      const answer = await request(jar, route.method, pathOf(route.path), body, { origin: FOREIGN });
      expect([route.name, answer.status, answer.setCookies]).toEqual([route.name, 403, []]);
    }
    expect((await request(jar, 'GET', '/me')).status).toBe(200);
  });
});
