/**
 * The cookie session's building blocks (lambdas/shared/session.ts): the seal that keeps a token unreadable and
 * unforgeable in the browser, the mode header, and the paths the cookies are scoped to.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import {
  ACCESS_COOKIE,
  REFRESH_COOKIE,
  basePath,
  clearedCookies,
  isCookieMode,
  open,
  seal,
  sessionCookies,
} from '../../../lambdas/shared/session';

const key = randomBytes(32);
const token = 'eyJraWQiOiJrIiwiYWxnIjoiUlMyNTYifQ.eyJzdWIiOiJqYW5lIn0.c2lnbmF0dXJl';

describe('seal and open', () => {
  it('round-trips a payload under the same key and cookie name', () => {
    expect(open(key, ACCESS_COOKIE, seal(key, ACCESS_COOKIE, { t: token }))).toEqual({ t: token });
  });

  it('hides the token: the cookie value holds no part of it, and two seals of one token differ', () => {
    const first = seal(key, ACCESS_COOKIE, { t: token });
    const second = seal(key, ACCESS_COOKIE, { t: token });
    expect(first).not.toBe(second);
    for (const value of [first, second]) {
      expect(value).not.toContain('eyJ');
      expect(Buffer.from(value.slice(3), 'base64url').toString('latin1')).not.toContain(token.slice(0, 12));
    }
  });

  it('refuses a value moved to the other cookie', () => {
    expect(open(key, REFRESH_COOKIE, seal(key, ACCESS_COOKIE, { t: token }))).toBeUndefined();
  });

  it('refuses a value sealed under another key', () => {
    expect(open(randomBytes(32), ACCESS_COOKIE, seal(key, ACCESS_COOKIE, { t: token }))).toBeUndefined();
  });

  it('refuses any single flipped bit, in the IV, the ciphertext or the tag', () => {
    const raw = Buffer.from(seal(key, ACCESS_COOKIE, { t: token }).slice(3), 'base64url');
    for (let byte = 0; byte < raw.length; byte++) {
      const tampered = Buffer.from(raw);
      tampered[byte] = (tampered[byte] ?? 0) ^ 1;
      expect([byte, open(key, ACCESS_COOKIE, `v1.${tampered.toString('base64url')}`)]).toEqual([byte, undefined]);
    }
  });

  it('refuses what was never sealed: a bare token, another version, a short or empty value', () => {
    for (const value of [
      token,
      `v2.${seal(key, ACCESS_COOKIE, { t: token }).slice(3)}`,
      'v1.AAAA',
      'v1.',
      '',
      undefined,
    ]) {
      expect(open(key, ACCESS_COOKIE, value)).toBeUndefined();
    }
  });
});

describe('the mode header', () => {
  it('is cookie mode only for "cookie"; "token" or no header is token mode', () => {
    expect(isCookieMode({ 'X-BFF-Session': 'cookie' })).toBe(true);
    expect(isCookieMode({ 'x-bff-session': ' Cookie ' })).toBe(true);
    expect(isCookieMode({ 'X-BFF-Session': 'token' })).toBe(false);
    expect(isCookieMode({})).toBe(false);
  });

  it('refuses any other value with a 400 rather than falling back to token mode', () => {
    for (const value of ['tokens', 'cookies', '', 'bearer']) {
      expect(() => isCookieMode({ 'x-bff-session': value })).toThrow(
        expect.objectContaining({ statusCode: 400, code: 'ValidationFailed' }),
      );
    }
  });
});

describe('the base path the cookies are scoped to', () => {
  it('is the stage on the execute-api URL, nothing on a custom domain or locally', () => {
    expect(basePath('/v1/auth/refresh', '/auth/refresh')).toBe('/v1');
    expect(basePath('/auth/refresh', '/auth/refresh')).toBe('');
    expect(basePath('/api/v1/auth/sign-in', '/auth/sign-in')).toBe('/api/v1');
    expect(basePath(undefined, '/auth/refresh')).toBe('');
  });

  it('reads past a path parameter, and a trailing slash', () => {
    expect(
      basePath('/v1/admin/users/jane%40example.com/password-reset', '/admin/users/{username}/password-reset'),
    ).toBe('/v1');
    expect(basePath('/v1/me/', '/me')).toBe('/v1');
  });

  it('puts the refresh cookie on the refresh route only, under the stage, and clears it there', () => {
    const [access, refresh] = sessionCookies(
      key,
      '/v1',
      { accessToken: token, expiresIn: 3600, refreshToken: 'r', refreshExpiresAt: 1_000 + 86_400 },
      1_000,
    );
    expect(access).toMatch(/^__Host-bff-access=v1\.[\w-]+; Path=\/; Max-Age=3600; HttpOnly; Secure; SameSite=Strict$/);
    expect(refresh).toMatch(
      /^__Secure-bff-refresh=v1\.[\w-]+; Path=\/v1\/auth\/refresh; Max-Age=86400; HttpOnly; Secure; SameSite=Strict$/,
    );
    expect(clearedCookies('/v1')).toEqual([
      '__Host-bff-access=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=Strict',
      '__Secure-bff-refresh=; Path=/v1/auth/refresh; Max-Age=0; HttpOnly; Secure; SameSite=Strict',
    ]);
  });
});
