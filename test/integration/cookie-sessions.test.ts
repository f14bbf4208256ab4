/**
 * Cookie mode against the local stack, where the test can hold what only the stack holds: the session key (in its
 * state folder), to open the sealed cookies as the BFF does, and the exact attributes of the local settings. The
 * rest of the cookie-mode contract (header and origin rules, sign-out, delete, password change, token mode, CORS,
 * the CSRF walk of the route table) is in the flow suite, test/flows/sessions.test.ts, and runs on both targets.
 * The preflight is the local gateway's: API Gateway's mock integration answers it in AWS (README, "Sessions").
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { ACCESS_COOKIE, REFRESH_COOKIE, open } from '../../lambdas/shared/session';
import { deriveKey } from '../../lambdas/shared/session-key';
import { LOCAL_SESSION_KEY_SECRET_ID } from '../../local/secrets';
import { type Cookie, Jar, browser } from '../support/browser';
import {
  NEW_PASSWORD,
  PASSWORD,
  type RunningStack,
  client,
  removeDir,
  startStack,
  uniqueEmail,
} from '../support/stack';

// The machine is shared and has two cores: starting a stack takes a while.
jest.setTimeout(120_000);

let stack: RunningStack;
let api: ReturnType<typeof client>;
let page: ReturnType<typeof browser>;
const FOREIGN = 'https://attacker.example';

beforeAll(async () => {
  stack = await startStack();
  api = client(stack.url);
  page = browser(stack.url, stack.url);
});

afterAll(async () => {
  await stack?.stop();
  if (stack) removeDir(stack.dataDir);
});

const request = (...args: Parameters<(typeof page)['request']>) => page.request(...args);

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
    expect(refresh?.attributes).toBe(`Path=/auth/refresh; Max-Age=${30 * 86_400}; HttpOnly; Secure; SameSite=Strict`);
    // Sealed: no JWT (or any token) readable in a cookie value.
    for (const cookie of [access, refresh]) expect(cookie?.value).toMatch(/^v1\.[\w-]+$/);
    expect(answer.text).not.toContain(refreshTokenOf(jar));
    expect(answer.text).not.toMatch(/eyJ/);
  });

  it('rotates the refresh token inside the refresh cookie, and never lengthens the session', async () => {
    const { jar } = await cookieSession(await confirmedUser());
    const first = refreshTokenOf(jar);
    const firstAge = maxAge(jar.cookies.get(REFRESH_COOKIE));
    const refreshed = await request(jar, 'POST', '/auth/refresh', {});
    expect(refreshed.status).toBe(200);
    const second = refreshTokenOf(jar);
    expect(second).not.toBe(first);
    expect(refreshed.text).not.toContain(second);
    expect(maxAge(jar.cookies.get(REFRESH_COOKIE))).toBeLessThanOrEqual(firstAge);
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
});

describe('CORS preflight (the local gateway)', () => {
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
