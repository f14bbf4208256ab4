/** Leaks, enumeration and browser-facing headers, against the running local stack. */
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  NEW_PASSWORD,
  PASSWORD,
  type RunningStack,
  client,
  removeDir,
  startStack,
  uniqueEmail,
} from '../support/stack';
import { median } from '../../bench/stats';
import { expectWith } from '../support/expect';
import { record } from './summary';

let stack: RunningStack;
let api: ReturnType<typeof client>;

beforeAll(async () => {
  stack = await startStack({ env: { LOG_LEVEL: 'DEBUG' } });
  api = client(stack.url);
});

afterAll(async () => {
  await stack?.stop();
  if (stack) removeDir(stack.dataDir);
});

describe('leaks', () => {
  it('logs no password, code, token, SecretHash or client secret while every flow runs at debug level', async () => {
    const secrets = new Set<string>([PASSWORD, NEW_PASSWORD, 'Local-Admin-Passw0rd!']);
    const config = (await api.call('GET', '/_local/config')).body;
    secrets.add(config.clientSecret);
    const keep = (value: unknown) => {
      if (typeof value === 'string' && value.length >= 6) secrets.add(value);
    };
    const email = uniqueEmail('leak');
    secrets.add(
      createHmac('sha256', config.clientSecret)
        .update(email + config.clientId)
        .digest('base64'),
    );
    await api.call('POST', '/auth/sign-up', { username: email, password: PASSWORD, clientMetadata: { locale: 'fr' } });
    const signUpCode = await api.latestCode(email);
    keep(signUpCode);
    await api.call('POST', '/auth/sign-up/confirm', { username: email, code: signUpCode });
    const tokens = (await api.call('POST', '/auth/sign-in', { username: email, password: PASSWORD })).body;
    for (const t of Object.values(tokens)) keep(t);
    await api.call('GET', '/me', undefined, { token: tokens.accessToken });

    // A second user moves their email (a wrong current password first), verifies the new one, and signs in
    // in cookie mode: the sealed cookies are secrets too.
    const other = uniqueEmail('leak-move');
    const moved = uniqueEmail('leak-moved');
    await api.call('POST', '/auth/sign-up', { username: other, password: PASSWORD });
    const otherCode = await api.latestCode(other);
    keep(otherCode);
    await api.call('POST', '/auth/sign-up/confirm', { username: other, code: otherCode });
    const otherTokens = (await api.call('POST', '/auth/sign-in', { username: other, password: PASSWORD })).body;
    for (const t of Object.values(otherTokens)) keep(t);
    const asOther = { token: otherTokens.accessToken };
    secrets.add('Wr0ng-Guess-123!');
    const wrongGuess = { attributes: { email: moved }, currentPassword: 'Wr0ng-Guess-123!' };
    expect((await api.call('PATCH', '/me/attributes', wrongGuess, asOther)).status).toBe(403);
    const move = { attributes: { email: moved }, currentPassword: PASSWORD };
    expect((await api.call('PATCH', '/me/attributes', move, asOther)).status).toBe(200);
    const verifyCode = await api.latestCode(moved);
    keep(verifyCode);
    await api.call('POST', '/me/attributes/verify', { attribute: 'email', code: verifyCode }, asOther);
    const cookieSignIn = await api.call(
      'POST',
      '/auth/sign-in',
      { username: moved, password: PASSWORD },
      { headers: { 'x-bff-session': 'cookie', origin: new URL(stack.url).origin } },
    );
    const cookies = cookieSignIn.headers.getSetCookie();
    expect(cookies).toHaveLength(2);
    for (const cookie of cookies) keep(cookie.slice(cookie.indexOf('=') + 1, cookie.indexOf(';')));

    const changed = await api.call(
      'POST',
      '/password/change',
      { previousPassword: PASSWORD, proposedPassword: NEW_PASSWORD },
      { token: tokens.accessToken },
    );
    expect(changed.status).toBe(200);
    for (const t of Object.values(changed.body)) keep(t);
    await api.call(
      'POST',
      '/password/change',
      { previousPassword: 'Wr0ng-Password!!', proposedPassword: PASSWORD },
      { token: tokens.accessToken },
    );
    secrets.add('Wr0ng-Password!!');
    const refreshed = (await api.call('POST', '/auth/refresh', { refreshToken: tokens.refreshToken })).body;
    keep(refreshed.accessToken);
    await api.call('POST', '/password/forgot', { username: email });
    const resetCode = await api.latestCode(email);
    keep(resetCode);
    await api.call('POST', '/password/reset', {
      username: email,
      code: '999999' === resetCode ? '888888' : '999999',
      password: PASSWORD,
    });
    await api.call('POST', '/password/reset', { username: email, code: resetCode, password: PASSWORD });
    const admin = (
      await api.call('POST', '/auth/sign-in', { username: 'admin@example.com', password: 'Local-Admin-Passw0rd!' })
    ).body;
    keep(admin.accessToken);
    await api.call(
      'POST',
      `/admin/users/${encodeURIComponent(email)}/password-reset`,
      {},
      { token: admin.accessToken },
    );
    keep(await api.latestCode(email));
    await api.call('POST', '/auth/sign-out', undefined, { token: admin.accessToken });

    // The start banner prints the local admin's default password by design; logs come after it.
    const full = stack.output();
    const output = full.slice(full.indexOf('Ctrl-C to stop.'));
    expect(output).toContain('"level":"INFO"');
    const found = [...secrets].filter((s) => output.includes(s));
    expect(found.map((s) => `${s.slice(0, 3)}...(${s.length})`)).toEqual([]);
    record('leaks', 'secret values checked', secrets.size);
    record('leaks', 'log lines scanned', output.split('\n').length);
  });
});

describe('enumeration', () => {
  it('answers forgot and resend the same for a real, an unknown and an unconfirmed user', async () => {
    const real = uniqueEmail('enum-real');
    await api.call('POST', '/auth/sign-up', { username: real, password: PASSWORD });
    await api.call('POST', '/auth/sign-up/confirm', { username: real, code: await api.latestCode(real) });
    const unconfirmed = uniqueEmail('enum-unconfirmed');
    await api.call('POST', '/auth/sign-up', { username: unconfirmed, password: PASSWORD });

    for (const path of ['/password/forgot', '/auth/sign-up/resend']) {
      const timings: Record<string, number[]> = { real: [], unknown: [], unconfirmed: [] };
      const shapes = new Set<string>();
      for (let i = 0; i < 9; i++) {
        for (const [kind, username] of [
          ['real', real],
          ['unknown', uniqueEmail('enum-unknown')],
          ['unconfirmed', unconfirmed],
        ] as const) {
          const started = performance.now();
          const answer = await api.call('POST', path, { username });
          timings[kind]?.push(performance.now() - started);
          shapes.add(
            [
              answer.status,
              JSON.stringify(Object.keys(answer.body ?? {})),
              JSON.stringify(Object.keys(answer.body?.codeDelivery ?? {}).sort()),
            ].join(' '),
          );
        }
      }
      expect([...shapes]).toHaveLength(1);
      const medians = Object.values(timings).map(median);
      const gap = Math.max(...medians) - Math.min(...medians);
      record('enumeration', `${path} median gap`, `${gap.toFixed(2)} ms (${[...shapes][0]})`);
    }
  });
});

describe('browser-facing headers', () => {
  it('lets an allowed origin preflight, and gives other origins no allow header', async () => {
    const allowed = new URL(stack.url).origin;
    const preflight = (origin: string) =>
      fetch(`${stack.url}/password/forgot`, {
        method: 'OPTIONS',
        headers: {
          Origin: origin,
          'Access-Control-Request-Method': 'POST',
          'Access-Control-Request-Headers': 'content-type',
        },
      });
    const ok = await preflight(allowed);
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe(allowed);
    expect(ok.headers.get('access-control-allow-methods')).toContain('POST');
    const evil = await preflight('https://evil.example');
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
    const answer = await fetch(`${stack.url}/password/forgot`, {
      method: 'POST',
      headers: { Origin: 'https://evil.example', 'content-type': 'application/json' },
      body: '{}',
    });
    expect(answer.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('puts the security headers on every answer, errors included', async () => {
    const origin = new URL(stack.url).origin;
    const answers = await Promise.all([
      fetch(`${stack.url}/password/forgot`, {
        method: 'POST',
        headers: { Origin: origin, 'content-type': 'application/json' },
        body: JSON.stringify({ username: uniqueEmail('h') }),
      }),
      fetch(`${stack.url}/password/forgot`, {
        method: 'POST',
        headers: { Origin: origin, 'content-type': 'application/json' },
        body: '{',
      }),
      fetch(`${stack.url}/me`, { headers: { Origin: origin } }),
      fetch(`${stack.url}/nowhere`, { headers: { Origin: origin } }),
      fetch(`${stack.url}/openapi.json`),
    ]);
    for (const answer of answers) {
      expectWith(answer.headers.get('x-content-type-options'), answer.url).toBe('nosniff');
      expectWith(answer.headers.get('strict-transport-security'), answer.url).toContain('max-age=');
      expectWith(
        answer.headers.get('x-frame-options') ?? answer.headers.get('content-security-policy'),
        answer.url,
      ).toBeTruthy();
    }
    expect(answers[1]?.headers.get('access-control-allow-origin')).toBe(origin);
    expect(answers[2]?.headers.get('access-control-allow-origin')).toBe(origin);
    record('headers', 'answers checked', `${answers.length} (success, 400, 401, 404, document)`);
  });
});
